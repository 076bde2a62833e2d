"""What reviewers' actions on follow-ups do to the person's card or passport, and what the start of the
新办/续办 cards' production does to pending 提前制卡. Event handlers (wired in apec_app/bootstrap.py), run in
the reviewer's transaction; the review services never call them directly."""

from __future__ import annotations

import json

from sqlmodel import col, select

from apec_app.domain import followups as rules
from apec_app.domain import lifecycle
from apec_app.domain.application_form import parse_date
from apec_app.domain.events import CardsMade, StatusChanged
from apec_app.models import Application, Person
from apec_app.models.base import row_id
from apec_app.services.applications.transitions import transition
from apec_app.services.followups.forms import followup_person_id, source_person
from apec_app.services.review import cards
from apec_app.services.unit_of_work import UnitOfWork

SUPERSEDED_REASON = "原申请单已开始制卡，无需提前制卡"


def on_status_changed(uow: UnitOfWork, events: list[StatusChanged]) -> None:
    for event in events:
        application = uow.db.get(Application, event.application_id)
        if application is not None and application.business_type in lifecycle.FOLLOWUP_TYPES:
            _after(uow, application, event.action)


def _after(uow: UnitOfWork, application: Application, action: str) -> None:
    kind = application.business_type
    person = source_person(uow, application)
    card = cards.current_card(uow.db, row_id(person))
    if action == "start_production" and kind in lifecycle.CARD_FOLLOWUPS:
        cards.make_card(uow, application, person, card if kind == rules.REPLACE else None)
    elif action in ("mail", "picked_up") and kind == rules.EARLY_CARD:
        parent = uow.db.get(Application, application.parent_application_id)
        assert parent is not None  # a follow-up's 新办/续办 application
        parent.early_card_done = True
        uow.db.add(parent)
    elif action == "approve" and kind == rules.CANCEL and card is not None:
        card.status = "cancelled"
        uow.db.add(card)
    elif action == "approve" and kind == rules.PASSPORT_CHANGE:
        _replace_passport(uow, application, person)


def close_superseded_early_cards(uow: UnitOfWork, events: list[CardsMade]) -> None:
    """The 新办/续办 cards are being made: a 提前制卡 not yet in production has nothing left to do, so it ends
    as 审核不通过 with the reason, instead of making a second card for the same person."""
    pending = (lifecycle.FAO_REVIEW, lifecycle.MFA_REVIEW, lifecycle.RETURNED, lifecycle.APPROVED)
    for event in events:
        for early in uow.db.exec(
            select(Application).where(
                Application.parent_application_id == event.application_id,
                Application.business_type == rules.EARLY_CARD,
                col(Application.status).in_(pending),
            )
        ).all():
            transition(uow, early, "supersede", reason=SUPERSEDED_REASON, by_system=True)


def _replace_passport(uow: UnitOfWork, application: Application, person: Person) -> None:
    """The approved new passport replaces the old one on the person; the old one stays in its history."""
    db = uow.db
    followup_person = db.get(Person, followup_person_id(uow, application))
    assert followup_person is not None  # the id was just read
    new = json.loads(followup_person.data_json)
    data = json.loads(person.data_json or "{}")
    history = list(data.get("passport_history", []))
    history.append(
        {
            "passport_number": person.passport_number,
            "expiry_date": data.get("expiry_date", ""),
            "replaced_on": uow.today().isoformat(),
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
    assert parent is not None  # the person's application (a foreign key)
    form = json.loads(parent.form_json or "{}")
    people = form.get("people", [])
    if 0 < person.seq <= len(people):
        people[person.seq - 1] = {**people[person.seq - 1], **{k: data[k] for k in keys}}
        parent.form_json = json.dumps(form, ensure_ascii=False)
        db.add(parent)
