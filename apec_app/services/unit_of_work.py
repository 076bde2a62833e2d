"""The unit of work: the one object a use case receives — the database session of its transaction, who is acting,
and the clock — plus the events it publishes for the message bus.

    with unit_of_work(principal) as uow:
        filing.submit(uow, application_id)

commits once everything, the event handlers included, has run; any error rolls all of it back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.orm import make_transient
from sqlmodel import Session

from apec_app.domain.clock import SYSTEM_CLOCK, Clock
from apec_app.domain.events import Event
from apec_app.services.errors import PermissionDenied
from apec_app.services.principal import Principal

T = TypeVar("T")


@dataclass
class UnitOfWork:
    session: Session | None
    principal: Principal | None = None
    clock: Clock = SYSTEM_CLOCK
    client_ip: str = ""
    events: list[Event] = field(default_factory=list)
    kept: list[Any] = field(default_factory=list)

    @property
    def db(self) -> Session:
        if self.session is None:
            raise RuntimeError("this unit of work has no transaction: open one with `with uow.begin() as tx:`")
        return self.session

    @contextmanager
    def begin(self) -> Iterator[UnitOfWork]:
        """A transaction of its own for the same caller and clock (handlers that wait between steps)."""
        if self.session is not None:
            # A second transaction beside an open one can wait forever for its lock (SQLite).
            raise RuntimeError("already in a transaction: use `with uow.savepoint():` for a part that may fail")
        with unit_of_work(self.principal, clock=self.clock, client_ip=self.client_ip) as tx:
            yield tx

    async def in_thread(self, work: Callable[[UnitOfWork], T]) -> T:
        """`work` in a transaction of its own in a worker thread: what may take more than a few milliseconds
        (a file's checks, re-encoding, encryption and fsync) never runs on the event loop every user shares."""

        def run() -> T:
            with self.begin() as tx:
                return work(tx)

        return await asyncio.to_thread(run)

    @contextmanager
    def savepoint(self) -> Iterator[UnitOfWork]:
        """A part of this transaction that may fail on its own: on an error only that part is undone."""
        _open_sqlite_transaction(self.db)
        with self.db.begin_nested():
            yield self

    @property
    def me(self) -> Principal:
        """The acting principal; a use case that needs one and has none refuses."""
        if self.principal is None:
            raise PermissionDenied()
        return self.principal

    @property
    def actor(self) -> str:
        """Who acted, for history and logs: the principal's label, or "system" for jobs."""
        return self.principal.label if self.principal else "system"

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.today()

    def keep(self, row: Any) -> None:
        """Add a record that stands even when the use case then fails (a rate-limit count, a security event):
        after a rollback it is written again in a transaction of its own."""
        self.db.add(row)
        self.kept.append(row)

    def publish(self, *events: Event) -> None:
        self.events.extend(events)

    def complete(self) -> None:
        """Hand the published events to their handlers (which may publish more), until none are left."""
        from apec_app.services import messagebus

        messagebus.dispatch(self)


def _open_sqlite_transaction(db: Session) -> None:
    """Python's sqlite3 opens a transaction only before a write: a SAVEPOINT before any write would open one of
    its own, and its RELEASE would commit everything so far, out of the unit of work. So open it first."""
    connection = db.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")


def engine_for_scope(engine: Engine | None) -> Engine:
    from apec_app.db import get_engine

    return engine or get_engine()


@contextmanager
def unit_of_work(
    principal: Principal | None = None,
    *,
    clock: Clock = SYSTEM_CLOCK,
    client_ip: str = "",
    engine: Engine | None = None,
) -> Iterator[UnitOfWork]:
    """One transaction: the use case, then its events' handlers, then commit; roll back on any error."""
    with Session(engine_for_scope(engine), expire_on_commit=False) as db:
        uow = UnitOfWork(db, principal, clock, client_ip)
        try:
            yield uow
            uow.complete()
            db.commit()
        except BaseException:
            db.rollback()
            _write_kept(uow.kept, db.get_bind())
            raise


def _write_kept(rows: list[Any], bind) -> None:
    if not rows:
        return
    with Session(bind) as own:
        for row in rows:
            make_transient(row)  # rolled back: a new row again, its id given by this insert
            row.id = None
            own.add(row)
        own.commit()
