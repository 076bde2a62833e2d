"""Engine and session factory: SQLite by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from apec_app.settings import get_settings

POOL_RECYCLE = 300


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001 - DBAPI types
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # No pre-ping (a round trip before every checkout, i.e. every event): connections are replaced after
    # POOL_RECYCLE seconds instead, before a server or a proxy between drops them as idle, and a connection found
    # dead when used makes SQLAlchemy discard the whole pool (that one statement fails; the next ones reconnect).
    engine = create_engine(
        url,
        pool_recycle=POOL_RECYCLE,
        pool_size=10,
        max_overflow=20,
        pool_use_lifo=True,
        isolation_level="AUTOCOMMIT",  # the transaction opens at the first write: _begin_before_first_write
        # No JIT compilation: the generic plan of a statement prepared after five runs can be estimated far above
        # jit_above_cost while it reads a few rows (the 用户中心 people with their cards and approvals: compiled
        # for 12 ms on every run, for a query of 0.3 ms).
        connect_args={"options": "-c jit=off"},
    )
    event.listen(engine, "before_cursor_execute", _begin_before_first_write)
    return engine


_READS = ("SELECT", "SHOW")
_IDLE = 0  # libpq's PQTRANS_IDLE: no transaction open on the server


def _begin_before_first_write(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
    """PostgreSQL: open the transaction at the first statement that is not a read, as Python's sqlite3 does for
    SQLite. An event that only reads (most events) then sends no BEGIN and no COMMIT, two of its ~nine round
    trips. The reads see what they saw in a transaction: under READ COMMITTED every statement reads a snapshot of
    its own. psycopg commits or rolls back a transaction that is open when SQLAlchemy asks, and sends nothing
    when none is."""
    if cursor.connection.pgconn.transaction_status == _IDLE and not statement.lstrip().upper().startswith(_READS):
        cursor.execute("BEGIN")


def engine_of(db: Session) -> Engine:
    """The engine behind a session, whether it is bound to the engine or to one of its connections."""
    bind = db.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    settings = get_settings()
    if settings.database_url.startswith("sqlite:///"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the database file and empty it. Page images a migration replaced
    (plaintext it encrypted, with secure_delete on) otherwise stay readable in the log until a later checkpoint."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
