"""The delivery ledger: every message the bot sends on its own is a row before it is a message.

A row's life: `pending` (due at `next_attempt_at`) → claimed by one worker under a lease →
`sending` (committed just before the call to Slack) → `sent` with the channel and `ts`, or back to
`pending` for a retry, or `failed` after the last attempt. `expired` when it was found overdue and
no longer useful, `cancelled` when its cause went away. The idempotency key is unique, so planning
the same message twice is one row, and a row that was sent is never planned again.

A row left in `sending` with its lease run out is the only one whose fate is unknown (the process
died, or the call timed out, between the call and the record): the dispatcher looks for the key in
the conversation's history before it sends again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, or_, update
from sqlmodel import Session, col, select

from storage.database import upsert
from storage.models import Delivery, DeliveryState, RateLimitGate

OPEN_STATES = (DeliveryState.PENDING.value, DeliveryState.SENDING.value)


def plan(
    session: Session,
    key: str,
    *,
    kind: str,
    recipient: str,
    due_at: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
) -> Delivery:
    """Creates the row, or moves an unsent one to its new due time. A sent row stays sent.

    Creating is one INSERT … ON CONFLICT DO NOTHING: two processes planning the same message at
    once (both reconciling at start-up, say) make one row, and neither fails.
    """
    row = session.exec(select(Delivery).where(Delivery.key == key)).first()
    if row is None:
        session.execute(
            upsert(session, Delivery)
            .values(
                key=key,
                kind=kind,
                recipient=recipient,
                due_at=due_at,
                next_attempt_at=due_at,
                state=DeliveryState.PENDING.value,
                attempts=0,
                payload=payload or {},
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["key"])
        )
        return session.exec(select(Delivery).where(Delivery.key == key)).one()
    if row.state in (DeliveryState.SENT.value, DeliveryState.SENDING.value):
        return row
    moved = row.due_at != due_at
    if row.state in (DeliveryState.FAILED.value, DeliveryState.EXPIRED.value) and not moved:
        return row  # planning again must not retry what already failed; a new time may
    changed = moved or row.state != DeliveryState.PENDING.value or row.payload != (payload or {})
    if changed:
        row.due_at = due_at
        row.next_attempt_at = due_at
        row.state = DeliveryState.PENDING.value
        row.attempts = 0
        row.last_error = None
        row.lease_until = None
        row.leased_by = None
        row.payload = payload or {}
        row.updated_at = now
        session.add(row)
    return row


def cancel(session: Session, keys: Iterable[str], now: datetime, reason: str) -> int:
    """Cancels the rows not yet sent; a row mid-send is re-checked by the dispatcher instead."""
    wanted = list(keys)
    if not wanted:
        return 0
    result = session.execute(
        update(Delivery)
        .where(col(Delivery.key).in_(wanted))
        .where(col(Delivery.state) == DeliveryState.PENDING.value)
        .values(state=DeliveryState.CANCELLED.value, last_error=reason, updated_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def claim_keys(
    session: Session, keys: Sequence[str], *, now: datetime, worker: str, lease: timedelta
) -> list[Delivery]:
    """Leases these rows if they are due or waiting (`dei-bot announce`: this one, now)."""
    rows = list(
        session.exec(
            select(Delivery)
            .where(col(Delivery.key).in_(list(keys)))
            .where(
                or_(
                    (col(Delivery.state) == DeliveryState.PENDING.value)
                    & (or_(col(Delivery.lease_until).is_(None), col(Delivery.lease_until) < now)),
                    (col(Delivery.state) == DeliveryState.SENDING.value)
                    & (col(Delivery.lease_until) < now),
                )
            )
            .with_for_update()
        )
    )
    for row in rows:
        row.lease_until, row.leased_by = now + lease, worker
        session.add(row)
    return rows


def claim_due(
    session: Session,
    *,
    now: datetime,
    worker: str,
    lease: timedelta,
    limit: int,
    skip_locked: bool,
) -> list[Delivery]:
    """Leases up to `limit` due rows to `worker`. Run it in a write transaction.

    PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several processes claim disjoint rows without waiting.
    SQLite: the caller's `BEGIN IMMEDIATE` already makes this the only writer.
    """
    due = (
        select(Delivery)
        .where(
            or_(
                (col(Delivery.state) == DeliveryState.PENDING.value)
                & (col(Delivery.next_attempt_at) <= now)
                & (or_(col(Delivery.lease_until).is_(None), col(Delivery.lease_until) < now)),
                (col(Delivery.state) == DeliveryState.SENDING.value)
                & (col(Delivery.lease_until) < now),
            )
        )
        .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
        .limit(limit)
    )
    if skip_locked:
        due = due.with_for_update(skip_locked=True)
    rows = list(session.exec(due))
    for row in rows:
        row.lease_until = now + lease
        row.leased_by = worker
        session.add(row)
    return rows


def begin_attempt(session: Session, row_id: int, *, worker: str, now: datetime) -> bool:
    """Marks the row `sending` just before the call; False if this worker lost its lease."""
    result = session.execute(
        update(Delivery)
        .where(col(Delivery.id) == row_id)
        .where(col(Delivery.leased_by) == worker)
        .where(col(Delivery.lease_until) > now)
        .where(col(Delivery.state).in_(OPEN_STATES))
        .values(
            state=DeliveryState.SENDING.value,
            attempt_started_at=now,
            attempts=Delivery.attempts + 1,
            updated_at=now,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _finish(session: Session, row_id: int, now: datetime, **values: Any) -> None:
    values.setdefault("leased_by", None)
    session.execute(
        update(Delivery)
        .where(col(Delivery.id) == row_id)
        .values(lease_until=None, updated_at=now, **values)
    )


def record_sent(
    session: Session, row_id: int, *, channel: str, ts: str, now: datetime, worker: str
) -> None:
    """`leased_by` stays, naming the process that sent it (for operators, and the tests)."""
    _finish(
        session,
        row_id,
        now,
        leased_by=worker,
        state=DeliveryState.SENT.value,
        channel=channel,
        ts=ts,
        sent_at=now,
        last_error=None,
    )


def record_retry(
    session: Session, row_id: int, *, at: datetime, error: str, now: datetime, refund: bool = False
) -> None:
    """Back to `pending` until `at`. `refund`: the attempt does not count (a 429 is not a fault)."""
    values: dict[str, Any] = {
        "state": DeliveryState.PENDING.value,
        "next_attempt_at": at,
        "last_error": error,
        "attempt_started_at": None,
    }
    if refund:
        values["attempts"] = Delivery.attempts - 1
    _finish(session, row_id, now, **values)


def record_uncertain(
    session: Session, row_id: int, *, at: datetime, error: str, now: datetime
) -> None:
    """The call may have landed: stays `sending`, so whoever claims it after `at` checks first."""
    session.execute(
        update(Delivery)
        .where(col(Delivery.id) == row_id)
        .values(
            state=DeliveryState.SENDING.value,
            lease_until=at,
            leased_by=None,
            last_error=error,
            updated_at=now,
        )
    )


def release(session: Session, row_id: int, *, at: datetime, now: datetime) -> None:
    """Hands a claimed row back untouched, due again at `at` (its method is rate limited)."""
    _finish(session, row_id, now, next_attempt_at=at)


def record_failed(session: Session, row_id: int, *, error: str, now: datetime) -> None:
    _finish(session, row_id, now, state=DeliveryState.FAILED.value, last_error=error)


def record_expired(session: Session, row_id: int, *, reason: str, now: datetime) -> None:
    _finish(session, row_id, now, state=DeliveryState.EXPIRED.value, last_error=reason)


def record_cancelled(session: Session, row_id: int, *, reason: str, now: datetime) -> None:
    _finish(session, row_id, now, state=DeliveryState.CANCELLED.value, last_error=reason)


def by_key(session: Session, key: str, *, lock: bool = False) -> Delivery | None:
    """`lock`: PostgreSQL's row lock till the transaction ends (SQLite's writer holds it all)."""
    statement = select(Delivery).where(Delivery.key == key)
    if lock:
        statement = statement.with_for_update()
    return session.exec(statement).first()


def anything_due(session: Session, now: datetime) -> bool:
    """A read, without the write lock: most seconds nothing is due, and the claim can wait."""
    due = session.exec(
        select(Delivery.id)
        .where(
            or_(
                (col(Delivery.state) == DeliveryState.PENDING.value)
                & (col(Delivery.next_attempt_at) <= now),
                (col(Delivery.state) == DeliveryState.SENDING.value)
                & (col(Delivery.lease_until) < now),
            )
        )
        .limit(1)
    ).first()
    return due is not None


def next_due(session: Session, after: datetime) -> datetime | None:
    """When the first row waiting beyond `after` falls due (the sandbox's clock stops there)."""
    return session.exec(
        select(func.min(Delivery.next_attempt_at))
        .where(col(Delivery.state) == DeliveryState.PENDING.value)
        .where(col(Delivery.next_attempt_at) > after)
    ).first()


def gates(session: Session, now: datetime) -> dict[str, datetime]:
    """Methods still closed by a 429's Retry-After, and until when."""
    rows = session.exec(select(RateLimitGate).where(col(RateLimitGate.not_before) > now))
    return {row.method: row.not_before for row in rows}


def close_gate(session: Session, method: str, until: datetime) -> None:
    """One statement, as two workers may meet the same 429 at once; the later end wins."""
    statement = upsert(session, RateLimitGate).values(method=method, not_before=until)
    later = case(
        (col(RateLimitGate.not_before) > statement.excluded.not_before, RateLimitGate.not_before),
        else_=statement.excluded.not_before,
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[RateLimitGate.method], set_={"not_before": later}
        )
    )
