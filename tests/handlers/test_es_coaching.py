"""Coaching and reminders in Spanish: a reminder DM, `/dei-topic coaching`, the coordinators' and
the question modals, and a failure notice composed in the coordinator's language."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers import coaching_answers as ca
from handlers import coaching_blocks as cb
from handlers import coaching_modals as cm
from handlers import i18n, reminder_blocks, reminders
from slack_standin import blockkit
from storage.models import Delivery
from storage.reminder_plans import FAILURE_NOTICE

CHICAGO = ZoneInfo("America/Chicago")
STARTS = datetime(2027, 4, 13, 15, 0, tzinfo=UTC)  # martes 13 de abril, 10:00 CDT
NOW = STARTS - timedelta(hours=2)
MEMBER, PEER, COACH, COORDINATOR = "U0MEMBER01", "U0PEER0001", "U0COACH001", "U0COORD001"
SPANISH_DATE = "martes, 13 de abril de 2027"


def card() -> cb.SessionCard:
    return cb.SessionCard(
        key="lore-2027-c1-g1",
        cohort="LORE 2027",
        coach=COACH,
        starts_at=STARTS,
        duration_minutes=60,
        location="Village Hall",
        join_url="https://example.org/coach",
        participants=(MEMBER, PEER),
    )


def words_of(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_a_coaching_reminder_dm_in_spanish() -> None:
    with i18n.speaking("es"):
        text, blocks = reminder_blocks.coaching_reminder(
            cohort="LORE 2027",
            session_key="lore-2027-c1-g1",
            coach=COACH,
            is_coach=False,
            starts_at=STARTS,
            now=NOW,
            zone=CHICAGO,
            location="Village Hall",
            join_url="https://example.org/coach",
        )
    assert text.startswith("Recordatorio: su sesión de coaching de LORE 2027")
    assert "en 2 horas" in text and SPANISH_DATE in text and "Lugar: Village Hall." in text
    shown = words_of(blocks)
    assert "*Recordatorio:*" in shown and SPANISH_DATE in shown  # the date token's fallback
    assert "No podré asistir" in shown and "Desactivar estos recordatorios" in shown
    assert "Enviar una pregunta al coach" in shown
    assert "`/dei-topic reminders off`" in shown  # what people type stays as it is
    assert "Reminder" not in text and "Can't make it" not in shown
    assert blockkit.check_blocks(blocks, "/blocks", 50) == []


def test_the_coaching_overview_in_spanish() -> None:
    with i18n.speaking("es"):
        message = cb.coaching_overview(
            [card()],
            viewer=MEMBER,
            coordinator=False,
            coordinators=(COORDINATOR,),
            now=NOW,
            zone=CHICAGO,
        )
    assert message.text.startswith("Sus sesiones de coaching:")
    assert f"sesión de coaching de LORE 2027, {SPANISH_DATE}, 10:00" in message.text
    assert f"coach <@{COACH}>" in message.text and "Lugar: Village Hall." in message.text
    shown = words_of(message.blocks)
    assert "*Participantes:*" in shown and "enlace para unirse" in shown
    assert "Preguntar sobre la sesión de LORE 2027 del 13 abr" in shown
    assert "desactiva los recordatorios" in shown
    assert "coaching session" not in message.text and "Participants" not in shown
    assert blockkit.check_blocks(message.blocks, "/blocks", 50) == []


def test_the_coaching_modals_in_spanish_fit_slacks_limits() -> None:
    with i18n.speaking("es"):
        scheduling = cm.session_form([cm.CohortChoice("lore-2027", "LORE 2027")], editing=None)
        editing = cm.session_form(
            [cm.CohortChoice("lore-2027", "LORE 2027")], editing=card(), cohort_key="lore-2027"
        )
        question = cm.question_form(card(), CHICAGO)
        saved = ca.session_saved(card(), CHICAGO, created=True)
    assert scheduling["title"]["text"] == "Programar coaching"
    assert editing["title"]["text"] == "Editar sesión"
    assert scheduling["submit"]["text"] == "Guardar" and scheduling["close"]["text"] == "Cerrar"
    labels = [block["label"]["text"] for block in scheduling["blocks"] if block["type"] == "input"]
    assert labels[:3] == ["Cohorte", "Coach", "Participantes"]
    assert "Duración en minutos" in labels
    assert question["title"]["text"] == "Pregunta para el coach"
    assert SPANISH_DATE in words_of(question["blocks"])
    for view in (scheduling, editing, question):
        assert len(view["title"]["text"]) <= 24
        assert blockkit.check_view(view, frozenset({"modal"})) == []
    assert saved.text.startswith("Programada: sesión de coaching de LORE 2027")
    assert "2 participantes" in saved.text and SPANISH_DATE in saved.text


def test_a_failure_notice_is_written_in_the_coordinators_language() -> None:
    row = Delivery(
        key="failure:k1:" + COORDINATOR,
        kind=FAILURE_NOTICE,
        recipient=COORDINATOR,
        due_at=NOW,
        next_attempt_at=NOW,
        payload={
            "failed_kind": "coaching-reminder",
            "failed_recipient": MEMBER,
            "failed_key": "k1",
            "reason": reminder_blocks.GAVE_UP,
            "details": {"attempts": 5, "error": reminder_blocks.UNEXPECTED},
        },
    )
    with i18n.speaking("es"):
        notice = reminders.failure_notice(row)
    assert notice.text.startswith(
        f"dei-bot no pudo entregar un mensaje de tipo coaching-reminder a <@{MEMBER}>"
    )
    assert "se abandonó después de 5 intentos: error inesperado en dei-bot" in notice.text
    assert "`dei-bot export deliveries`" in notice.text
