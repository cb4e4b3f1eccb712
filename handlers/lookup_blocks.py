"""Pure builders for `/dei-topic <words>`: the lookup answer (results, did-you-mean, synonyms,
then the peers from `handlers.lookup_peers`), the answer when nothing matched, and the IDs they
emit. The coordinators' weekly digest of misses is in `handlers.lookup_misses`.

The searched words and every title and summary are escaped: `<!channel>` typed or imported
shows as text and pings nobody, and `<https://evil|x>` forges no link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.blocks import COMMAND, Message, context, escape, section, truncate
from handlers.elements import TEXT_MAX, button
from handlers.i18n import _, ngettext
from handlers.lookup_peers import (
    VOLUNTEER,
    WITHDRAW,
    PeerCard,
    VolunteerCard,
    peers_blocks,
    practice_value,
)
from handlers.resource_curation_blocks import kind_words, resource_tools, suggest_button, titled

MORE_RESULTS = "lookup_more_results"

PAGE = 5
MAX_RESULTS = 10  # two blocks each for coordinators: well inside a message's 50
WORDS_SHOWN = 200
VALUE_MAX = 2000  # a button's value


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
    peer_blocks, peer_text = peers_blocks(answer.peers, answer.volunteers, answer.practice)
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
        peer_blocks, peer_text = peers_blocks(answer.peers, answer.volunteers, answer.practice)
        blocks += [{"type": "divider"}, *peer_blocks]
        text.append(peer_text)
    blocks.append(closing_actions(answer))
    return Message(text=truncate(" ".join(text), TEXT_MAX), blocks=blocks)


def stale_button() -> Message:
    text = _("That button no longer works. Please search again with `{command} <words>`.").format(
        command=COMMAND
    )
    return Message(text=text, blocks=[section(text)])
