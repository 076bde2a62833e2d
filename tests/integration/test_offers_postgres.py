"""The user centre's follow-up offers on PostgreSQL: each person's approving economies come joined in one row."""

from __future__ import annotations

from sqlmodel import Session, col, select

from apec_app.domain.economies import APPROVED
from apec_app.models import Address, Application, EconomyDecision, Person
from apec_app.services.followups import offers
from apec_app.services.operations import demo_followups
from tests.factories import act, make_enterprise, principal_for_enterprise, setup_institutions


def test_offers_name_the_approving_economies_on_postgres(pg_engine):
    with Session(pg_engine, expire_on_commit=False) as db:
        setup_institutions(db)
        ent = make_enterprise(db)
        db.add(Address(enterprise_id=ent.id, recipient="王五", phone="13900000000", province="江苏省", detail="1号"))
        db.commit()
        waiting_number = act(demo_followups.seed, db, ent.email)[0]
        db.commit()
        waiting = db.exec(select(Application).where(Application.number == waiting_number)).one()
        people = db.exec(select(Person).where(Person.application_id == waiting.id)).all()
        approved = {
            p.id: sorted(
                db.exec(
                    select(EconomyDecision.economy_code).where(
                        EconomyDecision.person_id == p.id, col(EconomyDecision.decision) == APPROVED
                    )
                ).all()
            )
            for p in people
        }
        found = act(offers.offers_for, db, [waiting], me=principal_for_enterprise(db, ent))[waiting.id]
    assert found  # the seeded application in economy review offers follow-ups
    named = {o.person.id: sorted(o.approved) for kind_offers in found.values() for o in kind_offers}
    assert named == {pid: codes for pid, codes in approved.items() if pid in named}
    assert max(len(codes) for codes in named.values()) > 1  # several codes joined in one row
