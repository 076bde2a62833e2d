"""The reviewer's CSV file of decisions is checked and recorded in the job process, not in a thread of the web
worker: the rows reach the database the app reads, progress comes back while it runs, and a refusal comes back
as the ServiceError the page maps."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
from concurrent.futures.process import BrokenProcessPool

import pytest
from sqlmodel import select

from apec_app.domain.clock import FixedClock
from apec_app.integrations import low_priority
from apec_app.jobs import decisions_csv, process
from apec_app.models import EconomyDecision, Message
from apec_app.services.errors import InvalidInput, ServiceError
from tests.factories import TODAY
from tests.services.test_decisions_import_scale import awaiting_decisions, csv_of, world  # noqa: F401

CLOCK = FixedClock.on(TODAY)


def where(progress) -> tuple[int, int]:
    """In the job process: its process id and nice value, after reporting progress twice."""
    progress(1)
    progress(2)
    return os.getpid(), os.getpriority(os.PRIO_PROCESS, 0)


@pytest.fixture()
def job_process(engine, monkeypatch):
    """A job process started for this test, on this test's database."""
    process.shutdown()
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    yield
    process.shutdown()


def test_a_job_runs_in_another_process_at_a_lower_priority_and_its_progress_comes_back(job_process):
    heard: list[int] = []
    pid, nice = asyncio.run(process.run(where, progress=heard.append))
    assert pid != os.getpid()
    assert nice == min(19, os.getpriority(os.PRIO_PROCESS, 0) + low_priority.NICE)
    assert heard == [1, 2]


def test_a_job_process_that_died_is_replaced_by_the_next_job(job_process):
    first, _ = asyncio.run(process.run(where))
    os.kill(first, 9)
    with contextlib.suppress(BrokenProcessPool):  # a job sent before the death was noticed fails
        asyncio.run(process.run(where))
    assert asyncio.run(process.run(where))[0] not in (first, os.getpid())


def test_a_file_is_checked_and_recorded_there_with_its_message(world, job_process):  # noqa: F811
    db, reviewer = world["db"], world["reviewer"]
    application = awaiting_decisions(world, 2)
    data = csv_of(db, application, 18)

    parsed = asyncio.run(process.run(decisions_csv.check, reviewer, CLOCK, "", data))
    assert len(parsed.rows) == 36 and not parsed.errors
    assert db.exec(select(EconomyDecision)).all() == []  # 预览 records nothing

    heard: list[int] = []
    count, view = asyncio.run(
        process.run(decisions_csv.apply, reviewer, CLOCK, "", data, application.id, progress=heard.append)
    )
    assert count == 36 and heard[-1] == 36
    assert view.id == application.id
    db.expire_all()
    assert len(db.exec(select(EconomyDecision).where(EconomyDecision.application_id == application.id)).all()) == 36
    assert db.exec(select(Message).where(Message.application_id == application.id)).all()


def test_a_refusal_comes_back_as_its_service_error_and_records_nothing_more(world, job_process):  # noqa: F811
    db, reviewer = world["db"], world["reviewer"]
    application = awaiting_decisions(world, 1)
    data = csv_of(db, application, 2)
    asyncio.run(process.run(decisions_csv.apply, reviewer, CLOCK, "", data, application.id))

    with pytest.raises(InvalidInput) as refused:  # the same rows again: each decision exists already
        asyncio.run(process.run(decisions_csv.apply, reviewer, CLOCK, "", data, application.id))
    assert refused.value.code == "import_has_errors" and refused.value.errors == {"file": "import_has_errors"}
    db.expire_all()
    assert len(db.exec(select(EconomyDecision).where(EconomyDecision.application_id == application.id)).all()) == 2


def test_service_errors_survive_pickling_whatever_their_constructor_takes():
    many = InvalidInput.many({"a": "x", "b": "y"})
    again = pickle.loads(pickle.dumps(many))
    assert type(again) is InvalidInput and again.errors == {"a": "x", "b": "y"} and again.field == "a"
    plain = pickle.loads(pickle.dumps(ServiceError("late", days=3)))
    assert plain.code == "late" and plain.params == {"days": 3} and str(plain) == "late"
