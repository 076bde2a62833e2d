"""我的APEC卡 and 续办 that fills itself: the cards an account can see, and a 新办/续办 draft prefilled from the
person's last application (everything except the documents that must be fresh)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from apec_app.domain import lifecycle, renewal
from apec_app.domain.application_form import PERSON_DOCS
from apec_app.integrations import crypto
from apec_app.models import Application, Card, Document, Person
from apec_app.services.applications import filing
from apec_app.services.errors import Conflict, NotFound
from apec_app.services.principal import AGENT, ENTERPRISE, Principal, require_kind
from apec_app.services.unit_of_work import UnitOfWork

# Fresh for every application: a recent photo and current social-security and no-criminal-record proofs.
FRESH_DOCS = ("photo", "social_security", "no_criminal_record")


@dataclass(frozen=True)
class CardRow:
    card: Card
    person: Person
    renewable: bool
    renewal_opens: date


def _held_cards(db: Session, principal: Principal) -> list[tuple[Card, Person, Application]]:
    """Current cards (not replaced) of people of 新办/续办 applications the principal can see."""
    require_kind(principal, ENTERPRISE, AGENT)
    query = (
        select(Card, Person, Application)
        .join(Person, col(Person.id) == Card.person_id)
        .join(Application, col(Application.id) == Person.application_id)
        .where(Application.enterprise_id == principal.enterprise_id, Card.status != "replaced")
        .order_by(col(Card.valid_until), col(Card.id))
    )
    if principal.is_agent:
        query = query.where(Application.creator_agent_id == principal.id)
    return list(db.exec(query).all())


def _open_id_indexes(db: Session, enterprise_id: int) -> set[str]:
    """Blind indexes of the 身份证号 already in an open 新办/续办 application (a renewal is one of those once
    started): compared without decrypting every person of the enterprise."""
    rows = db.exec(
        select(Person.id_number_index)
        .join(Application, col(Application.id) == Person.application_id)
        .where(
            Application.enterprise_id == enterprise_id,
            Application.business_type == lifecycle.NEW_RENEW,
            col(Application.status).in_(lifecycle.OPEN_STATUSES - {lifecycle.DRAFT}),
        )
    ).all()
    drafts = db.exec(
        select(Application.form_json).where(
            Application.enterprise_id == enterprise_id,
            Application.business_type == lifecycle.NEW_RENEW,
            Application.status == lifecycle.DRAFT,
        )
    ).all()
    in_drafts = {
        crypto.blind_index("id_number", str(p.get("id_number", "")))
        for form in drafts
        for p in json.loads(form or "{}").get("people", [])
    }
    return set(rows) | in_drafts


def my_cards(uow: UnitOfWork) -> list[CardRow]:
    principal = require_kind(uow.principal, ENTERPRISE, AGENT)
    assert principal.enterprise_id is not None  # enterprise and agent principals have one
    busy = _open_id_indexes(uow.db, principal.enterprise_id)
    today = uow.today()
    return [
        CardRow(
            card,
            person,
            renewal.renewable(card.status, card.valid_until, today) and person.id_number_index not in busy,
            renewal.renewal_opens(card.valid_until),
        )
        for card, person, _ in _held_cards(uow.db, principal)
    ]


def start(uow: UnitOfWork, card_id: int) -> Application:
    """【续办】: a 新办/续办 draft for the same institution with the person prefilled (refused outside the window,
    for a cancelled or replaced card, or when the person is already in an open 新办/续办 application)."""
    row = next((r for r in my_cards(uow) if r.card.id == card_id), None)
    if row is None:
        raise NotFound()
    if not row.renewable:
        raise Conflict("renewal_not_open")
    db = uow.db
    last = db.get(Application, row.person.application_id)
    assert last is not None  # the person's application (a foreign key)
    application = filing.start(uow, last.institution_id)
    form = json.loads(application.form_json)
    last_form = json.loads(last.form_json or "{}")
    form["unit"] = {**last_form.get("unit", {}), **form["unit"]}  # the account's own data wins
    form["group"] = {k: v for k, v in last_form.get("group", {}).items() if k in ("contact_name", "contact_phone")}
    form["people"] = [_renewed_person(uow, row.person, application)]
    application.form_json = json.dumps(form, ensure_ascii=False)
    application.person_names = f"{row.person.surname}{row.person.given_name}"
    db.add(application)
    return application


def _renewed_person(uow: UnitOfWork, person: Person, application: Application) -> dict[str, str]:
    data = {k: str(v) for k, v in json.loads(person.data_json or "{}").items() if k != "passport_history"}
    data["old_card"] = "是"
    passport_changed = bool(json.loads(person.data_json or "{}").get("passport_history"))
    for kind in PERSON_DOCS:
        keep = kind not in FRESH_DOCS and not (kind == "passport_page" and passport_changed)
        copied = _copy_document(uow, data.get(f"{kind}_doc", ""), application) if keep else None
        data[f"{kind}_doc"] = str(copied.id) if copied else ""
        data[f"{kind}_name"] = copied.original_name if copied else ""
    return data


def _copy_document(uow: UnitOfWork, document_id: str, application: Application) -> Document | None:
    """The same stored file, listed under the new application (files are never changed in place); none once
    the retention period deleted it (the slot is then asked again)."""
    db = uow.db
    source = db.get(Document, int(document_id)) if document_id.isdigit() else None
    if source is None or source.purged_at is not None or source.enterprise_id != application.enterprise_id:
        return None
    copy = Document(
        enterprise_id=source.enterprise_id,
        application_id=application.id,
        kind=source.kind,
        storage_key=source.storage_key,
        original_name=source.original_name,
        content_type=source.content_type,
        size=source.size,
        sha256=source.sha256,
        uploaded_by=source.uploaded_by,
        created_at=uow.now(),
    )
    db.add(copy)
    db.flush()
    return copy
