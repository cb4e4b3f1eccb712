"""The lookup answer's builders: escaping, Slack's limits, the plain text fallback, the buttons."""

from __future__ import annotations

from typing import Any

import pytest

from handlers import lookup_blocks as lb
from handlers import lookup_misses as lm
from handlers import lookup_peers as lp
from handlers import resource_curation_blocks as rcb
from handlers.blocks import Message
from slack_standin.blockkit import MESSAGE_MAX_BLOCKS, check_blocks
from storage.resource_changes import ResourceFields

EVIL = "<!channel> <https://evil.example|click me> & <@U0VICTIM1>"


def card(number: int = 1, **changes: Any) -> lb.ResultCard:
    values: dict[str, Any] = {
        "key": f"resource-{number}",
        "title": f"Hiring Toolkit {number}",
        "url": f"https://example.org/r/{number}",
        "kind": "toolkit",
        "topics": ("hiring", "human resources"),
        "summary": "Steps for equitable hiring.\nWith templates.",
        "community": "Flossmoor",
    }
    values.update(changes)
    return lb.ResultCard(**values)


def answer(**changes: Any) -> lb.LookupAnswer:
    values: dict[str, Any] = {
        "words": "hiring",
        "results": (card(1), card(2)),
        "total": 2,
        "offset": 0,
        "peers": (lp.PeerCard("Flossmoor", ("hiring practices",), ("U0AAAAAAA",)),),
        "volunteers": (lp.VolunteerCard("U0BBBBBBB", "hiring"),),
        "practice": "hiring",
    }
    values.update(changes)
    return lb.LookupAnswer(**values)


def within_slacks_limits(message: Message) -> None:
    assert check_blocks(message.blocks, "/blocks", MESSAGE_MAX_BLOCKS) == []
    assert message.text.strip() and len(message.text) <= 4000


def mrkdwn_of(value: Any) -> list[str]:
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            return [value["text"]]
        return [text for inner in value.values() for text in mrkdwn_of(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in mrkdwn_of(inner)]
    return []


def rendered(message: Message) -> str:
    """Everything Slack parses for links and mentions: the text fallback and every mrkdwn text
    (plain_text labels and button values are shown or sent back as they are, never parsed)."""
    return "\n".join([message.text, *mrkdwn_of(message.blocks)])


def unescaped(message: Message) -> bool:
    found = rendered(message)
    return "<!channel>" in found or "<https://evil.example" in found or "<@U0VICTIM1>" in found


def buttons(message: Message) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for block in message.blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                found.setdefault(element["action_id"], []).append(element["value"])
    return found


def test_results_show_title_link_kind_topics_summary_and_community() -> None:
    message = lb.lookup_answer(answer())
    within_slacks_limits(message)
    first = message.blocks[1]["text"]["text"]
    assert first.startswith("<https://example.org/r/1|Hiring Toolkit 1> · _toolkit_")
    assert "Steps for equitable hiring. With templates." in first  # one line
    assert "Topics: hiring, human resources · From Flossmoor" in first
    assert (
        "1. Hiring Toolkit 1 (toolkit): Steps for equitable hiring. With templates. "
        "Topics: hiring, human resources. From Flossmoor. 2. Hiring Toolkit 2"
    ) in message.text
    assert "2. Hiring Toolkit 2" in message.text


def test_peers_mention_contacts_and_volunteers() -> None:
    message = lb.lookup_answer(answer())
    assert "*Flossmoor* (hiring practices): ask <@U0AAAAAAA>" in rendered(message)
    assert "<@U0BBBBBBB> volunteered as a contact for “hiring”" in rendered(message)
    assert "Peers: Flossmoor (hiring practices): ask <@U0AAAAAAA>" in message.text
    assert buttons(message)[lp.VOLUNTEER] == ["hiring"]
    assert buttons(message)[rcb.SUGGEST_RESOURCE] == [rcb.SUGGEST]
    listed = lb.lookup_answer(answer(volunteered=True))
    assert lp.VOLUNTEER not in buttons(listed) and buttons(listed)[lp.WITHDRAW] == ["hiring"]


def test_a_contact_that_is_not_a_user_id_is_never_rendered_as_a_mention() -> None:
    peers = (lp.PeerCard("X", ("p",), ("U0AAAAAAA>|<!channel", "not-a-user")),)
    message = lb.lookup_answer(answer(peers=peers, volunteers=(lp.VolunteerCard("<!here>", "p"),)))
    assert "<!channel" not in rendered(message) and "<!here>" not in rendered(message)


def test_a_resource_without_an_address_is_not_a_link_and_says_whom_to_ask() -> None:
    message = lb.lookup_answer(answer(results=(card(url=None, community=None),), total=1))
    first = message.blocks[1]["text"]["text"]
    assert first.startswith("*Hiring Toolkit 1*") and "https://" not in first
    assert "No link on file: ask a coordinator" in first


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://x.org/a|b", "https://x.org/>"])
def test_an_unsafe_address_is_shown_as_plain_title(url: str) -> None:
    message = lb.lookup_answer(answer(results=(card(url=url),), total=1))
    assert message.blocks[1]["text"]["text"].startswith("*Hiring Toolkit 1*")


def test_typed_words_and_stored_titles_are_escaped_everywhere() -> None:
    evil_card = card(title=EVIL, summary=EVIL, community=EVIL, topics=(EVIL,), kind=EVIL)
    message = lb.lookup_answer(
        answer(
            words=EVIL,
            results=(evil_card,),
            total=1,
            did_you_mean=EVIL,
            synonyms=((EVIL, EVIL),),
            peers=(lp.PeerCard(EVIL, (EVIL,), ()),),
            volunteers=(lp.VolunteerCard("U0BBBBBBB", EVIL),),
            practice=EVIL,
        )
    )
    within_slacks_limits(message)
    assert not unescaped(message)
    assert "&lt;!channel&gt;" in message.text
    # the title is the link's label, escaped: no second link hides inside it
    assert (
        "<https://example.org/r/1|&lt;!channel&gt; &lt;https://evil.example|click me&gt;"
        in (message.blocks[2]["text"]["text"])
    )
    nothing = lb.lookup_answer(answer(words=EVIL, results=(), total=0, closest_topics=(EVIL,)))
    assert not unescaped(nothing) and "&lt;!channel&gt;" in nothing.text


def test_no_match_says_so_suggests_topics_and_offers_a_suggestion() -> None:
    message = lb.lookup_answer(
        answer(
            words="zoning",
            results=(),
            total=0,
            peers=(),
            volunteers=(),
            practice="",
            closest_topics=("Hiring & Recruitment", "Language Access"),
        )
    )
    within_slacks_limits(message)
    assert "I found no resources for “zoning”." in message.text
    assert "Closest topics: Hiring &amp; Recruitment, Language Access." in message.text
    assert "noted the search" in message.text
    assert list(buttons(message)) == [rcb.SUGGEST_RESOURCE]


def test_did_you_mean_and_synonyms_are_shown() -> None:
    message = lb.lookup_answer(
        answer(words="procurment", did_you_mean="procurement", synonyms=(("RFP", "procurement"),))
    )
    assert "Did you mean *procurement*?" in message.blocks[1]["elements"][0]["text"]
    assert "Did you mean procurement?" in message.text
    assert "Also searched: RFP → procurement" in message.text


def test_more_results_carries_the_next_offset_and_the_words() -> None:
    message = lb.lookup_answer(answer(results=tuple(card(n) for n in range(1, 6)), total=12))
    (value,) = buttons(message)[lb.MORE_RESULTS]
    assert lb.parse_more_value(value) == ("hiring", 5)
    assert "(1 to 5 of 12)" in message.text and "7 more" in message.text
    second = lb.lookup_answer(
        answer(results=tuple(card(n) for n in range(6, 11)), total=12, offset=5)
    )
    assert lb.parse_more_value(buttons(second)[lb.MORE_RESULTS][0]) == ("hiring", 10)
    assert "6. Hiring Toolkit 6" in second.text
    last = lb.lookup_answer(answer(results=(card(11), card(12)), total=12, offset=10))
    assert lb.MORE_RESULTS not in buttons(last)


@pytest.mark.parametrize("value", [None, "", "x:hiring", "5:", "-1:hiring", "99999999:hiring"])
def test_a_forged_more_value_is_refused(value: str | None) -> None:
    assert lb.parse_more_value(value) is None


def test_coordinators_get_edit_and_retire_with_a_confirmation() -> None:
    message = lb.lookup_answer(answer(coordinator=True))
    within_slacks_limits(message)
    found = buttons(message)
    assert found[rcb.EDIT_RESOURCE] == ["resource-1", "resource-2"]
    assert found[rcb.RETIRE_RESOURCE] == ["resource-1", "resource-2"]
    retire = next(
        e
        for block in message.blocks
        for e in block.get("elements", [])
        if e.get("action_id") == rcb.RETIRE_RESOURCE
    )
    assert retire["confirm"]["confirm"]["text"] == "Retire"
    assert rcb.EDIT_RESOURCE not in buttons(lb.lookup_answer(answer()))


def test_3000_character_words_and_fields_stay_within_slacks_limits() -> None:
    long = "ü" * 3000
    spaced = " ".join(["wörd"] * 600)  # 2,999 characters with spaces
    big = card(title=long, summary=long, community=long, topics=(long,) * 10, url=None)
    for words in (long, spaced, "<" * 3000, "&" * 3000):
        for coordinator in (False, True):
            message = lb.lookup_answer(
                answer(
                    words=words,
                    results=(big,) * 10,
                    total=50,
                    did_you_mean=words,
                    synonyms=((words, words),) * 10,
                    peers=(lp.PeerCard(long, (long,) * 20, ("U0AAAAAAA",) * 30),) * 5,
                    volunteers=(lp.VolunteerCard("U0BBBBBBB", long),) * 5,
                    practice=words,
                    coordinator=coordinator,
                )
            )
            within_slacks_limits(message)
            (value,) = buttons(message)[lb.MORE_RESULTS]
            parsed = lb.parse_more_value(value)
            assert parsed is not None and parsed[1] == 10
            assert words.startswith(parsed[0])
            nothing = lb.lookup_answer(answer(words=words, results=(), total=0, practice=words))
            within_slacks_limits(nothing)


def test_the_miss_digest_lists_the_most_frequent_escaped() -> None:
    message = lm.miss_digest("2026-W48", [("zoning", 3), (EVIL, 1)], distinct=12)
    within_slacks_limits(message)
    assert not unescaped(message)
    assert "week 2026-W48" in message.text and "“zoning” (3 times)" in message.text
    assert "12 different searches found nothing (the 2 most frequent shown)" in message.text
    assert "dei-bot export misses" in message.text


def test_curation_messages_escape_what_people_typed() -> None:
    fields = ResourceFields(
        title=EVIL, url="https://example.org/x", kind="guide", summary=EVIL, topics=(EVIL,)
    )
    suggestion = rcb.SuggestionCard(id=7, user_id="U0MEMBER01", fields=fields)
    for message in (
        rcb.review_request(suggestion),
        rcb.decided(suggestion, "approved", "U0COORD001", "key"),
        rcb.already_decided(suggestion, "rejected", "U0COORD001"),
        rcb.approved_for_member(EVIL, "U0COORD001", EVIL),
        rcb.rejected_for_member(EVIL, "U0COORD001", EVIL),
        rcb.thanks_for_suggesting(EVIL, ("U0COORD001",)),
        rcb.resource_added(EVIL, "key"),
        rcb.resource_saved(EVIL, ["title"]),
        rcb.resource_retired(EVIL, True),
    ):
        within_slacks_limits(message)
        assert not unescaped(message), message
    review = rcb.review_request(suggestion)
    assert {k: v for k, v in buttons(review).items()} == {
        rcb.APPROVE_SUGGESTION: ["7"],
        rcb.EDIT_SUGGESTION: ["7"],
        rcb.REJECT_SUGGESTION: ["7"],
    }


def test_a_total_at_the_ranking_cap_reads_as_that_many_or_more() -> None:
    message = lb.lookup_answer(answer(total=200, capped=True))
    assert "(1 to 2 of 200+)" in message.text
    assert "198+ more" in message.text
