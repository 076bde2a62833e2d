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
from apec_app.services.review import workbench as review
from tests.app_factories import setup_institutions
from tests.factories import make_enterprise
from tests.unit.test_applications import filled, principal_for_enterprise
from tests.unit.test_review import staff_principal

ROOT = Path(__file__).resolve().parents[2]

# The child: patch the last step of every transition (the creator's message) to kill the process, then act.
CHILD = """
import os, signal, sys
from datetime import date
from sqlmodel import Session
from apec_app.db import make_engine
from apec_app.services.messaging import notifications
from apec_app.services.applications import filing as applications
from apec_app.services.review import workbench as review
from apec_app.services.principal import Principal

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

notifications.notify_creator = die
engine = make_engine(sys.argv[1])
with Session(engine) as db:
{body}
    db.commit()
print("not killed")
"""


def run_and_kill(db_path: Path, body: str) -> subprocess.CompletedProcess:
    code = CHILD.format(body=textwrap.indent(textwrap.dedent(body), "    "))
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
        f"""
        me = Principal(kind="enterprise", id={ent.id}, name="x", enterprise_id={ent.id})
        applications.submit(db, me, {application.id}, date.today())
        """,
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
    demo_followups.seed(db, ent.email)
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
        staff = Principal(kind="staff", id={reviewer.id}, name="rev", role="reviewer",
                          institution_id={reviewer.institution_id})
        review.act(db, staff, {waiting.id}, "start_production", version={waiting.version})
        """,
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
    demo_followups.seed(db, ent.email)
    reviewer = staff_principal(db, "rev_js", "reviewer", "JS")
    waiting = db.exec(select(Application).where(Application.status == "economy_review")).first()
    persons = review.people(db, waiting)
    codes = [e.code for e in review.deciding(db)]
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
        staff = Principal(kind="staff", id={reviewer.id}, name="rev", role="reviewer",
                          institution_id={reviewer.institution_id})
        review.record_decision(db, staff, {waiting.id}, {last_person}, "{last_code}", "approved", date.today())
        """,
    )
    assert done.returncode == -9, done.stdout + done.stderr
    with Session(engine) as fresh:
        assert fresh.get(Application, waiting.id).status == "economy_review"
        assert _count(fresh, EconomyDecision) == decisions_before
        assert json.loads(fresh.get(Application, waiting.id).form_json)["people"]  # the form is intact
