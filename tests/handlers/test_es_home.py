"""Language access on the App Home, in the help message and in the topic calendar: a Spanish
reader gets every fixed word in Spanish (titles and names are data and stay as they are), the Home
published from the refresher's own thread is in its owner's language, and choosing a language on
the Home takes effect at once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, BoltContext

from bot.config import Settings
from handlers import blocks, home, home_blocks, home_work, i18n
from handlers.coaching_blocks import SessionCard
from handlers.home_blocks import HomeFacts, HomeMeeting
from handlers.home_refresh import HomeRefresher
from handlers.home_tool_blocks import CoordinatorFacts, RecentAttendance
from handlers.resource_curation_blocks import SuggestionCard
from handlers.speakers import Speakers
from storage import members
from storage.database import Database
from storage.models import Topic
from storage.resource_changes import ResourceFields

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
MEMBER, COACH, COORDINATOR = "U0HABLA001", "U0COACH001", "U0COORD001"
TITLE = "Hiring & Recruitment"
# What a person reads that is data, not wording: titles, places, names, language names.
DATA = {
    "Hiring &amp; Recruitment",
    "*Hiring &amp; Recruitment*",
    "Staff Training",
    "English",
    "Español",
}


def texts(node: Any) -> list[str]:
    """Every plain_text and mrkdwn text a person reads, in order."""
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") in ("plain_text", "mrkdwn") else []
        if isinstance(node.get("accessibility_label"), str):
            own.append(node["accessibility_label"])
        return own + [text for value in node.values() for text in texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in texts(value)]
    return []


def stayed_english(spanish: Any, english: Any) -> list[str]:
    """Texts identical in both languages that are not data alone."""
    pairs = zip(texts(spanish), texts(english), strict=True)
    return [es for es, en in pairs if es == en and es not in DATA]


def meeting(**changes: Any) -> HomeMeeting:
    values: dict[str, Any] = {
        "key": "wg-1",
        "title": TITLE,
        "starts_at": NOW + timedelta(days=1),
        "duration_minutes": 60,
        "format": "hybrid",
        "location": "",
        "join_url": "https://example.org/join",
        "rsvp_state": "going-online",
    }
    values.update(changes)
    return HomeMeeting(**values)


def facts(month_label: str, **changes: Any) -> HomeFacts:
    session = SessionCard(
        key="s-1",
        cohort="Cohort A",
        coach=COACH,
        starts_at=NOW + timedelta(days=2),
        duration_minutes=45,
        location="",
        join_url=None,
        participants=(MEMBER,),
    )
    values: dict[str, Any] = {
        "viewer": MEMBER,
        "month_label": month_label,
        "topic_title": "Staff Training",
        "meetings": (meeting(), meeting(key="wg-2", rsvp_state=None, format="in-person")),
        "sessions": (session,),
        "reminders_enabled": True,
        "reminder_offsets": (timedelta(hours=24), timedelta(hours=1)),
        "language": "es",
        "now": NOW,
        "more_meetings": 3,
    }
    values.update(changes)
    return HomeFacts(**values)


def coordinator_tools() -> CoordinatorFacts:
    return CoordinatorFacts(
        recent=(RecentAttendance(TITLE, NOW - timedelta(days=3), 5, (("Flossmoor", 3),)),),
        announce_channel=None,
        suggestions=(SuggestionCard(7, MEMBER, ResourceFields("LEP plan", None, "guide", "", ())),),
        suggestions_waiting=4,
    )


def test_a_members_home_in_spanish() -> None:
    english = home_blocks.home_tab(facts("November 2026", language="en"), CHICAGO)
    with i18n.speaking("es"):
        spanish = home_blocks.home_tab(facts("noviembre de 2026"), CHICAGO)
    shown = json.dumps(spanish, ensure_ascii=False)
    assert "*Tema de este mes (noviembre de 2026):* Staff Training" in shown
    assert "*Su asistencia:* asistirá, en línea" in shown
    assert "*Su asistencia:* todavía no ha confirmado su asistencia" in shown
    assert "*Modalidad:* híbrida (presencial y en línea)" in shown
    assert "*Idioma de mis mensajes:* Español." in shown
    assert "un mensaje directo 1 día y 1 hora antes de cada reunión" in shown
    labels = [text for text in texts(spanish) if text.startswith("Asistiré, en persona: ")]
    assert labels and all(len(label) <= 75 for label in labels)
    assert "Asistiré, en persona: Hiring & Recruitment, 24 nov 2026" in labels
    assert stayed_english(spanish, english) == []


def test_a_coordinators_home_in_spanish() -> None:
    tools = coordinator_tools()
    english = home_blocks.home_tab(facts("November 2026", coordinator=tools), CHICAGO)
    with i18n.speaking("es"):
        spanish = home_blocks.home_tab(facts("noviembre de 2026", coordinator=tools), CHICAGO)
    shown = json.dumps(spanish, ensure_ascii=False)
    assert "Herramientas de coordinación" in shown
    assert "5 asistentes (Flossmoor 3)" in shown
    assert "*Recursos sugeridos en espera de una decisión:* 4" in shown
    assert "Calendario de temas" in shown  # an export's name in the menu
    assert stayed_english(spanish, english) == []


def test_the_search_form_in_spanish_keeps_slacks_limits() -> None:
    with i18n.speaking("es"):
        form = home_blocks.search_form()
        answered = home_blocks.search_form("hiring", blocks.Message(text="nada"))
        missing = home_blocks.search_words_missing()
    assert form["title"]["text"] == "Buscar recursos" and form["submit"]["text"] == "Buscar"
    assert len(answered["title"]["text"]) <= 24 and form["close"]["text"] == "Cerrar"
    assert next(iter(missing.values())).startswith("Escriba una o dos palabras")
    assert stayed_english(form, home_blocks.search_form()) == []


def test_the_help_message_in_spanish() -> None:
    english = blocks.help_message((COORDINATOR,))
    with i18n.speaking("es"):
        spanish = blocks.help_message((COORDINATOR,))
        nobody = blocks.help_message(())
    assert spanish.text.startswith("Cómo usar /dei-topic:\n")
    assert "`/dei-topic reminders off`: desactivar los recordatorios" in spanish.text
    assert f"Consulte a <@{COORDINATOR}>." in spanish.text
    assert "las personas coordinadoras de su grupo de trabajo" in nobody.text
    assert stayed_english(spanish.blocks, english.blocks) == []


def test_the_topic_calendar_and_this_months_topic_in_spanish() -> None:
    months = [
        blocks.CalendarMonth("2026-10", "octubre de 2026", "Language Access"),
        blocks.CalendarMonth("2026-11", "noviembre de 2026", "Staff Training"),
        blocks.CalendarMonth("2026-12", "diciembre de 2026", None),
    ]
    with i18n.speaking("es"):
        calendar = blocks.topic_calendar(months, "2026-11")
        empty = blocks.topic_calendar([], "2026-11")
        no_topic = blocks.this_months_topic("enero de 2027", None, "", None, [], CHICAGO)
        coming = blocks.MeetingFacts(NOW, "online", "", None, "maybe")
        topic = blocks.this_months_topic(
            "noviembre de 2026", "Staff Training", "", coming, [], CHICAGO
        )
    shown = json.dumps(calendar.blocks, ensure_ascii=False)
    assert calendar.text.startswith("Calendario de temas del grupo de trabajo.")
    assert "• *noviembre de 2026*: Staff Training ← este mes" in shown
    assert "_Por definir: todavía no se eligió el tema_" in shown
    assert "*Próximos meses*" in shown and "*Meses anteriores*" in shown
    assert "diciembre de 2026: por definir" in calendar.text
    assert empty.text.startswith("El calendario de temas está vacío.")
    assert no_topic.text.startswith("Todavía no hay un tema en el calendario para enero de 2027.")
    assert "Su asistencia: tal vez." in topic.text and "(en línea)" in topic.text


def test_the_home_published_for_someone_is_in_their_language(db: Database) -> None:
    settings = Settings(coordinators=(COORDINATOR,))
    with db.transaction(write=True) as session:
        session.add(Topic(key="2026-11", month="2026-11", title="Staff Training"))
        members.record_profile(session, MEMBER, tz=None, locale="es-MX", now=NOW)
    # Outside any request, as the refresher publishes it: the reader's Slack locale decides.
    view = home_work.home_view(db, settings, MEMBER, NOW)
    english = home_work.home_view(db, settings, "U0ENGL0001", NOW)
    assert "*Tema de este mes (noviembre de 2026):* Staff Training" in json.dumps(
        view, ensure_ascii=False
    )
    assert "*This month's topic (November 2026):* Staff Training" in json.dumps(english)


def test_choosing_a_language_on_the_home_answers_in_it_at_once(db: Database) -> None:
    speakers = Speakers(db)
    assert speakers.language(MEMBER, None) == "en"  # known, and kept for a minute
    context = BoltContext({"speakers": speakers})
    home.choose_language(
        Ack(),
        {"user": {"id": MEMBER}},
        {"selected_option": {"value": "es"}},
        context,
        db=db,
        refresher=HomeRefresher(),
    )
    assert speakers.language(MEMBER, None) == "es"
