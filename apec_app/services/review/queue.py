"""The reviewers' queues: what a reviewer's institution holds (an admin sees all), counts by status, filters.

Opening an application under review marks its review as started (from then on the applicant cannot 撤回).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import cast

from sqlalchemy import and_, func, or_, update
from sqlalchemy.orm import QueryableAttribute, defer
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from apec_app.domain import lifecycle
from apec_app.domain.clock import BEIJING
from apec_app.domain.enterprise import DIRECT, LOCAL
from apec_app.models import Application, Enterprise, Institution
from apec_app.services.applications.filing import staff_scope, visible_to_staff, with_id_number
from apec_app.services.errors import NotFound, PermissionDenied
from apec_app.services.principal import STAFF, require_kind
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork

PAGE_SIZE = 20
QUEUE_STATUSES = (
    lifecycle.FAO_REVIEW,
    lifecycle.MFA_REVIEW,
    lifecycle.PAYMENT_REVIEW,
    lifecycle.ECONOMY_REVIEW,
    lifecycle.ECONOMIES_DONE,
    lifecycle.APPROVED,
    lifecycle.CARD_PRODUCTION,
    lifecycle.AWAITING_PICKUP,
    lifecycle.AWAITING_PAYMENT,
    lifecycle.RETURNED,
    lifecycle.REJECTED,
    lifecycle.MAILED,
    lifecycle.PICKED_UP,
)


def day_start(day: date) -> datetime:
    """The UTC instant a Beijing day begins: the reviewer's 提交日期 is a Beijing date, the column keeps UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING).astimezone(timezone.utc)


def queue_statuses(uow: UnitOfWork) -> tuple[str, ...]:
    """The queues (statuses) the caller's institution can hold, in display order: the Ministry takes the 直办
    channel and a 外办 the local one, and the lifecycle says where each channel's applications can go. An
    admin sees every queue."""
    scope = staff_scope(uow.me)
    if scope is None:
        return QUEUE_STATUSES
    institution = uow.db.get(Institution, scope)
    channel = DIRECT if institution is not None and institution.kind == "ministry" else LOCAL
    held = lifecycle.reachable_statuses(channel)
    return tuple(s for s in QUEUE_STATUSES if s in held)


def _refuse_foreign_filter(uow: UnitOfWork, status: str, institution_id: int | None) -> None:
    """A status or institution the browser sent that the caller's queues cannot hold is refused, not ignored."""
    scope = staff_scope(uow.me)
    foreign_status = bool(status) and status not in queue_statuses(uow)
    foreign_institution = scope is not None and institution_id is not None and institution_id != scope
    if foreign_status or foreign_institution:
        detail = f"queue status {status[:30]} institution {institution_id}"
        log_event(uow.db, "access_refused", actor=uow.me.label, detail=detail)
        raise PermissionDenied("queue_not_held")


def queue_counts(uow: UnitOfWork) -> dict[str, int]:
    scope = staff_scope(uow.me)
    query = select(Application.status, func.count()).where(Application.status != lifecycle.DRAFT)
    if scope is not None:
        query = query.where(Application.institution_id == scope)
    return {status: int(n) for status, n in uow.db.exec(query.group_by(Application.status)).all()}


def queue(
    uow: UnitOfWork,
    *,
    status: str = "",
    business_type: str = "",
    institution_id: int | None = None,
    number: str = "",
    name: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
) -> tuple[list[Application], int]:
    _refuse_foreign_filter(uow, status, institution_id)
    scope = staff_scope(uow.me)
    where: list[ColumnElement[bool]] = [col(Application.status) != lifecycle.DRAFT]
    if scope is not None:
        where.append(col(Application.institution_id) == scope)
    elif institution_id:
        where.append(col(Application.institution_id) == institution_id)
    if status:
        where.append(col(Application.status) == status)
    if business_type:
        where.append(col(Application.business_type) == business_type)
    text = number.strip().upper()
    if text.startswith("APEC"):
        # A number typed from its start: a range on the unique index instead of scanning every row.
        where.extend([col(Application.number) >= text, col(Application.number) < text + "~"])
    elif text:
        where.append(col(Application.number).like(f"%{text}%"))
    by_id_number = with_id_number(name)
    if by_id_number is not None:
        where.append(by_id_number)
    elif name.strip():
        like = f"%{name.strip()}%"
        enterprise_ids = select(Enterprise.id).where(col(Enterprise.name).like(like))
        where.append(or_(col(Application.person_names).like(like), col(Application.enterprise_id).in_(enterprise_ids)))
    if date_from:
        where.append(col(Application.submitted_at) >= day_start(date_from))
    if date_to:
        where.append(col(Application.submitted_at) < day_start(date_to + timedelta(days=1)))
    db = uow.db
    total = db.exec(select(func.count()).select_from(Application).where(*where)).one()
    rows = db.exec(
        select(Application)
        # lists never show the form; it is most of the row
        .options(defer(cast("QueryableAttribute[str]", Application.form_json)))
        .where(*where)
        .order_by(col(Application.submitted_at).desc(), col(Application.id).desc())
        .offset((max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(rows), int(total)


def open_application(uow: UnitOfWork, application_id: int) -> Application:
    """The application for the staff view; opening one under review marks the review as started."""
    principal = require_kind(uow.principal, STAFF)
    db = uow.db
    application = db.get(Application, application_id)
    if application is None or not visible_to_staff(principal, application):
        log_event(db, "access_refused", actor=principal.label, detail=f"staff application {application_id}")
        raise NotFound()
    if application.status in lifecycle.REVIEW_STATUSES and application.review_started_at is None:
        db.execute(
            update(Application)
            .where(col(Application.id) == application.id, col(Application.review_started_at).is_(None))
            .values(review_started_at=uow.now())
        )
        db.refresh(application)
    log_event(db, "staff_view", actor=principal.label, detail=f"application {application.number}")
    return application


def next_in_queue(uow: UnitOfWork, status: str, application_id: int) -> int | None:
    """【下一个】: the application after this one in the caller's queue of `status` (newest first, as the queue
    lists it), or the queue's first when this one was the last; None when the queue holds no other."""
    scope = staff_scope(uow.me)
    db = uow.db
    current = db.get(Application, application_id)
    if current is None or not visible_to_staff(uow.me, current):
        raise NotFound()
    where: list[ColumnElement[bool]] = [col(Application.status) == status, col(Application.id) != application_id]
    if scope is not None:
        where.append(col(Application.institution_id) == scope)
    newest_first = (col(Application.submitted_at).desc(), col(Application.id).desc())
    if current.submitted_at is not None:
        after = or_(
            col(Application.submitted_at) < current.submitted_at,
            and_(col(Application.submitted_at) == current.submitted_at, col(Application.id) < application_id),
        )
        found = db.exec(select(Application.id).where(*where, after).order_by(*newest_first).limit(1)).first()
        if found is not None:
            return found
    return db.exec(select(Application.id).where(*where).order_by(*newest_first).limit(1)).first()
