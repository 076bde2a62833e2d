"""Dashboard figures: applications per month and per status, and median days spent in each stage."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import Numeric, Select, cast, extract, func
from sqlmodel import col, select

from apec_app.domain import lifecycle
from apec_app.domain.numbering import SHANGHAI
from apec_app.models import Application, StatusEvent
from apec_app.services.principal import STAFF, Principal, require_kind
from apec_app.services.unit_of_work import UnitOfWork

STAGES = {
    lifecycle.FAO_REVIEW: "外办审核",
    lifecycle.MFA_REVIEW: "外交部审核",
    lifecycle.AWAITING_PAYMENT: "待缴费",
    lifecycle.PAYMENT_REVIEW: "支付凭证确认",
    lifecycle.ECONOMY_REVIEW: "经济体审核",
    lifecycle.CARD_PRODUCTION: "制卡",
}


_Query = TypeVar("_Query", bound=Select)


def _scoped(principal: Principal, query: _Query) -> _Query:
    require_kind(principal, STAFF)
    if principal.role != "admin":
        query = query.where(col(Application.institution_id) == principal.institution_id)
    return query


def per_month(uow: UnitOfWork, months: int = 12) -> list[dict]:
    """Submitted applications per month (Asia/Shanghai), oldest first, months without any included."""
    db, principal = uow.db, uow.me
    now = uow.now().astimezone(SHANGHAI)
    this_month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    # From midnight of the first month's first day: a month counts all of its days.
    since = (this_month - timedelta(days=31 * (months - 1))).replace(day=1)
    query = _scoped(principal, select(Application.submitted_at).where(col(Application.submitted_at).is_not(None)))
    counts: dict[str, int] = defaultdict(int)
    for submitted in db.exec(query.where(col(Application.submitted_at) >= since)).all():
        assert submitted is not None  # the query keeps submitted applications only
        counts[submitted.astimezone(SHANGHAI).strftime("%Y-%m")] += 1
    labels = []
    cursor = since
    while cursor <= now:
        labels.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return [{"month": m, "count": counts.get(m, 0)} for m in labels[-months:]]


def _days_between(dialect: str, start, end):
    """end - start in days to 0.1, written for each database (the column keeps UTC either way)."""
    if dialect == "sqlite":
        return func.round(func.julianday(end) - func.julianday(start), 1)
    seconds = extract("epoch", end - start)
    return func.round(cast(seconds / 86400, Numeric), 1)


def days_per_stage(uow: UnitOfWork, months: int = 12) -> list[dict]:
    """Median days between entering a stage and leaving it, over the stages left in the last `months` months.

    The database pairs each status event with the application's next one (a window function) and returns a
    histogram of (stage, days to 0.1): the medians come from a few hundred rows, not from every event."""
    db, principal = uow.db, uow.me
    since = uow.now() - timedelta(days=31 * months)
    ordered = (col(StatusEvent.created_at), col(StatusEvent.id))
    per_application = col(StatusEvent.application_id)
    steps = (
        select(
            col(StatusEvent.to_status).label("stage"),
            col(StatusEvent.created_at).label("entered"),
            func.lead(StatusEvent.created_at).over(partition_by=per_application, order_by=ordered).label("left"),
            func.lead(StatusEvent.from_status).over(partition_by=per_application, order_by=ordered).label("left_from"),
        )
        .where(col(StatusEvent.application_id).in_(_scoped(principal, select(Application.id))))
        .subquery()
    )
    days = _days_between(db.get_bind().dialect.name, steps.c.entered, steps.c.left).label("days")
    histogram = (
        select(steps.c.stage, days, func.count())
        .where(
            steps.c.left.is_not(None),
            steps.c.left >= since,
            steps.c.left_from == steps.c.stage,
            steps.c.stage.in_(list(STAGES)),
        )
        .group_by(steps.c.stage, days)
    )
    samples: dict[str, list[float]] = defaultdict(list)
    for stage, n_days, n in db.exec(histogram).all():
        samples[stage].extend([float(n_days)] * int(n))
    return [
        {
            "stage": label,
            "days": round(statistics.median(samples[status]), 1) if samples[status] else 0,
            "count": len(samples[status]),
        }
        for status, label in STAGES.items()
    ]
