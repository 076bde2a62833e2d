"""QR authorisations through the electronic business licence platform.

A waiting page creates a one-time nonce and shows it as a QR code; the platform signs an assertion naming the
enterprise's 三要素 and posts it to our callback; we verify it (integrations/elicense_platform.py), check it
against what the purpose needs, and record it on the nonce; the waiting page polls and consumes it exactly once.
Which platform, if any, is configuration (ELICENSE_PROVIDER): with none, every QR flow says it is unavailable.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import update
from sqlmodel import Session, col, select

from apec_app.domain.validators import check_required, check_uscc, normalize_uscc
from apec_app.integrations import elicense_platform as platform
from apec_app.integrations.elicense_platform import AssertionRejected, Provider
from apec_app.models import ELicenseAuthorization, Enterprise
from apec_app.services.errors import InvalidInput, NotFound, ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import Settings, get_settings

NONCE_TTL = timedelta(minutes=5)
# After authorising, the applicant has this long to finish the step the QR code opened (e.g. registration).
USE_WITHIN = timedelta(minutes=30)
PURPOSES = ("register", "login", "reset_password", "update_identity")
PROVIDERS = ("none", "simulated", "platform")


@dataclass(frozen=True)
class Identity:
    """三要素 as vouched for by the e-licence platform."""

    name: str
    uscc: str
    legal_rep: str


@dataclass(frozen=True)
class AuthorizationStatus:
    state: str  # "pending", "authorized", "refused", "expired", "used" or "unknown"
    identity: Identity | None = None
    purpose: str = ""
    code: str = ""  # why it was refused


def provider_for(settings: Settings) -> Provider | None:
    """The configured platform, or None when QR authorisation is off. Raises ValueError on a bad setting."""
    choice = settings.elicense_provider
    if choice == "none":
        return None
    if choice == "simulated":
        key = platform.simulator_private_key(settings.data_dir)
        return Provider(
            "simulated", platform.SIMULATED_ISSUER, f"{settings.api_url}{platform.SIMULATOR_PATH}", key.public_key()
        )
    if choice == "platform":
        if not (settings.elicense_platform_url and settings.elicense_platform_issuer):
            raise ValueError("ELICENSE_PROVIDER=platform needs ELICENSE_PLATFORM_URL and ELICENSE_PLATFORM_ISSUER")
        if settings.elicense_platform_public_key is None:
            raise ValueError("ELICENSE_PROVIDER=platform needs ELICENSE_PLATFORM_PUBLIC_KEY (a PEM file)")
        public_key = platform.load_public_key(settings.elicense_platform_public_key)
        return Provider("platform", settings.elicense_platform_issuer, settings.elicense_platform_url, public_key)
    raise ValueError(f"ELICENSE_PROVIDER must be one of {', '.join(PROVIDERS)}, not {choice!r}")


@cache
def provider() -> Provider | None:
    return provider_for(get_settings())


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def authorization_url(nonce: str) -> str:
    """What the QR code encodes: the platform's page, with our nonce and our callback."""
    current = provider()
    if current is None:
        raise ServiceError("elicense_disabled")
    return current.qr_url(nonce, f"{get_settings().api_url}{platform.CALLBACK_PATH}")


def start(uow: UnitOfWork, purpose: str, enterprise_id: int | None = None) -> str:
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    if provider() is None:
        raise ServiceError("elicense_disabled")
    db, now = uow.db, uow.now()
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


def status(db: Session, nonce: str, now: datetime) -> AuthorizationStatus:
    row = _row(db, nonce)
    if row is None:
        return AuthorizationStatus("unknown")
    if row.refusal:
        return AuthorizationStatus("refused", purpose=row.purpose, code=row.refusal)
    if row.consumed_at is not None:
        return AuthorizationStatus("used", purpose=row.purpose)
    if row.authorized_at is not None:
        if now - row.authorized_at > USE_WITHIN:
            return AuthorizationStatus("expired", purpose=row.purpose)
        return AuthorizationStatus("authorized", Identity(row.name, row.uscc, row.legal_rep), row.purpose)
    if now > row.expires_at:
        return AuthorizationStatus("expired", purpose=row.purpose)
    return AuthorizationStatus("pending", purpose=row.purpose)


def matching_enterprise(db: Session, identity: Identity) -> Enterprise:
    """The registered enterprise whose 三要素 are exactly those on the licence.

    The 统一社会信用代码 is public, so it alone proves nothing: name and legal representative must match too.
    """
    enterprise = db.exec(select(Enterprise).where(Enterprise.uscc == normalize_uscc(identity.uscc))).first()
    if enterprise is None:
        raise InvalidInput("nonce", "enterprise_not_registered")
    if enterprise.name != identity.name.strip() or enterprise.legal_rep != identity.legal_rep.strip():
        raise InvalidInput("nonce", "elicense_identity_mismatch")
    return enterprise


def _check_for_purpose(db: Session, row: ELicenseAuthorization, identity: Identity) -> None:
    """What each purpose needs of the licence, checked when the platform answers (and again when used)."""
    if row.purpose == "login":
        matching_enterprise(db, identity)
    # reset_password: any licence the platform vouches for goes on to 安全验证, so that the answer is the same
    # whether or not its enterprise has an account (services/accounts/enterprise_accounts.Recovery).
    elif row.purpose == "update_identity":
        enterprise = db.get(Enterprise, row.enterprise_id) if row.enterprise_id else None
        if enterprise is None or enterprise.uscc != identity.uscc:
            raise InvalidInput("nonce", "uscc_mismatch")
    elif row.purpose == "register":
        if db.exec(select(Enterprise.id).where(Enterprise.uscc == identity.uscc)).first() is not None:
            raise InvalidInput("nonce", "uscc_taken")


@dataclass(frozen=True)
class Answer:
    """What became of a platform's answer: its purpose, and the refusal code when the 三要素 did not fit it."""

    purpose: str
    refusal: str = ""


def accept_assertion(uow: UnitOfWork, token: str) -> Answer:
    """The platform's answer to a QR code: verify it, check it, record it on its nonce.

    Raises AssertionRejected for an answer we cannot trust (forged, expired, another issuer), NotFound for a
    nonce we never issued, InvalidInput for a used or expired nonce or a bad 统一社会信用代码. 三要素 that do not
    fit the purpose are a refusal kept on the nonce (the code is burnt and the waiting page says why).
    """
    db, now = uow.db, uow.now()
    current = provider()
    if current is None:
        raise AssertionRejected("elicense_disabled")
    assertion = current.verify(token, now)
    row = _row(db, assertion.nonce)
    if row is None:
        raise NotFound("qr_unknown")
    if row.authorized_at is not None or row.consumed_at is not None or row.refusal:
        raise InvalidInput("nonce", "qr_used")  # a replayed answer, or a second one for the same code
    if now > row.expires_at:
        raise InvalidInput("nonce", "qr_expired")
    for field, error in (
        ("name", check_required(assertion.name, 200)),
        ("uscc", check_uscc(assertion.uscc)),
        ("legal_rep", check_required(assertion.legal_rep, 100)),
    ):
        if error:
            raise InvalidInput(field, error)
    identity = Identity(assertion.name.strip(), normalize_uscc(assertion.uscc), assertion.legal_rep.strip())
    try:
        _check_for_purpose(db, row, identity)
    except InvalidInput as exc:
        row.refusal = exc.code
        db.add(row)
        return Answer(row.purpose, exc.code)
    row.name, row.uscc, row.legal_rep = identity.name, identity.uscc, identity.legal_rep
    row.authorized_at = now
    db.add(row)
    return Answer(row.purpose)


def consume(uow: UnitOfWork, nonce: str, purpose: str) -> Identity:
    """Use an authorised nonce once. Raises InvalidInput('nonce', …) when it is not usable."""
    db, now = uow.db, uow.now()
    current = status(db, nonce, now)
    if current.state != "authorized" or current.purpose != purpose or current.identity is None:
        code = {"expired": "qr_expired", "used": "qr_used", "refused": current.code}.get(current.state)
        raise InvalidInput("nonce", code or "qr_not_authorized")
    row = _row(db, nonce)
    assert row is not None
    # Conditional update: two tabs consuming the same nonce cannot both succeed.
    result = db.exec(
        update(ELicenseAuthorization)
        .where(col(ELicenseAuthorization.id) == row.id, col(ELicenseAuthorization.consumed_at).is_(None))
        .values(consumed_at=now)
    )
    if result.rowcount != 1:
        raise InvalidInput("nonce", "qr_used")
    return current.identity
