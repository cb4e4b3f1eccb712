"""manifest.yml is valid against Slack's schema and declares what the code uses."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from handlers import blocks

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "slack"
SCHEMA = SHARED / "manifest.schema.1.0.0.json"

# What the code calls, and the bot scope each call needs (from ../shared/slack/methods).
METHODS_USED = [
    "auth.test",
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
    "conversations.open",
    "conversations.history",
    "conversations.info",
    "users.info",
    "views.open",
    "views.publish",
]


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_is_valid_against_slacks_schema(manifest: dict) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} not found: the shared Slack references sit beside the repository")
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))


def test_schema_rejects_a_command_without_its_slash(manifest: dict) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} not found")
    broken = json.loads(json.dumps(manifest))
    broken["features"]["slash_commands"][0]["command"] = "dei-topic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads(SCHEMA.read_text()))


def test_manifest_declares_the_command_events_and_modes(manifest: dict) -> None:
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [blocks.COMMAND]
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_every_method_the_code_calls_has_a_declared_scope(manifest: dict) -> None:
    methods = SHARED / "methods"
    if not methods.exists():
        pytest.skip(f"{methods} not found")
    declared = set(manifest["oauth_config"]["scopes"]["bot"])
    for method in METHODS_USED:
        needs = json.loads((methods / f"{method}.json").read_text()).get("scope", {}).get("bot")
        if needs:
            assert declared & set(needs), f"{method} needs one of {needs}"
    events = json.loads((SHARED / "events.json").read_text())
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        needs = next(e["scopes"] for e in events if e["name"] == event)
        assert set(needs) <= declared, f"{event} needs {needs}"
