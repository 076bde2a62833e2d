"""The virtual ABTC and what its QR code carries (docs/rules.md §8).

Every issued card has a card number made from its row (`CN` + 8 digits + an ICAO 9303 check digit, so a number
typed at a border desk with one digit wrong is caught), and a QR code: a compact signed token (JWS, EdDSA over
Ed25519, services/cards/tokens.py) whose payload is `Claims` in short keys. What a verifier concludes about a
card — valid, expired, cancelled, replaced — is `standing`, the one rule behind the /verify page, the status
route (apec_app/api/cards.py) and `cli verify-card`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from apec_app.domain.mrz import check_digit

# The card's states in the holder's hands (manual 1.2: 待自取, 已自取, 已邮寄): those are issued cards.
ISSUED_STATUSES = ("ready", "picked_up", "mailed")
CANCELLED = "cancelled"
REPLACED = "replaced"

# What a verifier can conclude.
VALID = "valid"
EXPIRED = "expired"
NOT_ISSUED = "not_issued"
OUTDATED = "outdated"  # the card is valid but the code shows an economy or passport that no longer holds
STANDINGS = (VALID, EXPIRED, CANCELLED, REPLACED, NOT_ISSUED, OUTDATED)

# Every holder is a citizen of the home economy (domain/economies.HOME): its ICAO 9303 nationality code.
NATIONALITY = "CHN"
PAYLOAD_VERSION = 1

_NUMBER = re.compile(r"CN(\d{8})(\d)")
_CODE = re.compile(r"[A-Z]{2}")


def card_number(card_id: int) -> str:
    """CN00000123 + its check digit: unique per card (a replacement card gets a number of its own)."""
    if not 0 < card_id < 100_000_000:
        raise ValueError("card id out of range")
    digits = f"{card_id:08d}"
    return f"CN{digits}{check_digit(digits)}"


def card_id_of(number: str) -> int | None:
    """The card row a number names, or None for a number that is not one of ours (or has a wrong digit)."""
    found = _NUMBER.fullmatch((number or "").strip().upper())
    if found is None or check_digit(found.group(1)) != found.group(2):
        return None
    return int(found.group(1)) or None


def standing(status: str, valid_until: date, today: date) -> str:
    """valid / expired / cancelled / replaced / not_issued: a cancelled or replaced card says so even when it
    has expired too (the stronger fact), a card still in production has not been issued."""
    if status == CANCELLED:
        return CANCELLED
    if status == REPLACED:
        return REPLACED
    if status not in ISSUED_STATUSES:
        return NOT_ISSUED
    return EXPIRED if today > valid_until else VALID


@dataclass(frozen=True)
class Claims:
    """What the QR code says: the card, the holder as the passport writes them, and the pre-cleared economies
    (codes in display order). `issued_at` is when this token was signed (Unix seconds)."""

    card_number: str
    name: str  # as in the passport's machine-readable zone: "ZHANG PING"
    passport_number: str
    valid_until: date
    economies: tuple[str, ...]
    issued_at: int

    def payload(self) -> bytes:
        """Short keys, no spaces, the economies as one string of 2-letter codes: a smaller QR code."""
        body = {
            "v": PAYLOAD_VERSION,
            "cn": self.card_number,
            "nm": self.name,
            "pp": self.passport_number,
            "vu": self.valid_until.isoformat(),
            "ec": "".join(self.economies),
            "iat": self.issued_at,
        }
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


class MalformedClaims(ValueError):
    """A payload that does not have the shape `Claims.payload` gives (only a signed one reaches this)."""


def claims_from_payload(raw: bytes) -> Claims:
    try:
        body = json.loads(raw)
        if not isinstance(body, dict) or body.get("v") != PAYLOAD_VERSION:
            raise MalformedClaims("unknown payload version")
        codes = str(body["ec"])
        economies = tuple(codes[i : i + 2] for i in range(0, len(codes), 2))
        if len(codes) % 2 or not all(_CODE.fullmatch(c) for c in economies):
            raise MalformedClaims("economy codes")
        return Claims(
            card_number=str(body["cn"]),
            name=str(body["nm"]),
            passport_number=str(body["pp"]),
            valid_until=date.fromisoformat(str(body["vu"])),
            economies=economies,
            issued_at=int(body["iat"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, MalformedClaims):
            raise
        raise MalformedClaims(str(exc)) from exc


def latin_sex(sex: str) -> str:
    """男/女 as an ICAO 9303 sex marker (M, F), for readers of English."""
    return {"男": "M", "女": "F"}.get(sex, "X")
