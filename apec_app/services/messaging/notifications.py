"""消息通知 (manual 1.1.7): messages go to the account that created the application only; emails go to the
enterprise email and, when an agent created it, to the agent's email too."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, update
from sqlmodel import Session, col, select

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
    return message


def mark_all_read(uow: UnitOfWork) -> None:
    db, principal = uow.db, uow.me
    db.execute(update(Message).where(_mine(principal), col(Message.read_at).is_(None)).values(read_at=uow.now()))


def _owns(principal: Principal, message: Message) -> bool:
    if principal.is_agent:
        return message.agent_id == principal.id
    return principal.is_enterprise and message.enterprise_id == principal.enterprise_id and message.agent_id is None
