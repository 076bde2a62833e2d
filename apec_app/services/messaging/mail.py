"""The email outbox: mail is queued in the same transaction as the change it reports and sent later,
with retries, so a mail outage never loses a status change (and a failed change never sends mail)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from apec_app.models import OutboxEmail

logger = logging.getLogger("apec.mail")

CLAIM_FOR = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)

# (to, subject, body) -> None; raises on failure.
Sender = Callable[[str, str, str], None]


def queue_email(db: Session, to_address: str, subject: str, body: str, *, now: datetime) -> OutboxEmail:
    row = OutboxEmail(to_address=to_address, subject=subject, body=body, created_at=now, next_attempt_at=now)
    db.add(row)
    return row


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=15 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _due_ids(db: Session, now: datetime, limit: int) -> list[int]:
    due = db.exec(
        select(OutboxEmail.id)
        .where(
            col(OutboxEmail.sent_at).is_(None),
            OutboxEmail.kept == False,  # noqa: E712 - SQL expression
            col(OutboxEmail.next_attempt_at) <= now,
            or_(col(OutboxEmail.claimed_until).is_(None), col(OutboxEmail.claimed_until) < now),
        )
        .order_by(col(OutboxEmail.id))
        .limit(limit)
    ).all()
    return cast("list[int]", list(due))  # primary keys: never NULL


def _claim(db: Session, email_id: int, now: datetime) -> bool:
    """A conditional UPDATE: of several workers, exactly one gets each row."""
    result = db.exec(
        update(OutboxEmail)
        .where(
            col(OutboxEmail.id) == email_id,
            col(OutboxEmail.sent_at).is_(None),
            or_(col(OutboxEmail.claimed_until).is_(None), col(OutboxEmail.claimed_until) < now),
        )
        .values(claimed_until=now + CLAIM_FOR)
    )
    db.commit()
    return result.rowcount == 1


def deliver_due(db: Session, sender: Sender | None, *, now: datetime, limit: int = 50) -> dict[str, int]:
    """Send what is due. Without a sender (no SMTP configured) mail is kept for the development mailbox."""
    counts = {"sent": 0, "failed": 0, "kept": 0}
    for email_id in _due_ids(db, now, limit):
        if not _claim(db, email_id, now):
            continue
        row = db.get(OutboxEmail, email_id)
        if row is None:
            continue
        if sender is None:
            row.kept = True
            row.claimed_until = None
            counts["kept"] += 1
            logger.info("mail kept (no SMTP configured) to=%s subject=%s", row.to_address, row.subject)
        else:
            row.attempts += 1
            try:
                sender(row.to_address, row.subject, row.body)
            except Exception as exc:  # noqa: BLE001 - any transport error means retry later
                row.last_error = str(exc)[:500]
                row.next_attempt_at = now + backoff(row.attempts)
                row.claimed_until = None
                counts["failed"] += 1
                logger.warning("mail to %s failed (attempt %s): %s", row.to_address, row.attempts, exc)
            else:
                row.sent_at = now
                row.claimed_until = None
                row.last_error = None
                counts["sent"] += 1
        db.add(row)
        db.commit()
    return counts


def recent_emails(db: Session, limit: int = 50) -> list[OutboxEmail]:
    return list(db.exec(select(OutboxEmail).order_by(col(OutboxEmail.id).desc()).limit(limit)).all())
