"""`python -m tests.e2e.seed payable EMAIL`: two applications of that enterprise waiting for payment (2 people
and 1 person), in the database of APEC_DATA_DIR; prints their ids, numbers and amounts as JSON."""

from __future__ import annotations

import json
import sys

from sqlmodel import select

from apec_app import bootstrap
from apec_app.domain import lifecycle
from apec_app.models import Application, Enterprise, Institution, Person
from apec_app.services.applications import filing
from apec_app.services.unit_of_work import unit_of_work


def payable(email: str) -> list[dict]:
    made = []
    with unit_of_work() as uow:
        db = uow.db
        enterprise = db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        institution = db.exec(select(Institution).where(Institution.code == "JS")).one()
        for group, names in (("两人付款团", ("甲一", "甲二")), ("一人付款团", ("乙一",))):
            number = filing._next_number(db, uow.now())
            app = Application(
                number=number,
                business_type=lifecycle.NEW_RENEW,
                enterprise_id=enterprise.id,
                institution_id=institution.id,
                channel="local",
                status=lifecycle.AWAITING_PAYMENT,
                group_name=group,
                person_names="、".join(names),
                person_count=len(names),
                submitted_at=uow.now(),
                form_json=json.dumps({"unit": filing.prefill(enterprise)["unit"], "group": {"group_name": group}}),
            )
            db.add(app)
            db.flush()
            for seq, name in enumerate(names, start=1):
                db.add(Person(application_id=app.id, seq=seq, surname=name[0], given_name=name[1:], pinyin="JIA",
                              id_number=f"11010119800101{app.id:02d}{seq}X", sex="男",
                              passport_number=f"E{app.id:04d}{seq:04d}", data_json="{}"))  # fmt: skip
            made.append({"id": app.id, "number": number, "people": len(names), "names": list(names)})
    return made


if __name__ == "__main__":
    bootstrap.wire()
    print(json.dumps(payable(sys.argv[2])))
