"""Pure builders for `/dei-topic <words>`: the lookup answer (results, did-you-mean, synonyms,
peers), the answer when nothing matched, the volunteer confirmations, the coordinators' weekly
digest of misses, and the IDs they emit.

The searched words and every title, summary and name are escaped: `<!channel>` typed or imported
shows as text and pings nobody, and `<https://evil|x>` forges no link. Contacts are shown as
`<@U…>` only when they look like Slack user IDs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from handlers.blocks import COMMAND, Message, context, escape, section, truncate
from handlers.elements import TEXT_MAX, button
from handlers.i18n import _, ngettext
from handlers.resource_curation_blocks import kind_words, resource_tools, suggest_button, titled

MORE_RESULTS = "lookup_more_results"
VOLUNTEER = "lookup_volunteer"
WITHDRAW = "lookup_withdraw"

PAGE = 5
MAX_RESULTS = 10  # two blocks each for coordinators: well inside a message's 50
WORDS_SHOWN = 200
VALUE_MAX = 2000  # a button's value
PRACTICE_MAX = 100
USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


@dataclass(frozen=True)
class ResultCard:
    key: str
    title: str
    url: str | None
    kind: str
    topics: tuple[str, ...]
    summary: str
    community: str | None


@dataclass(frozen=True)
class PeerCard:
    name: str
    practices: tuple[str, ...]
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class VolunteerCard:
    user_id: str
    practice: str


@dataclass(frozen=True)
class LookupAnswer:
    words: str  # as searched
    results: tuple[ResultCard, ...]
    total: int  # matches in all, for "More results"
    offset: int  # how many came before this page
    capped: bool = False  # only the best `total` were ranked: there may be more ("200+")
    did_you_mean: str | None = None
    synonyms: tuple[tuple[str, str], ...] = ()
    peers: tuple[PeerCard, ...] = ()
    volunteers: tuple[VolunteerCard, ...] = ()
    closest_topics: tuple[str, ...] = ()
    coordinator: bool = False  # Edit and Retire under each result
    volunteered: bool = False  # the reader is listed as a contact for `practice` already
    practice: str = ""  # what "List me as a contact" lists the reader for; "" hides it


def shown_words(words: str) -> str:
    return escape(truncate(words, WORDS_SHOWN))


def one_line(text: str, limit: int) -> str:
    return truncate(" ".join(text.split()), limit)


def more_value(words: str, offset: int) -> str:
    """`OFFSET:WORDS` within a button's 2,000 characters: overlong words are cut at a space
    (the next page searches the cut words, which is all a person could see of them anyway)."""
    prefix = f"{offset}:"
    room = VALUE_MAX - len(prefix)
    if len(words) > room:
        cut = words[:room]
        words = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return prefix + words


def parse_more_value(value: str | None) -> tuple[str, int] | None:
    """The words and offset a "More results" button carries; None for a forged one."""
    offset, _, words = (value or "").partition(":")
    if not offset.isdigit() or not words.strip() or int(offset) > 10_000:
        return None
    return words, int(offset)


def practice_value(practice: str) -> str:
    return truncate(" ".join(practice.split()), PRACTICE_MAX)


def user_mentions(users: tuple[str, ...]) -> list[str]:
    return [f"<@{user}>" for user in users if USER_ID.fullmatch(user)]


def result_lines(card: ResultCard) -> tuple[str, str]:
    """Mrkdwn and plain text of one result: title (a link when it has an address), kind,
    topics, a one-line summary and the community that contributed it."""
    kind = escape(truncate(kind_words(card.kind), 40))
    first = f"{titled(card.title, card.url)} · _{kind}_"
    plain = f"{escape(truncate(card.title, 150))} ({kind})"
    lines = [first]
    if card.summary:
        summary = escape(one_line(card.summary, 200))
        lines.append(summary)
        plain += f": {summary.rstrip('.')}"
    facts = []
    if card.topics:
        topics = escape(truncate(", ".join(card.topics), 200))
        facts.append(_("Topics: {topics}").format(topics=topics))
    if card.community:
        community = escape(truncate(card.community, 100))
        facts.append(_("From {community}").format(community=community))
    if not card.url:
        facts.append(_("No link on file: ask a coordinator"))
    if facts:
        lines.append(" · ".join(facts))
        plain += ". " + ". ".join(facts)
    return "\n".join(lines), plain + "."


def peer_lines(answer: LookupAnswer) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    plain: list[str] = []
    for peer in answer.peers:
        name = escape(truncate(peer.name, 100))
        practices = escape(truncate(", ".join(peer.practices), 200))
        contacts = ", ".join(user_mentions(peer.contacts))
        said = _("{name} ({practices}): ask {contacts}") if contacts else "{name} ({practices})"
        lines.append("• " + said.format(name=f"*{name}*", practices=practices, contacts=contacts))
        plain.append(said.format(name=name, practices=practices, contacts=contacts))
    for volunteer in answer.volunteers:
        mention = user_mentions((volunteer.user_id,))
        if mention:
            practice = escape(truncate(volunteer.practice, PRACTICE_MAX))
            listed = _("{member} volunteered as a contact for “{practice}”")
            lines.append("• " + listed.format(member=mention[0], practice=practice))
            said = _("{member} volunteered for “{practice}”")
            plain.append(said.format(member=mention[0], practice=practice))
    return lines, plain


def peers_blocks(answer: LookupAnswer) -> tuple[list[dict[str, Any]], str]:
    lines, plain = peer_lines(answer)
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
                if answer.practice
                else _("*Peers*\nNo community or member is listed for this yet.")
            )
        ]
        text = _("No peers are listed for this yet.")
    return blocks, text


def closing_actions(answer: LookupAnswer) -> dict[str, Any]:
    elements = []
    if answer.practice:
        practice = practice_value(answer.practice)
        if answer.volunteered:
            elements.append(button(WITHDRAW, _("Remove me as a contact for this"), practice))
        else:
            label = _("List me as a contact for “{practice}”").format(practice=practice)
            elements.append(button(VOLUNTEER, label, practice))
    elements.append(suggest_button(answer.coordinator))
    return {"type": "actions", "block_id": "lookup-actions", "elements": elements}


def notes(answer: LookupAnswer) -> tuple[list[str], list[str]]:
    """Did you mean, and the synonyms searched too: mrkdwn and plain."""
    lines: list[str] = []
    if answer.did_you_mean:
        meant = escape(truncate(answer.did_you_mean, WORDS_SHOWN))
        lines.append(_("Did you mean *{words}*? Showing results for that.").format(words=meant))
    if answer.synonyms:
        pairs = ", ".join(
            f"{escape(truncate(typed, 60))} → {escape(truncate(also, 60))}"
            for typed, also in answer.synonyms[:5]
        )
        lines.append(_("Also searched: {pairs}").format(pairs=pairs))
    return lines, [line.replace("*", "") for line in lines]


def lookup_answer(answer: LookupAnswer) -> Message:
    """The answer to `/dei-topic <words>`: ranked results, then peers, then what to do next."""
    if not answer.results:
        return no_match(answer)
    words = shown_words(answer.words)
    results = answer.results[:MAX_RESULTS]
    first, last = answer.offset + 1, answer.offset + len(results)
    plus = "+" if answer.capped else ""
    span = {"words": words, "first": first, "last": last, "total": f"{answer.total}{plus}"}
    heading = _("*Resources for “{words}”* ({first} to {last} of {total})").format(**span)
    blocks: list[dict[str, Any]] = [section(heading)]
    text = [_("Resources for “{words}” ({first} to {last} of {total}).").format(**span)]
    note_lines, note_text = notes(answer)
    if note_lines:
        blocks.append(context("\n".join(note_lines)))
        text += note_text
    for number, card in enumerate(results, start=first):
        shown, plain = result_lines(card)
        blocks.append(section(shown))
        text.append(f"{number}. {plain}")
        if answer.coordinator:
            blocks.append(resource_tools(card.key, card.title))
    if last < answer.total:
        more = button(MORE_RESULTS, _("More results"), more_value(answer.words, last))
        blocks.append({"type": "actions", "block_id": "lookup-more", "elements": [more]})
        left = answer.total - last
        press = ngettext(
            "{count} more: press “More results”.", "{count} more: press “More results”.", left
        )
        text.append(press.format(count=f"{left}{plus}"))
    blocks.append({"type": "divider"})
    peer_blocks, peer_text = peers_blocks(answer)
    blocks += peer_blocks
    text.append(peer_text)
    blocks.append(closing_actions(answer))
    return Message(text=truncate(" ".join(text), TEXT_MAX), blocks=blocks)


def no_match(answer: LookupAnswer) -> Message:
    """Nothing matched: said plainly, the closest topics, and the miss noted for coordinators."""
    words = shown_words(answer.words)
    if answer.offset:
        said = _("There are no more resources for “{words}”.").format(words=words)
    else:
        said = _("I found no resources for “{words}”.").format(words=words)
    lines = [said]
    if answer.closest_topics:
        topics = [escape(truncate(topic, 80)) for topic in answer.closest_topics[:3]]
        closest = ", ".join(f"*{topic}*" for topic in topics)
        lines.append(_("Closest topics: {topics}.").format(topics=closest))
        example = _("Try, for example, `{command} {topic}`.")
        lines.append(example.format(command=COMMAND, topic=topics[0]))
    else:
        other = _("Try other words, or `{command} calendar` for the topics we cover.")
        lines.append(other.format(command=COMMAND))
    if not answer.offset:
        lines.append(
            _(
                "I noted the search so the coordinators can fill the gap. "
                "Know a good resource? Suggest it below."
            )
        )
    blocks: list[dict[str, Any]] = [section("\n".join(lines))]
    note_lines, note_text = notes(answer)
    if note_lines:
        blocks.append(context("\n".join(note_lines)))
    text = [line.replace("*", "") for line in lines] + note_text
    if answer.peers or answer.volunteers:
        peer_blocks, peer_text = peers_blocks(answer)
        blocks += [{"type": "divider"}, *peer_blocks]
        text.append(peer_text)
    blocks.append(closing_actions(answer))
    return Message(text=truncate(" ".join(text), TEXT_MAX), blocks=blocks)


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


def stale_button() -> Message:
    text = _("That button no longer works. Please search again with `{command} <words>`.").format(
        command=COMMAND
    )
    return Message(text=text, blocks=[section(text)])


def miss_digest(week: str, misses: list[tuple[str, int]], distinct: int) -> Message:
    """The coordinators' weekly DM: what people looked for and did not find."""
    lines = [missed_search(example, count) for example, count in misses]
    title = _("Lookups that found nothing, week {week}").format(week=week)
    if distinct > len(misses):
        summary = _(
            "{count} different searches found nothing (the {shown} most frequent shown)."
        ).format(count=distinct, shown=len(misses))
    else:
        summary = ngettext(
            "{count} different search found nothing.",
            "{count} different searches found nothing.",
            distinct,
        ).format(count=distinct)
    advice = _(
        "Add what is missing with `{command} suggest`, or see every miss with "
        "`dei-bot export misses`."
    ).format(command=COMMAND)
    text = f"{title}: {summary} " + "; ".join(line[2:] for line in lines) + f". {advice}"
    return Message(
        text=truncate(text, TEXT_MAX),
        blocks=[section(f"*{title}*\n{summary}"), section("\n".join(lines)), context(advice)],
    )


def missed_search(example: str, count: int) -> str:
    shown = escape(truncate(example, WORDS_SHOWN))
    if count < 2:
        return f"• “{shown}”"
    return ngettext("• “{words}” ({count} time)", "• “{words}” ({count} times)", count).format(
        words=shown, count=count
    )
