"""Institutions' 申办条件 as settings: only admins change them, the wizard and reviewers get the misses of a form
(never the fields still empty), and the self-check answers every rule."""

import json

import pytest
from sqlmodel import select

from apec_app.models import Application, Institution, Material, SecurityEvent
from apec_app.models.base import utcnow
from apec_app.services.applications import eligibility_rules
from apec_app.services.errors import InvalidInput, PermissionDenied
from tests.factories import make_enterprise, setup_institutions, staff_principal, uow_for


@pytest.fixture()
def js(db):
    _, js = setup_institutions(db)
    return js


def test_admin_saves_rules_and_a_reviewer_cannot(db, js):
    admin = staff_principal(db, "admin1", "admin")
    reviewer = staff_principal(db, "rev1", "reviewer", "JS")
    with pytest.raises(PermissionDenied):
        eligibility_rules.update(uow_for(db, reviewer), js.id, {"min_staff": "50"})
    rules = eligibility_rules.update(
        uow_for(db, admin), js.id, {"min_staff": "50", "min_trade": "", "max_people": "10"}
    )
    db.commit()
    assert json.loads(db.get(Institution, js.id).eligibility_json) == {"min_staff": "50", "max_people": "10"}
    assert [r.kind for r in rules] == ["min_staff", "max_people"]
    assert eligibility_rules.admin_form_values(uow_for(db, admin), js.id)["min_staff"] == "50"
    assert db.exec(select(SecurityEvent).where(SecurityEvent.action == "admin_eligibility")).first()


def test_bad_thresholds_are_reported_per_rule_and_nothing_changes(db, js):
    admin = staff_principal(db, "admin1", "admin")
    with pytest.raises(InvalidInput) as bad:
        eligibility_rules.update(uow_for(db, admin), js.id, {"min_staff": "many", "max_people": "31"})
    assert set(bad.value.errors) == {"rule.min_staff", "rule.max_people"}
    assert db.get(Institution, js.id).eligibility_json == ""


def _application(db, js, form) -> Application:
    enterprise = make_enterprise(db)
    application = Application(
        business_type="new_renew",
        enterprise_id=enterprise.id,
        institution_id=js.id,
        channel="local",
        form_json=json.dumps(form, ensure_ascii=False),
    )
    db.add(application)
    db.commit()
    return application


def test_misses_of_a_form_name_the_field_and_skip_empty_ones(db, js):
    js.eligibility_json = json.dumps(
        {"min_staff": "50", "min_trade": "1000", "min_months_employed": "12", "tax_certificate_required": "1"}
    )
    db.add(js)
    tax = db.exec(select(Material).where(Material.name == "完税证明")).one()
    form = {
        "unit": {"staff_count": "20", "trade": ""},
        "people": [{"surname": "张", "given_name": "平", "months_employed": "6"}, {"months_employed": "36"}],
        "materials": {},
    }
    application = _application(db, js, form)
    misses = eligibility_rules.misses(db, application, None, utcnow().date())
    by_field = {m.field: m.message for m in misses}
    assert set(by_field) == {"unit.staff_count", "people.0.months_employed", "materials"}  # trade empty: not a miss
    assert "员工人数不少于50人" in by_field["unit.staff_count"] and "20" in by_field["unit.staff_count"]
    assert js.name in by_field["people.0.months_employed"]
    form["materials"] = {f"m{tax.id}": "1", f"m{tax.id}_name": "tax.pdf"}
    assert "materials" not in {m.field for m in eligibility_rules.misses(db, application, form, utcnow().date())}


def test_no_rules_no_misses(db, js):
    application = _application(db, js, {"unit": {"staff_count": "1"}})
    assert eligibility_rules.misses(db, application, None, utcnow().date()) == []


def test_self_check_answers_every_rule(db, js):
    js.eligibility_json = json.dumps({"min_staff": "50", "min_months_employed": "12", "max_people": "5"})
    db.add(js)
    db.commit()
    institution, results = eligibility_rules.self_check(
        db, js.id, {"staff_count": "80", "months_employed": ["24", "6"]}, utcnow().date()
    )
    assert institution.id == js.id
    assert [(r.kind, r.status) for r in results] == [
        ("min_staff", "passed"),
        ("min_months_employed", "missed"),
        ("max_people", "passed"),  # two people counted from the months given
    ]
