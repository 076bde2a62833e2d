"""What a border officer's check of a virtual card's QR code concludes (docs/rules.md §8): the signature is
checked with the published public keys only, then the server says whether the card was cancelled or replaced
since. The answer holds what the token holds, the card's standing and the economies' names — nothing else about
the holder is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from apec_app.domain import virtual_card as rules
from apec_app.services.cards import tokens
from apec_app.services.errors import InvalidInput
from apec_app.services.review import decisions
from apec_app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Verdict:
    standing: str  # valid, expired, cancelled, replaced, not_issued or unknown
    kid: str
    card_number: str
    name: str
    passport_number: str
    valid_until: date
    economies: list[tuple[str, str, str]]  # code, name_zh, name_en


def offline_standing(claims: rules.Claims, today: date) -> str:
    """What the token alone says: valid or expired (only the server knows of a cancellation)."""
    return rules.EXPIRED if today > claims.valid_until else rules.VALID


def verify(uow: UnitOfWork, token: str) -> Verdict:
    """InvalidInput("token", "token_malformed" | "token_unknown_key" | "token_bad_signature") for a token that
    is not one of ours."""
    try:
        verified = tokens.verify(token)
    except tokens.TokenRejected as exc:
        raise InvalidInput("token", exc.code) from exc
    claims = verified.claims
    standing = tokens.standing_now(uow.db, claims, uow.today())
    names = {e.code: e for e in decisions.economies(uow.db)}
    return Verdict(
        standing=standing,
        kid=verified.kid,
        card_number=claims.card_number,
        name=claims.name,
        passport_number=claims.passport_number,
        valid_until=claims.valid_until,
        economies=[
            (c, names[c].name_zh if c in names else c, names[c].name_en if c in names else c)
            for c in claims.economies
        ],
    )
