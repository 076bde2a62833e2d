"""The printable form of real applications: every field the detail page shows is in the PDF, for a 新办/续办
application and for a follow-up."""

import json
import re

import pypdfium2
from sqlmodel import select

from apec_app.models import Application, Person
from apec_app.printouts import application_form
from apec_app.services.operations import demo_followups
from apec_app.ui_text import forms
from tests.factories import make_enterprise, setup_institutions, uow_for


def pdf_text(application, db) -> str:
    """The PDF's text as PDFium reads it, without whitespace (wrapped values break across lines)."""
    data = application_form.render(application_form.build(db, application))
    return re.sub(r"\s+", "", "".join(page.get_textpage().get_text_bounded() for page in pypdfium2.PdfDocument(data)))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_new_renew_application_pdf_has_every_field(db):
    setup_institutions(db)
    enterprise = make_enterprise(db)
    waiting_number, _, _ = demo_followups.seed(uow_for(db), enterprise.email)
    db.commit()
    application = db.exec(select(Application).where(Application.number == waiting_number)).one()
    text = pdf_text(application, db)
    form = json.loads(application.form_json)
    for label, key in forms.UNIT_LINES:
        assert squash(label) in text and squash(str(form["unit"][key])) in text, label
    for person in db.exec(select(Person).where(Person.application_id == application.id)).all():
        data = json.loads(person.data_json)
        for key in ("surname", "id_number", "passport_number", "home_address", "email", "expiry_date"):
            assert squash(data[key]) in text, key
    assert waiting_number in text and "赴日韩商务考察团" in text


def test_follow_up_pdf_names_its_parent(db):
    setup_institutions(db)
    enterprise = make_enterprise(db)
    waiting_number, _, _ = demo_followups.seed(uow_for(db), enterprise.email)
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
    text = pdf_text(follow_up, db)
    assert waiting_number in text and "持卡人离职" in text and "注销卡" in text
