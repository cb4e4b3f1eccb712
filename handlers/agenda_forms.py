"""What the agenda and attendance modals send us, parsed into small frozen values and checked.

Pure: no Slack calls, no database. Validation problems are data: `{block_id: message}`, ready for
`ack(response_action="errors", errors=…)`. A forged or half-filled payload parses to empty
fields (never an exception), and the checks treat them like a person who left a field blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.agenda_modals import (
    ATTENDED_BLOCK,
    ATTENDED_INPUT,
    DURATION_BLOCK,
    DURATION_INPUT,
    FORMAT_BLOCK,
    FORMAT_INPUT,
    FORMATS,
    IN_PERSON_BLOCK,
    IN_PERSON_INPUT,
    ITEM_MAX,
    ITEMS_BLOCK,
    ITEMS_INPUT,
    JOIN_URL_BLOCK,
    JOIN_URL_INPUT,
    LOCATION_BLOCK,
    LOCATION_INPUT,
    LOCATION_MAX,
    MAX_DURATION,
    MAX_ITEMS,
    ONLINE_BLOCK,
    ONLINE_INPUT,
    POST_AT_BLOCK,
    POST_AT_INPUT,
    POST_BLOCK,
    POST_INPUT,
    POST_LATER,
    POST_NOW,
    START_BLOCK,
    START_INPUT,
    TOPIC_BLOCK,
    TOPIC_INPUT,
)
from handlers.coaching_forms import JOIN_URL, USER_ID, field_state, field_text, same_minute
from handlers.i18n import _

NEEDS_PLACE = ("in-person", "hybrid")
NEEDS_LINK = ("online", "hybrid")


def field_moment(view: dict[str, Any], block_id: str, action_id: str) -> datetime | None:
    """A datetimepicker's choice (Unix seconds) as an aware UTC time."""
    stamp = field_state(view, block_id, action_id).get("selected_date_time")
    if isinstance(stamp, int | float | str) and str(stamp).isdigit():
        return datetime.fromtimestamp(int(stamp), UTC)
    return None


def field_choice(view: dict[str, Any], block_id: str, action_id: str) -> str:
    """The value of a select's or radio group's chosen option."""
    chosen = field_state(view, block_id, action_id).get("selected_option")
    value = chosen.get("value") if isinstance(chosen, dict) else None
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class MeetingForm:
    editing: str | None  # the key of the meeting being edited; None for a new one
    topic_key: str
    starts_at: datetime | None
    duration: str  # as typed; checked by meeting_form_errors
    format: str
    location: str
    join_url: str | None
    capacity_in_person: str  # as typed; "" is no limit
    capacity_online: str
    agenda: tuple[str, ...]
    post: str  # now | later | "" (the form had no such field: the announcement was out)
    post_at: datetime | None

    @property
    def duration_minutes(self) -> int:
        return int(self.duration)

    @property
    def seats_in_person(self) -> int | None:
        return int(self.capacity_in_person) if self.capacity_in_person else None

    @property
    def seats_online(self) -> int | None:
        return int(self.capacity_online) if self.capacity_online else None


def agenda_items(text: str) -> tuple[str, ...]:
    """One item per line; blank lines and the bullets people paste in are dropped."""
    items = (line.strip().lstrip("•*-").strip() for line in text.splitlines())
    return tuple(item for item in items if item)


def parse_meeting_form(view: dict[str, Any]) -> MeetingForm:
    return MeetingForm(
        editing=str(view.get("private_metadata") or "") or None,
        topic_key=field_choice(view, TOPIC_BLOCK, TOPIC_INPUT),
        starts_at=field_moment(view, START_BLOCK, START_INPUT),
        duration=field_text(view, DURATION_BLOCK, DURATION_INPUT),
        format=field_choice(view, FORMAT_BLOCK, FORMAT_INPUT),
        location=field_text(view, LOCATION_BLOCK, LOCATION_INPUT),
        join_url=field_text(view, JOIN_URL_BLOCK, JOIN_URL_INPUT) or None,
        capacity_in_person=field_text(view, IN_PERSON_BLOCK, IN_PERSON_INPUT),
        capacity_online=field_text(view, ONLINE_BLOCK, ONLINE_INPUT),
        agenda=agenda_items(field_text(view, ITEMS_BLOCK, ITEMS_INPUT)),
        post=field_choice(view, POST_BLOCK, POST_INPUT),
        post_at=field_moment(view, POST_AT_BLOCK, POST_AT_INPUT),
    )


def meeting_form_errors(
    form: MeetingForm,
    now: datetime,
    *,
    topic_known: bool,
    current_start: datetime | None = None,
    posted: bool = False,
) -> dict[str, str]:
    """Every problem, each on its field. `current_start`: when editing, the start as stored (an
    edit that keeps a start already past, to fix a link during the meeting, is fine).
    `posted`: the announcement is out, so when to post it is no longer asked."""
    errors: dict[str, str] = {}
    if not topic_known:
        errors[TOPIC_BLOCK] = _("Choose the meeting's topic from the calendar.")
    errors.update(time_errors(form, now, current_start))
    if form.format not in FORMATS:
        errors[FORMAT_BLOCK] = _("Choose in person, online or hybrid.")
    if len(form.location) > LOCATION_MAX:
        errors[LOCATION_BLOCK] = _("Keep the place under {count} characters.").format(
            count=LOCATION_MAX
        )
    elif form.format in NEEDS_PLACE and not form.location:
        errors[LOCATION_BLOCK] = _("Say where people meet: this meeting is (partly) in person.")
    if form.join_url is not None and not JOIN_URL.fullmatch(form.join_url):
        errors[JOIN_URL_BLOCK] = _("Give a web address starting with https:// (or http://).")
    elif form.format in NEEDS_LINK and form.join_url is None:
        errors[JOIN_URL_BLOCK] = _("Give the join link: this meeting is (partly) online.")
    for block, typed in (
        (IN_PERSON_BLOCK, form.capacity_in_person),
        (ONLINE_BLOCK, form.capacity_online),
    ):
        if typed and not typed.isdigit():
            errors[block] = _("Give a whole number of seats, 0 or more (empty: no limit).")
    if len(form.agenda) > MAX_ITEMS:
        errors[ITEMS_BLOCK] = _("Keep the agenda to {count} items (one per line).").format(
            count=MAX_ITEMS
        )
    elif any(len(item) > ITEM_MAX for item in form.agenda):
        errors[ITEMS_BLOCK] = _("Keep each agenda item under {count} characters.").format(
            count=ITEM_MAX
        )
    if not posted:
        errors.update(post_errors(form, now))
    return errors


def time_errors(form: MeetingForm, now: datetime, current_start: datetime | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if form.starts_at is None:
        errors[START_BLOCK] = _("Choose the date and time the meeting starts.")
    elif form.starts_at <= now and not same_minute(form.starts_at, current_start):
        errors[START_BLOCK] = _("That time has already passed: choose a start in the future.")
    if not form.duration.isdigit() or not 1 <= int(form.duration) <= MAX_DURATION:
        errors[DURATION_BLOCK] = _(
            "The meeting must end after it starts: give its length in whole minutes, "
            "from 1 to {most}."
        ).format(most=MAX_DURATION)
    return errors


def post_errors(form: MeetingForm, now: datetime) -> dict[str, str]:
    if form.post not in (POST_NOW, POST_LATER):
        return {POST_BLOCK: _("Choose when to post the announcement.")}
    if form.post == POST_NOW:
        return {}
    if form.post_at is None:
        return {POST_AT_BLOCK: _("Choose when to post the announcement, or choose Now above.")}
    if form.post_at < now and not same_minute(form.post_at, now):
        return {POST_AT_BLOCK: _("That time has already passed: choose a later one, or Now.")}
    if form.starts_at is not None and form.post_at >= form.starts_at:
        return {POST_AT_BLOCK: _("Post the announcement before the meeting starts.")}
    return {}


def meeting_key(starts_at: datetime, zone: ZoneInfo) -> str:
    """`wg-YYYY-MM-DD`, the start's date in the group's own time (as in the data file)."""
    return f"wg-{starts_at.astimezone(zone):%Y-%m-%d}"


@dataclass(frozen=True)
class AttendanceForm:
    meeting_key: str
    attended: tuple[str, ...]
    valid: bool  # every chosen entry is a Slack user ID


def parse_attendance_form(view: dict[str, Any]) -> AttendanceForm:
    chosen = field_state(view, ATTENDED_BLOCK, ATTENDED_INPUT).get("selected_users")
    people = [user for user in chosen or [] if isinstance(user, str)]
    return AttendanceForm(
        meeting_key=str(view.get("private_metadata") or ""),
        attended=tuple(dict.fromkeys(people)),
        valid=isinstance(chosen, list | type(None))
        and all(USER_ID.fullmatch(p) for p in people)
        and len(people) == len(chosen or []),
    )
