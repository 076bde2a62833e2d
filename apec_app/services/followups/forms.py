"""Follow-up applications (提前制卡, 换补卡, 未制卡仅更换护照, 注销卡): offer, start, draft, submit, and what an
approved one does to the person's passport or card.

A follow-up is an Application of its own business type with one person, linked to the 新办/续办 application
(`parent_application_id`) and to the person there (`source_person_id`). Cards always belong to that source
person, whichever application produced them, so "the person's card" is one query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from apec_app.domain import followups as rules
from apec_app.domain import lifecycle
from apec_app.domain.application_form import parse_date, validate_materials
from apec_app.domain.economies import APPROVED
from apec_app.domain.person import card_valid_until
from apec_app.models import Application, Card, EconomyDecision, Enterprise, Person
from apec_app.models.base import utcnow
from apec_app.services.applications import filing as applications
from apec_app.services.applications.filing import StepErrors
from apec_app.services.errors import Conflict, InvalidInput, NotFound
from apec_app.services.principal import AGENT, ENTERPRISE, Principal, require_kind

# --- the person's situation -------------------------------------------------------------------------------


def current_card(db: Session, person_id: int) -> Card | None:
    """The person's card now: the newest one not replaced by a later card."""
    return db.exec(
        select(Card).where(Card.person_id == person_id, Card.status != "replaced").order_by(col(Card.id).desc())
    ).first()


def approved_economies(db: Session, person_id: int) -> list[str]:
    return list(
        db.exec(
            select(EconomyDecision.economy_code).where(
                EconomyDecision.person_id == person_id, EconomyDecision.decision == APPROVED
            )
        ).all()
    )


def _situations(
    db: Session, parents: dict[int, Application], persons: list[Person], *, excluding: int | None = None
) -> dict[int, tuple[rules.PersonSituation, list[str]]]:
    """Person id → (what the follow-up rules look at, the economies that approved the person), in three
    queries however many people: one page of the user centre, or the one person a request is about.
    `excluding` leaves out a follow-up checking itself at submission."""
    ids = [p.id for p in persons]
    cards: dict[int, Card] = {}
    for card in db.exec(
        select(Card).where(col(Card.person_id).in_(ids), Card.status != "replaced").order_by(col(Card.id))
    ).all():
        cards[card.person_id] = card  # the newest wins
    approved: dict[int, list[str]] = {}
    for person_id, code in db.exec(
        select(EconomyDecision.person_id, EconomyDecision.economy_code).where(
            col(EconomyDecision.person_id).in_(ids), EconomyDecision.decision == APPROVED
        )
    ).all():
        approved.setdefault(person_id, []).append(code)
    open_kinds: dict[int, set[str]] = {}
    for app_id, person_id, kind, status in db.exec(
        select(Application.id, Application.source_person_id, Application.business_type, Application.status).where(
            col(Application.source_person_id).in_(ids)
        )
    ).all():
        if app_id != excluding and lifecycle.is_open(kind, status):
            open_kinds.setdefault(person_id, set()).add(kind)
    today = utcnow().date()
    found = {}
    for person in persons:
        parent, card = parents[person.application_id], cards.get(person.id)
        found[person.id] = (
            rules.PersonSituation(
                parent_type=parent.business_type,
                parent_status=parent.status,
                approved_economies=len(approved.get(person.id, [])),
                card=card.status if card else "",
                card_expired=bool(card and card.valid_until < today),
                open_followups=frozenset(open_kinds.get(person.id, set())),
            ),
            approved.get(person.id, []),
        )
    return found


def situation(db: Session, parent: Application, person: Person, *, excluding: int | None = None):
    return _situations(db, {parent.id: parent}, [person], excluding=excluding)[person.id][0]


# A parent in these statuses may have a person who can start something (economies deciding, or a card made).
OFFER_STATUSES = frozenset(
    {
        lifecycle.ECONOMY_REVIEW,
        lifecycle.ECONOMIES_DONE,
        lifecycle.CARD_PRODUCTION,
        lifecycle.AWAITING_PICKUP,
        lifecycle.PICKED_UP,
        lifecycle.MAILED,
    }
)


@dataclass(frozen=True)
class Offer:
    person: Person
    approved: list[str]  # economy codes that approved this person so far


def offers_for(db: Session, principal: Principal, parents: list[Application]) -> dict[int, dict[str, list[Offer]]]:
    """Per 新办/续办 application: business type → the people it can be started for (the user centre's buttons).

    Four queries for a whole page of applications, whatever the number of people."""
    for parent in parents:
        applications.owned(db, principal, parent.id)
    wanted = {p.id: p for p in parents if p.business_type == lifecycle.NEW_RENEW and p.status in OFFER_STATUSES}
    found: dict[int, dict[str, list[Offer]]] = {p.id: {} for p in parents}
    if not wanted:
        return found
    persons = db.exec(
        select(Person)
        .where(col(Person.application_id).in_(wanted))
        .order_by(col(Person.application_id), col(Person.seq))
    ).all()
    situations = _situations(db, wanted, persons)
    for person in persons:
        situation_now, approved = situations[person.id]
        for kind in rules.offered(situation_now):
            found[person.application_id].setdefault(kind, []).append(Offer(person, approved))
    return found


def offers(db: Session, principal: Principal, parent: Application) -> dict[str, list[Person]]:
    """Business type → the people of one application it can be started for."""
    return {kind: [o.person for o in found] for kind, found in offers_for(db, principal, [parent])[parent.id].items()}


# --- starting and editing a draft -------------------------------------------------------------------------


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


def start(db: Session, principal: Principal, parent_id: int, person_id: int, kind: str) -> Application:
    """The 【确定】 of a user-centre button: a draft for one person, if the rules allow it right now."""
    require_kind(principal, ENTERPRISE, AGENT)
    parent = applications.owned(db, principal, parent_id)
    person = db.get(Person, person_id)
    if person is None or person.application_id != parent.id:
        raise NotFound()
    refused = rules.refusal(kind, situation(db, parent, person))
    if refused:
        raise Conflict(refused)
    enterprise = db.get(Enterprise, parent.enterprise_id)
    source = _source_fields(enterprise, person)
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
    db.add(application)
    db.flush()
    return application


def load(db: Session, principal: Principal, application_id: int) -> tuple[Application, dict]:
    application, form = applications.load_form(db, principal, application_id)
    if application.business_type not in lifecycle.FOLLOWUP_TYPES:
        raise NotFound()
    return application, form


def save_draft(db: Session, principal: Principal, application_id: int, form: dict) -> Application:
    """Keep what was typed; the read-only block and the links are the server's, never the browser's."""
    application, stored = load(db, principal, application_id)
    applications._editable(application)
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
    application.updated_at = utcnow()
    application.version += 1
    db.add(application)
    return application


def attach_upload(db: Session, principal: Principal, application_id: int, slot: str, document_id: int, name: str):
    """Point the form's 情况说明 or new passport page at an uploaded document of this application."""
    application, form = load(db, principal, application_id)
    applications._editable(application)
    if slot not in rules.UPLOAD_SLOTS:
        raise InvalidInput(slot, "upload_required")
    if document_id not in applications._own_document_ids(db, application):
        raise NotFound()
    section = dict(form.get(rules.UPLOAD_SLOTS[slot], {}))
    section[f"{slot}_doc"], section[f"{slot}_name"] = str(document_id), name[:200]
    form[rules.UPLOAD_SLOTS[slot]] = section
    application.form_json = json.dumps(form, ensure_ascii=False)
    application.version += 1
    db.add(application)


# --- steps and submission --------------------------------------------------------------------------------


def _source_person(db: Session, application: Application) -> Person:
    person = db.get(Person, application.source_person_id)
    if person is None:
        raise NotFound()
    return person


def validate_step(db: Session, application: Application, form: dict, step: int, today: date) -> dict[str, str]:
    kind = application.business_type
    name = rules.step_name(kind, step)
    if name == "上传材料":
        required = [m.id for m in applications.materials_for(db, kind, application.channel) if m.required]
        own = applications._own_document_ids(db, application)
        materials = {k: v for k, v in form.get("materials", {}).items() if applications._as_int(v) in own}
        return validate_materials(materials, required)
    if name == "取卡方式":
        return applications.validate_step(db, application, form, 3, today)
    if name == "信息确认":
        return {}
    errors = rules.validate_first_step(kind, form, _source_person(db, application).passport_number, today)
    own = applications._own_document_ids(db, application)
    for slot, section in rules.UPLOAD_SLOTS.items():
        value = form.get(section, {}).get(f"{slot}_doc")
        if value and applications._as_int(value) not in own:
            errors[f"{section}.{slot}_doc"] = "upload_required"
    return errors


def submit(db: Session, principal: Principal, application_id: int, today: date) -> Application:
    """【提交】: every step valid and the person still eligible (the parent or the card may have moved on)."""
    application, form = load(db, principal, application_id)
    if application.status not in (lifecycle.DRAFT, lifecycle.RETURNED):
        return application
    kind = application.business_type
    for step in range(1, len(rules.STEPS[kind])):
        errors = validate_step(db, application, form, step, today)
        if errors:
            raise StepErrors(step, errors)
    parent = db.get(Application, application.parent_application_id)
    person = _source_person(db, application)
    refused = rules.refusal(kind, situation(db, parent, person, excluding=application.id))
    if refused:
        raise Conflict(refused)
    data = json.loads(person.data_json or "{}")
    if kind == rules.PASSPORT_CHANGE:
        new = form.get("passport", {})
        data |= {k: new.get(k, "") for k in rules.SECTIONS["passport"] if k != "reason"}
        data["passport_number"] = data["passport_number"].strip().upper()
        data["passport_page_doc"], data["passport_page_name"] = new["passport_page_doc"], new["passport_page_name"]
    return applications.record_submission(db, principal, application, [data], parent.group_name)


# --- what reviewers' actions do ---------------------------------------------------------------------------


def after_staff_action(db: Session, application: Application, action: str) -> None:
    """Effects of a follow-up's transition on the person's card or passport (in the reviewer's transaction)."""
    kind = application.business_type
    if kind not in lifecycle.FOLLOWUP_TYPES:
        return
    person = _source_person(db, application)
    card = current_card(db, person.id)
    if action == "start_production" and kind in lifecycle.CARD_FOLLOWUPS:
        _make_card(db, application, person, card)
    elif action in ("mail", "picked_up") and kind == rules.EARLY_CARD:
        parent = db.get(Application, application.parent_application_id)
        parent.early_card_done = True
        db.add(parent)
    elif action == "approve" and kind == rules.CANCEL and card is not None:
        card.status = "cancelled"
        db.add(card)
    elif action == "approve" and kind == rules.PASSPORT_CHANGE:
        _replace_passport(db, application, person)


def close_superseded_early_cards(db: Session, parent: Application, actor: str) -> None:
    """The 新办/续办 cards are being made: a 提前制卡 not yet in production has nothing left to do, so it ends
    as 审核不通过 with the reason, instead of making a second card for the same person."""
    pending = (lifecycle.FAO_REVIEW, lifecycle.MFA_REVIEW, lifecycle.RETURNED, lifecycle.APPROVED)
    for early in db.exec(
        select(Application).where(
            Application.parent_application_id == parent.id,
            Application.business_type == rules.EARLY_CARD,
            col(Application.status).in_(pending),
        )
    ).all():
        old = early.status
        early.status, early.version = lifecycle.REJECTED, early.version + 1
        early.updated_at = utcnow()
        db.add(early)
        applications.record_status(db, early, old, early.status, actor, "原申请单已开始制卡，无需提前制卡")


def _make_card(db: Session, application: Application, person: Person, old: Card | None) -> None:
    """A new card for the approving economies so far; a 换补卡 card keeps the old card's validity and the
    old card becomes invalid."""
    from apec_app.services.review.workbench import deciding

    approved = set(approved_economies(db, person.id))
    codes = [e.code for e in deciding(db) if e.code in approved]
    today = utcnow().date()
    if application.business_type == rules.REPLACE and old is not None:
        valid = old.valid_until
        old.status = "replaced"
        db.add(old)
    else:
        expiry = person.passport_expiry or today.replace(year=today.year + 5)
        valid = card_valid_until(today, expiry)
    db.add(
        Card(
            person_id=person.id,
            application_id=application.id,
            approved_economies=",".join(codes),
            valid_until=valid,
        )
    )


def _replace_passport(db: Session, application: Application, person: Person) -> None:
    """The approved new passport replaces the old one on the person; the old one stays in its history."""
    new = json.loads(db.get(Person, _followup_person_id(db, application)).data_json)
    data = json.loads(person.data_json or "{}")
    history = list(data.get("passport_history", []))
    history.append(
        {
            "passport_number": person.passport_number,
            "expiry_date": data.get("expiry_date", ""),
            "replaced_on": utcnow().date().isoformat(),
            "application_number": application.number or "",
        }
    )
    keys = ("passport_number", "passport_type", "issue_date", "expiry_date", "issuing_authority", "issue_place")
    data |= {k: new.get(k, "") for k in keys} | {"passport_history": history}
    person.passport_number = data["passport_number"]
    person.passport_expiry = parse_date(data["expiry_date"])
    person.data_json = json.dumps(data, ensure_ascii=False)
    db.add(person)
    parent = db.get(Application, person.application_id)
    form = json.loads(parent.form_json or "{}")
    people = form.get("people", [])
    if 0 < person.seq <= len(people):
        people[person.seq - 1] = {**people[person.seq - 1], **{k: data[k] for k in keys}}
        parent.form_json = json.dumps(form, ensure_ascii=False)
        db.add(parent)


def _followup_person_id(db: Session, application: Application) -> int:
    row = db.exec(select(Person.id).where(Person.application_id == application.id)).first()
    if row is None:
        raise NotFound()
    return row
