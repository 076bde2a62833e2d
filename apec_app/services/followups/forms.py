"""Follow-up applications (提前制卡, 换补卡, 未制卡仅更换护照, 注销卡): start, draft, submit.

A follow-up is an Application of its own business type with one person, linked to the 新办/续办 application
(`parent_application_id`) and to the person there (`source_person_id`). What an approved one does to the
person's card or passport is in effects.py.
"""

from __future__ import annotations

import json

from sqlmodel import select

from apec_app.domain import followups as rules
from apec_app.domain import lifecycle
from apec_app.domain.application_form import validate_materials
from apec_app.models import Application, Enterprise, Person
from apec_app.models.base import row_id
from apec_app.services.applications import filing
from apec_app.services.applications.filing import StepErrors
from apec_app.services.errors import Conflict, InvalidInput, NotFound
from apec_app.services.followups.offers import situation
from apec_app.services.principal import AGENT, ENTERPRISE, require_kind
from apec_app.services.unit_of_work import UnitOfWork


def _source_fields(enterprise: Enterprise, person: Person) -> dict[str, str]:
    """The read-only block of every follow-up form (manual 1.2.2 step 2)."""
    data = json.loads(person.data_json or "{}")
    return {
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "name": f"{person.surname}{person.given_name}",
        "pinyin": person.pinyin,
        "id_number": person.id_number,
        "mobile": data.get("mobile", ""),
        "passport_number": person.passport_number,
    }


def start(uow: UnitOfWork, parent_id: int, person_id: int, kind: str) -> Application:
    """The 【确定】 of a user-centre button: a draft for one person, if the rules allow it right now."""
    principal = require_kind(uow.principal, ENTERPRISE, AGENT)
    parent = filing.owned(uow, parent_id)
    person = uow.db.get(Person, person_id)
    if person is None or person.application_id != parent.id:
        raise NotFound()
    refused = rules.refusal(kind, situation(uow, parent, person))
    if refused:
        raise Conflict(refused)
    enterprise = uow.db.get(Enterprise, parent.enterprise_id)
    assert enterprise is not None  # the application's own enterprise (a foreign key)
    source = _source_fields(enterprise, person)
    now = uow.now()
    application = Application(
        business_type=kind,
        enterprise_id=parent.enterprise_id,
        creator_agent_id=principal.id if principal.is_agent else None,
        institution_id=parent.institution_id,
        channel=parent.channel,
        parent_application_id=parent.id,
        source_person_id=person.id,
        group_name=parent.group_name,
        person_names=source["name"],
        person_count=1,
        created_at=now,
        updated_at=now,
        form_json=json.dumps(
            {
                "source": source,
                "parent_number": parent.number,
                "contact": {},
                "reason": {},
                "passport": {},
                "materials": {},
                "delivery": {},
                "step": 1,
            },
            ensure_ascii=False,
        ),
    )
    uow.db.add(application)
    uow.db.flush()
    return application


def load(uow: UnitOfWork, application_id: int) -> tuple[Application, dict]:
    application, form = filing.load_form(uow, application_id)
    if application.business_type not in lifecycle.FOLLOWUP_TYPES:
        raise NotFound()
    return application, form


def save_draft(uow: UnitOfWork, application_id: int, form: dict) -> Application:
    """Keep what was typed; the read-only block and the links are the server's, never the browser's."""
    application, stored = load(uow, application_id)
    filing.editable(application)
    kept = {"source": stored.get("source", {}), "parent_number": stored.get("parent_number", "")}
    for section, keys in rules.SECTIONS.items():
        values = {k: str(v)[:500] for k, v in dict(form.get(section, {})).items() if k in keys}
        for slot, owner in rules.UPLOAD_SLOTS.items():
            if owner == section:
                for suffix in ("_doc", "_name"):
                    values[slot + suffix] = str(stored.get(section, {}).get(slot + suffix, ""))
        kept[section] = values
    kept["materials"] = {str(k): str(v)[:200] for k, v in dict(form.get("materials", {})).items()}
    kept["step"] = form.get("step", 1)
    application.form_json = json.dumps(kept, ensure_ascii=False)
    application.updated_at = uow.now()
    application.version += 1
    uow.db.add(application)
    return application


def attach_upload(uow: UnitOfWork, application_id: int, slot: str, document_id: int, name: str) -> None:
    """Point the form's 情况说明 or new passport page at an uploaded document of this application."""
    application, form = load(uow, application_id)
    filing.editable(application)
    if slot not in rules.UPLOAD_SLOTS:
        raise InvalidInput(slot, "upload_required")
    if document_id not in filing.own_document_ids(uow.db, application):
        raise NotFound()
    section = dict(form.get(rules.UPLOAD_SLOTS[slot], {}))
    section[f"{slot}_doc"], section[f"{slot}_name"] = str(document_id), name[:200]
    form[rules.UPLOAD_SLOTS[slot]] = section
    application.form_json = json.dumps(form, ensure_ascii=False)
    application.version += 1
    uow.db.add(application)


def source_person(uow: UnitOfWork, application: Application) -> Person:
    person = uow.db.get(Person, application.source_person_id)
    if person is None:
        raise NotFound()
    return person


def validate_step(uow: UnitOfWork, application: Application, form: dict, step: int) -> dict[str, str]:
    kind = application.business_type
    name = rules.step_name(kind, step)
    db = uow.db
    if name == rules.MATERIALS:
        required = [row_id(m) for m in filing.materials_for(db, kind, application.channel) if m.required]
        own = filing.own_document_ids(db, application)
        materials = {k: v for k, v in form.get("materials", {}).items() if filing.as_int(v) in own}
        return validate_materials(materials, required)
    if name == rules.DELIVERY:
        return filing.validate_step(uow, application, form, 3)
    if name == rules.CONFIRM:
        return {}
    errors = rules.validate_first_step(kind, form, source_person(uow, application).passport_number, uow.today())
    own = filing.own_document_ids(db, application)
    for slot, section in rules.UPLOAD_SLOTS.items():
        value = form.get(section, {}).get(f"{slot}_doc")
        if value and filing.as_int(value) not in own:
            errors[f"{section}.{slot}_doc"] = "upload_required"
    return errors


def submit(uow: UnitOfWork, application_id: int) -> Application:
    """【提交】: every step valid and the person still eligible (the parent or the card may have moved on)."""
    application, form = load(uow, application_id)
    if application.status not in (lifecycle.DRAFT, lifecycle.RETURNED):
        return application
    kind = application.business_type
    for step in range(1, len(rules.STEPS[kind])):
        errors = validate_step(uow, application, form, step)
        if errors:
            raise StepErrors(step, errors)
    parent = uow.db.get(Application, application.parent_application_id)
    assert parent is not None  # a follow-up's 新办/续办 application
    person = source_person(uow, application)
    refused = rules.refusal(kind, situation(uow, parent, person, excluding=application.id))
    if refused:
        raise Conflict(refused)
    data = json.loads(person.data_json or "{}")
    if kind == rules.PASSPORT_CHANGE:
        new = form.get("passport", {})
        data |= {k: new.get(k, "") for k in rules.SECTIONS["passport"] if k != "reason"}
        data["passport_number"] = data["passport_number"].strip().upper()
        data["passport_page_doc"], data["passport_page_name"] = new["passport_page_doc"], new["passport_page_name"]
    return filing.record_submission(uow, application, [data], parent.group_name)


def followup_person_id(uow: UnitOfWork, application: Application) -> int:
    row = uow.db.exec(select(Person.id).where(Person.application_id == application.id)).first()
    if row is None:
        raise NotFound()
    return row
