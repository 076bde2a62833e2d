"""Retention of uploaded documents (PIPL art. 19 and 47: kept no longer than the purpose needs).

The files of an application that has ended (审核不通过, cards 已自取 or 已邮寄, an approved 注销卡 or 仅更换护照:
`lifecycle.is_open` is false) are deleted `document_retention_days` after its end (the time of its last status
change; 183 days by default, e.g. six months after the card was mailed), and so are the files of deleted drafts
that long after their upload. An application keeps its documents while one of its follow-ups is still open.
What stays: the Document row with `purged_at` set (pages say 已按规定删除), the status history, the people's
data and the security log, where each run is recorded. A file shared with a later application (续办 copies the
row, not the file) is deleted only when no live row names it.

Runs daily in one worker (the job lease), or now with `cli purge-documents`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, tuple_
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from apec_app.domain import lifecycle, virtual_card
from apec_app.integrations import storage
from apec_app.models import Application, Card, Document, Person, StatusEvent
from apec_app.services.operations import leases
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings

JOB = "purge_documents"
PERIOD = timedelta(days=1)
BATCH = 500
# (business type, status) of an application that has ended, as `lifecycle.is_open` says.
_STATUSES = lifecycle.FINAL_STATUSES | {lifecycle.APPROVED}
ENDED = sorted((k, s) for k in lifecycle.BUSINESS_TYPES for s in _STATUSES if not lifecycle.is_open(k, s))


@dataclass(frozen=True)
class Purged:
    documents: int
    files: int
    applications: list[str]


def _card_photo(today: date) -> ColumnElement[bool]:
    """A holder's photo while one of that application's people holds an issued card not yet expired: the virtual
    card shows it to border officers (services/cards/virtual.py). It goes once the card has ended."""
    live_card = (
        select(Card.id)
        .join(Person, col(Person.id) == Card.person_id)
        .where(
            col(Person.application_id) == Document.application_id,
            col(Card.status).in_(virtual_card.ISSUED_STATUSES),
            col(Card.valid_until) >= today,
        )
    )
    return (col(Document.kind) == "photo") & live_card.exists()


def cutoff(uow: UnitOfWork) -> datetime:
    return uow.now() - timedelta(days=get_settings().document_retention_days)


def _ended(model: type[Application]) -> ColumnElement[bool]:
    return tuple_(col(model.business_type), col(model.status)).in_(ENDED)


def _ended_before(db: Session, before: datetime, today: date, limit: int) -> list[int]:
    """Applications that ended before `before` and still hold unpurged documents, except those with a submitted
    follow-up still in progress (its reviewers may still look at the application it came from)."""
    ended_at = (
        select(func.max(StatusEvent.created_at)).where(StatusEvent.application_id == Application.id).scalar_subquery()
    )
    holding = select(Document.id).where(
        Document.application_id == Application.id, col(Document.purged_at).is_(None), ~_card_photo(today)
    )
    followup = aliased(Application)
    open_followup = select(followup.id).where(
        followup.parent_application_id == Application.id, followup.status != lifecycle.DRAFT, ~_ended(followup)
    )
    query = (
        select(Application.id)
        .where(_ended(Application), ended_at <= before, holding.exists(), ~open_followup.exists())
        .order_by(col(Application.id))
        .limit(limit)
    )
    return [app_id for app_id in db.exec(query).all() if app_id is not None]


def due(uow: UnitOfWork, limit: int = BATCH) -> list[Document]:
    """The documents whose retention ended, at most `limit` (those of ended applications, then orphans)."""
    db, before = uow.db, cutoff(uow)
    applications = _ended_before(db, before, uow.today(), limit)
    unpurged = col(Document.purged_at).is_(None)
    found = list(
        db.exec(
            select(Document)
            .where(col(Document.application_id).in_(applications), unpurged, ~_card_photo(uow.today()))
            .order_by(col(Document.id))
            .limit(limit)
        ).all()
    )
    if len(found) < limit:
        orphans = select(Document).where(
            col(Document.application_id).is_(None), col(Document.created_at) <= before, unpurged
        )
        found += db.exec(orphans.order_by(col(Document.id)).limit(limit - len(found))).all()
    return found


def purge_due(uow: UnitOfWork, limit: int = BATCH) -> Purged:
    """Mark up to `limit` due documents purged and delete their files, in the caller's transaction.

    The files go last, after the rows are marked and flushed: should the commit then fail, the rows are still
    unmarked and the next run marks them (their files already gone), so no row is ever marked while its file
    is still there.
    """
    db = uow.db
    documents = due(uow, limit)
    if not documents:
        return Purged(0, 0, [])
    for document in documents:
        document.purged_at = uow.now()
        db.add(document)
    db.flush()
    keys = {d.storage_key for d in documents}
    still_used = set(
        db.exec(
            select(Document.storage_key).where(col(Document.storage_key).in_(keys), col(Document.purged_at).is_(None))
        ).all()
    )
    gone = sorted(keys - still_used)
    numbers = _numbers(db, {d.application_id for d in documents if d.application_id is not None})
    log_event(
        db,
        "documents_purged",
        actor=uow.actor,
        detail=f"{len(documents)} documents, {len(gone)} files of {len(numbers)} applications: {', '.join(numbers)}",
    )
    deleted = sum(storage.delete_private(key) for key in gone)  # a file already gone (an earlier failed run) is 0
    return Purged(len(documents), deleted, numbers)


def _numbers(db: Session, ids: set[int]) -> list[str]:
    if not ids:
        return []
    rows = db.exec(select(Application.id, Application.number).where(col(Application.id).in_(ids))).all()
    return sorted(number or f"#{app_id}" for app_id, number in rows)


def purge_all(uow: UnitOfWork, batch: int = BATCH) -> Purged:
    """Every due document, in committed batches (`uow` without a transaction of its own): what went, in all."""
    documents = files = 0
    numbers: set[str] = set()
    while True:
        with uow.begin() as tx:
            purged = purge_due(tx, batch)
        documents, files = documents + purged.documents, files + purged.files
        numbers.update(purged.applications)
        if purged.documents < batch:
            return Purged(documents, files, sorted(numbers))


def run_job(uow: UnitOfWork, holder: str) -> Purged | None:
    """The scheduled run: None when another worker holds today's lease, else what was purged."""
    with uow.begin() as tx:
        if not leases.claim(tx, JOB, PERIOD, holder):
            return None
    return purge_all(uow)
