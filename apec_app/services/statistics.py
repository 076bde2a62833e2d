"""Dashboard figures: applications per month and per status, and median days spent in each stage."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from apec_app.domain import lifecycle
from apec_app.domain.numbering import SHANGHAI
from apec_app.models import Application, StatusEvent
from apec_app.models.base import utcnow
from apec_app.services.principal import STAFF, Principal, require_kind

STAGES = {
    lifecycle.FAO_REVIEW: "外办审核",
    lifecycle.MFA_REVIEW: "外交部审核",
    lifecycle.AWAITING_PAYMENT: "待缴费",
    lifecycle.PAYMENT_REVIEW: "支付凭证确认",
    lifecycle.ECONOMY_REVIEW: "经济体审核",
    lifecycle.CARD_PRODUCTION: "制卡",
}


def _scoped(principal: Principal, query):
    require_kind(principal, STAFF)
    if principal.role != "admin":
        query = query.where(Application.institution_id == principal.institution_id)
    return query


def per_month(db: Session, principal: Principal, months: int = 12, now: datetime | None = None) -> list[dict]:
    """Submitted applications per month (Asia/Shanghai), oldest first, months without any included."""
    now = (now or utcnow()).astimezone(SHANGHAI)
    since = (now.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    query = _scoped(principal, select(Application.submitted_at).where(col(Application.submitted_at).is_not(None)))
    counts: dict[str, int] = defaultdict(int)
    for submitted in db.exec(query.where(Application.submitted_at >= since)).all():
        counts[submitted.astimezone(SHANGHAI).strftime("%Y-%m")] += 1
    labels = []
    cursor = since
    while cursor <= now:
        labels.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return [{"month": m, "count": counts.get(m, 0)} for m in labels[-months:]]


def days_per_stage(db: Session, principal: Principal) -> list[dict]:
    """Median days between entering a stage and leaving it, over finished stages in our records."""
    ids = _scoped(principal, select(Application.id))
    events = db.exec(
        select(StatusEvent)
        .where(col(StatusEvent.application_id).in_(ids))
        .order_by(col(StatusEvent.application_id), col(StatusEvent.created_at), col(StatusEvent.id))
    ).all()
    entered: dict[int, tuple[str, datetime]] = {}
    samples: dict[str, list[float]] = defaultdict(list)
    for event in events:
        previous = entered.get(event.application_id)
        if previous and previous[0] in STAGES and previous[0] == event.from_status:
            samples[previous[0]].append((event.created_at - previous[1]).total_seconds() / 86400)
        entered[event.application_id] = (event.to_status, event.created_at)
    return [
        {
            "stage": label,
            "days": round(statistics.median(samples[status]), 1) if samples[status] else 0,
            "count": len(samples[status]),
        }
        for status, label in STAGES.items()
    ]
