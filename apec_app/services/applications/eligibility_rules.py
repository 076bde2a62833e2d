"""Each institution's eligibility rules (申办条件): kept as settings, shown to applicants before they apply
(self-check), checked at the wizard's fields and listed for reviewers. A missed rule warns; it never blocks
submission: the reviewer decides."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session

from apec_app.domain import eligibility
from apec_app.models import Application, Institution, Material
from apec_app.services.errors import InvalidInput, NotFound
from apec_app.services.security_log import log_event
from apec_app.services.settings.back_office import require_admin
from apec_app.services.unit_of_work import UnitOfWork


def _institution(db: Session, institution_id: int | None) -> Institution:
    institution = db.get(Institution, institution_id) if institution_id else None
    if institution is None:
        raise NotFound("institution_unknown")
    return institution


def rules_of(db: Session, institution_id: int | None) -> eligibility.RuleSet:
    return eligibility.RuleSet.from_json(_institution(db, institution_id).eligibility_json)


def update(uow: UnitOfWork, institution_id: int, raw: dict[str, str]) -> eligibility.RuleSet:
    admin = require_admin(uow.principal)
    db = uow.db
    institution = _institution(db, institution_id)
    rules, errors = eligibility.check_rules(raw)
    if errors:
        raise InvalidInput.many({f"rule.{kind}": code for kind, code in errors.items()})
    institution.eligibility_json = rules.to_json()
    db.add(institution)
    log_event(
        db,
        "admin_eligibility",
        actor=admin.label,
        detail=f"institution {institution.code}: {rules.to_json()}",
        client_ip=uow.client_ip,
    )
    return rules


def _uploaded_material_names(db: Session, form: dict) -> list[str]:
    names = []
    for key, value in form.get("materials", {}).items():
        if key.startswith("m") and not key.endswith("_name") and value and key[1:].isdigit():
            material = db.get(Material, int(key[1:]))
            if material is not None:
                names.append(material.name)
    return names


def misses(db: Session, application: Application, form: dict | None, today: date) -> list[eligibility.Result]:
    """The rules a 新办/续办 form misses (data below or above the threshold; not the fields still empty)."""
    institution = _institution(db, application.institution_id)
    rules = eligibility.RuleSet.from_json(institution.eligibility_json)
    if not rules:
        return []
    form = form if form is not None else json.loads(application.form_json or "{}")
    found = eligibility.evaluate(rules, form, today, _uploaded_material_names(db, form), institution=institution.name)
    return [r for r in found if not r.unknown]


def self_check(
    db: Session, institution_id: int, facts: dict[str, object], today: date
) -> tuple[Institution, list[eligibility.Result]]:
    institution = _institution(db, institution_id)
    rules = eligibility.RuleSet.from_json(institution.eligibility_json)
    return institution, eligibility.self_check(rules, facts, today, institution=institution.name)


def admin_form_values(uow: UnitOfWork, institution_id: int) -> dict[str, str]:
    """The admin form: every rule kind, "" for the ones that are off."""
    require_admin(uow.principal)
    return rules_of(uow.db, institution_id).as_raw()
