"""An economy's API tokens: issued and revoked by admins (后台设置 → 经济体接口) or by the economy's own officers,
shown once, kept as a SHA-256 hash, and rate limited per token (and wrong tokens per client address); a bearer
token names its economy, so what it reads and decides is that economy's."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from apec_app.domain.economies import HOME
from apec_app.domain.validators import check_required
from apec_app.models import EconomyApiToken, EconomySetting
from apec_app.models.base import row_id
from apec_app.services.accounts import throttle
from apec_app.services.errors import InvalidInput, NotFound, ServiceError
from apec_app.services.principal import ECONOMY, ECONOMY_API, STAFF, Principal, require_kind
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork

PREFIX = "abtc_"
# Requests of one token, and requests with a wrong token from one client address.
PER_TOKEN = throttle.Limit("economy_api", 120, timedelta(minutes=1))
BAD_TOKENS_PER_IP = throttle.Limit("economy_api_bad", 20, timedelta(minutes=10), per_client=True)
LAST_USED_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenRow:
    id: int
    economy_code: str
    label: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewToken:
    id: int
    token: str  # shown once, never stored


def _economy(uow: UnitOfWork, economy_code: str | None = None) -> str:
    """An officer manages its own economy's tokens; an admin (the CLI) names the economy."""
    if _is_admin(uow):
        code = (economy_code or "").strip().upper()
        if code == HOME or uow.db.get(EconomySetting, code) is None:
            raise InvalidInput("economy", "economy_unknown")
        return code
    principal = require_kind(uow.principal, ECONOMY)
    return principal.economy_code or ""


def _is_admin(uow: UnitOfWork) -> bool:
    principal = uow.principal
    return principal is not None and principal.kind == STAFF and principal.role == "admin"


def list_tokens(uow: UnitOfWork, economy_code: str | None = None) -> list[TokenRow]:
    """An economy's tokens, newest first; an admin naming no economy sees every economy's."""
    query = select(EconomyApiToken).order_by(col(EconomyApiToken.id).desc())
    if not (_is_admin(uow) and not economy_code):
        query = query.where(EconomyApiToken.economy_code == _economy(uow, economy_code))
    rows = uow.db.exec(query).all()
    return [
        TokenRow(row_id(r), r.economy_code, r.label, r.prefix, r.created_at, r.last_used_at, r.revoked_at)
        for r in rows
    ]


def create_token(uow: UnitOfWork, label: str, economy_code: str | None = None) -> NewToken:
    code = _economy(uow, economy_code)
    error = check_required(label, 60)
    if error:
        raise InvalidInput("label", error)
    token = PREFIX + secrets.token_urlsafe(32)
    row = EconomyApiToken(
        economy_code=code,
        label=label.strip(),
        token_hash=_hash(token),
        prefix=token[: len(PREFIX) + 6],
        created_by=uow.actor,
        created_at=uow.now(),
    )
    uow.db.add(row)
    uow.db.flush()
    log_event(uow.db, "economy_api_token_create", actor=uow.actor, detail=f"{code} token {row.id} ({row.prefix}…)")
    return NewToken(row_id(row), token)


def revoke_token(uow: UnitOfWork, token_id: int, economy_code: str | None = None) -> None:
    """An officer revokes its own economy's tokens; an admin any (naming its economy or not)."""
    row = uow.db.get(EconomyApiToken, token_id)
    any_economy = _is_admin(uow) and not economy_code and row is not None
    code = row.economy_code if any_economy and row is not None else _economy(uow, economy_code)
    if row is None or row.economy_code != code:
        raise NotFound()
    if row.revoked_at is None:
        row.revoked_at = uow.now()
        uow.db.add(row)
        log_event(uow.db, "economy_api_token_revoke", actor=uow.actor, detail=f"{code} token {row.id}")


def authenticate(uow: UnitOfWork, authorization: str) -> Principal:
    """The principal of a bearer token ("Authorization: Bearer abtc_…"), or ServiceError "api_unauthorized"
    (logged and counted per client address; too many wrong tokens: "rate_limited"). A known token is counted
    against its own limit."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    row = None
    if scheme.lower() == "bearer" and token.startswith(PREFIX) and len(token) < 100:
        row = uow.db.exec(select(EconomyApiToken).where(EconomyApiToken.token_hash == _hash(token))).first()
    if row is None or row.revoked_at is not None:
        throttle.hit(uow, BAD_TOKENS_PER_IP, uow.client_ip)
        uow.keep(log_event(uow.db, "economy_api_refused", detail="bad or revoked token", client_ip=uow.client_ip))
        raise ServiceError("api_unauthorized")
    throttle.hit(uow, PER_TOKEN, str(row.id))
    now = uow.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        row.last_used_at = now
        uow.db.add(row)
    return Principal(ECONOMY_API, row_id(row), row.label, role="api", economy_code=row.economy_code)
