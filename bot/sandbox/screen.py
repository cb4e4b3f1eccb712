"""What the person at the sandbox prompt sees: each thing the bot did in the pretend Slack, drawn
as a box, its buttons and fields numbered (`bot.sandbox.controls` remembers the numbers)."""

from __future__ import annotations

from typing import Any, TextIO

from bot.sandbox.controls import Controls, Surface
from bot.sandbox.render import render_blocks, render_modal, render_mrkdwn
from slack_standin.server import Call

FILE_LINES_SHOWN = 6


class Screen:
    def __init__(
        self, out: TextIO, controls: Controls, people: dict[str, str], channels: dict[str, str]
    ) -> None:
        self.out = out
        self.controls = controls
        self.people = people
        self.channels = channels

    @property
    def names(self) -> dict[str, str]:
        return {**self.people, **self.channels}

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def box(self, title: str, body: str) -> None:
        self.say(f"┌─ {title} ─")
        if body:
            self.say(body)
        self.say("└─")

    def content(self, message: dict[str, Any], surface: Surface) -> str:
        blocks = message.get("blocks") or []
        if blocks:
            shown = render_blocks(blocks, self.names, self.controls.numberer(surface))
        else:
            shown = "\n".join(
                f"│ {line}"
                for line in render_mrkdwn(message.get("text", ""), self.names).split("\n")
            )
        if not str(message.get("text") or "").strip():
            # Screen readers and notifications read only the text: its absence is a bug.
            shown += "\n│ (this message has no plain-text fallback)"
        return shown

    def answer(self, message: dict[str, Any], channel: str) -> None:
        """An answer to a command or a click: the acknowledgement's body or a response_url post."""
        if message.get("delete_original"):
            self.say("(dei-bot removed the message you clicked on)")
            return
        public = message.get("response_type") == "in_channel"
        if message.get("replace_original"):
            title = "dei-bot replaced the message you clicked on"
        else:
            title = f"dei-bot (visible to {'everyone' if public else 'only you'})"
        kind = "message" if public else "ephemeral"
        self.box(title, self.content(message, Surface(kind, channel=channel)))

    def where(self, channel: str, viewer: str) -> str:
        """A DM reads as one, addressed by name; a channel by its name."""
        person = next((user for user in self.people if channel == "D" + user[1:]), None)
        if person == viewer:
            return "sent you a direct message"
        if person:
            return f"sent {self.people[person]} a direct message"
        return f"posted in #{self.channels.get(channel, channel)}"

    def call(self, call: Call, viewer: str) -> None:
        """One Web API call the bot made on its own, as it would appear in Slack."""
        if not call.ok:
            self.say(f"(Slack refused {call.method}: {call.error or call.status})")
            return
        if call.method == "chat.postMessage":
            message = call.response.get("message") or {}
            channel = str(call.response.get("channel", ""))
            surface = Surface("message", channel=channel, ts=str(message.get("ts", "")))
            self.box(f"dei-bot {self.where(channel, viewer)}", self.content(message, surface))
        elif call.method == "chat.update":
            message = call.response.get("message") or {}
            channel = str(call.response.get("channel", ""))
            surface = Surface("message", channel=channel, ts=str(call.response.get("ts", "")))
            place = self.where(channel, viewer).replace("posted in", "in")
            self.box(f"dei-bot updated its message ({place})", self.content(message, surface))
        elif call.method == "chat.postEphemeral" and call.args.get("user") == viewer:
            channel = str(call.args.get("channel", ""))
            message = {"text": call.args.get("text", ""), "blocks": call.json_arg("blocks") or []}
            self.box(
                "dei-bot (visible to only you)",
                self.content(message, Surface("ephemeral", channel)),
            )

    def file(self, record: dict[str, Any], viewer: str) -> None:
        channel = str(record.get("channel") or "")
        lines = bytes(record.get("content") or b"").decode("utf-8", "replace").splitlines()
        shown = [f"│ {line}" for line in lines[:FILE_LINES_SHOWN]]
        if len(lines) > FILE_LINES_SHOWN:
            shown.append(f"│ … {len(lines) - FILE_LINES_SHOWN} more lines")
        comment = record.get("initial_comment")
        body = "\n".join(([f"│ {render_mrkdwn(comment, self.names)}"] if comment else []) + shown)
        where = self.where(channel, viewer).replace("a direct message", "a file")
        self.box(f"dei-bot {where}: {record.get('name')}", body)

    def home(self, view: dict[str, Any]) -> None:
        numberer = self.controls.numberer(Surface("home"))
        self.box("App Home", render_blocks(view.get("blocks") or [], self.names, numberer))

    def modal(self, view: dict[str, Any]) -> None:
        self.say(render_modal(view, self.names, self.controls.numberer(Surface("modal"))))
