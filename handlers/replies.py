"""How a listener answers, the same way everywhere: the clicker only, or a form's outcome.

Pieces every feature's listeners share, so a modal that saves, refuses or reports field errors
behaves alike for the agenda, attendance and coaching forms.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from handlers.blocks import Message
from handlers.elements import notice_view


def tell(respond: Respond, client: WebClient, body: dict[str, Any], answer: Message) -> None:
    """Only the person who clicked sees the answer: the message they clicked on stays as it is
    for everyone else (without a response_url, as in a modal, it comes as a DM)."""
    if body.get("response_url"):
        respond(response_type="ephemeral", replace_original=False, **answer.kwargs())
    else:
        client.chat_postMessage(channel=body["user"]["id"], **answer.kwargs())


def refuse_submission(ack: Ack, refusal: Message) -> None:
    """A forged or stale submission from someone not allowed: the modal says so, nothing saved."""
    ack(response_action="update", view=notice_view(refusal))


def finish_submission(
    ack: Ack, client: WebClient, user: str, result: dict[str, str] | Message
) -> None:
    """Field errors keep the modal open on them; otherwise it closes and the person gets the
    outcome as a DM. The save happened before this: a failed save never closes the form."""
    if isinstance(result, dict):
        ack(response_action="errors", errors=result)
        return
    ack()
    client.chat_postMessage(channel=user, **result.kwargs())
