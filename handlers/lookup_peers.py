"""Pure builders for the peers part of a lookup: the communities and members who work on what
was searched, and the confirmations of "List me as a contact" and "Remove me as a contact".

Names and practices are escaped; contacts are shown as `<@U…>` only when they look like Slack
user IDs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from handlers.blocks import Message, escape, section, truncate
from handlers.elements import button
from handlers.i18n import _

VOLUNTEER = "lookup_volunteer"
WITHDRAW = "lookup_withdraw"

PRACTICE_MAX = 100
USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


@dataclass(frozen=True)
class PeerCard:
    name: str
    practices: tuple[str, ...]
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class VolunteerCard:
    user_id: str
    practice: str


def practice_value(practice: str) -> str:
    return truncate(" ".join(practice.split()), PRACTICE_MAX)


def user_mentions(users: tuple[str, ...]) -> list[str]:
    return [f"<@{user}>" for user in users if USER_ID.fullmatch(user)]


def peer_lines(
    peers: tuple[PeerCard, ...], volunteers: tuple[VolunteerCard, ...]
) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    plain: list[str] = []
    for peer in peers:
        name = escape(truncate(peer.name, 100))
        practices = escape(truncate(", ".join(peer.practices), 200))
        contacts = ", ".join(user_mentions(peer.contacts))
        said = _("{name} ({practices}): ask {contacts}") if contacts else "{name} ({practices})"
        lines.append("• " + said.format(name=f"*{name}*", practices=practices, contacts=contacts))
        plain.append(said.format(name=name, practices=practices, contacts=contacts))
    for volunteer in volunteers:
        mention = user_mentions((volunteer.user_id,))
        if mention:
            practice = escape(truncate(volunteer.practice, PRACTICE_MAX))
            listed = _("{member} volunteered as a contact for “{practice}”")
            lines.append("• " + listed.format(member=mention[0], practice=practice))
            said = _("{member} volunteered for “{practice}”")
            plain.append(said.format(member=mention[0], practice=practice))
    return lines, plain


def peers_blocks(
    peers: tuple[PeerCard, ...], volunteers: tuple[VolunteerCard, ...], practice: str
) -> tuple[list[dict[str, Any]], str]:
    """Who works on this; `practice` ("" for none) invites the reader to list themselves."""
    lines, plain = peer_lines(peers, volunteers)
    if lines:
        blocks = [section(_("*Peers: who works on this*") + "\n" + "\n".join(lines))]
        text = _("Peers: {peers}.").format(peers="; ".join(plain))
    else:
        blocks = [
            section(
                _(
                    "*Peers*\nNo community or member is listed for this yet. "
                    "If your municipality works on it, list yourself as a contact below."
                )
                if practice
                else _("*Peers*\nNo community or member is listed for this yet.")
            )
        ]
        text = _("No peers are listed for this yet.")
    return blocks, text


def volunteered(practice: str, listed_now: bool) -> Message:
    shown = escape(truncate(practice, PRACTICE_MAX))
    said = (
        _(
            "You are listed as a contact for “{practice}”: members who look it up see you under "
            "Peers and may message you."
        )
        if listed_now
        else _("You were already listed as a contact for “{practice}”.")
    ).format(practice=shown)
    withdraw = button(WITHDRAW, _("Remove me as a contact for this"), practice_value(practice))
    return Message(text=said, blocks=[section(said), {"type": "actions", "elements": [withdraw]}])


def withdrawn(practice: str, was_listed: bool) -> Message:
    shown = escape(truncate(practice, PRACTICE_MAX))
    said = (
        _("You are no longer listed as a contact for “{practice}”.")
        if was_listed
        else _("You were not listed as a contact for “{practice}”. Nothing changed.")
    ).format(practice=shown)
    return Message(text=said, blocks=[section(said)])
