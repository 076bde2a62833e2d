"""The holder's own access to the virtual card (docs/rules.md §8). The holder has no account: when the card is
issued, a link goes to the email the application gave for them; the link opens the card only after a 6-digit
code sent to that same address (the code rules of §2: services/accounts/codes.py, with its limits).

Only the link's SHA-256 is kept. A newer link for the same card ends the older one; a link works while the card
is valid and for 30 days after (the holder can still see that it expired), and never once the card was
replaced (the new card gets its own link).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlmodel import col, select

from apec_app.domain import virtual_card as rules
from apec_app.domain.validators import mask_email
from apec_app.models import Card, CardHolderLink, Person
from apec_app.models.base import row_id
from apec_app.services.accounts import codes
from apec_app.services.cards import virtual
from apec_app.services.errors import InvalidInput, NotFound
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings

PURPOSE = "card_access"
AFTER_EXPIRY = timedelta(days=30)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def holder_email(person: Person) -> str:
    return str(json.loads(person.data_json or "{}").get("email", "")).strip().lower()


def link_url(token: str) -> str:
    return f"{get_settings().public_url}/abtc/{token}"


@dataclass(frozen=True)
class IssuedLink:
    card_id: int
    email: str
    url: str
    holder: str  # 姓名


def issue_link(uow: UnitOfWork, card: Card) -> IssuedLink | None:
    """A new link for the card (older ones end), or None when the holder gave no email."""
    db, now = uow.db, uow.now()
    person = db.get(Person, card.person_id)
    if person is None or not holder_email(person):
        return None
    for old in db.exec(
        select(CardHolderLink).where(CardHolderLink.card_id == card.id, col(CardHolderLink.revoked_at).is_(None))
    ).all():
        old.revoked_at = now
        db.add(old)
    token = secrets.token_urlsafe(32)
    end_of_validity = datetime.combine(card.valid_until, time.max, tzinfo=timezone(timedelta(hours=8)))
    db.add(
        CardHolderLink(
            token_hash=_hash(token),
            card_id=row_id(card),
            created_by=uow.actor,
            created_at=now,
            expires_at=end_of_validity + AFTER_EXPIRY,
        )
    )
    return IssuedLink(row_id(card), holder_email(person), link_url(token), f"{person.surname}{person.given_name}")


def issue_links_for(uow: UnitOfWork, application_id: int) -> list[IssuedLink]:
    """Links for the application's issued cards that have none live yet (制卡完成 then 已自取 sends one)."""
    issued = []
    for card in virtual.issued_cards_of(uow.db, application_id):
        live = uow.db.exec(
            select(CardHolderLink.id).where(
                CardHolderLink.card_id == card.id, col(CardHolderLink.revoked_at).is_(None)
            )
        ).first()
        if live is None and (link := issue_link(uow, card)) is not None:
            issued.append(link)
    return issued


def _live(uow: UnitOfWork, token: str) -> tuple[CardHolderLink, Card, Person]:
    db = uow.db
    link = db.exec(select(CardHolderLink).where(CardHolderLink.token_hash == _hash((token or "").strip()))).first()
    if link is None or link.revoked_at is not None or uow.now() > link.expires_at:
        raise NotFound("card_link_invalid")
    card = db.get(Card, link.card_id)
    person = db.get(Person, card.person_id) if card else None
    if card is None or person is None or card.status == rules.REPLACED or not holder_email(person):
        raise NotFound("card_link_invalid")
    return link, card, person


def masked_email(uow: UnitOfWork, token: str) -> str:
    """Where the code will go (masked), for a live link; NotFound("card_link_invalid") otherwise."""
    _, _, person = _live(uow, token)
    return mask_email(holder_email(person))


def send_code(uow: UnitOfWork, token: str) -> None:
    _, _, person = _live(uow, token)
    codes.send_code(uow, PURPOSE, holder_email(person))


def open_with_code(uow: UnitOfWork, token: str, code: str) -> int:
    """Check the emailed code (consumed; 5 wrong tries end it); the link's id, which the caller keeps to reload
    the card without a new code."""
    link, _, person = _live(uow, token)
    codes.verify_code(uow, PURPOSE, holder_email(person), code)
    link.last_opened_at = uow.now()
    uow.db.add(link)
    log_event(uow.db, "card_opened_by_holder", actor="holder", detail=f"card {link.card_id}", client_ip=uow.client_ip)
    return row_id(link)


def holder_card(uow: UnitOfWork, token: str, unlocked_link_id: int) -> virtual.VirtualCard:
    """The card again for a tab that entered the code for this very link (and the link is still live)."""
    link, card, _ = _live(uow, token)
    if not unlocked_link_id or row_id(link) != unlocked_link_id:
        raise InvalidInput("code", "card_code_needed")
    return virtual.build(uow, card)
