"""`uow.in_thread`: slow work of an async handler (a file's checks, re-encoding, encryption, fsync) runs in a
worker thread in a transaction of its own, and the event loop every user of the worker shares keeps running."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlmodel import Session, select

from apec_app.models import SecurityEvent
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork


class Boom(Exception):
    pass


async def _with_ticker(work):
    """Run `work` while a 10 ms timer ticks on the loop; the work's result and the timer's longest gap."""
    gaps: list[float] = []

    async def tick():
        while True:
            started = time.monotonic()
            await asyncio.sleep(0.01)
            gaps.append(time.monotonic() - started)

    ticker = asyncio.create_task(tick())
    try:
        return await work(), max(gaps, default=0.0)
    finally:
        ticker.cancel()


def test_the_work_runs_off_the_loop_and_commits_its_own_transaction(app_engine):
    loop_thread = threading.get_ident()

    def work(tx: UnitOfWork) -> int:
        log_event(tx.db, "in_thread")
        time.sleep(0.3)  # stands for re-encoding a 12 MP photo
        return threading.get_ident()

    ident, longest_gap = asyncio.run(_with_ticker(lambda: UnitOfWork(None).in_thread(work)))
    assert ident != loop_thread
    assert longest_gap < 0.15, "the loop was blocked while the work ran"
    with Session(app_engine) as db:
        assert db.exec(select(SecurityEvent.action)).all() == ["in_thread"]


def test_a_failure_in_the_thread_rolls_back_and_reaches_the_handler(app_engine):
    def work(tx: UnitOfWork) -> None:
        log_event(tx.db, "undone")
        tx.db.flush()
        raise Boom()

    with pytest.raises(Boom):
        asyncio.run(UnitOfWork(None).in_thread(work))
    with Session(app_engine) as db:
        assert db.exec(select(SecurityEvent.action)).all() == []
