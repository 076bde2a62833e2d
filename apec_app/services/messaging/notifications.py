"""消息通知 (manual 1.1.7): messages go to the account that created the application only; emails go to the
enterprise email and, when an agent created it, to the agent's email too."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from datetime import datetime

from sqlalchemy import ColumnElement, event, func, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from apec_app.db import engine_of
from apec_app.models import Agent, Enterprise, Message
from apec_app.services.errors import NotFound
from apec_app.services.messaging import mail
from apec_app.services.principal import AGENT, ENTERPRISE, Principal, require_kind
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings

PAGE_SIZE = 10


def notify_creator(
    db: Session,
    *,
    enterprise_id: int,
    creator_agent_id: int | None,
    title: str,
    body: str,
    now: datetime,
    application_id: int | None = None,
) -> Message:
    """One message for the creating account, and emails in the outbox, in the caller's transaction."""
    enterprise = db.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound()
    message = Message(
        enterprise_id=enterprise_id,
        agent_id=creator_agent_id,
        application_id=application_id,
        title=title,
        body=body,
        created_at=now,
    )
    db.add(message)
    account = (AGENT, creator_agent_id) if creator_agent_id is not None else (ENTERPRISE, enterprise_id)
    _changed(db, (*_database(db), *account))
    link = (
        f"{get_settings().public_url}/user/applications/{application_id}"
        if application_id
        else get_settings().public_url
    )
    text = f"{body}\n\n查看详情：{link}"
    mail.queue_email(db, enterprise.email, f"【APEC商务旅行卡】{title}", text, now=now)
    if creator_agent_id is not None:
        agent = db.get(Agent, creator_agent_id)
        if (
            agent is not None
            and agent.enterprise_id == enterprise_id
            and agent.email
            and agent.email != enterprise.email
        ):
            mail.queue_email(db, agent.email, f"【APEC商务旅行卡】{title}", text, now=now)
    return message


def _mine(principal: Principal) -> ColumnElement[bool]:
    require_kind(principal, ENTERPRISE, AGENT)
    if principal.is_agent:
        return col(Message.agent_id) == principal.id
    return (col(Message.enterprise_id) == principal.enterprise_id) & col(Message.agent_id).is_(None)


def list_messages(uow: UnitOfWork, page: int = 1) -> tuple[list[Message], int]:
    db, principal = uow.db, uow.me
    where = _mine(principal)
    total = db.exec(select(func.count()).select_from(Message).where(where)).one()
    rows = db.exec(
        select(Message)
        .where(where)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .offset(max(page - 1, 0) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(rows), int(total)


def unread_count(uow: UnitOfWork) -> int:
    db, principal = uow.db, uow.me
    return int(
        db.exec(select(func.count()).select_from(Message).where(_mine(principal), col(Message.read_at).is_(None))).one()
    )


def mark_read(uow: UnitOfWork, message_id: int) -> Message:
    db, principal = uow.db, uow.me
    message = db.get(Message, message_id)
    if message is None or not _owns(principal, message):
        raise NotFound()
    if message.read_at is None:
        message.read_at = uow.now()
        db.add(message)
        _changed(db, _recipient(db, principal))
    return message


def mark_all_read(uow: UnitOfWork) -> None:
    db, principal = uow.db, uow.me
    db.execute(update(Message).where(_mine(principal), col(Message.read_at).is_(None)).values(read_at=uow.now()))
    _changed(db, _recipient(db, principal))


# --- the header's unread count, kept in this process ----------------------------------------------------------
# Every page load shows the count; it changes only when a message is written or read, which happens here. So
# the count is kept per recipient and counted again after such a change has been committed (or rolled back), and
# at the latest after UNREAD_FRESH_FOR seconds — the bound for messages written by another process (a second
# worker, the command line).

UNREAD_FRESH_FOR = 20.0
_UNREAD_LIMIT = 20_000  # recipients kept before the cache starts over
_PENDING = "apec_unread_changed"
_unread_lock = threading.Lock()
_unread: dict[tuple, tuple[int, int, float]] = {}  # recipient → (count, generation, counted at)
_generation: defaultdict[tuple, int] = defaultdict(int)


def _recipient(db: Session, principal: Principal) -> tuple:
    """The cache's key: the database (one per process in the app; one per test in the tests) and the account."""
    require_kind(principal, ENTERPRISE, AGENT)
    account = (AGENT, principal.id) if principal.is_agent else (ENTERPRISE, principal.enterprise_id or 0)
    return (*_database(db), *account)


def _database(db: Session) -> tuple[int, str]:
    engine = engine_of(db)
    return id(engine), str(engine.url)


def _bump(keys) -> None:
    with _unread_lock:
        for key in keys:
            _generation[key] += 1
            _unread.pop(key, None)


def _changed(db: Session, key: tuple) -> None:
    """A recipient's messages changed in this transaction: forget the count now (reads inside the transaction
    count again) and once more when the transaction ends (a count read meanwhile by another event is dropped)."""
    _bump([key])
    db.info.setdefault(_PENDING, set()).add(key)


@event.listens_for(OrmSession, "after_transaction_end")
def _transaction_ended(session: OrmSession, transaction) -> None:  # noqa: ANN001 - SQLAlchemy's SessionTransaction
    if transaction.parent is None:  # the outermost: committed or rolled back, not a savepoint
        keys = session.info.pop(_PENDING, None)
        if keys:
            _bump(keys)


def cached_unread_count(uow: UnitOfWork) -> int:
    """unread_count, counted again only after a change (see above)."""
    key = _recipient(uow.db, uow.me)
    with _unread_lock:
        generation, kept = _generation[key], _unread.get(key)
    if kept is not None and kept[1] == generation and time.monotonic() - kept[2] < UNREAD_FRESH_FOR:
        return kept[0]
    count = unread_count(uow)
    with _unread_lock:
        if _generation[key] == generation:
            if len(_unread) >= _UNREAD_LIMIT:
                _unread.clear()
            _unread[key] = (count, generation, time.monotonic())
    return count


def _owns(principal: Principal, message: Message) -> bool:
    if principal.is_agent:
        return message.agent_id == principal.id
    return principal.is_enterprise and message.enterprise_id == principal.enterprise_id and message.agent_id is None
