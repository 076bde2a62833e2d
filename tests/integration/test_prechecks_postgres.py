"""The pre-check job on a real PostgreSQL server: asked for at 【提交】, claimed by one taker only, stored, and the
same 护照号码 in another enterprise's open application found through the new blind index."""

from __future__ import annotations

from sqlmodel import Session

from apec_app.domain import prechecks as rules
from apec_app.domain.clock import FixedClock
from apec_app.services.applications import filing
from apec_app.services.review import prechecks
from tests.factories import (
    TODAY,
    filled,
    make_enterprise,
    principal_for_enterprise,
    setup_institutions,
    uow_for,
)

CLOCK = FixedClock.on(TODAY)


def submit(db, me, application_id: int, change=lambda p: p) -> dict:
    uow = uow_for(db, me, today=TODAY)
    _, form = filing.load_form(uow, application_id)
    form["people"] = [change(p) for p in form["people"]]
    filing.save_draft(uow, application_id, form)
    filing.submit(uow, application_id)
    uow.complete()
    db.commit()
    return form


def test_prechecks_run_once_and_find_a_passport_in_another_enterprises_application_on_postgres(pg_engine):
    with Session(pg_engine, expire_on_commit=False) as db:
        _, js = setup_institutions(db)
        first_me = principal_for_enterprise(db, make_enterprise(db))
        second_me = principal_for_enterprise(db, make_enterprise(db))
        first = filled(db, first_me, js.id)
        passport = submit(db, first_me, first.id)["people"][0]["passport_number"]
        second = filled(db, second_me, js.id)
        submit(db, second_me, second.id, lambda p: p | {"passport_number": passport})

    claimed = prechecks._claim(pg_engine, CLOCK)
    assert claimed is not None
    other = prechecks._claim(pg_engine, CLOCK)
    assert other is not None and other.application_id != claimed.application_id  # each run one taker
    assert prechecks._claim(pg_engine, CLOCK) is None
    for inputs in (claimed, other):
        assert prechecks._store(pg_engine, CLOCK, inputs, prechecks.compute(inputs), 0.1)

    with Session(pg_engine) as db:
        checks = {c.item: c for c in prechecks.checklist(db, second.id).people[1]}
        assert checks[rules.DUPLICATES] == rules.Check(
            rules.DUPLICATES, rules.FAIL, f"护照号码与其他企业的在办申请单 {first.number} 相同"
        )
        assert prechecks.failing(db, [first.id, second.id]) == {first.id, second.id}
