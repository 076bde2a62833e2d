"""Dashboard figures: applications per month and per status, and median days spent in each stage."""

from __future__ import annotations

import statistics
import threading
import time
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Numeric, Select, cast, extract, func, literal_column
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from apec_app.domain import lifecycle
from apec_app.domain.numbering import SHANGHAI
from apec_app.models import Application, StatusEvent
from apec_app.services.applications.filing import staff_scope
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
_T = TypeVar("_T")


def _scoped(principal: Principal, query: _Query) -> _Query:
    require_kind(principal, STAFF)
    if principal.role != "admin":
        query = query.where(col(Application.institution_id) == principal.institution_id)
    return query


# The figures read the whole status history (half a million rows at 100 000 applications): recomputed on every
# visit of 审核工作台 they were most of its load. Every status change writes a StatusEvent, so a result is kept
# while the newest event and application ids are unchanged (look-ups on primary keys), for at most
# CACHE_SECONDS; per engine, so that two databases never share a result (as waiting_times does with decisions).
CACHE_SECONDS = 600.0
_cache: weakref.WeakKeyDictionary[Any, dict[tuple, tuple[float, Any]]] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def cached(uow: UnitOfWork, name: str, compute: Callable[[], _T]) -> _T:
    """`compute()` for the caller's scope, today, and the status history as it now stands, once."""
    db = uow.db
    engine = db.get_bind()
    scope = staff_scope(uow.me)
    newest = (db.exec(select(func.max(StatusEvent.id))).one(), db.exec(select(func.max(Application.id))).one())
    key = (name, scope, uow.today(), newest)
    now = time.monotonic()
    with _cache_lock:
        kept = _cache.get(engine, {}).get(key)
    if kept is not None and now - kept[0] < CACHE_SECONDS:
        return kept[1]
    value = compute()
    with _cache_lock:
        entries = _cache.setdefault(engine, {})
        for old in [k for k, (at, _) in entries.items() if now - at >= CACHE_SECONDS or k[:3] == key[:3]]:
            del entries[old]
        entries[key] = (now, value)
    return value


def per_month(uow: UnitOfWork, months: int = 12) -> list[dict]:
    """Submitted applications per month (Asia/Shanghai), oldest first, months without any included."""
    return [dict(r) for r in cached(uow, f"per_month:{months}", lambda: _per_month(uow, months))]


def _shanghai_month(dialect: str, at):
    """'YYYY-MM' of a UTC column in Asia/Shanghai (UTC+8 without daylight saving since 1991), per database."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m", at, literal_column("'+8 hours'"))
    return func.to_char(func.timezone(literal_column("'Asia/Shanghai'"), at), "YYYY-MM")


def _per_month(uow: UnitOfWork, months: int) -> list[dict]:
    db, principal = uow.db, uow.me
    now = uow.now().astimezone(SHANGHAI)
    this_month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    # From midnight of the first month's first day: a month counts all of its days.
    since = (this_month - timedelta(days=31 * (months - 1))).replace(day=1)
    month = _shanghai_month(db.get_bind().dialect.name, col(Application.submitted_at)).label("month")
    query = _scoped(principal, select(month, func.count()).where(col(Application.submitted_at) >= since))
    counts = {str(m): int(n) for m, n in db.exec(query.group_by(month)).all()}
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


# The stage histogram reads every stage left in a year (200 000 rows at 100 000 applications, seconds of work):
# it is computed once a day per scope and then brought up to date with the status events added since, which
# are few. Key: (scope, months, today); value: (the newest event id counted, (stage, days) → how many).
_stages: weakref.WeakKeyDictionary[Any, dict[tuple, tuple[int, Counter[tuple[str, float]]]]]
_stages = weakref.WeakKeyDictionary()


def _stage_histogram(uow: UnitOfWork, since: datetime, after_id: int, up_to_id: int) -> Counter[tuple[str, float]]:
    """(stage, days in it to 0.1) → how many, for the stages left since `since` by the events numbered
    after_id < id <= up_to_id. Each leaving event is paired with the application's latest entry into the
    status it leaves, found through the application's own events."""
    db = uow.db
    left, entry = aliased(StatusEvent), aliased(StatusEvent)
    entered = (
        select(func.max(entry.created_at))
        .where(
            entry.application_id == left.application_id,
            entry.to_status == left.from_status,
            entry.created_at <= left.created_at,
            entry.id != left.id,
        )
        .scalar_subquery()
    )
    days = _days_between(db.get_bind().dialect.name, entered, left.created_at).label("days")
    query = select(left.from_status, days, func.count()).where(
        col(left.created_at) >= since,
        col(left.from_status).in_(list(STAGES)),
        col(left.id) > after_id,
        col(left.id) <= up_to_id,
    )
    scope = staff_scope(uow.me)
    if scope is not None:
        query = query.where(
            col(left.application_id).in_(select(Application.id).where(col(Application.institution_id) == scope))
        )
    found: Counter[tuple[str, float]] = Counter()
    for stage, n_days, n in db.exec(query.group_by(left.from_status, days)).all():
        if n_days is not None:  # a leaving event without its entry: history from before the events were kept
            found[(stage, float(n_days))] += int(n)
    return found


def days_per_stage(uow: UnitOfWork, months: int = 12) -> list[dict]:
    """Median days between entering a stage and leaving it, over the stages left in the last `months` months
    (counted from the start of a Beijing day, so that one day's figures agree with each other).

    The database returns a histogram of (stage, days to 0.1): the medians come from a few hundred rows, not
    from every event."""
    db = uow.db
    engine = db.get_bind()
    today = uow.today()
    since = datetime.combine(today - timedelta(days=31 * months), datetime.min.time(), SHANGHAI)
    key = (staff_scope(uow.me), months, today)
    newest = int(db.exec(select(func.max(StatusEvent.id))).one() or 0)
    with _cache_lock:
        kept = _stages.get(engine, {}).get(key)
    if kept is not None and kept[0] == newest:
        histogram = kept[1]
    else:
        if kept is None:
            histogram = _stage_histogram(uow, since, 0, newest)
        else:
            histogram = kept[1] + _stage_histogram(uow, since, kept[0], newest)
        with _cache_lock:
            entries = _stages.setdefault(engine, {})
            for old in [k for k in entries if k[:2] == key[:2] and k != key]:
                del entries[old]
            entries[key] = (newest, histogram)
    samples: dict[str, list[float]] = defaultdict(list)
    for (stage, n_days), n in sorted(histogram.items()):
        samples[stage].extend([n_days] * n)
    return [
        {
            "status": status,
            "stage": label,
            "days": round(statistics.median(samples[status]), 1) if samples[status] else 0,
            "count": len(samples[status]),
        }
        for status, label in STAGES.items()
    ]
