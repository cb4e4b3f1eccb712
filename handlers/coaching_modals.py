"""Pure builders for the coaching modals: the coordinators' session form, the
question-for-the-coach form, and the IDs they emit (parsed back by `handlers.coaching_forms`).

Times are Slack date tokens (each reader sees their own zone). Names are escaped before they
are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from handlers.blocks import context, date_token, escape, section, truncate
from handlers.coaching_blocks import SessionCard
from handlers.elements import input_block, plain
from handlers.i18n import _
from handlers.reminder_blocks import session_name

SESSION_FORM = "coaching_session_form"  # callback_id
COHORT_BLOCK, COHORT_INPUT = "coaching_cohort", "cohort"
COACH_BLOCK, COACH_INPUT = "coaching_coach", "coach"
PARTICIPANTS_BLOCK, PARTICIPANTS_INPUT = "coaching_participants", "participants"
START_BLOCK, START_INPUT = "coaching_start", "starts_at"
DURATION_BLOCK, DURATION_INPUT = "coaching_duration", "duration_minutes"
LOCATION_BLOCK, LOCATION_INPUT = "coaching_location", "location"
JOIN_URL_BLOCK, JOIN_URL_INPUT = "coaching_join_url", "join_url"

QUESTION_FORM = "coaching_question_form"  # callback_id
QUESTION_BLOCK, QUESTION_INPUT = "coaching_question", "question"

QUESTION_MAX = 1000
MAX_DURATION = 600
LOCATION_MAX = 200
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150


@dataclass(frozen=True)
class CohortChoice:
    key: str
    name: str


def cohort_option(choice: CohortChoice) -> dict[str, Any]:
    return {
        "text": plain(truncate(choice.name or choice.key, OPTION_TEXT_MAX)),
        "value": choice.key[:OPTION_VALUE_MAX],
    }


def session_form(
    cohorts: list[CohortChoice], *, editing: SessionCard | None = None, cohort_key: str = ""
) -> dict[str, Any]:
    """The coordinators' modal to schedule a session, or to edit `editing` (`cohort_key` is its
    cohort's key). Slack checks required fields and number bounds; we check again on submit."""
    options = [cohort_option(choice) for choice in cohorts[:100]]
    cohort: dict[str, Any] = {
        "type": "static_select",
        "action_id": COHORT_INPUT,
        "options": options,
    }
    coach: dict[str, Any] = {"type": "users_select", "action_id": COACH_INPUT}
    chosen: dict[str, Any] = {"type": "multi_users_select", "action_id": PARTICIPANTS_INPUT}
    start: dict[str, Any] = {"type": "datetimepicker", "action_id": START_INPUT}
    duration: dict[str, Any] = {
        "type": "number_input",
        "action_id": DURATION_INPUT,
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": str(MAX_DURATION),
        "initial_value": "60",
    }
    location: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": LOCATION_INPUT,
        "max_length": LOCATION_MAX,
    }
    join_url: dict[str, Any] = {"type": "url_text_input", "action_id": JOIN_URL_INPUT}
    if editing is not None:
        current = next((o for o in options if o["value"] == cohort_key), None)
        if current is not None:
            cohort["initial_option"] = current
        coach["initial_user"] = editing.coach
        chosen["initial_users"] = list(editing.participants + editing.declined)
        start["initial_date_time"] = int(editing.starts_at.timestamp())
        duration["initial_value"] = str(editing.duration_minutes)
        if editing.location:
            location["initial_value"] = editing.location[:LOCATION_MAX]
        if editing.join_url:
            join_url["initial_value"] = editing.join_url
    blocks: list[dict[str, Any]] = []
    if not options:
        blocks.append(
            section(
                _("No cohorts exist yet: add them with `dei-bot import` (the `cohorts` section).")
            )
        )
    blocks += [
        input_block(COHORT_BLOCK, _("Cohort"), cohort),
        input_block(COACH_BLOCK, _("Coach"), coach),
        input_block(
            PARTICIPANTS_BLOCK,
            _("Participants"),
            chosen,
            hint=_("Everyone who attends, apart from the coach."),
        ),
        input_block(START_BLOCK, _("Starts"), start, hint=_("In your own time zone.")),
        input_block(DURATION_BLOCK, _("Length in minutes"), duration),
        input_block(LOCATION_BLOCK, _("Place"), location, optional=True),
        input_block(
            JOIN_URL_BLOCK,
            _("Join link"),
            join_url,
            optional=True,
            hint=_("For people joining online."),
        ),
        context(_("Participants and the coach get reminder DMs before the start.")),
    ]
    title = _("Edit coaching session") if editing else _("Schedule coaching")
    return {
        "type": "modal",
        "callback_id": SESSION_FORM,
        "private_metadata": editing.key if editing else "",
        "title": plain(truncate(title, 24)),
        "submit": plain(_("Save")),
        "close": plain(_("Close")),
        "blocks": blocks,
    }


def question_form(card: SessionCard, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": QUESTION_FORM,
        "private_metadata": card.key,
        "title": plain(truncate(_("Question for the coach"), 24)),
        "submit": plain(_("Send")),
        "close": plain(_("Close")),
        "blocks": [
            section(
                _(
                    "Your question goes into <@{coach}>'s notes to prepare the {name} on {date}."
                ).format(
                    coach=card.coach,
                    name=escape(session_name(card.cohort)),
                    date=date_token(card.starts_at, zone),
                )
            ),
            input_block(
                QUESTION_BLOCK,
                _("Your question"),
                {
                    "type": "plain_text_input",
                    "action_id": QUESTION_INPUT,
                    "multiline": True,
                    "max_length": QUESTION_MAX,
                },
            ),
        ],
    }
