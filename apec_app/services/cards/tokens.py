"""The QR code's token: a JWS in compact form (RFC 7515), EdDSA over Ed25519 (RFC 8037), its header naming the
signing key (`kid`), its payload `domain.virtual_card.Claims` in short keys. Anyone with the published keys
(GET /api/cards/keys, apec_app/api/cards.py) can check it offline; whether the card was cancelled or replaced
since, only the server knows (`standing_now`).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlmodel import Session

from apec_app.domain import virtual_card as rules
from apec_app.domain.virtual_card import Claims, MalformedClaims
from apec_app.integrations import card_keys
from apec_app.models import Card, Person

ALGORITHM = "EdDSA"
MAX_TOKEN = 2048  # far above any card's token: longer input is refused unread
_JWS = jwt.PyJWS(algorithms=[ALGORITHM])


class TokenRejected(ValueError):
    """Why a token is not one of ours: "token_malformed", "token_unknown_key" or "token_bad_signature"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def sign(claims: Claims, root: Path | None = None) -> str:
    key = card_keys.signing_key(root)
    return _JWS.encode(claims.payload(), key.key, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": None})


def _header(token: str) -> dict:
    head = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise TokenRejected("token_malformed") from exc
    if not isinstance(header, dict):
        raise TokenRejected("token_malformed")
    return header


@dataclass(frozen=True)
class Verified:
    kid: str
    claims: Claims


def verify(token: str, keys: dict[str, Ed25519PublicKey] | None = None) -> Verified:
    """The claims of a token signed by one of `keys` (default: every key not retired), else TokenRejected."""
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN or token.count(".") != 2:
        raise TokenRejected("token_malformed")
    header = _header(token)
    if header.get("alg") != ALGORITHM or set(header) - {"alg", "kid"}:
        raise TokenRejected("token_malformed")
    keys = card_keys.public_keys() if keys is None else keys
    key = keys.get(str(header.get("kid", "")))
    if key is None:
        raise TokenRejected("token_unknown_key")
    try:
        payload = _JWS.decode(token, key, algorithms=[ALGORITHM])
    except jwt.InvalidSignatureError as exc:
        raise TokenRejected("token_bad_signature") from exc
    except jwt.PyJWTError as exc:
        raise TokenRejected("token_malformed") from exc
    try:
        return Verified(str(header["kid"]), rules.claims_from_payload(payload))
    except MalformedClaims as exc:
        raise TokenRejected("token_malformed") from exc


def standing_now(db: Session, claims: Claims, today: date) -> str:
    """What the card the claims name is today. The token must have been verified first: the answer is only for
    the holder of a genuine token, so a card number alone tells no one anything."""
    card_id = rules.card_id_of(claims.card_number)
    card = db.get(Card, card_id) if card_id else None
    if card is None:
        return "unknown"
    # The validity the token carries is the card's: a later card has its own number.
    standing = rules.standing(card.status, card.valid_until, today)
    if standing == rules.VALID and _since_changed(db, card, claims):
        return rules.OUTDATED
    return standing


def _since_changed(db: Session, card: Card, claims: Claims) -> bool:
    """Whether a screenshot of an older QR code says more than is true now: an economy's approval since corrected
    to a refusal, or the passport changed (仅更换护照). The holder's page signs afresh at each load."""
    from apec_app.services.cards import virtual  # it signs with this module

    person = db.get(Person, card.person_id)
    if person is None or person.passport_number != claims.passport_number:
        return True
    return not set(claims.economies) <= set(virtual.precleared(db, card.person_id))

