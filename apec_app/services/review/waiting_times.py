"""Honest waiting times per APEC economy: how long each economy really took to decide, so applicants are told
"usually by …, late by …" from recent data instead of a fixed promise.

One wait = the decision's `decided_on` minus the Asia/Shanghai date on which the application first entered
'economy_review'. Approvals and refusals both end a wait. Only decisions of the last 12 months count (economies
change their pace), i.e. a year before `today` < decided_on <= today.

SQL does the joining, the local-date arithmetic and the grouping: one query returns (economy, days, how many).
The percentiles are taken in Python from that histogram because SQLite has no percentile_cont and
interpolating with window functions would be unreadable; the histogram has at most economies × distinct days
rows, so little crosses the wire.

Percentiles interpolate linearly between closest ranks (statistics.quantiles(method="inclusive"), the same as
numpy's default and Excel's PERCENTILE.INC): for n sorted waits the p-th percentile sits at position
(n − 1)·p/100, counted from 0. The median is the 50th percentile.
"""

from __future__ import annotations

import logging
import math
import statistics
import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, bindparam, cast, func, literal_column
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from apec_app.db import engine_of, session_scope
from apec_app.domain import lifecycle
from apec_app.domain.economies import Economy
from apec_app.models import Application, EconomyDecision, Institution, Person, StatusEvent
from apec_app.models.base import row_id
from apec_app.services.review import decisions
from apec_app.time_format import SHANGHAI


@dataclass(frozen=True)
class EconomyWait:
    """Days one economy took over the last 12 months; None fields: no decision in that time."""

    code: str
    name_zh: str
    count: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class PendingEstimate:
    """An economy still to decide on an application, and when it usually / at the latest (p90) answers."""

    code: str
    name_zh: str
    count: int
    median_days: float | None
    p90_days: float | None
    usual_by: date | None
    late_by: date | None


def percentile(values: list[int], p: int) -> float | None:
    """The p-th percentile (1..99) by linear interpolation, rounded to 0.1 day; None without values."""
    if not values:
        return None
    if len(values) == 1:  # statistics.quantiles needs two points on Python 3.11
        return float(values[0])
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 1)


def _year_before(today: date) -> date:
    """Same day a year earlier (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def _days_waited(dialect: str, entered_at: Any, decided_on: Any) -> ColumnElement[Any]:
    """decided_on minus the Shanghai date of the UTC `entered_at`, in whole days, written for each database.
    China has kept UTC+8 without daylight saving since 1991, so SQLite's fixed '+8 hours' is exact."""
    if dialect == "sqlite":
        entered_day = func.date(entered_at, literal_column("'+8 hours'"))
        return cast(func.julianday(decided_on) - func.julianday(entered_day), Integer)
    entered = cast(func.timezone(literal_column("'Asia/Shanghai'"), entered_at), Date)
    return decided_on - entered


def _first_entry():
    """Each application's first move into 'economy_review' (an application might re-enter it)."""
    return (
        select(StatusEvent.application_id, func.min(StatusEvent.created_at).label("entered_at"))
        .where(StatusEvent.to_status == lifecycle.ECONOMY_REVIEW)
        .group_by(col(StatusEvent.application_id))
        .subquery()
    )


def _samples(db: Session, today: date, institution_id: int | None) -> dict[str, list[int]]:
    """economy code → the waits (days) of its decisions in the window, from one grouped query."""
    first = _first_entry()
    days = _days_waited(db.get_bind().dialect.name, first.c.entered_at, col(EconomyDecision.decided_on))
    query: Select[str, Any] = (
        select(col(EconomyDecision.economy_code).label("code"), days.label("days"))
        .join(first, first.c.application_id == EconomyDecision.application_id)
        .where(col(EconomyDecision.decided_on) > _year_before(today), col(EconomyDecision.decided_on) <= today)
    )
    if institution_id is not None:
        query = query.join(Application, col(Application.id) == EconomyDecision.application_id).where(
            col(Application.institution_id) == institution_id
        )
    waits = query.subquery()
    # A decision dated before the application reached the economies is a typing error, not a wait.
    histogram = select(waits.c.code, waits.c.days, func.count()).where(waits.c.days >= 0)
    samples: dict[str, list[int]] = defaultdict(list)
    for code, n_days, n in db.exec(histogram.group_by(waits.c.code, waits.c.days)).all():
        samples[code].extend([int(n_days)] * int(n))
    return samples


# Recomputing the waits scans every decision of the year: on each detail page view that was most of a worker's
# time. They change only with new decisions and slowly at that, so a result is kept while no decision was added
# (the newest decision id is part of the key, one indexed look-up) and for at most CACHE_SECONDS. When it is
# out of date the page still gets it at once, and a thread counts again: the count ran in the page's event and
# stopped the event loop, every user of the worker, for 60-170 ms after each new decision (the loop probe of
# benchmarks/event_latency.py). A worker counts ahead at its start (count_ahead).
CACHE_SECONDS = 600.0
_Key = tuple[date, int | None, int | None]  # today, institution, newest decision id
_cache: weakref.WeakKeyDictionary[Any, dict[_Key, tuple[float, list[EconomyWait]]]]
_cache = weakref.WeakKeyDictionary()  # per engine, so that two databases never share a result
_cache_lock = threading.Lock()
_recounting: dict[tuple[Any, _Key], threading.Thread] = {}
logger = logging.getLogger(__name__)


def economy_waits(db: Session, today: date, institution_id: int | None = None) -> list[EconomyWait]:
    """Every deciding economy in display order, with its waits over the 12 months up to `today`;
    `institution_id` limits the data to that institution's applications."""
    engine = engine_of(db)
    key = (today, institution_id, db.exec(_NEWEST_DECISION).one())
    now = time.monotonic()
    with _cache_lock:
        entries = _cache.get(engine, {})
        kept = entries.get(key)
        if kept is not None and now - kept[0] < CACHE_SECONDS:
            return kept[1]
        earlier = next((entry for k, entry in entries.items() if _close_enough(k, key)), None)
    if earlier is None:
        return _count(engine, db, key)
    _recount_in_background(engine, key)
    return earlier[1]


def _close_enough(kept: _Key, wanted: _Key) -> bool:
    """An earlier count a page may show while the thread counts: the same institution's, of that day or the day
    before (the window of twelve months moves by a day at midnight: a handful of decisions)."""
    return kept[1] == wanted[1] and wanted[0] - timedelta(days=1) <= kept[0] <= wanted[0]


def _count(engine: Any, db: Session, key: _Key) -> list[EconomyWait]:
    today, institution_id, _ = key
    waits = _economy_waits(db, today, institution_id)
    now = time.monotonic()
    with _cache_lock:
        entries = _cache.setdefault(engine, {})
        for old in [k for k in entries if k[1] == institution_id]:  # one count per institution
            del entries[old]
        entries[key] = (now, waits)
    return waits


def count_ahead(db: Session, today: date) -> None:
    """Count for every institution and for all of them (a worker's start, in a thread), so that not even the
    first page view of a worker counts in its event."""
    engine = engine_of(db)
    newest = db.exec(_NEWEST_DECISION).one()
    for institution_id in [None, *db.exec(select(Institution.id)).all()]:
        _count(engine, db, (today, institution_id, newest))


def _recount_in_background(engine: Any, key: _Key) -> None:
    def recount() -> None:
        try:
            with session_scope(engine) as db:
                _count(engine, db, key)
        except Exception:  # the pages keep the earlier figures; the next view tries again
            logger.exception("counting the economies' waiting times again failed")
        finally:
            with _cache_lock:
                _recounting.pop((engine, key), None)

    with _cache_lock:
        if (engine, key) in _recounting:
            return
        thread = _recounting[(engine, key)] = threading.Thread(target=recount, name="waits-recount", daemon=True)
    thread.start()


def wait_for_recounts(timeout: float = 10.0) -> None:
    """Until the counts started in the background have ended (a caller that must read the newest figures)."""
    with _cache_lock:
        threads = list(_recounting.values())
    for thread in threads:
        thread.join(timeout)


def _economy_waits(db: Session, today: date, institution_id: int | None) -> list[EconomyWait]:
    samples = _samples(db, today, institution_id)
    return [
        EconomyWait(
            code=e.code,
            name_zh=e.name_zh,
            count=len(samples[e.code]),
            median_days=percentile(samples[e.code], 50),
            p90_days=percentile(samples[e.code], 90),
        )
        for e in decisions.deciding(db)
    ]


_ENTERED_REVIEW = select(func.min(StatusEvent.created_at)).where(  # built once: every detail page in review
    col(StatusEvent.application_id) == bindparam("application_id"), StatusEvent.to_status == lifecycle.ECONOMY_REVIEW
)
_NEWEST_DECISION = select(func.max(EconomyDecision.id))


def entered_review_on(db: Session, application_id: int, history: list[StatusEvent] | None = None) -> date | None:
    """The Shanghai date the application first entered 'economy_review', or None if it never did; from its
    `history` when the caller has read it."""
    entered: datetime | None
    if history is None:
        entered = db.exec(_ENTERED_REVIEW, params={"application_id": application_id}).one()
    else:
        entered = min((e.created_at for e in history if e.to_status == lifecycle.ECONOMY_REVIEW), default=None)
    return None if entered is None else entered.astimezone(SHANGHAI).date()


def _after(start: date | None, days: float | None) -> date | None:
    """Whole days later, rounding a fractional wait up: an answer due after 15.5 days comes on day 16."""
    if start is None or days is None:
        return None
    return start + timedelta(days=math.ceil(days))


def pending_estimates(
    db: Session,
    application: Application,
    today: date,
    *,
    persons: list[Person] | None = None,
    deciding: list[Economy] | None = None,
    decided: decisions.Table | None = None,
    history: list[StatusEvent] | None = None,
) -> list[PendingEstimate]:
    """For an application in 'economy_review': each deciding economy still owing a decision on at least one
    of its people, with the usual (median) and late (p90) answer dates. Other statuses wait for nothing.
    A page that has read the people, the deciding economies, the decisions or the history already passes them in."""
    if application.status != lifecycle.ECONOMY_REVIEW:
        return []
    entered = entered_review_on(db, row_id(application), history)
    person_ids = [row_id(p) for p in (persons if persons is not None else decisions.people(db, application))]
    if decided is None:
        decided = decisions.decisions_of(db, application)
    waits = {w.code: w for w in economy_waits(db, today)}
    estimates = []
    for economy in deciding if deciding is not None else decisions.deciding(db):
        if all(economy.code in decided.get(pid, {}) for pid in person_ids):
            continue
        wait = waits[economy.code]
        estimates.append(
            PendingEstimate(
                code=wait.code,
                name_zh=wait.name_zh,
                count=wait.count,
                median_days=wait.median_days,
                p90_days=wait.p90_days,
                usual_by=_after(entered, wait.median_days),
                late_by=_after(entered, wait.p90_days),
            )
        )
    return estimates
