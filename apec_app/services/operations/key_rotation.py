"""`cli rotate-keys`: every encrypted column and stored file under the current data key, in batches.

Resumable: rows and files already under the current key are skipped (a prefix or header check, no decryption),
and each batch is committed on its own, so an interrupted run is simply started again. Safe beside the running
app: a row is rewritten only if it still holds the ciphertext that was read (a draft saved meanwhile is left to
the app, which writes it under its own configured key: restart every worker with the new DATA_KEYS first).
`reindex` also checks every blind index against INDEX_KEY and rewrites those made with another key (after
INDEX_KEY changed; `cli rotate-keys` always does, it costs one decryption per indexed row). The migration that
introduced encryption runs the same code on plaintext data (which is encrypted as it is).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from apec_app.integrations import crypto, storage
from apec_app.models.encrypted import BLIND_INDEX_OF, EncryptedText


@dataclass(frozen=True)
class EncryptedTable:
    name: str
    columns: tuple[str, ...]
    # (blind index column, the column it indexes)
    blind_indexes: tuple[tuple[str, str], ...] = ()

    def table(self) -> sa.TableClause:
        names = ("id", *self.columns, *(index for index, _ in self.blind_indexes))
        return sa.table(self.name, *(sa.column(n) for n in names))


def encrypted_tables(metadata: sa.MetaData) -> list[EncryptedTable]:
    """The tables of the models with encrypted columns, read from their column types."""
    found = []
    for table in metadata.sorted_tables:
        columns = tuple(c.name for c in table.columns if isinstance(c.type, EncryptedText))
        indexes = tuple((c.name, c.info[BLIND_INDEX_OF]) for c in table.columns if BLIND_INDEX_OF in c.info)
        if columns:
            found.append(EncryptedTable(table.name, columns, indexes))
    return found


def _stale(t: sa.TableClause, columns: Iterable[str]) -> sa.ColumnElement[bool]:
    prefix = crypto.current_text_prefix() + "%"
    return sa.or_(*(sa.and_(t.c[c].is_not(None), sa.not_(t.c[c].like(prefix))) for c in columns))


@dataclass
class Rewritten:
    """What one pass over a table changed: rows re-encrypted, and rows whose blind index was recomputed."""

    rows: int = 0
    indexes: int = 0

    def __iadd__(self, other: Rewritten) -> Rewritten:
        self.rows += other.rows
        self.indexes += other.indexes
        return self


def reencrypt_rows(
    connection: Connection, spec: EncryptedTable, *, batch_size: int = 500, reindex: bool = False
) -> Iterator[Rewritten]:
    """Rewrite the rows of one table not under the current key (with `reindex`, also those whose blind index is
    not the current INDEX_KEY's); yields what each batch rewrote, so the caller can commit between batches."""
    t = spec.table()
    after = 0
    while True:
        query = sa.select(t).where(t.c.id > after).order_by(t.c.id).limit(batch_size)
        if not (reindex and spec.blind_indexes):
            query = query.where(_stale(t, spec.columns))
        rows = connection.execute(query).mappings().all()
        if not rows:
            return
        after = rows[-1]["id"]
        done = Rewritten()
        for row in rows:
            done += _rewrite(connection, t, spec, row, reindex)
        yield done


def _rewrite(connection: Connection, t: sa.TableClause, spec: EncryptedTable, row: Any, reindex: bool) -> Rewritten:
    prefix = crypto.current_text_prefix()
    values: dict[str, Any] = {}
    plain: dict[str, str] = {}
    for column in spec.columns:
        value = row[column]
        if value is not None and not value.startswith(prefix):
            plain[column] = crypto.decrypt_text(value) if crypto.is_encrypted_text(value) else value
            values[column] = crypto.encrypt_text(plain[column])
    reencrypted = bool(values)
    for index, source in spec.blind_indexes:
        if row[source] is None or not (source in plain or reindex):
            continue
        value = plain[source] if source in plain else crypto.decrypt_text(row[source])
        if (wanted := crypto.blind_index(source, value)) != row[index]:
            values[index] = wanted
    if not values:
        return Rewritten()
    unchanged = [t.c[c].is_not_distinct_from(row[c]) for c in spec.columns]  # nobody wrote it meanwhile
    if not connection.execute(t.update().where(t.c.id == row["id"], *unchanged).values(values)).rowcount:
        return Rewritten()
    return Rewritten(int(reencrypted), int(len(values) > len(plain)))


def reencrypt_files() -> int:
    """Every stored file under the current key; returns how many were rewritten."""
    count = 0
    for key in storage.stored_keys():
        try:
            count += storage.reencrypt(key)
        except FileNotFoundError:
            continue  # deleted meanwhile
    return count


def stale_counts(engine: Engine, metadata: sa.MetaData) -> dict[str, int]:
    """What is not yet under the current key, per table and for the files: all zero means the older keys can go."""
    counts = {}
    with engine.connect() as connection:
        for spec in encrypted_tables(metadata):
            t = spec.table()
            counts[spec.name] = connection.execute(
                sa.select(sa.func.count()).where(_stale(t, spec.columns))
            ).scalar_one()
    counts["files"] = sum(1 for key in storage.stored_keys() if not _is_current_file(key))
    return counts


def _is_current_file(key: str) -> bool:
    try:
        return storage.is_current(key)
    except FileNotFoundError:
        return True  # deleted meanwhile


def rotate(
    engine: Engine,
    metadata: sa.MetaData,
    *,
    batch_size: int = 500,
    reindex: bool = False,
    progress: Callable[[str, int], None] = lambda _name, _count: None,
) -> dict[str, int]:
    """The whole run: each table in committed batches, then the files. Returns what was rewritten where: rows
    per table, "<table>.<index column>" for recomputed blind indexes, "files"."""
    done: dict[str, int] = {}
    for spec in encrypted_tables(metadata):
        total = Rewritten()
        with engine.connect() as connection:
            for batch in reencrypt_rows(connection, spec, batch_size=batch_size, reindex=reindex):
                connection.commit()
                total += batch
                progress(spec.name, total.rows)
        done[spec.name] = total.rows
        for index, _source in spec.blind_indexes:
            done[f"{spec.name}.{index}"] = total.indexes
    done["files"] = reencrypt_files()
    progress("files", done["files"])
    return done
