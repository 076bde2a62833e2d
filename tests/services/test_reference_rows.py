"""The economies and institution names kept in memory: read once, dropped by a commit here that changes them,
refreshed after TTL_SECONDS when another worker process changed them, and never shared between databases."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import Session

from apec_app.models import EconomySetting, Institution
from apec_app.services import reference_rows
from apec_app.services.review import decisions
from apec_app.services.views.institutions import institution_names
from tests.statements import sent


@pytest.fixture(autouse=True)
def institution(engine) -> int:
    with Session(engine) as db:
        row = Institution(code="JS", name="江苏省人民政府外事办公室", kind="fao")
        db.add(row)
        db.commit()
        return row.id


@pytest.fixture()
def statements(engine):
    with sent(engine) as seen:
        yield seen


@pytest.fixture()
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(reference_rows, "_clock", lambda: now[0])
    return now


def names(engine) -> dict[str, str]:
    with Session(engine) as db:
        return {e.code: e.name_zh for e in decisions.economies(db)}


def test_read_once_then_kept(engine, statements, clock):
    first = names(engine)
    assert first and len(statements) == 1
    with Session(engine) as db:
        institutions = institution_names(db)
        institution_names(db)
    assert institutions and len(statements) == 2
    clock[0] += reference_rows.TTL_SECONDS - 1
    assert names(engine) == first
    assert len(statements) == 2


def test_a_commit_here_that_changes_an_economy_drops_the_copy(engine, clock):
    code = next(iter(names(engine)))
    with Session(engine) as db:
        db.get(EconomySetting, code).name_zh = "改过的名称"
        db.commit()
    assert names(engine)[code] == "改过的名称"
    with Session(engine) as db:
        db.get(EconomySetting, code).active = False
        db.rollback()  # nothing changed: what is kept stays right
    assert code in names(engine)
    with Session(engine) as db:
        db.get(EconomySetting, code).active = False
        db.commit()
    assert code not in names(engine)


def test_an_institution_renamed_here_shows_at_once(engine, institution, clock):
    with Session(engine) as db:
        assert institution_names(db)[institution] == "江苏省人民政府外事办公室"
        db.get(Institution, institution).name = "江苏省外办"
        db.commit()
        assert institution_names(db)[institution] == "江苏省外办"


def test_a_change_by_another_process_shows_after_the_ttl(engine, clock):
    code, name = next(iter(names(engine).items()))
    other = sqlite3.connect(engine.url.database)  # another worker process's write: no session of ours sees it
    other.execute("update economy set name_zh = ? where code = ?", ("别处改的", code))
    other.commit()
    other.close()
    assert names(engine)[code] == name
    clock[0] += reference_rows.TTL_SECONDS
    assert names(engine)[code] == "别处改的"


def test_each_database_has_its_own(engine, tmp_path, clock):
    from apec_app.db import make_engine

    names(engine)
    empty = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with Session(empty) as db:
            with pytest.raises(Exception, match="no such table"):
                decisions.economies(db)
    finally:
        empty.dispose()


def test_callers_get_their_own_list(engine, clock):
    with Session(engine) as db:
        decisions.economies(db).clear()
        assert decisions.economies(db)
