"""The printable form of real applications: every field the detail page shows is in the PDF, for a 新办/续办
application and for a follow-up."""

import json

from sqlmodel import select

from apec_app.models import Application, Person
from apec_app.services.applications import printable
from apec_app.services.applications import views as application_view
from apec_app.services.operations import demo_followups
from tests.app_factories import setup_institutions
from tests.factories import make_enterprise
from tests.unit.test_application_pdf import page_texts, squash


def test_new_renew_application_pdf_has_every_field(db):
    setup_institutions(db)
    enterprise = make_enterprise(db)
    waiting_number, _, _ = demo_followups.seed(db, enterprise.email)
    db.commit()
    application = db.exec(select(Application).where(Application.number == waiting_number)).one()
    text = squash("".join(page_texts(printable.render(printable.build(db, application)))))
    form = json.loads(application.form_json)
    for label, key in application_view.UNIT_LINES:
        assert squash(label) in text and squash(str(form["unit"][key])) in text, label
    for person in db.exec(select(Person).where(Person.application_id == application.id)).all():
        data = json.loads(person.data_json)
        for key in ("surname", "id_number", "passport_number", "home_address", "email", "expiry_date"):
            assert squash(data[key]) in text, key
    assert waiting_number in text and "赴日韩商务考察团" in text


def test_follow_up_pdf_names_its_parent(db):
    setup_institutions(db)
    enterprise = make_enterprise(db)
    waiting_number, _, _ = demo_followups.seed(db, enterprise.email)
    parent = db.exec(select(Application).where(Application.number == waiting_number)).one()
    follow_up = Application(
        number="APEC20261127999999",
        business_type="cancel",
        enterprise_id=enterprise.id,
        institution_id=parent.institution_id,
        channel=parent.channel,
        status="fao_review",
        parent_application_id=parent.id,
        form_json=json.dumps(
            {"parent_number": waiting_number, "source": {"name": "张伟"}, "reason": {"reason": "持卡人离职"}},
            ensure_ascii=False,
        ),
    )
    db.add(follow_up)
    db.commit()
    text = squash("".join(page_texts(printable.render(printable.build(db, follow_up)))))
    assert waiting_number in text and "持卡人离职" in text and "注销卡" in text
