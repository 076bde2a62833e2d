"""No data loss: a process killed (SIGKILL) between two steps of a transition leaves the application as it was.

Each case runs the real service in a child process against a real SQLite file and kills that process from
inside the transaction, after the first writes (status, number, cards, decision) and before the last step
(the history row and the message). The parent then opens the database as the next process would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlmodel import Session, func, select

from apec_app.models import Application, Card, EconomyDecision, Message, NumberSequence, Person, StatusEvent
from apec_app.services.operations import demo_followups
from apec_app.services.review import decisions
from tests.factories import (
    filled,
    make_enterprise,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)

ROOT = Path(__file__).resolve().parents[2]

# The child: patch the last step of every transition (the creator's message, written by the event handlers when
# the unit of work completes) to kill the process, then act in a unit of work as the app does.
CHILD = """
import os, signal, sys
from apec_app import bootstrap
from apec_app.db import make_engine
from apec_app.notices import applications as notices
from apec_app.services.applications import filing
from apec_app.services.review import actions, decisions
from apec_app.services.principal import Principal
from apec_app.services.unit_of_work import unit_of_work

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

bootstrap.wire()
notices.notify_creator = die
engine = make_engine(sys.argv[1])
{who}
with unit_of_work(who, engine=engine) as uow:
{body}
print("not killed")
"""


def run_and_kill(db_path: Path, who: str, body: str) -> subprocess.CompletedProcess:
    code = CHILD.format(who=textwrap.dedent(who).strip(), body=textwrap.indent(textwrap.dedent(body), "    "))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, f"sqlite:///{db_path}"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _count(db, model, *where) -> int:
    return db.exec(select(func.count()).select_from(model).where(*where)).one()


def test_submit_killed_midway_leaves_the_draft_unsubmitted(engine, db):
    _, js = setup_institutions(db)
    ent = make_enterprise(db)
    me = principal_for_enterprise(db, ent)
    application = filled(db, me, js.id, people=2)
    db.commit()
    path = Path(str(engine.url.database))
    done = run_and_kill(
        path,
        f'who = Principal(kind="enterprise", id={ent.id}, name="x", enterprise_id={ent.id})',
        f"filing.submit(uow, {application.id})",
    )
    assert done.returncode == -9, done.stdout + done.stderr
    with Session(engine) as fresh:
        again = fresh.get(Application, application.id)
        assert again.status == "draft" and again.number is None and again.version == application.version
        assert _count(fresh, Person, Person.application_id == application.id) == 0
        assert _count(fresh, StatusEvent, StatusEvent.application_id == application.id) == 0
        assert _count(fresh, NumberSequence) == 0  # the day's counter did not move either
        assert _count(fresh, Message) == 0


def test_start_production_killed_midway_makes_no_card(engine, db):
    setup_institutions(db)
    ent = make_enterprise(db)
    demo_followups.seed(uow_for(db), ent.email)
    waiting = db.exec(select(Application).where(Application.status == "economy_review")).first()
    waiting.status = "economies_done"
    db.add(waiting)
    db.commit()
    reviewer = staff_principal(db, "rev_js", "reviewer", "JS")
    db.commit()
    cards_before = _count(db, Card)
    path = Path(str(engine.url.database))
    done = run_and_kill(
        path,
        f"""
        who = Principal(kind="staff", id={reviewer.id}, name="rev", role="reviewer",
                        institution_id={reviewer.institution_id})
        """,
        f'actions.act(uow, {waiting.id}, "start_production", version={waiting.version})',
    )
    assert done.returncode == -9, done.stdout + done.stderr
    with Session(engine) as fresh:
        again = fresh.get(Application, waiting.id)
        assert again.status == "economies_done" and again.version == waiting.version
        assert _count(fresh, Card) == cards_before
        assert (
            _count(
                fresh, StatusEvent, StatusEvent.application_id == waiting.id, StatusEvent.to_status == "card_production"
            )
            == 0
        )


def test_last_economy_decision_killed_midway_is_not_half_recorded(engine, db):
    """The decision that completes the economies and the move to 全部经济体审核完成 happen together or not at all."""
    setup_institutions(db)
    ent = make_enterprise(db)
    demo_followups.seed(uow_for(db), ent.email)
    reviewer = staff_principal(db, "rev_js", "reviewer", "JS")
    waiting = db.exec(select(Application).where(Application.status == "economy_review")).first()
    persons = decisions.people(db, waiting)
    codes = [e.code for e in decisions.deciding(db)]
    # Everything decided except one economy for the last person, written directly as the starting point.
    have = {(d.person_id, d.economy_code) for d in db.exec(select(EconomyDecision)).all()}
    missing = [(p.id, c) for p in persons for c in codes if (p.id, c) not in have]
    for person_id, code in missing[:-1]:
        db.add(
            EconomyDecision(
                person_id=person_id,
                application_id=waiting.id,
                economy_code=code,
                decision="approved",
                decided_on=waiting.submitted_at.date(),
                recorded_by="t",
            )
        )
    db.commit()
    last_person, last_code = missing[-1]
    decisions_before = _count(db, EconomyDecision)
    done = run_and_kill(
        Path(str(engine.url.database)),
        f"""
        who = Principal(kind="staff", id={reviewer.id}, name="rev", role="reviewer",
                        institution_id={reviewer.institution_id})
        """,
        f'decisions.record_decision(uow, {waiting.id}, {last_person}, "{last_code}", "approved", uow.today())',
    )
    assert done.returncode == -9, done.stdout + done.stderr
    with Session(engine) as fresh:
        assert fresh.get(Application, waiting.id).status == "economy_review"
        assert _count(fresh, EconomyDecision) == decisions_before
        assert json.loads(fresh.get(Application, waiting.id).form_json)["people"]  # the form is intact
