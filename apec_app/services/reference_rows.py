"""Reference rows almost every page reads (the economies, the institutions' names), kept in memory per database.

They are read on nearly every event and change only when an administrator edits them, so reading them each time
was a statement per event for nothing. A commit in this process that changed one of their tables drops every copy
at once; an edit made by another worker process shows here within `TTL_SECONDS`.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from apec_app.db import engine_of

T = TypeVar("T")
TTL_SECONDS = 10.0
_clock = time.monotonic

_lock = threading.Lock()
# engine → name → (read at, rows); weak, so each test's own database starts with nothing kept
_kept: weakref.WeakKeyDictionary[Engine, dict[str, tuple[float, Any]]] = weakref.WeakKeyDictionary()
_generation = 0  # one more at every forget(): a read begun before it is not kept
_watched: set[type] = set()
_CHANGED = "apec_reference_rows_changed"


def kept(db: Session, name: str, table: type, read: Callable[[Session], T]) -> T:
    """`read(db)`, or what it returned less than TTL_SECONDS ago on the same database. A transaction that has
    changed `table` reads its own rows, and its end (commit or rollback) drops what was kept. Callers must not
    change what it returns: it is shared."""
    _watched.add(table)
    if db.info.get(_CHANGED):
        return read(db)
    engine = engine_of(db)
    now = _clock()
    with _lock:
        found, generation = _kept.get(engine, {}).get(name), _generation
    if found is not None and now - found[0] < TTL_SECONDS:
        return found[1]
    rows = read(db)
    with _lock:
        if generation == _generation:
            _kept.setdefault(engine, {})[name] = (now, rows)
    return rows


def forget() -> None:
    global _generation
    with _lock:
        _generation += 1
        _kept.clear()


@event.listens_for(OrmSession, "after_flush")
def _note_changes(session: OrmSession, _flush_context) -> None:
    if _watched and any(type(row) in _watched for row in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True
        forget()  # other events reading meanwhile read the committed rows again


@event.listens_for(OrmSession, "after_transaction_end")
def _drop_after_change(session: OrmSession, transaction) -> None:  # noqa: ANN001 - SQLAlchemy's SessionTransaction
    if transaction.parent is None and session.info.pop(_CHANGED, False):  # the outermost, committed or not
        forget()
