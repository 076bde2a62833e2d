"""The virtual ABTC: what the holder's phone shows (docs/rules.md §8), read fresh on every load.

The pre-cleared economies are read from the recorded decisions each time, not from the list printed when the
card was made: an approval recorded later shows on the next load, and an economy that refused is never listed
(nor one whose approval was later corrected to a refusal). The QR code's token is signed at each load with the
same claims, so it always carries today's economies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from apec_app.domain import virtual_card as rules
from apec_app.domain.economies import APPROVED, approved_codes
from apec_app.domain.virtual_card import Claims
from apec_app.integrations import storage
from apec_app.models import Application, Card, Document, EconomyDecision, Person
from apec_app.models.base import row_id
from apec_app.services.applications import renewals
from apec_app.services.cards import tokens
from apec_app.services.errors import NotFound
from apec_app.services.review import decisions
from apec_app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Economy:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class VirtualCard:
    card_id: int
    card_number: str
    surname: str
    given_name: str
    pinyin: str  # the name as the passport's machine-readable zone writes it
    sex: str  # 男 / 女
    sex_latin: str  # M / F
    birth_date: date | None
    nationality: str  # ICAO 9303 code
    passport_number: str
    valid_until: date
    standing: str  # domain.virtual_card.STANDINGS
    economies: list[Economy]
    token: str  # the QR code's content; "" unless the card is valid (no code for a cancelled card)
    photo: bytes
    photo_type: str


def precleared(db: Session, person_id: int) -> list[str]:
    """The codes of the deciding economies that approved the person now, in display order."""
    chosen = dict(
        db.exec(
            select(EconomyDecision.economy_code, EconomyDecision.decision).where(
                EconomyDecision.person_id == person_id
            )
        ).all()
    )
    economies = decisions.economies(db)
    deciding = [e.code for e in decisions.deciding_of(economies)]
    return approved_codes({c: d for c, d in chosen.items() if d == APPROVED}, deciding, economies)


def _photo(db: Session, person: Person) -> tuple[bytes, str]:
    value = str(json.loads(person.data_json or "{}").get("photo_doc", ""))
    document = db.get(Document, int(value)) if value.isdigit() else None
    if document is None or document.kind != "photo" or document.purged_at is not None:
        return b"", ""
    application = db.get(Application, person.application_id)
    if application is None or document.enterprise_id != application.enterprise_id:
        return b"", ""
    try:
        return storage.read_private(document.storage_key), document.content_type
    except (FileNotFoundError, ValueError):
        return b"", ""


def claims_of(db: Session, card: Card, person: Person, issued_at: int) -> Claims:
    return Claims(
        card_number=rules.card_number(row_id(card)),
        name=person.pinyin,
        passport_number=person.passport_number,
        valid_until=card.valid_until,
        economies=tuple(precleared(db, row_id(person))),
        issued_at=issued_at,
    )


def build(uow: UnitOfWork, card: Card) -> VirtualCard:
    db = uow.db
    person = db.get(Person, card.person_id)
    if person is None:
        raise NotFound()
    standing = rules.standing(card.status, card.valid_until, uow.today())
    if standing == rules.NOT_ISSUED:
        raise NotFound()  # a card still in production has no virtual card yet
    claims = claims_of(db, card, person, int(uow.now().timestamp()))
    names = {e.code: e for e in decisions.economies(db)}
    photo, photo_type = _photo(db, person)
    return VirtualCard(
        card_id=row_id(card),
        card_number=claims.card_number,
        surname=person.surname,
        given_name=person.given_name,
        pinyin=person.pinyin,
        sex=person.sex,
        sex_latin=rules.latin_sex(person.sex),
        birth_date=person.birth_date,
        nationality=rules.NATIONALITY,
        passport_number=person.passport_number,
        valid_until=card.valid_until,
        standing=standing,
        economies=[
            Economy(c, names[c].name_zh if c in names else c, names[c].name_en if c in names else c)
            for c in claims.economies
        ],
        token=tokens.sign(claims) if standing == rules.VALID else "",
        photo=photo,
        photo_type=photo_type,
    )


def for_account(uow: UnitOfWork, card_id: int) -> VirtualCard:
    """The virtual card of a card in the caller's 我的APEC卡 (the enterprise's cards; an agent's own
    applications' cards), else NotFound."""
    held = {row_id(r.card): r.card for r in renewals.my_cards(uow)}
    card = held.get(int(card_id))
    if card is None:
        raise NotFound()
    return build(uow, card)


def issued_cards_of(db: Session, application_id: int) -> list[Card]:
    """The cards an application made that are now in the holder's hands (or on their way)."""
    return list(
        db.exec(
            select(Card)
            .where(Card.application_id == application_id, col(Card.status).in_(rules.ISSUED_STATUSES))
            .order_by(col(Card.id))
        ).all()
    )
