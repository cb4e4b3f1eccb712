"""Which language each person reads: their own choice on the App Home, else their Slack locale.

Known once per person and kept a minute in this process, so acknowledging a click costs no query.
Slack is asked (`users.info` with `include_locale`) only about someone whose profile we have not
fetched in a week; the answer is kept in the members table, where the dispatcher's own lookups
(for time zones) put it too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers import i18n
from storage import members
from storage.database import Database

log = logging.getLogger(__name__)

KEEP_S = 60.0  # another process's change of language shows here within this


class Speakers:
    def __init__(self, db: Database, *, keep_s: float = KEEP_S) -> None:
        self.db = db
        self.keep_s = keep_s
        self.known: dict[str, tuple[str, float]] = {}
        self.lock = threading.Lock()

    def language(self, user_id: str, client: WebClient | None) -> str:
        with self.lock:
            known = self.known.get(user_id)
        if known and time.monotonic() < known[1]:
            return known[0]
        language = self.look_up(user_id, client)
        with self.lock:
            self.known[user_id] = (language, time.monotonic() + self.keep_s)
        return language

    def forget(self, user_id: str) -> None:
        """After the person chose a language: the next answer uses it."""
        with self.lock:
            self.known.pop(user_id, None)

    def look_up(self, user_id: str, client: WebClient | None) -> str:
        now = datetime.now(UTC)
        with self.db.transaction() as session:
            member = members.get(session, user_id)
        if member is not None and (
            member.preferred_language or members.profile_is_fresh(member, now)
        ):
            return i18n.language_for(member.preferred_language, member.locale)
        if client is None:
            return i18n.DEFAULT
        try:
            user: dict[str, Any] = client.users_info(user=user_id, include_locale=True)["user"]
        except (SlackApiError, OSError) as error:
            # English this once; asked again when the minute is up.
            log.warning("users.info for %s failed (%s); answering in English", user_id, error)
            return i18n.DEFAULT
        with self.db.transaction(write=True) as session:
            members.record_profile(
                session, user_id, tz=user.get("tz"), locale=user.get("locale"), now=now
            )
        return i18n.language_for(None, user.get("locale"))


def speak_their_language(
    context: BoltContext, next: Callable[[], BoltResponse], *, speakers: Speakers
) -> BoltResponse:
    """Bolt middleware: the listener (on its own thread, see i18n.ContextExecutor) and every
    message it builds are in the language of the person who acted."""
    user = context.user_id
    context["speakers"] = speakers  # a listener that changes someone's language tells it
    # Bolt's next() only marks the chain to go on: the listener is started after this returns,
    # from this thread. So the language is set for the rest of this request on this thread
    # (every request sets it again here first), and the listener's thread inherits it.
    i18n.begin_request(speakers.language(user, context.client) if user else None)
    return next()


def forget_language(context: BoltContext, user_id: str) -> None:
    """After `user_id` chose a language: their next answer uses it, not the cached one."""
    known = context.get("speakers")
    if isinstance(known, Speakers):
        known.forget(user_id)
