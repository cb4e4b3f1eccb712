"""`dei-bot sandbox` driven by a script on standard input, as the README shows it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"

SCRIPT = """\
/dei-topic
/dei-topic <!channel> procurment
home
press Going, in person
/dei-topic agenda
as coordinator
/dei-topic agenda
press New meeting
choose Topic = hiring
fill Starts = tomorrow 10:00
choose Format = hybrid
fill Agenda = Welcome / Peer updates
submit
fill Place = Village Hall
fill Join link = https://example.org/join/new
submit
as member
press Going, online
wait until tomorrow 9:00
quit
"""


def run_sandbox(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", str(tmp_path / "absent.env"), "sandbox"],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "", "PYTHONPATH": str(README.parent)},
        timeout=120,
    )


def after(out: str, command: str) -> str:
    """What the sandbox showed for `command`, up to the next prompt."""
    start = out.index(f"> {command}\n") + len(command) + 3
    following = re.search(r"^\S[^\n]*\)> ", out[start:], re.MULTILINE)
    return out[start : start + following.start()] if following else out[start:]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> str:
    result = run_sandbox(tmp_path_factory.mktemp("sandbox"), SCRIPT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


def test_the_topic_and_a_search_answer_as_in_slack(session: str) -> None:
    assert "topics: 18" in session
    topic = after(session, "/dei-topic")
    assert "** November 2026: Staff Training **" in topic
    assert "*Your RSVP:* you have not RSVP'd yet" in topic
    search = after(session, "/dei-topic <!channel> procurment")
    # Escaped, it shows as the words typed; a real mention would show as @channel.
    assert "“<!channel> procurment”" in search and "@channel" not in search
    assert "Equitable Social Services Contracting Policy" in search


def test_an_rsvp_on_the_home_is_confirmed_and_the_home_follows(session: str) -> None:
    home = after(session, "home")
    assert "┌─ App Home ─" in home and "*Your RSVP:* you have not RSVP'd yet" in home
    assert "Coordinator tools" not in home
    click = after(session, "press Going, in person")
    assert "┌─ dei-bot sent you a direct message ─" in click
    assert "You're going, in person: Interdepartmental Working Groups" in click
    assert "*Your RSVP:* going, in person" in click  # the Home, refreshed


def test_a_member_is_refused_the_agenda_and_a_coordinator_fixes_field_errors(session: str) -> None:
    assert "Sorry, posting an agenda is for the working group's coordinators" in after(
        session, "/dei-topic agenda"
    )
    form = after(session, "press New meeting")
    assert "┌─ Modal: New meeting ─" in form and "Topic (choose one)" in form
    first, second = session.split("Katie (coordinator)> submit\n")[1:3]
    assert "(the form was not saved; fix these and submit again:)" in first
    assert "Place: Say where people meet" in first
    assert "Scheduled: the Hiring & Recruitment meeting on Tuesday November 24, 2026" in second
    assert "┌─ dei-bot posted in #dei-working-group ─" in second
    assert "** Working group: Hiring & Recruitment **" in second


def test_a_click_on_the_announcement_and_the_reminders_after_wait(session: str) -> None:
    assert "You're going, online: Hiring & Recruitment" in after(session, "press Going, online")
    waited = after(session, "wait until tomorrow 9:00")
    assert "(Going: in person 0; online 1; maybe 0; can't make it 0)" in waited
    assert "(sandbox time: Monday November 23, 2026 10:00 CST)" in waited
    assert "starts in 24 hours: Tuesday November 24, 2026 at 10:00 AM CST" in waited
    assert "(sandbox time: Tuesday November 24, 2026 09:00 CST)" in waited
    assert "starts in 60 minutes: Tuesday November 24, 2026 at 10:00 AM CST" in waited


def test_every_message_has_a_text_fallback_and_slack_refused_nothing(session: str) -> None:
    assert "no plain-text fallback" not in session
    assert "(Slack refused" not in session
    assert "(the bot answered HTTP" not in session


def test_the_readme_transcript_is_what_the_sandbox_prints(tmp_path: Path) -> None:
    """The README's session, typed again: the same output, line for line."""
    transcript = README.read_text().split("```text\n$ dei-bot sandbox\n", 1)[1].split("```", 1)[0]
    script = "".join(
        line.split("> ", 1)[1] + "\n" for line in transcript.splitlines() if ")> " in line
    )
    result = run_sandbox(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert transcript.strip() in result.stdout
