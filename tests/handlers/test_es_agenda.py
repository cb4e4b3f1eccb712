"""Language access for the agenda, the announcement's RSVP answers and the DMs a change causes:
a Spanish reader gets Spanish, and a DM planned while someone else acted is in its recipient's
language, not the language of whoever clicked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.config import Settings
from handlers import agenda_answers, agenda_forms, agenda_work, i18n, rsvp
from handlers import agenda_modals as am
from handlers import announcement_blocks as ab
from storage import members
from storage.database import Database
from storage.models import Delivery, Meeting, Rsvp, Topic

NOW = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
START = datetime(2027, 1, 12, 16, 0, tzinfo=UTC)  # 10:00 in Chicago
CHICAGO = ZoneInfo("America/Chicago")
COORDINATOR, SPEAKER, ANGLO = "U0COORD001", "U0HABLA001", "U0ENGL0001"


def plain_texts(view: Any) -> list[str]:
    """Every plain_text a person reads in a view, in order."""
    if isinstance(view, dict):
        own = [view["text"]] if view.get("type") == "plain_text" else []
        return own + [text for value in view.values() for text in plain_texts(value)]
    if isinstance(view, list):
        return [text for value in view for text in plain_texts(value)]
    return []


def test_an_rsvp_confirmation_in_spanish() -> None:
    with i18n.speaking("es"):
        going = ab.rsvp_confirmation(
            state="going-online", title="Hiring", starts_at=START, zone=CHICAGO, position=None
        )
        waiting = ab.rsvp_confirmation(
            state="waitlisted-in-person",
            title="Hiring",
            starts_at=START,
            zone=CHICAGO,
            position=2,
            superseded=True,
        )
        buttons = plain_texts(ab.rsvp_actions("wg-2027-01-12", "hybrid"))
    assert going.text.startswith("Usted asistirá, en línea: Hiring, martes, 12 de enero de 2027")
    assert "Recibirá un recordatorio" in going.text and "`/dei-topic reminders off`" in going.text
    assert waiting.text.startswith("Su clic más reciente nos llegó primero")
    assert "usted es el número 2 en la lista de espera" in waiting.text
    assert buttons == ["Asistiré, en persona", "Asistiré, en línea", "Tal vez", "No podré asistir"]
    # The same builders still answer an English reader in English.
    english = ab.rsvp_confirmation(
        state="going-online", title="Hiring", starts_at=START, zone=CHICAGO, position=None
    )
    assert english.text.startswith("You're going, online: Hiring")


def test_the_agenda_modal_and_its_field_errors_in_spanish() -> None:
    topics = [am.TopicChoice("2027-01", "Hiring", "enero de 2027")]
    english = am.meeting_form(topics, announce_channel=None)
    with i18n.speaking("es"):
        view = am.meeting_form(topics, announce_channel=None)
    assert view["title"]["text"] == "Nueva reunión" and len(view["title"]["text"]) <= 24
    assert view["submit"]["text"] == "Guardar" and view["close"]["text"] == "Cerrar"
    labels = {
        block["block_id"]: block["label"]["text"] for block in view["blocks"] if "label" in block
    }
    assert labels[am.START_BLOCK] == "Inicio" and labels[am.IN_PERSON_BLOCK] == "Cupos presenciales"
    post = next(block for block in view["blocks"] if block.get("block_id") == am.POST_BLOCK)
    assert post["element"]["initial_option"] == post["element"]["options"][0]
    assert post["element"]["initial_option"]["text"]["text"] == "Ahora"
    # Nothing a person reads was left in English (the topic is the calendar's own words).
    same = {
        es
        for es, en in zip(plain_texts(view["blocks"]), plain_texts(english["blocks"]), strict=True)
        if es == en
    }
    assert same <= {"Agenda", "enero de 2027: Hiring"}, same
    assert "DEI_ANNOUNCE_CHANNEL` no está configurado" in str(view["blocks"])

    bad = agenda_forms.MeetingForm(
        editing=None,
        topic_key="2027-01",
        starts_at=NOW - timedelta(hours=1),
        duration="0",
        format="online",
        location="",
        join_url=None,
        capacity_in_person="-1",
        capacity_online="",
        agenda=(),
        post=am.POST_LATER,
        post_at=None,
    )
    with i18n.speaking("es"):
        errors = agenda_forms.meeting_form_errors(bad, NOW, topic_known=False)
    assert errors == {
        am.TOPIC_BLOCK: "Elija el tema de la reunión en el calendario.",
        am.START_BLOCK: "Esa hora ya pasó: elija un inicio en el futuro.",
        am.DURATION_BLOCK: (
            "La reunión debe terminar después de empezar: escriba su duración en minutos "
            "enteros, de 1 a 600."
        ),
        am.JOIN_URL_BLOCK: "Escriba el enlace para unirse: esta reunión es (en parte) en línea.",
        am.IN_PERSON_BLOCK: "Escriba un número entero de cupos, 0 o más (vacío: sin límite).",
        am.POST_AT_BLOCK: "Elija cuándo publicar el anuncio, o elija Ahora arriba.",
    }


def test_a_cancellation_notice_in_spanish() -> None:
    with i18n.speaking("es"):
        notice = agenda_answers.cancellation_notice("<!here> Hiring", START, CHICAGO)
    assert notice.startswith("La reunión del grupo de trabajo sobre &lt;!here&gt; Hiring, martes")
    assert "se canceló" in notice and "`/dei-topic` muestra la próxima reunión" in notice


# -- DMs built while someone else acts ----------------------------------------------------------


def schedule(db: Database) -> Meeting:
    with db.transaction(write=True) as session:
        session.add(Topic(key="2027-01", month="2027-01", title="Hiring & Recruitment"))
        members.set_preferred_language(session, SPEAKER, "es")
    form = agenda_forms.MeetingForm(
        editing=None,
        topic_key="2027-01",
        starts_at=START,
        duration="60",
        format="in-person",
        location="NIU Naperville",
        join_url=None,
        capacity_in_person="1",
        capacity_online="",
        agenda=(),
        post=am.POST_NOW,
        post_at=None,
    )
    settings = Settings(coordinators=(COORDINATOR,), announce_channel="C0ANNOUNCE")
    assert not isinstance(agenda_work.store_meeting(db, settings, form, COORDINATOR, NOW), dict)
    with db.transaction() as session:
        return session.exec(select(Meeting)).one()


def dm_text(db: Database, prefix: str, user: str) -> str:
    with db.transaction() as session:
        rows = session.exec(
            select(Delivery).where(col(Delivery.key).startswith(prefix), Delivery.recipient == user)
        ).all()
    (row,) = rows
    return str(row.payload["text"])


def test_cancellation_dms_are_in_each_recipients_language(db: Database) -> None:
    meeting = schedule(db)
    with db.transaction(write=True) as session:
        for user, state in ((SPEAKER, "going-in-person"), (ANGLO, "waitlisted-in-person")):
            session.add(Rsvp(meeting_id=meeting.id, user_id=user, state=state, updated_at=NOW))
    settings = Settings(coordinators=(COORDINATOR,), announce_channel="C0ANNOUNCE")
    answer = agenda_work.cancel_meeting(db, settings, meeting.key, COORDINATOR, NOW)
    assert answer.text.startswith("Cancelled the Hiring &amp; Recruitment meeting")
    spanish = dm_text(db, "meeting-cancelled:", SPEAKER)
    assert spanish.startswith("La reunión del grupo de trabajo sobre Hiring &amp; Recruitment")
    assert "martes, 12 de enero de 2027" in spanish
    assert dm_text(db, "meeting-cancelled:", ANGLO).startswith("The working-group meeting on")


def test_a_promotion_dm_is_in_the_promoted_members_language(db: Database) -> None:
    meeting = schedule(db)
    with db.transaction(write=True) as session:
        for user, state in ((ANGLO, "going-in-person"), (SPEAKER, "waitlisted-in-person")):
            session.add(Rsvp(meeting_id=meeting.id, user_id=user, state=state, updated_at=NOW))
    settings = Settings(coordinators=(COORDINATOR,), announce_channel="C0ANNOUNCE")
    # The English-speaking member frees the seat; the Spanish-speaking one gets it.
    clicked = rsvp.record_click(db, settings, meeting.key, ANGLO, "not-going", NOW)
    assert clicked.promoted == (SPEAKER,)
    assert clicked.answer.text.startswith("You can't make it")
    told = dm_text(db, "promotion:", SPEAKER)
    assert told.startswith("Buenas noticias: se liberó un cupo y es suyo.")
    assert "Hiring &amp; Recruitment" in told and '"No podré asistir"' in told
