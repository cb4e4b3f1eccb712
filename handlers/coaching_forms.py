"""What the coaching buttons and modals send us, parsed into small frozen values and checked.

Pure: no Slack calls, no database. Validation problems are data: `{block_id: message}`, ready for
`ack(response_action="errors", errors=…)`. A forged or half-filled payload parses to empty
fields (never an exception), and the checks treat them like a person who left a field blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.coaching_modals import (
    COACH_BLOCK,
    COACH_INPUT,
    COHORT_BLOCK,
    COHORT_INPUT,
    DURATION_BLOCK,
    DURATION_INPUT,
    JOIN_URL_BLOCK,
    JOIN_URL_INPUT,
    LOCATION_BLOCK,
    LOCATION_INPUT,
    LOCATION_MAX,
    MAX_DURATION,
    PARTICIPANTS_BLOCK,
    PARTICIPANTS_INPUT,
    QUESTION_BLOCK,
    QUESTION_INPUT,
    QUESTION_MAX,
    START_BLOCK,
    START_INPUT,
)
from handlers.i18n import _

TARGET_KINDS = ("meeting", "coaching")
# What Slack's url_text_input lets through, minus what would break a mrkdwn link.
JOIN_URL = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)
USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


@dataclass(frozen=True)
class Target:
    """What a reminder button is about: `meeting:KEY` or `coaching:KEY`."""

    kind: str
    key: str


def parse_target(value: str | None) -> Target | None:
    kind, _, key = (value or "").partition(":")
    if kind not in TARGET_KINDS or not key:
        return None
    return Target(kind=kind, key=key)


def field_state(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    """One input's state; {} for anything missing or of the wrong shape (a forged payload)."""
    found: Any = view
    for name in ("state", "values", block_id, action_id):
        found = found.get(name) if isinstance(found, dict) else None
    return found if isinstance(found, dict) else {}


def field_text(view: dict[str, Any], block_id: str, action_id: str) -> str:
    value = field_state(view, block_id, action_id).get("value")
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class SessionForm:
    editing: str | None  # the key of the session being edited; None for a new one
    cohort_key: str
    coach: str
    participants: tuple[str, ...]
    starts_at: datetime | None
    duration: str  # as typed; checked by session_form_errors
    location: str
    join_url: str | None

    @property
    def duration_minutes(self) -> int:
        return int(self.duration)


def parse_session_form(view: dict[str, Any]) -> SessionForm:
    cohort = field_state(view, COHORT_BLOCK, COHORT_INPUT).get("selected_option") or {}
    coach = field_state(view, COACH_BLOCK, COACH_INPUT).get("selected_user")
    chosen = field_state(view, PARTICIPANTS_BLOCK, PARTICIPANTS_INPUT).get("selected_users")
    stamp = field_state(view, START_BLOCK, START_INPUT).get("selected_date_time")
    starts_at = None
    if isinstance(stamp, int | float | str) and str(stamp).isdigit():
        starts_at = datetime.fromtimestamp(int(stamp), UTC)
    participants = [p for p in chosen or [] if isinstance(p, str)]
    return SessionForm(
        editing=str(view.get("private_metadata") or "") or None,
        cohort_key=str(cohort.get("value") or "") if isinstance(cohort, dict) else "",
        coach=coach if isinstance(coach, str) else "",
        participants=tuple(dict.fromkeys(participants)),
        starts_at=starts_at,
        duration=field_text(view, DURATION_BLOCK, DURATION_INPUT),
        location=field_text(view, LOCATION_BLOCK, LOCATION_INPUT),
        join_url=field_text(view, JOIN_URL_BLOCK, JOIN_URL_INPUT) or None,
    )


def session_form_errors(
    form: SessionForm,
    now: datetime,
    *,
    cohort_known: bool,
    current_start: datetime | None = None,
) -> dict[str, str]:
    """Every problem, each on its field. `current_start`: when editing, the start as stored (an
    edit that keeps a start already past, to fix a link during the session, is fine)."""
    errors: dict[str, str] = {}
    if not cohort_known:
        errors[COHORT_BLOCK] = _("Choose one of the cohorts in the list.")
    if not USER_ID.fullmatch(form.coach):
        errors[COACH_BLOCK] = _("Choose the coach.")
    if not form.participants:
        errors[PARTICIPANTS_BLOCK] = _("Choose at least one participant.")
    elif not all(USER_ID.fullmatch(user) for user in form.participants):
        errors[PARTICIPANTS_BLOCK] = _("Choose participants from the list of people.")
    elif form.coach in form.participants:
        errors[PARTICIPANTS_BLOCK] = _(
            "The coach is in the participants too: remove them here (they are invited as coach)."
        )
    if form.starts_at is None:
        errors[START_BLOCK] = _("Choose the date and time the session starts.")
    elif form.starts_at <= now and not same_minute(form.starts_at, current_start):
        errors[START_BLOCK] = _("That time has already passed: choose a start in the future.")
    if not form.duration.isdigit() or not 1 <= int(form.duration) <= MAX_DURATION:
        errors[DURATION_BLOCK] = _("Give the length in whole minutes, from 1 to {most}.").format(
            most=MAX_DURATION
        )
    if len(form.location) > LOCATION_MAX:
        errors[LOCATION_BLOCK] = _("Keep the place under {most} characters.").format(
            most=LOCATION_MAX
        )
    if form.join_url is not None and not JOIN_URL.fullmatch(form.join_url):
        errors[JOIN_URL_BLOCK] = _("Give a web address starting with https:// (or http://).")
    return errors


def same_minute(one: datetime, other: datetime | None) -> bool:
    """The picker works in whole minutes; a stored start may carry seconds."""
    return other is not None and int(one.timestamp()) // 60 == int(other.timestamp()) // 60


def session_key(cohort_key: str, starts_at: datetime, zone: ZoneInfo) -> str:
    """`<cohort>-<YYYY-MM-DD-HHMM>` in the group's own time: readable in exports and logs."""
    return f"{cohort_key}-{starts_at.astimezone(zone):%Y-%m-%d-%H%M}"


@dataclass(frozen=True)
class QuestionForm:
    session_key: str
    text: str


def parse_question_form(view: dict[str, Any]) -> QuestionForm:
    return QuestionForm(
        session_key=str(view.get("private_metadata") or ""),
        text=field_text(view, QUESTION_BLOCK, QUESTION_INPUT),
    )


def question_errors(form: QuestionForm) -> dict[str, str]:
    if not form.text:
        return {QUESTION_BLOCK: _("Write your question first.")}
    if len(form.text) > QUESTION_MAX:
        return {
            QUESTION_BLOCK: _("Keep the question under {most} characters.").format(
                most=QUESTION_MAX
            )
        }
    return {}
