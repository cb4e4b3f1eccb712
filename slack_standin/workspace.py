"""The simulated workspace: its state and the Web API methods the stand-in answers like Slack.

Not thread-safe by itself: ``SlackStandIn`` serialises every call through one lock, which keeps
the simulation simple and gives calls a single, well-defined order.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from slack_standin import blockkit

MAX_TEXT = 40_000
MAX_ATTACHMENTS = 100
SCHEDULE_HORIZON = 120 * 24 * 3600
TRIGGER_TTL = 3.0
MAX_MPIM_USERS = 8
HISTORY_DEFAULT_LIMIT = 100
HISTORY_MAX_LIMIT = 999
MAX_ALT_TEXT = 1000
MAX_SHARE_CHANNELS = 100

CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]+")
USER_ID = re.compile(r"[UW][A-Z0-9]+")
# What files.completeUploadExternal takes as channel_id: no user ids, unlike chat.postMessage.
SHARE_CHANNEL_ID = re.compile(r"[CGDZ][A-Z0-9]+")
_TS = re.compile(r"(\d+)(?:\.(\d{1,6}))?")

# zoneinfo only knows abbreviations; Slack shows the long names for the common zones.
_TZ_LABELS = {
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "AKST": "Alaska Standard Time",
    "AKDT": "Alaska Daylight Time",
    "HST": "Hawaii-Aleutian Standard Time",
    "AST": "Atlantic Standard Time",
    "ADT": "Atlantic Daylight Time",
    "UTC": "Coordinated Universal Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}


class SlackError(Exception):
    """An ``ok: false`` answer; ``messages`` end up in ``response_metadata.messages``."""

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages or [])

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


def invalid_arguments(*messages: str) -> SlackError:
    return SlackError("invalid_arguments", list(messages))


def missing_field(name: str) -> str:
    return f"[ERROR] missing required field: {name}"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def json_value(value: Any) -> Any:
    """Form bodies carry JSON arguments as strings, JSON bodies carry them as objects."""
    return json.loads(value) if isinstance(value, str) else value


def ts_key(value: str) -> tuple[int, int] | None:
    """Order-preserving key of a Slack ts; floats would lose the microseconds."""
    match = _TS.fullmatch(value.strip())
    if match is None:
        return None
    return int(match[1]), int((match[2] or "").ljust(6, "0"))


def _str_arg(args: dict[str, Any], name: str) -> str | None:
    value = args.get(name)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number > 0 else None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workspace"


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str
    locale: str
    is_bot: bool
    auto: bool = False


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool


@dataclass
class Stored:
    """A message as kept by the stand-in, with what Slack would not show in ``message``."""

    channel: str
    kind: str  # "message", "ephemeral" or "scheduled"
    message: dict[str, Any]
    post_at: int | None = None
    scheduled_message_id: str | None = None
    ephemeral_user: str | None = None
    created: int = 0
    seq: int = 0  # arrival order, to list posted and scheduled messages together

    def snapshot(self) -> dict[str, Any]:
        out = copy.deepcopy(self.message)
        out["channel"] = self.channel
        out["kind"] = self.kind
        text = self.message.get("text")
        out["has_text"] = isinstance(text, str) and bool(text.strip())
        if self.kind == "scheduled":
            out["post_at"] = self.post_at
            out["scheduled_message_id"] = self.scheduled_message_id
        if self.kind == "ephemeral":
            out["ephemeral_user"] = self.ephemeral_user
        return out


@dataclass
class Upload:
    """A file from files.getUploadURLExternal: its bytes once POSTed, where it was shared."""

    id: str
    name: str
    length: int
    created: int
    alt_txt: str | None = None
    content: bytes | None = None  # None until the upload URL received the bytes
    completed: bool = False
    title: str = ""
    channels: list[str] = field(default_factory=list)
    thread_ts: str | None = None
    ts: str | None = None  # of the file-share message (the first, if shared in several places)
    initial_comment: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "content": self.content if self.content is not None else b"",
            "size": len(self.content or b""),
            "channel": self.channels[0] if self.channels else None,
            "channels": list(self.channels),
            "thread_ts": self.thread_ts,
            "ts": self.ts,
            "initial_comment": self.initial_comment,
        }


Handler = Callable[[dict[str, Any]], dict[str, Any]]


class Workspace:
    """One Slack workspace with one bot installed in it."""

    def __init__(
        self,
        *,
        team_id: str,
        team: str,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
        bot_name: str,
        auto_users: bool,
    ) -> None:
        self.team_id = team_id
        self.team = team
        self.domain = _slug(team)
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.bot_name = bot_name
        self.auto_users = auto_users
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self._last_ts_us = 0
        self._seq = 0
        self.add_user(bot_user_id, name=bot_name, real_name=bot_name, is_bot=True)
        self.reset()
        self.handlers: dict[str, Handler] = {
            "api.test": self.api_test,
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.scheduleMessage": self.chat_schedule_message,
            "chat.deleteScheduledMessage": self.chat_delete_scheduled_message,
            "chat.scheduledMessages.list": self.chat_scheduled_messages_list,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.open": self.conversations_open,
            "files.completeUploadExternal": self.files_complete_upload_external,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "conversations.info": self.conversations_info,
            "users.info": self.users_info,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
        }

    def reset(self) -> None:
        """Forget what happened; keep the users and channels that were set up."""
        self.stored: list[Stored] = []  # posted and ephemeral messages
        self.scheduled: list[Stored] = []  # kept apart: promote_due() looks at them on every call
        self.by_ts: dict[tuple[str, str], Stored] = {}
        self.dms: dict[str, str] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.external_ids: dict[str, str] = {}
        self.home_views: dict[str, str] = {}
        self.minted_triggers: dict[str, float] = {}
        self.used_triggers: set[str] = set()
        self.uploads: dict[str, Upload] = {}
        self.users = {uid: u for uid, u in self.users.items() if not u.auto}

    # -- set-up ---------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "America/Chicago",
        locale: str = "en-US",
        is_bot: bool = False,
    ) -> User:
        ZoneInfo(tz)  # fail at set-up time, not inside a request
        user = User(
            id=user_id,
            name=name or user_id.lower(),
            real_name=real_name or name or f"User {user_id}",
            tz=tz,
            locale=locale,
            is_bot=is_bot,
        )
        self.users[user_id] = user
        return user

    def add_channel(self, channel_id: str, *, name: str, is_private: bool = False) -> None:
        if not CHANNEL_ID.fullmatch(channel_id):
            raise ValueError(f"not a channel id: {channel_id!r}")
        self.channels[channel_id] = Channel(channel_id, name.lstrip("#"), is_private)

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str,
        thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """A message some person posted, for the bot to find in history."""
        channel_id = self.resolve_channel(channel, allow_user=True)
        message: dict[str, Any] = {
            "type": "message",
            "user": user,
            "text": text,
            "team": self.team_id,
            "ts": self.next_ts(),
        }
        if blocks is not None:
            message["blocks"] = copy.deepcopy(blocks)
        if metadata is not None:
            message["metadata"] = copy.deepcopy(metadata)
        self._store_posted(channel_id, message, thread_ts, broadcast=False)
        return str(message["ts"])

    # -- helpers --------------------------------------------------------------------------------

    def next_ts(self) -> str:
        now_us = time.time_ns() // 1000
        # Strictly increasing even when two messages land in the same microsecond.
        self._last_ts_us = max(now_us, self._last_ts_us + 1)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def next_id(self, prefix: str) -> str:
        self._seq += 1
        return f"{prefix}{self._seq:08d}"

    def mint_trigger(self) -> str:
        self._seq += 1
        digest = hashlib.sha1(str(self._seq).encode()).hexdigest()
        trigger = f"{int(time.time())}.{self._seq}.{digest[:24]}"
        self.minted_triggers[trigger] = time.monotonic()
        return trigger

    def dm_id(self, user_id: str) -> str:
        return "D" + user_id[1:] if user_id.startswith("U") else "D" + user_id

    def resolve_channel(self, value: str, *, allow_user: bool) -> str:
        """A channel id from an id, a ``#name`` or (where Slack allows it) a user id."""
        value = value.strip()
        if CHANNEL_ID.fullmatch(value):
            return value
        if USER_ID.fullmatch(value):
            # Posting to a user id lands in the app's DM with them, but updates and deletes
            # need the DM's own id: a classic bug that Slack answers with channel_not_found.
            if not allow_user:
                raise SlackError("channel_not_found")
            dm = self.dm_id(value)
            self.dms[dm] = value
            return dm
        name = value.lstrip("#")
        for channel in self.channels.values():
            if channel.name == name:
                return channel.id
        raise SlackError("channel_not_found")

    def user(self, user_id: str) -> User | None:
        user = self.users.get(user_id)
        if user is None and self.auto_users and USER_ID.fullmatch(user_id):
            # The sandbox meets user ids it was never told about; make them up, like a new member.
            user = self.add_user(user_id)
            user.auto = True
        return user

    def promote_due(self) -> None:
        """Scheduled messages whose time has come are posted, as Slack would do."""
        if not self.scheduled:
            return
        now = time.time()
        due = [s for s in self.scheduled if s.post_at is not None and s.post_at <= now]
        for stored in due:
            self.scheduled.remove(stored)
            message = stored.message
            message["type"] = "message"
            message["ts"] = self.next_ts()
            thread_ts = message.get("thread_ts")
            self._store_posted(stored.channel, message, thread_ts, broadcast=False)

    def snapshots(self, channel: str | None) -> list[dict[str, Any]]:
        self.promote_due()
        everything = sorted(self.stored + self.scheduled, key=lambda s: s.seq)
        return [s.snapshot() for s in everything if channel is None or s.channel == channel]

    def _store_posted(
        self, channel: str, message: dict[str, Any], thread_ts: str | None, *, broadcast: bool
    ) -> Stored:
        if thread_ts and thread_ts != message["ts"]:
            message["thread_ts"] = thread_ts
            if broadcast:
                message["subtype"] = "thread_broadcast"
            parent = self.by_ts.get((channel, thread_ts))
            if parent is not None and parent.kind == "message":
                message["parent_user_id"] = parent.message.get("user")
                pm = parent.message
                pm["thread_ts"] = thread_ts
                pm["reply_count"] = int(pm.get("reply_count", 0)) + 1
                users = pm.setdefault("reply_users", [])
                if message.get("user") not in users:
                    users.append(message.get("user"))
                pm["reply_users_count"] = len(users)
                pm["latest_reply"] = message["ts"]
        stored = Stored(channel, "message", message, created=int(time.time()), seq=self.next_seq())
        self.stored.append(stored)
        self.by_ts[(channel, message["ts"])] = stored
        return stored

    def _content(
        self, args: dict[str, Any], *, for_update: bool = False, ephemeral: bool = False
    ) -> dict[str, Any]:
        """The validated message content present in ``args`` (absent fields are left out)."""
        content: dict[str, Any] = {}
        text = _str_arg(args, "text")
        if text is not None:
            content["text"] = text
        for name, bad_format in (
            ("blocks", "invalid_blocks_format"),
            ("attachments", "invalid_attachments"),
        ):
            raw = args.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                content[name] = copy.deepcopy(json_value(raw))
            except ValueError:
                raise SlackError(bad_format) from None
        markdown_text = _str_arg(args, "markdown_text")
        if not (text or content.get("blocks") or content.get("attachments") or markdown_text):
            raise SlackError("no_text")
        if text is not None and len(text) > MAX_TEXT:
            raise SlackError("msg_too_long")
        if "blocks" in content:
            if not isinstance(content["blocks"], list):
                raise SlackError("invalid_blocks_format")
            problems = blockkit.check_blocks(
                content["blocks"], "/blocks", blockkit.MESSAGE_MAX_BLOCKS
            )
            if problems:
                raise SlackError("invalid_blocks", problems)
        if "attachments" in content:
            if not isinstance(content["attachments"], list):
                raise SlackError("invalid_attachments")
            if len(content["attachments"]) > MAX_ATTACHMENTS:
                raise SlackError("too_many_attachments")
        raw_metadata = args.get("metadata")
        # Ephemeral messages are never stored by Slack, so event metadata is ignored there.
        if raw_metadata is not None and raw_metadata != "" and not ephemeral:
            try:
                metadata = copy.deepcopy(json_value(raw_metadata))
            except ValueError:
                raise SlackError("invalid_metadata_format") from None
            if not isinstance(metadata, dict):
                raise SlackError("invalid_metadata_format")
            # An empty object is how chat.update removes metadata; anywhere else it is malformed.
            well_formed = isinstance(metadata.get("event_type"), str) and isinstance(
                metadata.get("event_payload"), dict
            )
            if not well_formed and (metadata or not for_update):
                raise SlackError("invalid_metadata_schema")
            content["metadata"] = metadata
        return content

    def _bot_message(self, content: dict[str, Any], ts: str | None) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": content.get("text", ""),
        }
        if ts is not None:
            message["ts"] = ts
        for name in ("blocks", "attachments", "metadata"):
            if content.get(name):
                message[name] = content[name]
        return message

    def _find(self, channel: str, ts: str) -> Stored:
        stored = self.by_ts.get((channel, ts))
        if stored is None or stored.kind != "message":
            raise SlackError("message_not_found")
        return stored

    # -- methods --------------------------------------------------------------------------------

    def api_test(self, args: dict[str, Any]) -> dict[str, Any]:
        echoed = {k: v for k, v in args.items() if k != "token"}
        if "error" in echoed:
            raise SlackError(str(echoed["error"]))
        return {"args": echoed}

    def auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{self.domain}.slack.com/",
            "team": self.team,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(str(args["channel"]), allow_user=True)
        content = self._content(args)
        message = self._bot_message(content, self.next_ts())
        thread_ts = _str_arg(args, "thread_ts")
        broadcast = truthy(args.get("reply_broadcast"))
        self._store_posted(channel, message, thread_ts, broadcast=broadcast)
        return {"channel": channel, "ts": message["ts"], "message": copy.deepcopy(message)}

    def chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(str(args["channel"]), allow_user=True)
        content = self._content(args, ephemeral=True)
        ts = self.next_ts()
        message = self._bot_message(content, ts)
        thread_ts = _str_arg(args, "thread_ts")
        if thread_ts:
            message["thread_ts"] = thread_ts
        stored = Stored(
            channel=channel,
            kind="ephemeral",
            message=message,
            ephemeral_user=str(args["user"]),
            created=int(time.time()),
            seq=self.next_seq(),
        )
        self.stored.append(stored)
        return {"message_ts": ts}

    def chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(str(args["channel"]), allow_user=False)
        ts = str(args["ts"])
        content = self._content(args, for_update=True)
        stored = self._find(channel, ts)
        message = stored.message
        if message.get("user") != self.bot_user_id:
            raise SlackError("cant_update_message")
        # Fields left out keep their old value; an empty blocks/attachments/metadata clears it.
        for name in ("text", "blocks", "attachments", "metadata"):
            if name in content:
                if content[name] in ([], {}):
                    message.pop(name, None)
                else:
                    message[name] = content[name]
        message["edited"] = {"user": self.bot_user_id, "ts": self.next_ts()}
        return {
            "channel": channel,
            "ts": ts,
            "text": message.get("text", ""),
            "message": copy.deepcopy(message),
        }

    def chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(str(args["channel"]), allow_user=False)
        ts = str(args["ts"])
        stored = self._find(channel, ts)
        if stored.message.get("user") != self.bot_user_id:
            raise SlackError("cant_delete_message")
        self.stored.remove(stored)
        del self.by_ts[(channel, ts)]
        return {"channel": channel, "ts": ts}

    def chat_schedule_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(str(args["channel"]), allow_user=True)
        try:
            post_at = int(float(str(args["post_at"])))
        except ValueError:
            raise SlackError("invalid_time") from None
        now = time.time()
        if post_at <= now:
            raise SlackError("time_in_past")
        if post_at > now + SCHEDULE_HORIZON:
            raise SlackError("time_too_far")
        content = self._content(args)
        message = self._bot_message(content, None)
        thread_ts = _str_arg(args, "thread_ts")
        if thread_ts:
            message["thread_ts"] = thread_ts
        scheduled_id = self.next_id("Q")
        self.scheduled.append(
            Stored(
                channel=channel,
                kind="scheduled",
                message=message,
                post_at=post_at,
                scheduled_message_id=scheduled_id,
                created=int(now),
                seq=self.next_seq(),
            )
        )
        shown = copy.deepcopy(message)
        shown["type"] = "delayed_message"
        return {
            "channel": channel,
            "scheduled_message_id": scheduled_id,
            "post_at": post_at,
            "message": shown,
        }

    def chat_delete_scheduled_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(str(args["channel"]), allow_user=True)
        wanted = str(args["scheduled_message_id"])
        for stored in self.scheduled:
            if stored.scheduled_message_id == wanted and stored.channel == channel:
                self.scheduled.remove(stored)
                return {}
        raise SlackError("invalid_scheduled_message_id")

    def chat_scheduled_messages_list(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = _str_arg(args, "channel")
        if channel:
            channel = self.resolve_channel(channel, allow_user=True)
        listed = [
            {
                "id": s.scheduled_message_id,
                "channel_id": s.channel,
                "post_at": s.post_at,
                "date_created": s.created,
                "text": s.message.get("text", ""),
            }
            for s in self.scheduled
            if not channel or s.channel == channel
        ]
        return {"scheduled_messages": listed, "response_metadata": {"next_cursor": ""}}

    def chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.resolve_channel(str(args["channel"]), allow_user=False)
        ts = str(args["message_ts"])
        self._find(channel, ts)
        path = f"archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": f"https://{self.domain}.slack.com/{path}"}

    def conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users_arg = _str_arg(args, "users")
        channel_arg = _str_arg(args, "channel")
        if users_arg:
            users = [u.strip() for u in users_arg.split(",") if u.strip()]
            if len(users) > MAX_MPIM_USERS:
                raise SlackError("too_many_users")
            for user_id in users:
                if self.user(user_id) is None:
                    raise SlackError("user_not_found")
            if len(users) == 1:
                channel_id = self.dm_id(users[0])
            else:
                digest = hashlib.sha1(",".join(sorted(users)).encode()).hexdigest()
                channel_id = "G" + digest[:10].upper()
            peer = users[0] if len(users) == 1 else None
        elif channel_arg:
            if channel_arg not in self.dms:
                raise SlackError("channel_not_found")
            channel_id, peer = channel_arg, self.dms[channel_arg] or None
        else:
            raise SlackError("users_list_not_supplied")
        already = channel_id in self.dms
        self.dms[channel_id] = peer or ""
        channel: dict[str, Any] = {"id": channel_id}
        if truthy(args.get("return_im")):
            channel.update(
                {
                    "created": int(time.time()),
                    "is_im": peer is not None,
                    "is_mpim": peer is None,
                    "is_org_shared": False,
                    "user": peer,
                    "last_read": "0000000000.000000",
                    "latest": None,
                    "unread_count": 0,
                    "unread_count_display": 0,
                    "is_open": True,
                    "priority": 0,
                }
            )
        body: dict[str, Any] = {"channel": channel}
        if already:
            body["no_op"] = True
            body["already_open"] = True
        return body

    def _history_channel(self, args: dict[str, Any]) -> str:
        channel = str(args["channel"]).strip()
        if USER_ID.fullmatch(channel):
            raise SlackError("channel_not_found")
        return self.resolve_channel(channel, allow_user=False)

    @staticmethod
    def _bounds(args: dict[str, Any]) -> tuple[tuple[int, int], tuple[int, int] | None, bool]:
        oldest = ts_key(_str_arg(args, "oldest") or "0")
        if oldest is None:
            raise SlackError("invalid_ts_oldest")
        latest_arg = _str_arg(args, "latest")
        latest = ts_key(latest_arg) if latest_arg else None
        if latest_arg and latest is None:
            raise SlackError("invalid_ts_latest")
        return oldest, latest, truthy(args.get("inclusive"))

    @staticmethod
    def _limit(args: dict[str, Any]) -> int:
        try:
            limit = int(args.get("limit") or HISTORY_DEFAULT_LIMIT)
        except (TypeError, ValueError):
            limit = HISTORY_DEFAULT_LIMIT
        return max(1, min(limit, HISTORY_MAX_LIMIT))

    @staticmethod
    def _cursor(args: dict[str, Any]) -> tuple[int, int] | None:
        cursor = _str_arg(args, "cursor")
        if not cursor:
            return None
        try:
            decoded = base64.b64decode(cursor, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise SlackError("invalid_cursor") from None
        key = ts_key(decoded.removeprefix("next_ts:")) if decoded.startswith("next_ts:") else None
        if key is None:
            raise SlackError("invalid_cursor")
        return key

    @staticmethod
    def _shown(message: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
        shown = copy.deepcopy(message)
        if not with_metadata:
            shown.pop("metadata", None)
        return shown

    def _page(
        self, args: dict[str, Any], candidates: list[Stored], *, newest_first: bool
    ) -> dict[str, Any]:
        oldest, latest, inclusive = self._bounds(args)
        after = self._cursor(args)

        def wanted(key: tuple[int, int]) -> bool:
            above = key >= oldest if inclusive else key > oldest
            below = latest is None or (key <= latest if inclusive else key < latest)
            if after is not None:
                below = below and (key < after if newest_first else key > after)
            return above and below

        keyed = [(ts_key(s.message["ts"]) or (0, 0), s) for s in candidates]
        chosen = sorted(
            ((k, s) for k, s in keyed if wanted(k)), key=lambda pair: pair[0], reverse=newest_first
        )
        limit = self._limit(args)
        page, rest = chosen[:limit], chosen[limit:]
        with_metadata = truthy(args.get("include_all_metadata"))
        body: dict[str, Any] = {
            "messages": [self._shown(s.message, with_metadata) for _, s in page],
            "has_more": bool(rest),
            "pin_count": 0,
        }
        next_cursor = ""
        if rest:
            last_ts = page[-1][1].message["ts"]
            next_cursor = base64.b64encode(f"next_ts:{last_ts}".encode()).decode()
        body["response_metadata"] = {"next_cursor": next_cursor}
        return body

    def conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._history_channel(args)
        self.promote_due()
        # History shows top-level messages; replies only when they were broadcast.
        candidates = [
            s
            for s in self.stored
            if s.kind == "message"
            and s.channel == channel
            and (
                s.message.get("thread_ts") in (None, s.message["ts"])
                or s.message.get("subtype") == "thread_broadcast"
            )
        ]
        return self._page(args, candidates, newest_first=True)

    def conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._history_channel(args)
        self.promote_due()
        ts = str(args["ts"])
        if (channel, ts) not in self.by_ts:
            raise SlackError("thread_not_found")
        candidates = [
            s
            for s in self.stored
            if s.kind == "message"
            and s.channel == channel
            and (s.message["ts"] == ts or s.message.get("thread_ts") == ts)
        ]
        return self._page(args, candidates, newest_first=False)

    def conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = self._history_channel(args)
        created = 1_600_000_000
        if channel_id.startswith("D"):
            peer = self.dms.get(channel_id) or (
                "U" + channel_id[1:] if not channel_id.startswith("DW") else channel_id[1:]
            )
            return {
                "channel": {
                    "id": channel_id,
                    "created": created,
                    "is_im": True,
                    "is_org_shared": False,
                    "context_team_id": self.team_id,
                    "user": peer,
                    "is_user_deleted": False,
                    "priority": 0,
                }
            }
        known = self.channels.get(channel_id)
        name = known.name if known else f"channel-{channel_id.lower()}"
        is_private = known.is_private if known else channel_id.startswith("G")
        return {
            "channel": {
                "id": channel_id,
                "name": name,
                "name_normalized": name,
                "is_channel": not is_private,
                "is_group": is_private,
                "is_im": False,
                "is_mpim": False,
                "is_private": is_private,
                "created": created,
                "is_archived": False,
                "is_general": False,
                "is_shared": False,
                "is_ext_shared": False,
                "is_org_shared": False,
                "is_member": True,
                "context_team_id": self.team_id,
                "creator": self.bot_user_id,
                "topic": {"value": "", "creator": "", "last_set": 0},
                "purpose": {"value": "", "creator": "", "last_set": 0},
            }
        }

    def user_object(self, user: User, *, include_locale: bool) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(user.tz))
        offset = now.utcoffset()
        abbreviation = now.tzname() or user.tz
        body: dict[str, Any] = {
            "id": user.id,
            "team_id": self.team_id,
            "name": user.name,
            "deleted": False,
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": _TZ_LABELS.get(abbreviation, abbreviation),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": {
                "real_name": user.real_name,
                "real_name_normalized": user.real_name,
                "display_name": user.name,
                "display_name_normalized": user.name,
                "team": self.team_id,
            },
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": 1_600_000_000,
        }
        if user.is_bot:
            body["profile"]["bot_id"] = self.bot_id
        if include_locale:
            body["locale"] = user.locale
        return body

    def users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.user(str(args["user"]).strip())
        if user is None:
            raise SlackError("user_not_found")
        return {"user": self.user_object(user, include_locale=truthy(args.get("include_locale")))}

    # -- files ----------------------------------------------------------------------------------

    def files_get_upload_url_external(self, args: dict[str, Any]) -> dict[str, Any]:
        """A new file id; the stand-in adds the ``upload_url``, which needs its address."""
        length = _positive_int(args["length"])
        if length is None:
            # Slack's word for a length of 0 (and for one that is no positive integer at all).
            raise SlackError("missing_argument")
        alt_txt = _str_arg(args, "alt_txt")
        if alt_txt is not None and len(alt_txt) > MAX_ALT_TEXT:
            raise SlackError("alt_txt_too_large")
        file_id = self.next_id("F")
        self.uploads[file_id] = Upload(
            id=file_id,
            name=str(args["filename"]),
            length=length,
            created=int(time.time()),
            alt_txt=alt_txt or None,
        )
        return {"file_id": file_id}

    def pending_upload(self, file_id: str) -> Upload | None:
        """The upload whose URL takes bytes now: issued, and not completed yet."""
        upload = self.uploads.get(file_id)
        return upload if upload is not None and not upload.completed else None

    def _share_targets(self, args: dict[str, Any]) -> dict[str, str | None]:
        """Where the files go: each conversation id, with the user whose DM it is (if any)."""
        targets: dict[str, str | None] = {}
        channel_id = (_str_arg(args, "channel_id") or "").strip()
        if channel_id:
            if not SHARE_CHANNEL_ID.fullmatch(channel_id):
                # Slack's answer to a user id (or a #name) here; the DM's D… id is what works.
                raise invalid_arguments(
                    "[ERROR] input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ "
                    "[json-pointer:/channel_id]"
                )
            targets[channel_id] = None
        for raw in (_str_arg(args, "channels") or "").split(","):
            value = raw.strip()
            if not value:
                continue
            if USER_ID.fullmatch(value):
                # channels, unlike channel_id, takes user ids: the file goes to the DM with them.
                targets.setdefault(self.dm_id(value), value)
            elif SHARE_CHANNEL_ID.fullmatch(value):
                targets.setdefault(value, None)
            else:
                raise SlackError("invalid_channel")
        if len(targets) > MAX_SHARE_CHANNELS:
            raise SlackError("channels_limit_exceeded")
        return targets

    def _completed_files(self, args: dict[str, Any]) -> list[tuple[Upload, str | None]]:
        try:
            items = json_value(args["files"])
        except ValueError:
            raise invalid_arguments("[ERROR] invalid JSON [json-pointer:/files]") from None
        if not isinstance(items, list) or not items:
            raise invalid_arguments("[ERROR] must be a non-empty array [json-pointer:/files]")
        chosen: list[tuple[Upload, str | None]] = []
        for index, item in enumerate(items):
            file_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(file_id, str) or is_blank(file_id):
                raise invalid_arguments(
                    f"[ERROR] missing required field: id [json-pointer:/files/{index}]"
                )
            upload = self.pending_upload(file_id.strip())
            # Never issued, its bytes never POSTed to the upload URL, or completed already.
            if upload is None or upload.content is None:
                raise SlackError("file_not_found")
            if any(upload is seen for seen, _ in chosen):
                continue
            title = item.get("title")
            chosen.append((upload, None if title is None else str(title)))
        return chosen

    def _file_object(self, upload: Upload) -> dict[str, Any]:
        name = quote(upload.name, safe="")
        private = f"https://files.slack.com/files-pri/{self.team_id}-{upload.id}"
        permalink = f"https://{self.domain}.slack.com/files/{self.bot_user_id}/{upload.id}/{name}"
        body: dict[str, Any] = {
            "id": upload.id,
            "created": upload.created,
            "timestamp": upload.created,
            "name": upload.name,
            "title": upload.title,
            # Slack works out the type after answering, as it shares the file: a fresh upload's
            # type is still blank, and so are its shares and channels.
            "mimetype": "",
            "filetype": "",
            "pretty_type": "",
            "user": self.bot_user_id,
            "user_team": self.team_id,
            "editable": False,
            "size": len(upload.content or b""),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": False,
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": f"{private}/{name}",
            "url_private_download": f"{private}/download/{name}",
            "media_display_type": "unknown",
            "permalink": permalink,
            "comments_count": 0,
            "is_starred": False,
            "shares": {},
            "channels": [],
            "groups": [],
            "ims": [],
            "has_more_shares": False,
            "has_rich_preview": False,
            "file_access": "visible",
        }
        if upload.alt_txt:
            body["alt_txt"] = upload.alt_txt
        return body

    def _share_blocks(self, args: dict[str, Any]) -> list[dict[str, Any]] | None:
        raw = args.get("blocks")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            blocks = copy.deepcopy(json_value(raw))
        except ValueError:
            raise SlackError("invalid_blocks") from None
        if not isinstance(blocks, list):
            raise SlackError("invalid_blocks")
        problems = blockkit.check_blocks(blocks, "/blocks", blockkit.MESSAGE_MAX_BLOCKS)
        if problems:
            raise SlackError("invalid_blocks", problems)
        return blocks or None

    def files_complete_upload_external(self, args: dict[str, Any]) -> dict[str, Any]:
        chosen = self._completed_files(args)
        targets = self._share_targets(args)
        thread_ts = (_str_arg(args, "thread_ts") or "").strip() or None
        if thread_ts and len(targets) > 1:
            raise invalid_arguments("[ERROR] thread_ts needs exactly one channel")
        initial_comment = _str_arg(args, "initial_comment") or None
        # Slack ignores blocks when there is an initial_comment.
        blocks = None if initial_comment else self._share_blocks(args)
        for upload, title in chosen:
            upload.completed = True
            upload.title = title if title is not None else upload.name
            upload.initial_comment = initial_comment
        files = [self._file_object(upload) for upload, _ in chosen]
        for channel, peer in targets.items():
            if peer is not None:
                self.dms[channel] = peer
            # One message shares every file of the call, as in Slack.
            content: dict[str, Any] = {"text": initial_comment or ""}
            if blocks:
                content["blocks"] = copy.deepcopy(blocks)
            message = self._bot_message(content, self.next_ts())
            message.update(
                {
                    "subtype": "file_share",
                    "files": copy.deepcopy(files),
                    "upload": True,
                    "display_as_bot": False,
                }
            )
            self._store_posted(channel, message, thread_ts, broadcast=False)
            for upload, _ in chosen:
                upload.channels.append(channel)
                upload.thread_ts = thread_ts
                upload.ts = upload.ts or str(message["ts"])
        return {"files": files}

    def file_records(self) -> list[dict[str, Any]]:
        return [u.record() for u in self.uploads.values() if u.completed]

    # -- views ----------------------------------------------------------------------------------

    def _use_trigger(self, args: dict[str, Any]) -> None:
        trigger = _str_arg(args, "trigger_id") or _str_arg(args, "interactivity_pointer")
        if is_blank(trigger):
            raise invalid_arguments(missing_field("trigger_id"))
        assert trigger is not None
        if trigger in self.used_triggers:
            raise SlackError("exchanged_trigger_id")
        minted = self.minted_triggers.get(trigger)
        if minted is not None and time.monotonic() - minted > TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        self.used_triggers.add(trigger)

    @staticmethod
    def _parse_view(args: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
        try:
            view = copy.deepcopy(json_value(args["view"]))
        except ValueError:
            raise invalid_arguments("[ERROR] invalid JSON [json-pointer:/view]") from None
        problems = blockkit.check_view(view, allowed)
        if problems:
            # Slack reports view problems as invalid_arguments, not invalid_blocks.
            raise invalid_arguments(*problems)
        return dict(view)

    def _view_hash(self) -> str:
        self._seq += 1
        return f"{int(time.time())}.{hashlib.sha1(str(self._seq).encode()).hexdigest()[:8]}"

    def _save_view(
        self, view: dict[str, Any], *, view_id: str | None, root: str | None, previous: str | None
    ) -> dict[str, Any]:
        external_id = view.get("external_id") or ""
        view_id = view_id or self.next_id("V")
        owner = self.external_ids.get(external_id) if external_id else None
        if owner is not None and owner != view_id:
            raise SlackError("duplicate_external_id")
        stored: dict[str, Any] = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": external_id,
            "state": {"values": {}},
            "hash": self._view_hash(),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "root_view_id": root or view_id,
            "previous_view_id": previous,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        if "title" in view:
            stored["title"] = view["title"]
        if external_id:
            self.external_ids[external_id] = view_id
        self.views[view_id] = stored
        return {"view": copy.deepcopy(stored)}

    def views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._parse_view(args, frozenset({"modal", "workflow_step"}))
        self._use_trigger(args)
        return self._save_view(view, view_id=None, root=None, previous=None)

    def views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._parse_view(args, frozenset({"modal", "workflow_step"}))
        self._use_trigger(args)
        return self._save_view(view, view_id=None, root=None, previous=None)

    def _check_hash(self, args: dict[str, Any], current: dict[str, Any]) -> None:
        given = _str_arg(args, "hash")
        if given and given != current["hash"]:
            raise SlackError("hash_conflict")

    def views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = _str_arg(args, "view_id")
        external_id = _str_arg(args, "external_id")
        if not view_id and not external_id:
            raise invalid_arguments(missing_field("view_id"))
        if not view_id:
            assert external_id is not None
            view_id = self.external_ids.get(external_id)
        current = self.views.get(view_id or "")
        if current is None:
            raise SlackError("not_found")
        view = self._parse_view(args, frozenset({current["type"]}))
        self._check_hash(args, current)
        return self._save_view(
            view,
            view_id=current["id"],
            root=current["root_view_id"],
            previous=current["previous_view_id"],
        )

    def views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args["user_id"]).strip()
        view = self._parse_view(args, frozenset({"home"}))
        current_id = self.home_views.get(user_id)
        current = self.views.get(current_id) if current_id else None
        if current is not None:
            self._check_hash(args, current)
        saved = self._save_view(view, view_id=current_id, root=None, previous=None)
        self.home_views[user_id] = saved["view"]["id"]
        return saved
