"""The security log never holds a full email address, 身份证号 or passport number, whatever is logged: failed
and successful sign-ins, lockouts, refusals, staff views and decisions, admin actions."""

from __future__ import annotations

import re

from sqlmodel import select

from apec_app.models import Application, Person, SecurityEvent
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth
from apec_app.services.errors import ServiceError
from apec_app.services.followups import forms as followups
from apec_app.services.operations import demo_followups
from apec_app.services.review import workbench as review
from tests.app_factories import setup_institutions
from tests.factories import PASSWORD, make_enterprise
from tests.unit.test_applications import principal_for_enterprise
from tests.unit.test_review import staff_principal

FULL_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9-]+\.[A-Za-z]{2,}")
ID_NUMBER = re.compile(r"\d{17}[\dX]")
PASSPORT = re.compile(r"\bE[A-Z0-9]\d{7}\b")


def test_security_log_holds_no_full_personal_number_or_email(db):
    setup_institutions(db)
    enterprise = make_enterprise(db, email="zhang.san@example.com")
    demo_followups.seed(db, enterprise.email)
    db.commit()
    for _ in range(6):  # up to the lockout
        auth.sign_in_enterprise(db, enterprise.email, "wrong-password")
    auth.sign_in_enterprise(db, "nobody.here@example.com", PASSWORD)
    me = principal_for_enterprise(db, make_enterprise(db))
    reviewer = staff_principal(db, "rev_js", "reviewer", "JS")
    waiting = db.exec(select(Application).where(Application.status == "economy_review")).first()
    person = db.exec(select(Person).where(Person.application_id == waiting.id)).first()
    try:
        followups.start(db, me, waiting.id, person.id, "early_card")  # another enterprise: refused and logged
    except ServiceError:
        pass
    review.open_application(db, reviewer, waiting.id)
    decided = {d for d in review.decisions_of(db, waiting).get(person.id, {})}
    code = next(e.code for e in review.deciding(db) if e.code not in decided)
    review.record_decision(db, reviewer, waiting.id, person.id, code, "approved", utcnow().date())
    db.commit()

    events = db.exec(select(SecurityEvent)).all()
    assert len(events) >= 10
    text = "\n".join(f"{e.actor} {e.action} {e.detail}" for e in events)
    assert "sign_in_failed" in text and "sign_in_locked" in text and "access_refused" in text
    assert not FULL_EMAIL.search(text), FULL_EMAIL.search(text)
    assert not ID_NUMBER.search(text) and person.id_number not in text
    assert not PASSPORT.search(text) and person.passport_number not in text
