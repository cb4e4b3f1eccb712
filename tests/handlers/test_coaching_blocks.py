"""Pure builders and parsers for coaching: Slack's limits, escaping, the plain-text fallback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers import coaching_answers as ca
from handlers import coaching_blocks as cb
from handlers import coaching_forms as cf
from handlers import coaching_modals as cm
from handlers import coaching_notices as notices
from handlers import elements, reminder_answers
from handlers.reminder_blocks import ASK_COACH, CANT_MAKE_IT, coaching_reminder
from slack_standin import blockkit

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2027, 1, 20, 15, 0, tzinfo=UTC)
MEMBER, PEER, COACH, COORDINATOR = "U0MEMBER01", "U0PEER0001", "U0COACH001", "U0COORD001"


def card(**changes: object) -> cb.SessionCard:
    values: dict[str, object] = {
        "key": "lore-2027-c1-g1",
        "cohort": "LORE 2027",
        "coach": COACH,
        "starts_at": datetime(2027, 1, 28, 20, 0, tzinfo=UTC),
        "duration_minutes": 60,
        "location": "Village Hall",
        "join_url": "https://example.org/coach",
        "participants": (MEMBER, PEER),
    }
    values.update(changes)
    return cb.SessionCard(**values)  # type: ignore[arg-type]


def overview(cards: list[cb.SessionCard], viewer: str = MEMBER, coordinator: bool = False):  # type: ignore[no-untyped-def]
    return cb.coaching_overview(
        cards,
        viewer=viewer,
        coordinator=coordinator,
        coordinators=(COORDINATOR,),
        now=NOW,
        zone=CHICAGO,
    )


def clickable(blocks: list[dict[str, object]]) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for block in blocks:
        for element in block.get("elements", []):  # type: ignore[attr-defined]
            if element.get("type") == "button":
                found.setdefault(element["action_id"], []).append(element.get("value"))
    return found


def test_a_participant_sees_the_session_with_its_buttons() -> None:
    message = overview([card()])
    assert "LORE 2027 coaching session, Thursday January 28, 2027 at 2:00 PM CST" in message.text
    assert f"coach <@{COACH}>" in message.text and "Village Hall" in message.text
    rendered = json.dumps(message.blocks)
    assert "<!date^1801166400^" in rendered
    assert "<https://example.org/coach|join link>" in rendered
    assert clickable(message.blocks) == {
        ASK_COACH: ["coaching:lore-2027-c1-g1"],
        CANT_MAKE_IT: ["coaching:lore-2027-c1-g1"],
    }
    assert blockkit.check_blocks(message.blocks, "/blocks", 50) == []


def test_the_coach_can_say_they_cannot_make_it_but_not_ask_themselves() -> None:
    assert clickable(overview([card()], viewer=COACH).blocks) == {
        CANT_MAKE_IT: ["coaching:lore-2027-c1-g1"]
    }
    assert "you are the coach" in overview([card()], viewer=COACH).text


def test_someone_who_declined_has_nothing_left_to_click() -> None:
    message = overview([card(participants=(PEER,), declined=(MEMBER,))])
    assert clickable(message.blocks) == {}
    assert "You told the coach you can't make it" in json.dumps(message.blocks)


def test_coordinators_get_their_tools_but_no_cancel_once_started() -> None:
    message = overview([card()], viewer=COORDINATOR, coordinator=True)
    assert clickable(message.blocks) == {
        cb.EDIT_SESSION: ["lore-2027-c1-g1"],
        cb.CANCEL_SESSION: ["lore-2027-c1-g1"],
        cb.SCHEDULE_SESSION: ["new"],
    }
    cancel = next(
        e
        for b in message.blocks
        for e in b.get("elements", [])
        if e.get("action_id") == cb.CANCEL_SESSION
    )
    assert cancel["style"] == "danger" and cancel["confirm"]["deny"]["text"] == "Keep it"
    started = card(starts_at=NOW - timedelta(minutes=5))
    assert clickable(overview([started], coordinator=True).blocks) == {
        cb.EDIT_SESSION: ["lore-2027-c1-g1"],
        cb.SCHEDULE_SESSION: ["new"],
    }
    assert CANT_MAKE_IT not in clickable(overview([started]).blocks)


def test_nothing_upcoming_is_said_plainly_and_coordinators_may_schedule() -> None:
    member = overview([])
    assert member.text.startswith("You have no coaching sessions coming up")
    assert f"<@{COORDINATOR}>" in member.text and clickable(member.blocks) == {}
    coordinator = overview([], viewer=COORDINATOR, coordinator=True)
    assert clickable(coordinator.blocks) == {cb.SCHEDULE_SESSION: ["new"]}


def mrkdwn_of(value: object) -> list[str]:
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            return [str(value["text"])]
        return [text for item in value.values() for text in mrkdwn_of(item)]
    if isinstance(value, list):
        return [text for item in value for text in mrkdwn_of(item)]
    return []


def test_what_people_typed_is_escaped_in_blocks_and_text() -> None:
    tricky = card(
        cohort="<!channel> cohort",
        location="Room <@U0EVIL> & <https://evil.example|here>",
        join_url="https://example.org/x?a=1&b=<2>",
    )
    message = overview([tricky], viewer=COORDINATOR, coordinator=True)
    # Slack reads mentions and links in mrkdwn and in the message text; plain_text and
    # accessibility labels are shown as they are.
    for rendered in (*mrkdwn_of(message.blocks), message.text):
        assert "<!channel>" not in rendered and "<@U0EVIL>" not in rendered
        assert "<https://evil" not in rendered
    assert "&lt;!channel&gt;" in message.text
    assert "&lt;!channel&gt;" in mrkdwn_of(message.blocks)[0]


def test_many_sessions_stay_inside_slacks_limits() -> None:
    cards = [
        card(key=f"k{i:03d}" + "x" * 300, cohort="C" * 400, location="L" * 3000) for i in range(40)
    ]
    message = overview(cards, viewer=COORDINATOR, coordinator=True)
    assert len(message.blocks) <= 50
    assert blockkit.check_blocks(message.blocks, "/blocks", 50) == []
    assert f"Only the next {cb.MAX_CARDS} are shown" in message.text
    assert 0 < len(message.text) <= 4000


def test_the_session_form_respects_slacks_limits() -> None:
    cohorts = [
        cm.CohortChoice(key=f"cohort-{i:03d}" + "k" * 200, name="N" * 90) for i in range(150)
    ]
    view = cm.session_form(cohorts)
    assert blockkit.check_view(view, frozenset({"modal"})) == []
    cohort_block = next(b for b in view["blocks"] if b.get("block_id") == cm.COHORT_BLOCK)
    options = cohort_block["element"]["options"]
    assert len(options) == 100
    assert all(len(o["text"]["text"]) <= 75 and len(o["value"]) <= 150 for o in options)
    assert view["callback_id"] == cm.SESSION_FORM and view["private_metadata"] == ""
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert kinds == {
        cm.COHORT_BLOCK: "static_select",
        cm.COACH_BLOCK: "users_select",
        cm.PARTICIPANTS_BLOCK: "multi_users_select",
        cm.START_BLOCK: "datetimepicker",
        cm.DURATION_BLOCK: "number_input",
        cm.LOCATION_BLOCK: "plain_text_input",
        cm.JOIN_URL_BLOCK: "url_text_input",
    }
    optional = {b["block_id"] for b in view["blocks"] if b.get("optional")}
    assert optional == {cm.LOCATION_BLOCK, cm.JOIN_URL_BLOCK}


def test_the_edit_form_starts_from_the_session() -> None:
    cohorts = [cm.CohortChoice("lore-2026", "LORE 2026"), cm.CohortChoice("lore-2027", "LORE 2027")]
    view = cm.session_form(cohorts, editing=card(declined=("U0LATE0001",)), cohort_key="lore-2027")
    assert blockkit.check_view(view, frozenset({"modal"})) == []
    assert view["private_metadata"] == "lore-2027-c1-g1"
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert elements[cm.COHORT_BLOCK]["initial_option"] == elements[cm.COHORT_BLOCK]["options"][1]
    assert elements[cm.COACH_BLOCK]["initial_user"] == COACH
    assert elements[cm.PARTICIPANTS_BLOCK]["initial_users"] == [MEMBER, PEER, "U0LATE0001"]
    assert elements[cm.START_BLOCK]["initial_date_time"] == 1801166400
    assert elements[cm.DURATION_BLOCK]["initial_value"] == "60"
    assert elements[cm.JOIN_URL_BLOCK]["initial_value"] == "https://example.org/coach"


def test_the_question_form() -> None:
    view = cm.question_form(card(cohort="<!here> group"), CHICAGO)
    assert blockkit.check_view(view, frozenset({"modal"})) == []
    assert view["callback_id"] == cm.QUESTION_FORM
    assert view["private_metadata"] == "lore-2027-c1-g1"
    (question,) = [b for b in view["blocks"] if b["type"] == "input"]
    assert question["element"]["multiline"] is True
    assert question["element"]["max_length"] == cm.QUESTION_MAX == 1000
    assert "<!here>" not in json.dumps(view)


def test_a_clicked_reminder_keeps_its_words_and_loses_its_buttons() -> None:
    text, blocks = coaching_reminder(
        cohort="LORE 2027",
        session_key="k",
        coach=COACH,
        is_coach=False,
        starts_at=NOW + timedelta(days=1),
        now=NOW,
        zone=CHICAGO,
        location="",
        join_url=None,
    )
    answer = elements.said("Thanks for letting us know.")
    replaced = ca.with_confirmation({"text": text, "blocks": blocks}, answer)
    assert replaced.text == f"{text}\nThanks for letting us know."
    assert not [b for b in replaced.blocks if b["type"] == "actions"]
    assert replaced.blocks[-1] == answer.blocks[0]
    assert ca.with_confirmation({}, answer).text == answer.text


def test_answers_and_notices_escape_and_carry_text() -> None:
    tricky = card(cohort="<!channel>")
    words = [
        notices.absence_notice(MEMBER, tricky, CHICAGO),
        notices.coach_absence_notice(tricky, CHICAGO),
        notices.cancellation_notice(tricky, CHICAGO),
        notices.late_question_notice(MEMBER, tricky, "<!everyone> help?", CHICAGO),
        ca.question_saved(tricky, "<!everyone> help?", CHICAGO, late=False).text,
        ca.coaching_declined(tricky, CHICAGO, changed=True).text,
        ca.meeting_declined("<!here>", NOW, CHICAGO, changed=True).text,
        reminder_answers.reminders_usage("<!channel>").text,
    ]
    for said in words:
        assert said and "<!" not in said
    assert notices.absence_notice(MEMBER, card(), CHICAGO) == (
        f"<@{MEMBER}> can't make it to your LORE 2027 coaching session on "
        "Thursday January 28, 2027 at 2:00 PM CST."
    )


@pytest.mark.parametrize(
    ("offsets", "words"),
    [
        ((timedelta(hours=24), timedelta(hours=1)), "1 day and 1 hour"),
        (
            (timedelta(days=2), timedelta(hours=3), timedelta(minutes=30)),
            "2 days, 3 hours and 30 minutes",
        ),
        ((timedelta(minutes=15),), "15 minutes"),
    ],
)
def test_offsets_in_words(offsets: tuple[timedelta, ...], words: str) -> None:
    assert reminder_answers.offsets_words(offsets) == words


# -- parsing and checking what Slack sends ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("meeting:wg-2027-01", cf.Target("meeting", "wg-2027-01")),
        ("coaching:lore:c1", cf.Target("coaching", "lore:c1")),
        ("coaching:", None),
        ("party:x", None),
        ("", None),
        (None, None),
    ],
)
def test_button_targets(value: str | None, expected: cf.Target | None) -> None:
    assert cf.parse_target(value) == expected


def submitted(**values: dict[str, object]) -> dict[str, object]:
    return {"private_metadata": "", "state": {"values": values}}


def filled(starts_at: datetime = NOW + timedelta(days=2), **changes: object) -> cf.SessionForm:
    form = cf.SessionForm(
        editing=None,
        cohort_key="lore-2027",
        coach=COACH,
        participants=(MEMBER, PEER),
        starts_at=starts_at,
        duration="60",
        location="",
        join_url=None,
    )
    return cf.SessionForm(**{**form.__dict__, **changes})  # type: ignore[arg-type]


def test_the_session_form_parses_what_slack_sends() -> None:
    view = submitted(
        **{
            cm.COHORT_BLOCK: {cm.COHORT_INPUT: {"selected_option": {"value": "lore-2027"}}},
            cm.COACH_BLOCK: {cm.COACH_INPUT: {"selected_user": COACH}},
            cm.PARTICIPANTS_BLOCK: {cm.PARTICIPANTS_INPUT: {"selected_users": [MEMBER, MEMBER]}},
            cm.START_BLOCK: {cm.START_INPUT: {"selected_date_time": 1801166400}},
            cm.DURATION_BLOCK: {cm.DURATION_INPUT: {"value": " 90 "}},
            cm.LOCATION_BLOCK: {cm.LOCATION_INPUT: {"value": None}},
            cm.JOIN_URL_BLOCK: {cm.JOIN_URL_INPUT: {"value": "https://example.org/j"}},
        }
    )
    form = cf.parse_session_form(view)
    assert form == cf.SessionForm(
        editing=None,
        cohort_key="lore-2027",
        coach=COACH,
        participants=(MEMBER,),
        starts_at=datetime(2027, 1, 28, 20, 0, tzinfo=UTC),
        duration="90",
        location="",
        join_url="https://example.org/j",
    )
    assert form.duration_minutes == 90


def test_a_forged_or_empty_form_parses_to_blanks_and_fails_every_check() -> None:
    for view in ({}, {"state": None}, submitted(**{cm.COHORT_BLOCK: {cm.COHORT_INPUT: "x"}})):
        form = cf.parse_session_form(view)
        assert form.starts_at is None and form.participants == ()
        errors = cf.session_form_errors(form, NOW, cohort_known=False)
        assert set(errors) == {
            cm.COHORT_BLOCK,
            cm.COACH_BLOCK,
            cm.PARTICIPANTS_BLOCK,
            cm.START_BLOCK,
            cm.DURATION_BLOCK,
        }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": NOW - timedelta(minutes=1)}, cm.START_BLOCK),
        ({"starts_at": NOW}, cm.START_BLOCK),
        ({"duration": "0"}, cm.DURATION_BLOCK),
        ({"duration": "601"}, cm.DURATION_BLOCK),
        ({"duration": "1.5"}, cm.DURATION_BLOCK),
        ({"duration": "-5"}, cm.DURATION_BLOCK),
        ({"join_url": "ftp://example.org/x"}, cm.JOIN_URL_BLOCK),
        ({"join_url": "javascript:alert(1)"}, cm.JOIN_URL_BLOCK),
        ({"join_url": "https://example.org/a|b"}, cm.JOIN_URL_BLOCK),
        ({"participants": ()}, cm.PARTICIPANTS_BLOCK),
        ({"participants": (MEMBER, COACH)}, cm.PARTICIPANTS_BLOCK),
        ({"participants": ("not-a-user",)}, cm.PARTICIPANTS_BLOCK),
        ({"location": "x" * 201}, cm.LOCATION_BLOCK),
    ],
)
def test_each_problem_lands_on_its_field(changes: dict[str, object], field: str) -> None:
    assert set(cf.session_form_errors(filled(**changes), NOW, cohort_known=True)) == {field}


def test_a_valid_form_has_no_errors_and_edits_may_keep_a_past_start() -> None:
    assert cf.session_form_errors(filled(), NOW, cohort_known=True) == {}
    assert cf.session_form_errors(filled(duration="600"), NOW, cohort_known=True) == {}
    assert (
        cf.session_form_errors(filled(join_url="http://example.org"), NOW, cohort_known=True) == {}
    )
    started = NOW - timedelta(minutes=10)
    kept = filled(starts_at=started, editing="k")
    assert cf.session_form_errors(kept, NOW, cohort_known=True, current_start=started) == {}
    assert cm.START_BLOCK in cf.session_form_errors(
        kept, NOW, cohort_known=True, current_start=started + timedelta(minutes=1)
    )


def test_session_keys_are_in_the_groups_wall_clock_across_daylight_saving() -> None:
    winter = datetime(2027, 1, 28, 20, 0, tzinfo=UTC)
    summer = datetime(2027, 3, 18, 19, 0, tzinfo=UTC)
    assert cf.session_key("lore-2027", winter, CHICAGO) == "lore-2027-2027-01-28-1400"
    assert cf.session_key("lore-2027", summer, CHICAGO) == "lore-2027-2027-03-18-1400"


def test_the_question_form_parses_and_checks() -> None:
    view = {
        "private_metadata": "k",
        "state": {"values": {cm.QUESTION_BLOCK: {cm.QUESTION_INPUT: {"value": "  Why?  "}}}},
    }
    form = cf.parse_question_form(view)
    assert form == cf.QuestionForm(session_key="k", text="Why?")
    assert cf.question_errors(form) == {}
    assert set(cf.question_errors(cf.QuestionForm("k", ""))) == {cm.QUESTION_BLOCK}
    assert set(cf.question_errors(cf.QuestionForm("k", "?" * 1001))) == {cm.QUESTION_BLOCK}
    assert cf.parse_question_form({}) == cf.QuestionForm(session_key="", text="")
