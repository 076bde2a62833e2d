"""The CSV of economy decisions costs the database the same for 2 rows as for 540: a reviewer imports a whole
group's decisions (30 people × 18 economies) while others use the same worker, so per-row queries would make
everyone wait."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import select

from apec_app.domain.decisions_csv import template_csv
from apec_app.domain.economies import deciding_economies
from apec_app.models import EconomyDecision, Message, OutboxEmail, SecurityEvent
from apec_app.services import reference_rows
from apec_app.services.applications import filing
from apec_app.services.errors import Conflict, InvalidInput
from apec_app.services.review import decisions, views
from tests.factories import (
    TODAY,
    filled,
    make_enterprise,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
)
from tests.services.test_review import run, to_economy_review
from tests.statements import by_first_word, sent

# Completing the application (30 × 18 decides everyone, 1 × 2 does not) adds its status change: the UPDATE of
# the application, its history line, and the status's name in the one message.
COMPLETION = 4


@pytest.fixture()
def world(db):
    _, js = setup_institutions(db)
    me = principal_for_enterprise(db, make_enterprise(db))
    return {"db": db, "me": me, "js": js, "reviewer": staff_principal(db, "rev_js", "reviewer", "JS")}


def awaiting_decisions(world, people: int):
    db = world["db"]
    application = filled(db, world["me"], world["js"].id, people=people)
    run(db, world["me"], filing.submit, application.id)
    db.commit()
    to_economy_review({**world, "app": application})
    db.commit()
    return application


def csv_of(db, application, economies: int) -> bytes:
    header = template_csv().splitlines()[0]
    lines = [
        f"{application.number},{p.passport_number},{e.name_zh},批准,2026-11-01"
        for p in decisions.people(db, application)
        for e in deciding_economies()[:economies]
    ]
    return "\n".join([header, *lines]).encode()


def costs(world, people: int, economies: int) -> dict[str, Counter[str]]:
    """Statements of 预览, of 确认导入 (with its message and email), and of the page shown again after it."""
    db, reviewer = world["db"], world["reviewer"]
    application = awaiting_decisions(world, people)
    data = csv_of(db, application, economies)
    engine = db.get_bind()
    reference_rows.forget()  # both sizes read the economies from the database
    with sent(engine) as preview:
        assert not run(db, reviewer, decisions.check_import, data).errors
    with sent(engine) as apply:
        assert run(db, reviewer, decisions.apply_import, data) == people * economies
        db.flush()
    with sent(engine) as view:
        run(db, reviewer, views.application_view, application.id)
    db.commit()
    return {"preview": by_first_word(preview), "apply": by_first_word(apply), "view": by_first_word(view)}


def test_preview_apply_and_the_page_after_cost_the_same_for_2_rows_and_540(world):
    small, large = costs(world, 1, 2), costs(world, 30, 18)
    assert sum(small["preview"].values()) == sum(large["preview"].values())
    assert 0 <= sum(large["apply"].values()) - sum(small["apply"].values()) <= COMPLETION, (small, large)
    assert large["apply"]["INSERT"] <= small["apply"]["INSERT"] + 1  # the history line; one batch of decisions
    assert large["apply"]["SAVEPOINT"] == 0
    assert sum(large["view"].values()) == sum(small["view"].values())


def test_540_decisions_make_one_message_and_one_log_line(world):
    db, reviewer = world["db"], world["reviewer"]
    application = awaiting_decisions(world, 30)
    messages, mails = len(db.exec(select(Message)).all()), len(db.exec(select(OutboxEmail)).all())
    logged = len(db.exec(select(SecurityEvent)).all())
    assert run(db, reviewer, decisions.apply_import, csv_of(db, application, 18)) == 540
    assert len(db.exec(select(Message)).all()) == messages + 1
    assert len(db.exec(select(OutboxEmail)).all()) == mails + 1  # the enterprise's own account: one recipient
    assert len(db.exec(select(SecurityEvent)).all()) == logged + 1
    rows = db.exec(select(EconomyDecision).where(EconomyDecision.application_id == application.id)).all()
    assert len(rows) == 540 and {r.recorded_by for r in rows} == {reviewer.label}


def test_a_decision_recorded_meanwhile_fails_the_whole_batch(world, monkeypatch):
    """Someone decides one of the file's rows after the file was checked: the batch insert breaks the unique
    (person, economy) and the file is refused as a conflict (the gate then rolls all of it back)."""
    db, reviewer = world["db"], world["reviewer"]
    application = awaiting_decisions(world, 2)
    data = csv_of(db, application, 2)
    person, economy = decisions.people(db, application)[1], deciding_economies()[1]
    lookups = decisions._lookups
    # The checks ran before the other decision was committed: they did not see it.
    monkeypatch.setattr(decisions, "_lookups", lambda uow, rows: (*lookups(uow, rows)[:2], set()))
    db.add(
        EconomyDecision(
            person_id=person.id,
            application_id=application.id,
            economy_code=economy.code,
            decision="approved",
            decided_on=TODAY,
            recorded_by="other",
        )
    )
    db.commit()
    with pytest.raises(Conflict):
        run(db, reviewer, decisions.apply_import, data)
    db.rollback()
    assert [(d.person_id, d.economy_code) for d in db.exec(select(EconomyDecision)).all()] == [
        (person.id, economy.code)
    ]


def test_a_file_with_one_bad_row_records_nothing_at_any_size(world):
    db, reviewer = world["db"], world["reviewer"]
    application = awaiting_decisions(world, 30)
    data = csv_of(db, application, 18) + f"\n{application.number},E0000000,日本,批准,2026-11-01".encode()
    with pytest.raises(InvalidInput):
        run(db, reviewer, decisions.apply_import, data)
    assert decisions.decisions_of(db, application) == {}
