"""The job lease on the real PostgreSQL server: workers claiming at the same moment, for the first run ever (the
INSERT race) and for a later period (the UPDATE race), and exactly one of them wins each time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlmodel import Session

from apec_app.domain.clock import FixedClock
from apec_app.models import JobLease
from apec_app.services.operations import leases
from apec_app.services.unit_of_work import unit_of_work

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
PERIOD = timedelta(days=1)
WORKERS = 4


def _race(engine, name: str, at: datetime) -> list[str]:
    """Every worker claims at once (a barrier lines them up); the holders that won."""
    start = threading.Barrier(WORKERS)
    won: list[str] = []
    errors: list[BaseException] = []

    def worker(holder: str) -> None:
        try:
            with unit_of_work(clock=FixedClock(at), engine=engine) as uow:
                start.wait()
                if leases.claim(uow, name, PERIOD, holder):
                    won.append(holder)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"worker-{i}",)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return won


def test_one_worker_wins_each_period(pg_engine):
    first = _race(pg_engine, "purge_documents", NOW)
    assert len(first) == 1
    assert _race(pg_engine, "purge_documents", NOW + timedelta(hours=12)) == []
    second = _race(pg_engine, "purge_documents", NOW + PERIOD)
    assert len(second) == 1
    with Session(pg_engine) as db:
        lease = db.get(JobLease, "purge_documents")
        assert lease.holder == second[0] and lease.held_until == NOW + 2 * PERIOD
