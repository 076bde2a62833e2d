"""安全与审计日志 (admins only): the security log searched by text, by kind of action and by Beijing dates, newest
first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import func, or_
from sqlmodel import col, select

from apec_app.domain.clock import BEIJING
from apec_app.domain.paging import page_count
from apec_app.models import SecurityEvent
from apec_app.services.settings.back_office import require_admin
from apec_app.services.unit_of_work import UnitOfWork

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditQuery:
    """`text` is looked for in who, what and from where; `action` is a prefix ("staff_" = every staff action);
    the dates are Beijing days, both included."""

    text: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditLine:
    created_at: datetime
    actor: str
    action: str
    detail: str
    client_ip: str


@dataclass(frozen=True)
class AuditPage:
    lines: list[AuditLine]
    total: int
    page: int  # the page shown: the one asked for, within 1 and the last page


def _day_edge(day: date, end: bool) -> datetime:
    return datetime.combine(day, time.max if end else time.min, BEIJING).astimezone(timezone.utc)


def _conditions(query: AuditQuery) -> list:
    where = []
    if query.text:
        # Typed % and _ are looked for as themselves, not as wildcards.
        where.append(
            or_(
                col(SecurityEvent.actor).contains(query.text, autoescape=True),
                col(SecurityEvent.detail).contains(query.text, autoescape=True),
                col(SecurityEvent.client_ip).contains(query.text, autoescape=True),
            )
        )
    if query.action:
        where.append(col(SecurityEvent.action).startswith(query.action, autoescape=True))
    if query.date_from:
        where.append(col(SecurityEvent.created_at) >= _day_edge(query.date_from, end=False))
    if query.date_to:
        where.append(col(SecurityEvent.created_at) <= _day_edge(query.date_to, end=True))
    return where


def search(uow: UnitOfWork, query: AuditQuery, page: int = 1) -> AuditPage:
    require_admin(uow.principal)
    db, where = uow.db, _conditions(query)
    total = int(db.exec(select(func.count()).select_from(SecurityEvent).where(*where)).one())
    page = min(max(1, page), page_count(total, PAGE_SIZE))
    events = db.exec(
        select(SecurityEvent)
        .where(*where)
        .order_by(col(SecurityEvent.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    lines = [AuditLine(e.created_at, e.actor, e.action, e.detail, e.client_ip) for e in events]
    return AuditPage(lines, total, page)
