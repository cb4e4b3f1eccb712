"""`/dei-topic <words>` through the real `dei-bot run --http` process: signed commands and clicks
over HTTP, answers read from the Slack stand-in, data loaded with `dei-bot import`.

Results ranked with peers, did-you-mean, paging, volunteering, misses recorded and exported, the
coordinators' weekly digest sent once, and any text a person can type answered."""

from __future__ import annotations

import csv
import io
import itertools
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlmodel import col, select

from handlers import lookup_blocks as lb
from handlers import lookup_peers as lp
from handlers import resource_curation_blocks as rcb
from handlers.commands import parse_dei_topic
from slack_standin import SlackStandIn
from slack_standin.blockkit import MESSAGE_MAX_BLOCKS, check_blocks
from storage import misses
from storage.models import Delivery, ResourceSuggestion, SearchMiss
from tests.payloads import COORDINATOR, MEMBER, block_action, slash_command, view_submission
from tests.wiring.conftest import BotProcess, dei_bot, running_bot, start_bot, stop
from tests.wiring.test_coaching import buttons, eventually, post_json
from tests.wiring.test_curation import open_by_command, review_dm, values
from tests.wiring.test_http import wait_for_response

PEER = "U0PEER0001"
HIRING_TOPICS = ", ".join(["hiring", "recruitment"])
DATA = f"""
topics:
  - key: 2099-01
    month: 2099-01
    title: Hiring & Recruitment
    summary: Reviewing hiring and recruitment practices for equity.
    keywords: [hiring, recruitment, human resources]
  - key: 2099-02
    month: 2099-02
    title: Procurement and Contracting
    summary: Opening municipal purchasing to minority-owned businesses.
    keywords: [procurement, contracting]
communities:
  - key: flossmoor
    name: Flossmoor
    county: Cook
    practices: [hiring, strategic planning]
    contacts: [{PEER}]
  - key: chicago
    name: City of Chicago
    county: Cook
    practices: [procurement, social services contracting]
    contacts: [U0CHICAGO1]
synonyms:
  - term: RFP
    means: [procurement]
resources:
  - key: hiring-toolkit
    title: Equitable Hiring Toolkit
    url: https://example.org/hiring
    kind: toolkit
    summary: Steps to remove bias from hiring, from the job posting to the offer.
    topics: [{HIRING_TOPICS}]
    community: flossmoor
  - key: procurement-policy
    title: Procurement Equity Policy
    url: https://example.org/procurement
    kind: policy
    summary: A purchasing policy that opens bids to minority-owned businesses.
    topics: [procurement]
    community: chicago
""" + "".join(
    f"""
  - key: interview-guide-{n}
    title: Interview Guide {n}
    kind: guide
    summary: Interview questions and scoring for fair hiring, part {n}.
    topics: [interviews]
"""
    for n in range(1, 8)
)


@pytest.fixture
def stocked(tmp_path: Path, standin: SlackStandIn) -> Iterator[BotProcess]:
    """The bot with topics, communities and nine resources imported as a coordinator would."""
    standin.add_user(PEER, name="peer", tz="America/Chicago")
    with running_bot(tmp_path, standin) as running:
        load(running, tmp_path)
        yield running


def load(bot: BotProcess, tmp_path: Path) -> None:
    data = tmp_path / "working-group.yaml"
    data.write_text(DATA)
    loaded = dei_bot("import", str(data), env=bot.env, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr


counter = itertools.count()


def ask(bot: BotProcess, standin: SlackStandIn, words: str, user: str = MEMBER) -> dict[str, Any]:
    """`/dei-topic words` as `user`; the answer Slack would show, checked against its limits."""
    key = f"ask-{next(counter)}"
    command = slash_command(words, user=user, response_url=standin.response_url(key))
    status, body = bot.post_signed(command)
    assert status == 200, body
    answer = wait_for_response(standin, key, timeout=10)
    assert answer["response_type"] == "ephemeral" and answer["text"].strip()
    assert check_blocks(answer["blocks"], "/blocks", MESSAGE_MAX_BLOCKS) == []
    return answer


def click(
    bot: BotProcess, standin: SlackStandIn, action_id: str, value: str, user: str = MEMBER
) -> dict[str, Any]:
    key = f"click-{next(counter)}"
    body = block_action(action_id, value, user=user, response_url=standin.response_url(key))
    assert bot.post_signed(body)[0] == 200
    return wait_for_response(standin, key, timeout=10)


def result_titles(answer: dict[str, Any]) -> list[str]:
    """The titles shown, in order: each result is a section starting with its title."""
    found = []
    for block in answer["blocks"]:
        text = (block.get("text") or {}).get("text", "")
        if block["type"] == "section" and " · _" in text.split("\n")[0]:
            first = text.split(" · _")[0]
            found.append(first.split("|")[-1].rstrip(">").strip("*"))
    return found


def missed(bot: BotProcess) -> list[SearchMiss]:
    with bot.db.transaction() as session:
        return list(session.exec(select(SearchMiss).order_by(col(SearchMiss.id))))


# -- answers -----------------------------------------------------------------------------------


def test_hiring_answers_ranked_results_and_peers(
    stocked: BotProcess, standin: SlackStandIn
) -> None:
    answer = ask(stocked, standin, "hiring")
    titles = result_titles(answer)
    assert titles[0] == "Equitable Hiring Toolkit" and len(titles) == lb.PAGE
    assert "<https://example.org/hiring|Equitable Hiring Toolkit> · _toolkit_" in json.dumps(
        answer["blocks"], ensure_ascii=False
    )
    assert "From Flossmoor" in answer["text"] and "1. Equitable Hiring Toolkit" in answer["text"]
    assert f"ask <@{PEER}>" in answer["text"]  # Flossmoor practises hiring
    found = buttons(answer)
    assert found[lp.VOLUNTEER] == ["hiring"] and found[rcb.SUGGEST_RESOURCE] == [rcb.SUGGEST]
    assert rcb.EDIT_RESOURCE not in found  # members do not curate
    assert missed(stocked) == []
    as_coordinator = buttons(ask(stocked, standin, "hiring", user=COORDINATOR))
    assert len(as_coordinator[rcb.EDIT_RESOURCE]) == lb.PAGE
    assert as_coordinator[rcb.EDIT_RESOURCE][0] == "hiring-toolkit"


def test_a_typo_gets_did_you_mean_and_the_right_results(
    stocked: BotProcess, standin: SlackStandIn
) -> None:
    answer = ask(stocked, standin, "procuremnt")
    assert "Did you mean procurement?" in answer["text"]
    assert result_titles(answer)[0] == "Procurement Equity Policy"
    assert "ask <@U0CHICAGO1>" in answer["text"]
    assert missed(stocked) == []


def test_a_synonym_finds_what_it_means_and_says_so(
    stocked: BotProcess, standin: SlackStandIn
) -> None:
    answer = ask(stocked, standin, "rfp")
    assert "Also searched: rfp → procurement" in answer["text"].replace("RFP", "rfp")
    assert result_titles(answer)[0] == "Procurement Equity Policy"


def test_more_results_replaces_the_answer_with_the_next_page(
    stocked: BotProcess, standin: SlackStandIn
) -> None:
    first = ask(stocked, standin, "hiring")
    assert "(1 to 5 of 8)" in first["text"]
    (value,) = buttons(first)[lb.MORE_RESULTS]
    second = click(stocked, standin, lb.MORE_RESULTS, value)
    assert second["replace_original"] is True and second["response_type"] == "ephemeral"
    assert "(6 to 8 of 8)" in second["text"] and "6. " in second["text"]
    assert not set(result_titles(second)) & set(result_titles(first))
    assert lb.MORE_RESULTS not in buttons(second)
    forged = click(stocked, standin, lb.MORE_RESULTS, "not-a-page")
    assert "no longer works" in forged["text"]


def test_no_match_says_so_records_the_miss_and_export_lists_it(
    stocked: BotProcess, standin: SlackStandIn, tmp_path: Path
) -> None:
    words = "<!channel> xyzzy quux"
    answer = ask(stocked, standin, words)
    assert "I found no resources for “&lt;!channel&gt; xyzzy quux”" in answer["text"]
    assert "<!channel>" not in json.dumps(answer)
    assert buttons(answer)[rcb.SUGGEST_RESOURCE] == [rcb.SUGGEST]
    ask(stocked, standin, "XYZZY   quux!")
    assert [m.normalized for m in missed(stocked)] == ["channel xyzzy quux", "xyzzy quux"]
    ask(stocked, standin, "xyzzy quux")
    exported = dei_bot("export", "misses", "--format", "csv", env=stocked.env, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert rows[0] == ["words", "normalized", "count", "last_seen"]
    assert rows[1][:3] == ["xyzzy quux", "xyzzy quux", "2"]
    assert rows[2][:3] == ["<!channel> xyzzy quux", "channel xyzzy quux", "1"]
    as_yaml = dei_bot("export", "misses", env=stocked.env, cwd=tmp_path)
    assert as_yaml.returncode == 0 and "normalized: xyzzy quux" in as_yaml.stdout


def test_a_member_lists_themself_as_a_contact_and_withdraws(
    stocked: BotProcess, standin: SlackStandIn
) -> None:
    listed = click(stocked, standin, lp.VOLUNTEER, "hiring")
    assert "You are listed as a contact for “hiring”" in listed["text"]
    assert listed.get("replace_original") is False
    assert "already listed" in click(stocked, standin, lp.VOLUNTEER, "hiring")["text"]
    answer = ask(stocked, standin, "hiring", user=COORDINATOR)
    assert f"<@{MEMBER}> volunteered" in answer["text"]
    mine = ask(stocked, standin, "hiring")
    assert buttons(mine)[lp.WITHDRAW] == ["hiring"] and lp.VOLUNTEER not in buttons(mine)
    gone = click(stocked, standin, lp.WITHDRAW, "hiring")
    assert "no longer listed" in gone["text"]
    assert f"<@{MEMBER}>" not in ask(stocked, standin, "hiring", user=COORDINATOR)["text"]


def test_suggested_then_approved_resources_are_found(
    stocked: BotProcess, standin: SlackStandIn
) -> None:
    assert "I found no resources" in ask(stocked, standin, "language access")["text"]
    view = open_by_command(stocked, standin, MEMBER)
    submitted = values(title="Language Access Plan Template", topics="language access")
    assert post_json(stocked, view_submission(view, submitted, user=MEMBER)) == (200, None)
    with stocked.db.transaction() as session:
        (suggestion,) = session.exec(select(ResourceSuggestion))
    assert suggestion.id is not None
    review = review_dm(standin, COORDINATOR, suggestion.id)
    key = f"approve-{next(counter)}"
    approve = block_action(
        rcb.APPROVE_SUGGESTION,
        str(suggestion.id),
        user=COORDINATOR,
        message=review,
        response_url=standin.response_url(key),
    )
    assert stocked.post_signed(approve)[0] == 200
    wait_for_response(standin, key)
    assert result_titles(ask(stocked, standin, "language access"))[0] == (
        "Language Access Plan Template"
    )
    # a coordinator retires it: it is never found again
    click(stocked, standin, rcb.RETIRE_RESOURCE, "language-access-plan-template", COORDINATOR)
    assert "I found no resources" in ask(stocked, standin, "language access plan")["text"]


# -- the coordinators' weekly digest ---------------------------------------------------------


def zone_not_on_monday_morning() -> str:
    """A DEI_TIMEZONE where it is not Monday before 09:00 now, so last week's digest is due."""
    for name in ("UTC", "Pacific/Kiritimati"):
        local = datetime.now(ZoneInfo(name))
        if not (local.weekday() == 0 and local.hour < 10):
            return name
    raise AssertionError("UTC and UTC+14 cannot both be Monday morning")


def test_the_weekly_digest_of_misses_goes_to_the_coordinator_once(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    zone = zone_not_on_monday_morning()
    with running_bot(tmp_path, standin, DEI_TIMEZONE=zone) as bot:
        load(bot, tmp_path)
        for words in ("snow plow routes", "Snow plow routes!", "zoning <!here>"):
            ask(bot, standin, words)
        # A week passes: the misses belong to last week, whose digest is due this Monday 09:00.
        with bot.db.transaction(write=True) as session:
            for miss in session.exec(select(SearchMiss)):
                miss.at -= timedelta(days=7)
                session.add(miss)
        week = misses.last_complete_week(datetime.now(UTC), ZoneInfo(zone))
        assert digests_to(standin, COORDINATOR) == []
        try:
            for restart in range(2):  # the planner runs at start-up; a second start sends nothing
                stop(bot.process)
                bot.process, _ = start_bot(tmp_path, bot.env, f"restart-{restart}")
                assert eventually(lambda: digests_to(standin, COORDINATOR), 15)
                time.sleep(2)  # time for a second one, if there were going to be one
                assert len(digests_to(standin, COORDINATOR)) == 1
        finally:
            stop(bot.process)
        (digest,) = digests_to(standin, COORDINATOR)
        assert f"week {week.label}" in digest["text"]
        assert "“snow plow routes!” (2 times)" in digest["text"].casefold()
        assert "&lt;!here&gt;" in digest["text"] and "<!here>" not in json.dumps(digest)
        assert digests_to(standin, MEMBER) == []
        with bot.db.transaction() as session:
            (row,) = session.exec(select(Delivery).where(Delivery.kind == misses.MISS_DIGEST))
        assert row.key == f"miss-digest:{week.label}:{COORDINATOR}" and row.state == "sent"


def digests_to(standin: SlackStandIn, user: str) -> list[dict[str, Any]]:
    return [m for m in standin.messages(user) if "Lookups that found nothing" in m["text"]]


# -- anything a person can type --------------------------------------------------------------


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(max_size=3000),
        st.text(alphabet=st.sampled_from("\"'<>&|*_~`!@#%^()[]{}\\/ \n\tabc"), max_size=3000),
        st.sampled_from(['"hiring', "hiring\"'", "<!channel>", "procurment " * 300, "\u0000"]),
    )
)
def test_any_text_gets_an_ephemeral_answer(
    stocked: BotProcess, standin: SlackStandIn, text: str
) -> None:
    """One running bot answers every example: HTTP 200 at once, then an ephemeral answer."""
    if parse_dei_topic(text).subcommand not in ("", "search"):
        return  # sub-commands answer differently (help inside the ack, suggest with a modal)
    answer = ask(stocked, standin, text)
    if text.strip() and parse_dei_topic(text).subcommand == "search":
        assert "Resources for" in answer["text"] or "found no resources" in answer["text"]
