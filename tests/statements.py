"""The SQL statements a block of code sends to the database, for tests that count them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def sent(engine: Engine) -> Iterator[list[str]]:
    """The statements sent inside the block, in order."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_):  # noqa: ANN001 - SQLAlchemy's event arguments
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def by_first_word(statements: list[str]) -> Counter[str]:
    """How many statements of each kind: SELECT, INSERT, SAVEPOINT..."""
    return Counter(statement.split(None, 1)[0].upper() for statement in statements)
