"""`dei-bot sandbox` driven by a script on standard input, as the README shows it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """\
/dei-topic help
/dei-topic calendar
/dei-topic <!channel> hiring
/dei-topic agenda
as coordinator
/dei-topic agenda
home
wait 2d
as member
wait until 2027-01-28 13:30
quit
"""


def test_a_scripted_session_shows_answers_and_exits_0(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", str(tmp_path / "absent.env"), "sandbox"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "", "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=90,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "topics: 18" in out
    assert "Maria (member)> /dei-topic help" in out
    assert "`/dei-topic calendar`: the topic calendar" in out
    assert "April 2027*: Hiring & Recruitment" in out
    assert "September 2027*: _TBD" in out
    assert "“<!channel> hiring”" in out  # rendered back as the text the person typed
    assert "Sorry, posting an agenda is for the working group's coordinators" in out
    assert "@Katie (coordinator)" in out
    assert "(you are now Katie (coordinator))" in out
    assert "** Working-group meetings **" in out and "[3] New meeting" in out
    assert "┌─ App Home ─" in out
    assert "(sandbox time:" in out
    # The coaching session of the sample cohort, 30 minutes ahead: the reminder DMs go out.
    assert "┌─ dei-bot sent you a direct message ─" in out
    assert "*Reminder:* Your LORE 2027 coaching session (with @Coach) starts in 30 minutes" in out
    assert "┌─ dei-bot sent Coach a direct message ─" in out
    assert "Traceback" not in result.stderr
