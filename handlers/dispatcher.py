"""The dispatcher: claims due rows of the delivery ledger, sends them, records what Slack said.

APScheduler wakes it every second; the database is the truth, so any number of processes can
run it: each claims disjoint rows under a lease. Per row: re-check that it is still wanted,
commit `sending`, call Slack once, record the result. The one row whose fate can be unknown (a
crash or a timeout between the call and the record) is looked up in the conversation's history,
by the key each message carries in its metadata, before it is sent again.

Rate limits: a 429 closes that method's gate until Retry-After has passed, for every process
(the gate is a row); rows that need a closed method are handed back for later, and the work
goes on with the rest. No thread sleeps on a 429.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers import announcements, i18n, reminders
from handlers.outgoing import Later, Outgoing
from handlers.reminder_blocks import GAVE_UP, REFUSED, UNEXPECTED
from storage import announcements as announcement_kinds
from storage import deliveries, meetings, members
from storage.database import Database
from storage.models import Delivery, DeliveryState
from storage.reminder_plans import FAILURE_NOTICE, failure_notices

log = logging.getLogger("dei_bot.dispatcher")

EVENT_TYPE = "dei_bot_delivery"
POST = "chat.postMessage"
UPDATE = "chat.update"
UPLOAD = "files.upload_v2"
# No message metadata to look for afterwards: an edit made twice is the same edit, and a file
# shared twice after a crash is a small price (it carries no key Slack lets us search for).
EDITS = (announcement_kinds.ANNOUNCEMENT_UPDATE, announcement_kinds.CALENDAR_FILE)
HISTORY = "conversations.history"
OPEN_DM = "conversations.open"
PROFILE = "users.info"
# ok:false answers that may succeed later; any other is final (channel_not_found, invalid_blocks …)
TRANSIENT_ERRORS = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}


@dataclass(frozen=True)
class Tuning:
    batch: int = 50
    lease: timedelta = timedelta(seconds=30)
    max_attempts: int = 5
    first_backoff: timedelta = timedelta(seconds=1)
    max_backoff: timedelta = timedelta(minutes=5)
    budget: timedelta = timedelta(seconds=20)  # one wake-up's work, so shutdown is prompt
    workers: int = 2

    @property
    def call_timeout(self) -> int:
        # A call must end well inside the lease, or another worker could take the row mid-call.
        return max(1, min(10, int(self.lease.total_seconds() / 3)))


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    cancelled: int = 0
    deferred: int = 0  # handed back because a method was rate limited
    found_in_history: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, outcome: str) -> None:
        with self._lock:
            setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_") and v}

    def __bool__(self) -> bool:
        return bool(self.summary())


@dataclass
class Gates:
    """Methods closed by a 429, learned locally at once and from other processes each batch."""

    until: dict[str, datetime] = field(default_factory=dict)

    def closed(self, method: str, now: datetime) -> datetime | None:
        until = self.until.get(method)
        return until if until and until > now else None


def retry_after(headers: dict[str, Any]) -> int:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(1, int(float(value[0] if isinstance(value, list) else value)))
            except ValueError:
                break
    return 1


class RateLimited(Exception):
    """`before_send`: our own gate stopped the call; otherwise Slack answered 429 to it."""

    def __init__(self, method: str, until: datetime, *, before_send: bool) -> None:
        super().__init__(f"{method}: 429 until {until.isoformat()}")  # the ledger's record
        self.method = method
        self.until = until
        self.before_send = before_send


class Uncertain(Exception):
    """The call may or may not have reached Slack (timeout, dropped connection, 5xx)."""


class Dispatcher:
    def __init__(
        self,
        db: Database,
        client: WebClient,
        *,
        coordinators: tuple[str, ...],
        group_zone: ZoneInfo,
        clock: Callable[[], datetime],
        tuning: Tuning = Tuning(),
        worker: str | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.coordinators = coordinators
        self.group_zone = group_zone
        self.clock = clock
        self.tuning = tuning
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.gates = Gates()
        self.client.timeout = tuning.call_timeout
        self.method_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self.fresh_profiles: set[str] = set()
        self.pool = ThreadPoolExecutor(max_workers=tuning.workers, thread_name_prefix="dispatch")

    def run_once(self) -> DispatchReport:
        report = DispatchReport()
        deadline = self.clock() + self.tuning.budget
        while self.clock() < deadline:
            rows = self.claim()
            if not rows:
                break
            # Database work overlaps across rows; each Slack method still sees one call at a time.
            list(self.pool.map(lambda row: self.deliver(row, report, deadline), rows))
        if report:
            log.info("dispatch: %s", report.summary())
        return report

    def deliver_now(self, key: str) -> DispatchReport:
        """Sends one row at once, whatever its due time (`dei-bot announce`)."""
        report = DispatchReport()
        with self.db.transaction(write=True) as session:
            rows = deliveries.claim_keys(
                session, [key], now=self.clock(), worker=self.worker, lease=self.tuning.lease
            )
        for row in rows:
            self.deliver(row, report, self.clock() + self.tuning.budget)
        return report

    def claim(self) -> list[Delivery]:
        now = self.clock()
        with self.db.transaction() as session:
            if not deliveries.anything_due(session, now):
                return []
        # Losing a claim in a server crash only frees the rows again.
        with self.db.transaction(write=True, durable=False) as session:
            self.gates.until.update(deliveries.gates(session, now))
            if self.gates.closed(POST, now):
                return []  # everything we send is a post: leave the rows for whoever can send
            return deliveries.claim_due(
                session,
                now=now,
                worker=self.worker,
                lease=self.tuning.lease,
                limit=self.tuning.batch,
                skip_locked=self.db.is_postgresql,
            )

    def deliver(self, row: Delivery, report: DispatchReport, deadline: datetime) -> None:
        assert row.id is not None
        if self.clock() >= deadline:
            self.hand_back(row, self.clock())
            return
        # Where it was when a 429 came: it decides what the row's state must say.
        phase = "history" if row.state == DeliveryState.SENDING else "prepare"
        if row.kind in EDITS:
            phase = "prepare"  # an edit made twice is the same edit: no need to look back
        try:
            if phase == "history":
                found = self.find_in_history(row)
                if found:
                    self.record(row, report, sent=found, from_history=True)
                    return
            phase = "prepare"
            self.refresh_profile(row.recipient)
            with self.db.transaction(write=True) as session:
                member = members.get(session, row.recipient)
                reader = (
                    i18n.language_for(member.preferred_language, member.locale) if member else None
                )
                with i18n.speaking(reader):
                    outgoing = reminders.compose(
                        session, row, self.clock(), self.group_zone, member
                    )
                if isinstance(outgoing, reminders.Unwanted):
                    self.record_unwanted(session, row, outgoing, report)
                    return
                if isinstance(outgoing, Later):
                    deliveries.release(session, row.id, at=outgoing.until, now=self.clock())
                    report.add("deferred")
                    return
                if not deliveries.begin_attempt(
                    session, row.id, worker=self.worker, now=self.clock()
                ):
                    return  # the lease ran out and another worker has the row now
                cached_dm = member.dm_channel if member else None
                channel = row.channel or cached_dm or row.recipient
            phase = "post"
            self.record(row, report, sent=self.post(row, channel, outgoing), cached_dm=cached_dm)
        except RateLimited as limited:
            report.add("deferred")
            self.close_gate(limited)
            with self.db.transaction(write=True) as session:
                if phase == "history":
                    # Still unknown whether the earlier attempt landed: look again later.
                    deliveries.record_uncertain(
                        session, row.id, at=limited.until, error=str(limited), now=self.clock()
                    )
                elif phase == "post":
                    # Slack did not act on a call it answered 429 (or that our gate held back).
                    deliveries.record_retry(
                        session,
                        row.id,
                        at=limited.until,
                        error=str(limited),
                        now=self.clock(),
                        refund=True,
                    )
                else:
                    deliveries.release(session, row.id, at=limited.until, now=self.clock())
        except Uncertain as error:
            self.retry_or_fail(row, report, str(error), uncertain=phase != "prepare")
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown_error"))
            if code in TRANSIENT_ERRORS:
                self.retry_or_fail(row, report, code, uncertain=False)
            else:
                self.fail(row, report, REFUSED, code=code)
        except Exception:
            # One bad row must not stop the others; it is retried, and fails after the last try.
            log.exception("delivery %s: unexpected error", row.key)
            self.retry_or_fail(row, report, UNEXPECTED, uncertain=phase != "prepare")

    def hand_back(self, row: Delivery, at: datetime) -> None:
        assert row.id is not None
        with self.db.transaction(write=True) as session:
            deliveries.release(session, row.id, at=at, now=self.clock())

    def call(self, method: str, **arguments: Any) -> Any:
        """One call, no hidden retries: a 429, a 5xx or a timeout comes back to the ledger.

        One call per method at a time: when a 429 arrives, no other call of that method is in
        flight, and the gate is closed before the next one may start.
        """
        with self.method_locks[method]:
            until = self.gates.closed(method, self.clock())
            if until:
                raise RateLimited(method, until, before_send=True)
            try:
                return getattr(self.client, method.replace(".", "_"))(**arguments)
            except SlackApiError as error:
                status = error.response.status_code
                if status == 429:
                    until = self.clock() + timedelta(seconds=retry_after(error.response.headers))
                    self.gates.until[method] = until
                    raise RateLimited(method, until, before_send=False) from error
                if status >= 500:
                    raise Uncertain(f"{method}: HTTP {status}") from error
                raise
            except OSError as error:  # timeouts and dropped connections
                raise Uncertain(f"{method}: {type(error).__name__}") from error

    def post(self, row: Delivery, channel: str, outgoing: Outgoing) -> tuple[str, str]:
        if outgoing.update is not None:
            channel, ts = outgoing.update
            self.call(UPDATE, channel=channel, ts=ts, text=outgoing.text, blocks=outgoing.blocks)
            return channel, ts
        if outgoing.upload is not None:
            upload = outgoing.upload
            response = self.call(
                UPLOAD,
                channel=channel,
                thread_ts=upload.thread_ts or None,
                content=upload.content,
                filename=upload.filename,
                title=upload.title,
                initial_comment=outgoing.text,
            )
            files = response.get("files") or [{}]
            return channel, str(files[0].get("id", ""))  # a file has an id, not a ts
        response = self.call(
            POST,
            channel=channel,
            text=outgoing.text,
            blocks=outgoing.blocks,
            unfurl_links=False,
            metadata={"event_type": EVENT_TYPE, "event_payload": {"key": row.key}},
        )
        return str(response["channel"]), str(response["ts"])

    def refresh_profile(self, recipient: str) -> None:
        """The recipient's time zone, cached a week: users.info once per member, not per message."""
        if not recipient.startswith(("U", "W")) or recipient in self.fresh_profiles:
            return
        now = self.clock()
        with self.db.transaction() as session:
            fresh = members.profile_is_fresh(members.get(session, recipient), now)
        if not fresh:
            try:
                user = self.call(PROFILE, user=recipient, include_locale=True)["user"]
            except (Uncertain, SlackApiError) as error:
                log.warning(
                    "users.info for %s failed (%s); using the group's zone", recipient, error
                )
                return
            with self.db.transaction(write=True) as session:
                members.record_profile(
                    session, recipient, tz=user.get("tz"), locale=user.get("locale"), now=now
                )
        self.fresh_profiles.add(recipient)

    def find_in_history(self, row: Delivery) -> tuple[str, str] | None:
        """Did the interrupted attempt land? Its key is in the message metadata if so."""
        with self.db.transaction() as session:
            channel = row.channel or members.dm_channel(session, row.recipient)
        if channel is None and row.recipient.startswith(("U", "W")):
            channel = str(self.call(OPEN_DM, users=row.recipient)["channel"]["id"])
        channel = channel or row.recipient
        since = (row.attempt_started_at or row.created_at) - timedelta(minutes=5)
        cursor: str | None = None
        for _ in range(20):  # 20 pages of 200 messages since the attempt is far more than enough
            arguments: dict[str, Any] = {
                "channel": channel,
                "oldest": f"{since.timestamp():.6f}",
                "include_all_metadata": True,
                "limit": 200,
            }
            if cursor:
                arguments["cursor"] = cursor
            page = self.call(HISTORY, **arguments)
            for message in page.get("messages", []):
                metadata = message.get("metadata") or {}
                if metadata.get("event_type") == EVENT_TYPE and (
                    (metadata.get("event_payload") or {}).get("key") == row.key
                ):
                    return channel, str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        return None

    def record(
        self,
        row: Delivery,
        report: DispatchReport,
        *,
        sent: tuple[str, str],
        from_history: bool = False,
        cached_dm: str | None = None,
    ) -> None:
        assert row.id is not None
        channel, ts = sent
        # If a server crash loses this, the row is back to `sending` and the history check
        # finds the message: not durable is safe here, and saves a WAL flush per message.
        with self.db.transaction(write=True, durable=False) as session:
            deliveries.record_sent(
                session, row.id, channel=channel, ts=ts, now=self.clock(), worker=self.worker
            )
            if channel != cached_dm and channel.startswith("D") and row.recipient[0] in "UW":
                members.record_dm_channel(session, row.recipient, channel)
            if row.kind == announcement_kinds.MEETING_ANNOUNCEMENT:
                meeting_key = str(row.payload.get("meeting"))
                meeting = meetings.record_announcement(session, meeting_key, channel, ts)
                if meeting is not None:
                    announcements.share_calendar_file(session, meeting, self.clock())
        report.add("sent")
        if from_history:
            report.add("found_in_history")
            log.info("delivery %s had landed before an interruption; not sent again", row.key)

    def record_unwanted(
        self, session: Any, row: Delivery, unwanted: reminders.Unwanted, report: DispatchReport
    ) -> None:
        assert row.id is not None
        if unwanted.expired:
            deliveries.record_expired(session, row.id, reason=unwanted.reason, now=self.clock())
            report.add("expired")
        else:
            deliveries.record_cancelled(session, row.id, reason=unwanted.reason, now=self.clock())
            report.add("cancelled")

    def retry_or_fail(
        self, row: Delivery, report: DispatchReport, error: str, *, uncertain: bool
    ) -> None:
        assert row.id is not None
        with self.db.transaction(write=True) as session:
            fresh = deliveries.by_key(session, row.key)
            attempts = fresh.attempts if fresh else row.attempts
        if attempts >= self.tuning.max_attempts:
            self.fail(row, report, GAVE_UP, attempts=attempts, error=error)
            return
        backoff = min(
            self.tuning.first_backoff * (2 ** max(0, attempts - 1)), self.tuning.max_backoff
        )
        at = self.clock() + backoff * random.uniform(1.0, 1.25)
        with self.db.transaction(write=True) as session:
            if uncertain:
                # It stays `sending` until `at`: the next try starts by looking in the history.
                deliveries.record_uncertain(session, row.id, at=at, error=error, now=self.clock())
            else:
                deliveries.record_retry(session, row.id, at=at, error=error, now=self.clock())
        report.add("retried")

    def fail(self, row: Delivery, report: DispatchReport, reason: str, **details: Any) -> None:
        """`reason`: one of reminder_blocks.FAILURE_REASONS. The ledger keeps it in English for
        the operators; each coordinator's notice says it in their own language."""
        assert row.id is not None
        now = self.clock()
        error = reason.format(**details)
        with self.db.transaction(write=True) as session:
            deliveries.record_failed(session, row.id, error=error, now=now)
            if row.kind != FAILURE_NOTICE:
                why = {"reason": reason, "details": details}
                failure_notices(session, row, why, self.coordinators, now)
        report.add("failed")
        log.error("delivery %s to %s failed: %s", row.key, row.recipient, error)

    def close_gate(self, limited: RateLimited) -> None:
        self.gates.until[limited.method] = limited.until
        with self.db.transaction(write=True) as session:
            deliveries.close_gate(session, limited.method, limited.until)
