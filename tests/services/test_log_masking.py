"""The security log never holds a full email address, 身份证号 or passport number, whatever is logged: failed
and successful sign-ins, lockouts, refusals, staff views and decisions, admin actions."""

from __future__ import annotations

import re

from sqlmodel import select

from apec_app.domain.decisions_csv import template_csv
from apec_app.models import Application, Person, SecurityEvent
from apec_app.services.accounts import auth
from apec_app.services.errors import ServiceError
from apec_app.services.followups import forms as followups
from apec_app.services.operations import demo_followups
from apec_app.services.review import decisions, views
from tests.factories import (
    PASSWORD,
    make_enterprise,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)

FULL_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9-]+\.[A-Za-z]{2,}")
ID_NUMBER = re.compile(r"\d{17}[\dX]")
PASSPORT = re.compile(r"\bE[A-Z0-9]\d{7}\b")


def test_security_log_holds_no_full_personal_number_or_email(db):
    setup_institutions(db)
    enterprise = make_enterprise(db, email="zhang.san@example.com")
    demo_followups.seed(uow_for(db), enterprise.email)
    db.commit()
    for _ in range(6):  # up to the lockout
        auth.sign_in_enterprise(uow_for(db), enterprise.email, "wrong-password")
    auth.sign_in_enterprise(uow_for(db), "nobody.here@example.com", PASSWORD)
    me = principal_for_enterprise(db, make_enterprise(db))
    reviewer = staff_principal(db, "rev_js", "reviewer", "JS")
    waiting = db.exec(select(Application).where(Application.status == "economy_review")).first()
    person, other = db.exec(select(Person).where(Person.application_id == waiting.id).order_by(Person.seq)).all()
    try:
        followups.start(uow_for(db, me), waiting.id, person.id, "early_card")  # another enterprise: refused, logged
    except ServiceError:
        pass
    uow = uow_for(db, reviewer)
    views.application_view(uow, waiting.id)  # staff_view, with every document link signed
    table = decisions.decisions_of(db, waiting)
    code = next(e.code for e in decisions.deciding(db) if e.code not in table.get(person.id, {}))
    decisions.record_decision(uow, waiting.id, person.id, code, "approved", uow.today())
    pending = next(e for e in decisions.deciding(db) if e.code not in table.get(other.id, {}))
    row = f"{waiting.number},{other.passport_number},{pending.name_zh},批准,{uow.today()}"
    csv = f"{template_csv().splitlines()[0]}\n{row}\n"
    assert decisions.apply_import(uow, csv.encode()) == 1  # staff_economy_import
    uow.complete()
    db.commit()

    events = db.exec(select(SecurityEvent)).all()
    assert len(events) >= 10
    text = "\n".join(f"{e.actor} {e.action} {e.detail}" for e in events)
    assert "sign_in_failed" in text and "sign_in_locked" in text and "access_refused" in text
    assert "staff_view" in text and "staff_economy_decision" in text and "staff_economy_import" in text
    assert not FULL_EMAIL.search(text), FULL_EMAIL.search(text)
    assert not ID_NUMBER.search(text) and person.id_number not in text
    assert not PASSPORT.search(text) and person.passport_number not in text and other.passport_number not in text
