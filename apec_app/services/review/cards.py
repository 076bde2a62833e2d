"""Cards: made for the people of an application when production starts, then ready, mailed or picked up.

Cards always belong to the person of the 新办/续办 application, whichever application produced them (提前制卡,
换补卡 too), so "the person's card" is one query. Validity counts in Beijing days.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, or_
from sqlmodel import Session, col, select

from apec_app.domain.economies import APPROVED, approved_codes
from apec_app.domain.person import card_valid_until
from apec_app.models import Application, Card, EconomyDecision, Person
from apec_app.models.base import row_id
from apec_app.services.review import decisions
from apec_app.services.unit_of_work import UnitOfWork


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


def valid_until(today: date, person: Person) -> date:
    """5 years from today, never beyond the person's passport (a person without a recorded expiry: 5 years;
    `date.max` rather than today + 5 years, which does not exist on 29 February)."""
    return card_valid_until(today, person.passport_expiry or date.max)


def make_cards(uow: UnitOfWork, application: Application) -> None:
    """制卡: one card per person, listing the approving economies, valid 5 years or to passport expiry."""
    db, today = uow.db, uow.today()
    economies = decisions.economies(db)
    codes = [e.code for e in decisions.deciding_of(economies)]
    table = decisions.decisions_of(db, application)
    for person in decisions.people(db, application):
        person_id = row_id(person)
        if current_card(db, person_id) is not None:
            continue  # an early card was made already; more economies mean 换卡, not a second card
        chosen = {code: d.decision for code, d in table.get(person_id, {}).items()}
        approved = approved_codes(chosen, codes, economies)
        db.add(
            Card(
                person_id=person_id,
                application_id=row_id(application),
                approved_economies=",".join(approved),
                valid_until=valid_until(today, person),
                created_at=uow.now(),
            )
        )


def make_card(uow: UnitOfWork, application: Application, person: Person, replacing: Card | None) -> Card:
    """One card for a follow-up (提前制卡, 换补卡) with the economies approved so far; a replacement keeps the
    old card's validity, and the old card becomes invalid."""
    db, today = uow.db, uow.today()
    approved = set(approved_economies(db, row_id(person)))
    codes = [e.code for e in decisions.deciding(db) if e.code in approved]
    if replacing is not None:
        valid = replacing.valid_until
        replacing.status = "replaced"
        db.add(replacing)
    else:
        valid = valid_until(today, person)
    card = Card(
        person_id=row_id(person),
        application_id=row_id(application),
        approved_economies=",".join(codes),
        valid_until=valid,
        created_at=uow.now(),
    )
    db.add(card)
    return card


def update_cards(db: Session, application: Application, status: str, tracking: str) -> None:
    for card in db.exec(select(Card).where(Card.application_id == application.id)).all():
        card.status = status
        if tracking:
            card.tracking_number = tracking
        db.add(card)


_CARDS_OF = (  # built once: every detail page runs it; the holder's name only (a Person decrypts three fields)
    select(Card, Person.surname, Person.given_name)
    .join(Person, col(Person.id) == Card.person_id)
    .where(
        or_(
            col(Card.application_id) == bindparam("application_id"),
            col(Card.person_id).in_(select(Person.id).where(col(Person.application_id) == bindparam("application_id"))),
        )
    )
    .order_by(col(Card.id))
)


def cards_of(db: Session, application: Application) -> list[tuple[Card, str]]:
    """(card, holder's name): the cards this application made and, for a 新办/续办 application, every later
    card of its people (提前制卡, 换补卡), oldest first."""
    rows = db.exec(_CARDS_OF, params={"application_id": application.id}).all()
    return [(card, f"{surname}{given_name}") for card, surname, given_name in rows]
