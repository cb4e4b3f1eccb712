"""Language access: every message, modal and Home view in English or Spanish.

Translations live in gettext catalogs under `handlers/locales/` (Babel extracts and compiles
them: see the README). Builders stay pure functions of what they show: they call `_()`, and the
language it answers in is the reader of the moment, a context variable set around each Slack
request (bot/app.py) and around each message the dispatcher composes for its recipient.
"""

from __future__ import annotations

import contextvars
import gettext
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from storage.models import Member

LANGUAGES = {"en": "English", "es": "Español"}  # each language named in itself
DEFAULT = "en"
DOMAIN = "dei_bot"
LOCALES = Path(__file__).with_name("locales")

_reader: contextvars.ContextVar[str] = contextvars.ContextVar("dei_bot_language", default=DEFAULT)


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language == DEFAULT:
        return gettext.NullTranslations()
    # A missing catalog is a packaging mistake: fail loudly rather than answer in English.
    return gettext.translation(DOMAIN, LOCALES, languages=[language])


def _(message: str) -> str:
    return translations(_reader.get()).gettext(message)


def ngettext(singular: str, plural: str, number: int) -> str:
    return translations(_reader.get()).ngettext(singular, plural, number)


def N_(message: str) -> str:
    """Marks a string for the catalog where it is defined; `_()` translates it where it is used."""
    return message


def current() -> str:
    return _reader.get()


@contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Everything built inside is in `language` (English for one we do not have)."""
    chosen = language if language in LANGUAGES else DEFAULT
    token = _reader.set(chosen)
    try:
        yield chosen
    finally:
        _reader.reset(token)


def begin_request(language: str | None) -> None:
    """The language of the Slack request this thread is handling now (see handlers.speakers)."""
    _reader.set(language if language in LANGUAGES else DEFAULT)


def language_for(preferred: str | None, slack_locale: str | None) -> str:
    """The member's own choice (App Home) first, then their Slack locale (`es-ES` → Spanish)."""
    if preferred in LANGUAGES:
        return preferred
    base = (slack_locale or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT


def member_language(member: Member | None) -> str | None:
    return language_for(member.preferred_language, member.locale) if member else None


# Spanish dates in the CLDR's words, with the zone's abbreviation as the English shows it
# (Babel would write an offset): "martes, 13 de abril de 2027, 10:00 CDT".
_DATE_PATTERNS = {"es": "EEEE, d 'de' MMMM 'de' y, HH:mm"}


def date_and_time(moment: datetime, zone: ZoneInfo) -> str:
    """A full date and time in the reader's language, never only relative ("tomorrow")."""
    language = _reader.get()
    local = moment.astimezone(zone)
    if language == DEFAULT:
        return local.strftime("%A %B %-d, %Y at %-I:%M %p %Z")
    written = format_datetime(local, _DATE_PATTERNS[language], tzinfo=zone, locale=language)
    return f"{written} {local.strftime('%Z')}"


P = ParamSpec("P")
T = TypeVar("T")


class ContextExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in the submitter's context: Bolt runs listeners on its
    executor, and the language the request middleware chose must reach them."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        context = contextvars.copy_context()
        runner: Callable[..., Any] = context.run
        return super().submit(runner, fn, *args, **kwargs)
