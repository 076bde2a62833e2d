"""A savepoint is a part of the unit of work, never a commit of its own (Python's sqlite3 opens a transaction
only before a write, so a SAVEPOINT before any write used to open one, and its RELEASE committed)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from apec_app.models import SecurityEvent
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import unit_of_work


class Boom(Exception):
    pass


def test_what_a_savepoint_wrote_is_undone_when_the_unit_of_work_fails(engine):
    with pytest.raises(Boom):
        with unit_of_work(engine=engine) as uow:
            uow.db.exec(select(SecurityEvent)).all()  # a read first: no transaction opened by the driver yet
            with uow.savepoint():
                log_event(uow.db, "inside_savepoint")
                uow.db.flush()
            log_event(uow.db, "after_savepoint")
            raise Boom()
    with Session(engine) as db:
        assert db.exec(select(SecurityEvent.action)).all() == []


def test_a_failed_savepoint_undoes_only_its_part(engine):
    with unit_of_work(engine=engine) as uow:
        log_event(uow.db, "kept")
        with pytest.raises(Boom):
            with uow.savepoint():
                log_event(uow.db, "undone")
                uow.db.flush()
                raise Boom()
    with Session(engine) as db:
        assert db.exec(select(SecurityEvent.action)).all() == ["kept"]
