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
from handlers.coaching_blocks import TEXT_MAX, button
from handlers.resource_curation_blocks import resource_tools, suggest_button, titled

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
    first = f"{titled(card.title, card.url)} · _{escape(truncate(card.kind, 40))}_"
    plain = f"{escape(truncate(card.title, 150))} ({escape(truncate(card.kind, 40))})"
    lines = [first]
    if card.summary:
        summary = escape(one_line(card.summary, 200))
        lines.append(summary)
        plain += f": {summary.rstrip('.')}"
    facts = []
    if card.topics:
        facts.append("Topics: " + escape(truncate(", ".join(card.topics), 200)))
    if card.community:
        facts.append(f"From {escape(truncate(card.community, 100))}")
    if not card.url:
        facts.append("No link on file: ask a coordinator")
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
        contacts = user_mentions(peer.contacts)
        ask = f": ask {', '.join(contacts)}" if contacts else ""
        lines.append(f"• *{name}* ({practices}){ask}")
        plain.append(f"{name} ({practices}){ask}")
    for volunteer in answer.volunteers:
        mention = user_mentions((volunteer.user_id,))
        if mention:
            practice = escape(truncate(volunteer.practice, PRACTICE_MAX))
            lines.append(f"• {mention[0]} volunteered as a contact for “{practice}”")
            plain.append(f"{mention[0]} volunteered for “{practice}”")
    return lines, plain


def peers_blocks(answer: LookupAnswer) -> tuple[list[dict[str, Any]], str]:
    lines, plain = peer_lines(answer)
    if lines:
        blocks = [section("*Peers: who works on this*\n" + "\n".join(lines))]
        text = "Peers: " + "; ".join(plain) + "."
    else:
        blocks = [
            section(
                "*Peers*\nNo community or member is listed for this yet. "
                "If your municipality works on it, list yourself as a contact below."
                if answer.practice
                else "*Peers*\nNo community or member is listed for this yet."
            )
        ]
        text = "No peers are listed for this yet."
    return blocks, text


def closing_actions(answer: LookupAnswer) -> dict[str, Any]:
    elements = []
    if answer.practice:
        practice = practice_value(answer.practice)
        if answer.volunteered:
            elements.append(button(WITHDRAW, "Remove me as a contact for this", practice))
        else:
            label = f"List me as a contact for “{practice}”"
            elements.append(button(VOLUNTEER, label, practice))
    elements.append(suggest_button(answer.coordinator))
    return {"type": "actions", "block_id": "lookup-actions", "elements": elements}


def notes(answer: LookupAnswer) -> tuple[list[str], list[str]]:
    """Did you mean, and the synonyms searched too: mrkdwn and plain."""
    lines: list[str] = []
    if answer.did_you_mean:
        lines.append(
            f"Did you mean *{escape(truncate(answer.did_you_mean, WORDS_SHOWN))}*? "
            "Showing results for that."
        )
    if answer.synonyms:
        pairs = ", ".join(
            f"{escape(truncate(typed, 60))} → {escape(truncate(also, 60))}"
            for typed, also in answer.synonyms[:5]
        )
        lines.append(f"Also searched: {pairs}")
    return lines, [line.replace("*", "") for line in lines]


def lookup_answer(answer: LookupAnswer) -> Message:
    """The answer to `/dei-topic <words>`: ranked results, then peers, then what to do next."""
    if not answer.results:
        return no_match(answer)
    words = shown_words(answer.words)
    results = answer.results[:MAX_RESULTS]
    first, last = answer.offset + 1, answer.offset + len(results)
    heading = f"*Resources for “{words}”* ({first} to {last} of {answer.total})"
    blocks: list[dict[str, Any]] = [section(heading)]
    text = [f"Resources for “{words}” ({first} to {last} of {answer.total})."]
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
        more = button(MORE_RESULTS, "More results", more_value(answer.words, last))
        blocks.append({"type": "actions", "block_id": "lookup-more", "elements": [more]})
        text.append(f"{answer.total - last} more: press “More results”.")
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
        said = f"There are no more resources for “{words}”."
    else:
        said = f"I found no resources for “{words}”."
    lines = [said]
    if answer.closest_topics:
        topics = [escape(truncate(topic, 80)) for topic in answer.closest_topics[:3]]
        lines.append("Closest topics: " + ", ".join(f"*{topic}*" for topic in topics) + ".")
        lines.append(f"Try, for example, `{COMMAND} {topics[0]}`.")
    else:
        lines.append(f"Try other words, or `{COMMAND} calendar` for the topics we cover.")
    if not answer.offset:
        lines.append(
            "I noted the search so the coordinators can fill the gap. "
            "Know a good resource? Suggest it below."
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
        f"You are listed as a contact for “{shown}”: members who look it up see you under "
        "Peers and may message you."
        if listed_now
        else f"You were already listed as a contact for “{shown}”."
    )
    withdraw = button(WITHDRAW, "Remove me as a contact for this", practice_value(practice))
    return Message(text=said, blocks=[section(said), {"type": "actions", "elements": [withdraw]}])


def withdrawn(practice: str, was_listed: bool) -> Message:
    shown = escape(truncate(practice, PRACTICE_MAX))
    said = (
        f"You are no longer listed as a contact for “{shown}”."
        if was_listed
        else f"You were not listed as a contact for “{shown}”. Nothing changed."
    )
    return Message(text=said, blocks=[section(said)])


def stale_button() -> Message:
    text = f"That button no longer works. Please search again with `{COMMAND} <words>`."
    return Message(text=text, blocks=[section(text)])


def miss_digest(week: str, misses: list[tuple[str, int]], distinct: int) -> Message:
    """The coordinators' weekly DM: what people looked for and did not find."""
    lines = [
        f"• “{escape(truncate(example, WORDS_SHOWN))}”" + (f" ({count} times)" if count > 1 else "")
        for example, count in misses
    ]
    heading = f"*Lookups that found nothing, week {week}*"
    more = f" (the {len(misses)} most frequent shown)" if distinct > len(misses) else ""
    summary = f"{distinct} different searches found nothing{more}."
    advice = (
        f"Add what is missing with `{COMMAND} suggest`, or see every miss with "
        "`dei-bot export misses`."
    )
    text = (
        f"Lookups that found nothing, week {week}: {summary} "
        + "; ".join(line[2:] for line in lines)
        + f". {advice}"
    )
    return Message(
        text=truncate(text, TEXT_MAX),
        blocks=[section(f"{heading}\n{summary}"), section("\n".join(lines)), context(advice)],
    )
