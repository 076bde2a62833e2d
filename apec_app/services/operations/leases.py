"""Run-once-per-period for scheduled jobs started by every worker (several processes, one database).

A job claims its JobLease row with one conditional statement: an UPDATE that succeeds only when the lease has
expired, or, for the job's first run ever, an INSERT that the primary key lets only one worker make. The winner
holds it for the whole period (not only while it runs), so the job runs at most once per period wherever it is
started; a run that fails is retried the next period.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from apec_app.models import JobLease
from apec_app.services.unit_of_work import UnitOfWork


def claim(uow: UnitOfWork, name: str, period: timedelta, holder: str) -> bool:
    """Whether this caller now holds lease `name` until now + `period` (commit to make it count)."""
    db, now = uow.db, uow.now()
    taken = db.exec(
        update(JobLease)
        .where(col(JobLease.name) == name, col(JobLease.held_until) <= now)
        .values(held_until=now + period, holder=holder)
    )
    if taken.rowcount:
        return True
    try:
        with db.begin_nested():
            db.add(JobLease(name=name, held_until=now + period, holder=holder))
            db.flush()
    except IntegrityError:
        return False  # held by someone else (or claimed a moment ago)
    return True
