"""Language access for `/dei-topic <words>` and for growing the resource repository: a Spanish
reader gets the answer, the suggest modal and its field errors in Spanish, while the resources
themselves (titles, summaries, topics, community names) stay as they were written."""

from __future__ import annotations

from typing import Any

from handlers import i18n
from handlers import lookup_blocks as lb
from handlers import lookup_misses as lm
from handlers import lookup_peers as lp
from handlers import resource_curation_blocks as rcb
from handlers import resource_curation_forms as forms
from handlers import resource_curation_modals as rcm
from slack_standin import blockkit
from storage.resource_changes import ResourceFields


def plain_texts(view: Any) -> list[str]:
    """Every plain_text a person reads in a view or blocks, in order."""
    if isinstance(view, dict):
        own = [view["text"]] if view.get("type") == "plain_text" else []
        return own + [text for value in view.values() for text in plain_texts(value)]
    if isinstance(view, list):
        return [text for value in view for text in plain_texts(value)]
    return []


def mrkdwn(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(
        block["text"]["text"] if block["type"] == "section" else block["elements"][0]["text"]
        for block in blocks
        if block["type"] in ("section", "context")
    )


def hiring_answer() -> lb.LookupAnswer:
    card = lb.ResultCard(
        key="hiring-toolkit",
        title="Equitable Hiring Toolkit",
        url=None,
        kind="toolkit",
        topics=("hiring", "human resources"),
        summary="Steps for equitable hiring.",
        community="Flossmoor",
    )
    return lb.LookupAnswer(
        words="hirng",
        results=(card,),
        total=6,
        offset=0,
        did_you_mean="hiring",
        synonyms=(("hiring", "recruitment"),),
        peers=(lp.PeerCard("Flossmoor", ("hiring practices",), ("U0AAAAAAA",)),),
        volunteers=(lp.VolunteerCard("U0BBBBBBB", "hiring"),),
        practice="hiring",
    )


def test_a_search_answer_with_did_you_mean_and_peers_in_spanish() -> None:
    with i18n.speaking("es"):
        message = lb.lookup_answer(hiring_answer())
    shown = mrkdwn(message.blocks)
    assert "*Recursos para “hirng”* (1 a 1 de 6)" in shown
    assert "¿Quiso decir *hiring*? Se muestran los resultados para eso." in shown
    assert "También se buscó: hiring → recruitment" in shown
    # The resource is data: its title, summary, topics and community are not translated.
    assert "*Equitable Hiring Toolkit* · _kit de herramientas_" in shown
    assert "Temas: hiring, human resources · Aportado por Flossmoor" in shown
    assert "Sin enlace registrado: consulte a una persona coordinadora" in shown
    assert "*Colegas: quién trabaja en esto*" in shown
    assert "• *Flossmoor* (hiring practices): consulte a <@U0AAAAAAA>" in shown
    assert "<@U0BBBBBBB> se ofreció como contacto para “hiring”" in shown
    assert plain_texts(message.blocks) == [
        "Más resultados",
        "Inscribirme como contacto para “hiring”",
        "Sugerir un recurso",
    ]
    assert message.text.startswith("Recursos para “hirng” (1 a 1 de 6). ¿Quiso decir hiring?")
    assert "5 más: pulse “Más resultados”." in message.text
    assert "Colegas: Flossmoor (hiring practices): consulte a <@U0AAAAAAA>" in message.text
    assert blockkit.check_blocks(message.blocks, "/blocks", blockkit.MESSAGE_MAX_BLOCKS) == []
    # The same builder still answers an English reader in English.
    assert lb.lookup_answer(hiring_answer()).text.startswith("Resources for “hirng” (1 to 1")


def test_the_no_match_answer_in_spanish() -> None:
    nothing = lb.LookupAnswer(
        words="snow plow routes",
        results=(),
        total=0,
        offset=0,
        closest_topics=("Public works", "Transit equity"),
    )
    with i18n.speaking("es"):
        message = lb.no_match(nothing)
    said = message.blocks[0]["text"]["text"]
    assert said.splitlines() == [
        "No encontré recursos para “snow plow routes”.",
        "Temas más cercanos: *Public works*, *Transit equity*.",
        "Pruebe, por ejemplo, `/dei-topic Public works`.",
        "Registré la búsqueda para que las personas coordinadoras puedan cubrir ese vacío. "
        "¿Conoce un buen recurso? Sugiéralo abajo.",
    ]
    assert plain_texts(message.blocks) == ["Sugerir un recurso"]
    assert message.text.startswith("No encontré recursos para “snow plow routes”. Temas más")


def test_the_suggest_modal_and_its_field_errors_in_spanish() -> None:
    with i18n.speaking("es"):
        view = rcm.resource_form(rcb.SUGGEST)
        errors = forms.resource_form_errors(
            forms.ResourceForm(
                title="",
                link="www.example.org/toolkit",
                kind="poster",
                topics_text=", ".join(f"tema {n}" for n in range(12)),
                summary="x" * (rcb.SUMMARY_MAX + 1),
            )
        )
    assert blockkit.check_view(view, frozenset({"modal"})) == []
    texts = plain_texts(view)
    assert texts[:3] == ["Sugerir un recurso", "Enviar", "Cancelar"]
    labels = [block["label"]["text"] for block in view["blocks"] if block["type"] == "input"]
    assert labels == ["Título", "Enlace", "Tipo", "Temas", "Resumen de una línea"]
    kinds = view["blocks"][2]["element"]["options"]
    assert [option["text"]["text"] for option in kinds][:3] == [
        "Kit de herramientas",
        "Guía",
        "Estudio de caso",
    ]
    assert [option["value"] for option in kinds][:3] == ["toolkit", "guide", "case-study"]
    assert "Sepárelos con comas, p. ej.: contratación, recursos humanos." in texts
    assert (
        "Una persona coordinadora revisa cada sugerencia"
        in view["blocks"][-1]["elements"][0]["text"]
    )
    assert errors == {
        rcm.TITLE_BLOCK: "Indique un título para el recurso.",
        rcm.LINK_BLOCK: "Un enlace empieza con https:// o http:// y no tiene espacios; déjelo "
        "vacío si no hay dirección web.",
        rcm.KIND_BLOCK: "Elija qué tipo de recurso es.",
        rcm.TOPICS_BLOCK: "Indique como máximo 10 temas.",
        rcm.SUMMARY_BLOCK: f"El resumen debe tener menos de {rcb.SUMMARY_MAX} caracteres.",
    }
    # English readers keep the English modal.
    assert plain_texts(rcm.resource_form(rcb.SUGGEST))[:3] == [
        "Suggest a resource",
        "Send",
        "Cancel",
    ]


def test_every_curation_modal_title_fits_slack_in_spanish() -> None:
    card = rcb.SuggestionCard(
        id=7,
        user_id="U0MEMBER01",
        fields=ResourceFields(
            title="Language Access Plan", url=None, kind="policy", summary="", topics=()
        ),
    )
    with i18n.speaking("es"):
        views = [rcm.resource_form(mode, target="7") for mode in (rcb.EDIT, rcb.REVIEW)]
        views += [rcm.resource_form(rcb.ADD), rcm.reject_form(card)]
    for view in views:
        assert blockkit.check_view(view, frozenset({"modal"})) == [], view["title"]
    assert [view["title"]["text"] for view in views] == [
        "Editar un recurso",
        "Revisar una sugerencia",
        "Agregar un recurso",
        "Rechazar una sugerencia",
    ]


def test_the_review_request_and_the_outcome_dms_in_spanish() -> None:
    card = rcb.SuggestionCard(
        id=7,
        user_id="U0MEMBER01",
        fields=ResourceFields(
            title="Language Access Plan",
            url="https://example.org/lap",
            kind="policy",
            summary="",
            topics=("language access",),
        ),
    )
    with i18n.speaking("es"):
        review = rcb.review_request(card)
        approved = rcb.approved_for_member("Language Access Plan", "U0COORD001", "language access")
        rejected = rcb.rejected_for_member("Language Access Plan", "U0COORD001", "")
    assert review.text.startswith(
        "<@U0MEMBER01> sugiere un recurso para el repositorio: “Language Access Plan” (política)"
    )
    assert plain_texts(review.blocks) == ["Aprobar", "Editar y luego aprobar", "Rechazar"]
    assert approved.text == (
        "Buenas noticias: <@U0COORD001> agregó su sugerencia “Language Access Plan” al "
        "repositorio de recursos. Ahora todos pueden encontrarla, por ejemplo con "
        "`/dei-topic language access`. ¡Gracias!"
    )
    assert rejected.text.endswith("Consulte a <@U0COORD001> si desea saber más.")


def test_the_weekly_miss_digest_in_spanish() -> None:
    with i18n.speaking("es"):
        digest = lm.miss_digest("2026-W48", [("zoning", 3), ("snow plow", 1)], 12)
    assert digest.text.startswith(
        "Búsquedas sin resultados, semana 2026-W48: 12 búsquedas distintas no encontraron nada "
        "(se muestran las 2 más frecuentes). “zoning” (3 veces); “snow plow”."
    )
    assert "`/dei-topic suggest`" in digest.text and "`dei-bot export misses`" in digest.text
