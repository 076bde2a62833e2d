"""QR authorisations through the electronic business licence platform.

A waiting page creates a one-time nonce and shows it as a QR code; the platform (here the built-in simulated
one) authorises it with the enterprise's 三要素; the waiting page polls and then consumes it exactly once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from apec_app.domain.validators import check_required, check_uscc, normalize_uscc
from apec_app.models import ELicenseAuthorization, Enterprise
from apec_app.models.base import utcnow
from apec_app.services.errors import InvalidInput, NotFound
from apec_app.settings import get_settings

NONCE_TTL = timedelta(minutes=5)
# After authorising, the applicant has this long to finish the step the QR code opened (e.g. registration).
USE_WITHIN = timedelta(minutes=30)
PURPOSES = ("register", "login", "reset_password", "update_identity")


@dataclass(frozen=True)
class Identity:
    """三要素 as vouched for by the e-licence platform."""

    name: str
    uscc: str
    legal_rep: str


@dataclass(frozen=True)
class AuthorizationStatus:
    state: str  # "pending", "authorized", "expired", "used" or "unknown"
    identity: Identity | None = None
    purpose: str = ""


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def authorization_url(nonce: str) -> str:
    """The page of the (simulated) e-licence platform; served by the backend so a phone needs no app state."""
    return f"{get_settings().api_url}/elicense/authorize?nonce={nonce}"


def start(db: Session, purpose: str, enterprise_id: int | None = None, now: datetime | None = None) -> str:
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    now = now or utcnow()
    nonce = secrets.token_urlsafe(24)
    db.add(
        ELicenseAuthorization(
            nonce_hash=_hash(nonce),
            purpose=purpose,
            enterprise_id=enterprise_id,
            created_at=now,
            expires_at=now + NONCE_TTL,
        )
    )
    return nonce


def _row(db: Session, nonce: str) -> ELicenseAuthorization | None:
    if not nonce or len(nonce) > 100:
        return None
    return db.exec(select(ELicenseAuthorization).where(ELicenseAuthorization.nonce_hash == _hash(nonce))).first()


def status(db: Session, nonce: str, now: datetime | None = None) -> AuthorizationStatus:
    now = now or utcnow()
    row = _row(db, nonce)
    if row is None:
        return AuthorizationStatus("unknown")
    if row.consumed_at is not None:
        return AuthorizationStatus("used", purpose=row.purpose)
    if row.authorized_at is not None:
        if now - row.authorized_at > USE_WITHIN:
            return AuthorizationStatus("expired", purpose=row.purpose)
        return AuthorizationStatus("authorized", Identity(row.name, row.uscc, row.legal_rep), row.purpose)
    if now > row.expires_at:
        return AuthorizationStatus("expired", purpose=row.purpose)
    return AuthorizationStatus("pending", purpose=row.purpose)


def authorize(db: Session, nonce: str, name: str, uscc: str, legal_rep: str, now: datetime | None = None) -> str:
    """The platform's 授权: record the 三要素 on a pending nonce. Returns the purpose."""
    now = now or utcnow()
    for field, error in (
        ("name", check_required(name, 200)),
        ("uscc", check_uscc(uscc)),
        ("legal_rep", check_required(legal_rep, 100)),
    ):
        if error:
            raise InvalidInput(field, error)
    row = _row(db, nonce)
    if row is None:
        raise NotFound("qr_unknown")
    if row.authorized_at is not None or row.consumed_at is not None:
        raise InvalidInput("nonce", "qr_used")
    if now > row.expires_at:
        raise InvalidInput("nonce", "qr_expired")
    row.name, row.uscc, row.legal_rep = name.strip(), normalize_uscc(uscc), legal_rep.strip()
    row.authorized_at = now
    db.add(row)
    return row.purpose


def consume(db: Session, nonce: str, purpose: str, now: datetime | None = None) -> Identity:
    """Use an authorised nonce once. Raises InvalidInput('nonce', …) when it is not usable."""
    now = now or utcnow()
    current = status(db, nonce, now)
    if current.state != "authorized" or current.purpose != purpose or current.identity is None:
        raise InvalidInput(
            "nonce", {"expired": "qr_expired", "used": "qr_used"}.get(current.state, "qr_not_authorized")
        )
    row = _row(db, nonce)
    assert row is not None
    # Conditional update: two tabs consuming the same nonce cannot both succeed.
    result = db.execute(
        update(ELicenseAuthorization)
        .where(col(ELicenseAuthorization.id) == row.id, col(ELicenseAuthorization.consumed_at).is_(None))
        .values(consumed_at=now)
    )
    if result.rowcount != 1:
        raise InvalidInput("nonce", "qr_used")
    return current.identity


def enterprise_for(db: Session, identity: Identity) -> Enterprise | None:
    """The registered enterprise whose 统一社会信用代码 the licence carries."""
    return db.exec(select(Enterprise).where(Enterprise.uscc == identity.uscc)).first()
