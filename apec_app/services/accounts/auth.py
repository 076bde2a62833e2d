"""Sign-in, sessions and lockout for every kind of principal."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from apec_app.domain import lockout
from apec_app.domain.passwords import dummy_verify, verify_password
from apec_app.domain.validators import mask_email, normalize_email
from apec_app.models import Agent, Enterprise, LoginAttempt, SessionHandoff, StaffUser, UserSession
from apec_app.models.base import row_id
from apec_app.services.principal import AGENT, ECONOMY, ENTERPRISE, STAFF, Principal
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings

# The staff role of an APEC economy's officer (services/accounts/staff.py), whose sessions are of kind ECONOMY.
ECONOMY_ROLE = "economy"

# The session cookie's name: set by /session/start, read by the websocket and the API routes.
SESSION_COOKIE = "apec_session"
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
IDLE_WARNING = timedelta(minutes=2)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    code: str = ""  # error code when not ok
    token: str = ""
    principal: Principal | None = None
    locked_until: datetime | None = None
    wait_seconds: int = 0


def _failures_after_success(rows, client_ip: str | None) -> list[datetime]:
    """Failure times after the last success, counting only `client_ip`'s attempts unless it is None."""
    failures: list[datetime] = []
    for outcome, at, ip in rows:
        if client_ip is not None and ip != client_ip:
            continue
        if outcome == "success":
            failures = []
        elif outcome == "failure":
            failures.append(at)
    return failures


def current_lock(db: Session, kind: str, identifier: str, now: datetime, client_ip: str = "") -> datetime | None:
    """When the account's lock for this client IP ends, or None (the two stages of domain/lockout.py)."""
    since = now - lockout.WINDOW - lockout.LOCK_DURATION
    rows = db.exec(
        select(LoginAttempt.outcome, LoginAttempt.created_at, LoginAttempt.client_ip)
        .where(LoginAttempt.kind == kind, LoginAttempt.identifier == identifier, LoginAttempt.created_at >= since)
        .order_by(col(LoginAttempt.created_at))
    ).all()
    own = lockout.locked_until(_failures_after_success(rows, client_ip), now)
    if own is not None:
        return own
    everyone = lockout.locked_until(_failures_after_success(rows, None), now, lockout.ACCOUNT_MAX_FAILURES)
    if everyone is None or _known_ip(db, kind, identifier, client_ip, now):
        return None
    return everyone


def _known_ip(db: Session, kind: str, identifier: str, client_ip: str, now: datetime) -> bool:
    """Whether the account was signed in from this IP lately (its owner, most likely)."""
    return (
        db.exec(
            select(LoginAttempt.id).where(
                LoginAttempt.kind == kind,
                LoginAttempt.identifier == identifier,
                LoginAttempt.client_ip == client_ip,
                LoginAttempt.outcome == "success",
                LoginAttempt.created_at >= now - lockout.KNOWN_IP_FOR,
            )
        ).first()
        is not None
    )


def _principal_of(kind: str, account: Any) -> Principal | None:
    """The principal of an account (a row, or the same columns read with its session), or None when it may no
    longer sign in."""
    if account is None:
        return None
    if kind == ENTERPRISE:
        return Principal(ENTERPRISE, account.id, account.name, enterprise_id=account.id)
    if kind == AGENT:
        if not account.authorised or account.deleted_at is not None:
            return None
        return Principal(AGENT, account.id, account.name, enterprise_id=account.enterprise_id)
    if kind in (STAFF, ECONOMY):
        # An economy officer's account is never a reviewer's session, nor a reviewer's an officer's.
        if not account.active or (account.role == ECONOMY_ROLE) != (kind == ECONOMY):
            return None
        if kind == ECONOMY:
            return Principal(ECONOMY, account.id, account.name, role=account.role, economy_code=account.economy_code)
        return Principal(STAFF, account.id, account.name, role=account.role, institution_id=account.institution_id)
    return None


_ACCOUNT_MODELS: dict[str, type] = {ENTERPRISE: Enterprise, AGENT: Agent, STAFF: StaffUser, ECONOMY: StaffUser}


def _principal_for(db: Session, kind: str, principal_id: int) -> Principal | None:
    model = _ACCOUNT_MODELS.get(kind)
    return _principal_of(kind, db.get(model, principal_id) if model else None)


def create_session(uow: UnitOfWork, kind: str, principal_id: int) -> str:
    """A new random token at every sign-in; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    now = uow.now()
    uow.db.add(
        UserSession(
            token_hash=hash_token(token),
            principal_kind=kind,
            principal_id=principal_id,
            client_ip=uow.client_ip,
            created_at=now,
            last_seen_at=now,
        )
    )
    return token


# The session's last activity is written at most this often (not on every event).
TOUCH_EVERY = timedelta(minutes=1)


def _session_row(db: Session, token: str) -> UserSession | None:
    if not token:
        return None
    return db.exec(select(UserSession).where(UserSession.token_hash == hash_token(token))).first()


_KIND, _ACCOUNT = col(UserSession.principal_kind), col(UserSession.principal_id)
# One statement for the session and its account, run by every event, built once (building a statement costs more
# than SQLite takes to answer it), with the token's hash as its parameter. Columns, not rows: building the four
# ORM objects cost more than the query. No IN list: SQLAlchemy rewrites the statement's text for one on every
# execution.
_SESSION_AND_ACCOUNT: Any = (
    select_columns(
        col(UserSession.id).label("session_id"),
        _KIND,
        _ACCOUNT,
        col(UserSession.created_at),
        col(UserSession.last_seen_at),
        col(UserSession.revoked_at),
        # Only the account of the session's own kind is joined, so these read its id and name.
        func.coalesce(Enterprise.id, Agent.id, StaffUser.id).label("id"),
        func.coalesce(Enterprise.name, Agent.name, StaffUser.name).label("name"),
        col(Agent.authorised),
        col(Agent.deleted_at),
        col(Agent.enterprise_id),
        col(StaffUser.active),
        col(StaffUser.role),
        col(StaffUser.economy_code),
        col(StaffUser.institution_id),
    )
    .outerjoin(Enterprise, and_(_KIND == ENTERPRISE, col(Enterprise.id) == _ACCOUNT))
    .outerjoin(Agent, and_(_KIND == AGENT, col(Agent.id) == _ACCOUNT))
    .outerjoin(StaffUser, and_(or_(_KIND == STAFF, _KIND == ECONOMY), col(StaffUser.id) == _ACCOUNT))
    .where(col(UserSession.token_hash) == bindparam("token_hash"))
)
_TOUCH = (  # a plain UPDATE: no session object of it is loaded to keep in step
    update(UserSession)
    .where(col(UserSession.id) == bindparam("session_id"))
    .values(last_seen_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)


def resolve_session(
    db: Session, token: str, *, now: datetime, touch: bool = True, force_touch: bool = False
) -> Principal | None:
    """The principal behind a session token, or None when missing, expired, revoked or no longer allowed.

    Activity is recorded (`touch`) when the last record is over a minute old, or always with `force_touch`.
    """
    if not token:
        return None
    row = db.exec(_SESSION_AND_ACCOUNT, params={"token_hash": hash_token(token)}).first()
    if row is None or row.revoked_at is not None:
        return None
    if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > ABSOLUTE_TIMEOUT:
        return None
    # the row carries the account's columns; its id is None when the account no longer exists
    principal = _principal_of(row.principal_kind, row if row.id is not None else None)
    if principal is None:
        return None
    if force_touch or (touch and now - row.last_seen_at >= TOUCH_EVERY):
        db.exec(_TOUCH, params={"session_id": row.session_id, "now": now})
    return Principal(**{**principal.__dict__, "session_id": row.session_id})


def why_signed_out(db: Session, token: str) -> str:
    """What to tell a caller whose session no longer works: its agent account was de-authorised, or it expired."""
    row = _session_row(db, token)
    if row is not None and row.principal_kind == AGENT:
        agent = db.get(Agent, row.principal_id)
        if agent is not None and (not agent.authorised or agent.deleted_at is not None):
            return "agent_deauthorised"
    return "session_expired"


def session_idle_deadline(db: Session, token: str) -> datetime | None:
    """When this session will expire if nothing happens (the earlier of idle and absolute expiry)."""
    row = _session_row(db, token)
    if row is None or row.revoked_at is not None:
        return None
    return min(row.last_seen_at + IDLE_TIMEOUT, row.created_at + ABSOLUTE_TIMEOUT)


def revoke_session(db: Session, token: str, *, now: datetime) -> None:
    row = _session_row(db, token)
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        db.add(row)


def revoke_all_sessions(
    db: Session, kind: str, principal_id: int, *, now: datetime, except_session_id: int | None = None
) -> int:
    rows = db.exec(
        select(UserSession).where(
            UserSession.principal_kind == kind,
            UserSession.principal_id == principal_id,
            col(UserSession.revoked_at).is_(None),
        )
    ).all()
    count = 0
    for row in rows:
        if row.id != except_session_id:
            row.revoked_at = now
            db.add(row)
            count += 1
    return count


def _record(uow: UnitOfWork, kind: str, identifier: str, outcome: str) -> None:
    uow.db.add(
        LoginAttempt(kind=kind, identifier=identifier, outcome=outcome, client_ip=uow.client_ip, created_at=uow.now())
    )


# Failed sign-ins from one client address, whatever the accounts, before it must wait (password spraying).
IP_FAILURES = 20
IP_WINDOW = timedelta(minutes=10)


def _ip_failures(db: Session, client_ip: str, now: datetime) -> list[datetime]:
    if not client_ip:
        return []
    return list(
        db.exec(
            select(LoginAttempt.created_at).where(
                LoginAttempt.client_ip == client_ip,
                LoginAttempt.outcome == "failure",
                col(LoginAttempt.created_at) > now - IP_WINDOW,
            )
        ).all()
    )


def _sign_in(uow: UnitOfWork, kind: str, identifier: str, password: str, lookup, shown: str) -> SignInResult:
    db, now, ip = uow.db, uow.now(), uow.client_ip
    spraying = _ip_failures(db, ip, now)
    if len(spraying) >= IP_FAILURES * get_settings().client_limit_scale:
        log_event(db, "sign_in_rate_limited", actor=f"{kind}:{shown}", client_ip=ip)
        wait = int((min(spraying) + IP_WINDOW - now).total_seconds()) + 1
        return SignInResult(False, "rate_limited", wait_seconds=max(1, wait))
    until = current_lock(db, kind, identifier, now, ip)
    if until is not None:
        _record(uow, kind, identifier, "locked")
        log_event(db, "sign_in_locked", actor=f"{kind}:{shown}", client_ip=ip)
        return SignInResult(False, "account_locked", locked_until=until)
    account = lookup()
    if account is None:
        dummy_verify(password)
        ok = False
    else:
        ok = verify_password(password, account.password_hash)
    if not ok:
        _record(uow, kind, identifier, "failure")
        log_event(db, "sign_in_failed", actor=f"{kind}:{shown}", client_ip=ip)
        until = current_lock(db, kind, identifier, now, ip)
        if until is not None:
            return SignInResult(False, "account_locked", locked_until=until)
        return SignInResult(False, "bad_credentials")
    if kind == AGENT and (not account.authorised or account.deleted_at is not None):
        # Only a correct password learns that the agent was de-authorised.
        log_event(db, "sign_in_refused", actor=f"{kind}:{account.id}", detail="agent not authorised", client_ip=ip)
        return SignInResult(False, "agent_not_authorised")
    if kind == STAFF and not account.active:
        log_event(db, "sign_in_refused", actor=f"{kind}:{account.id}", detail="staff inactive", client_ip=ip)
        return SignInResult(False, "bad_credentials")
    _record(uow, kind, identifier, "success")
    session_kind = ECONOMY if kind == STAFF and account.role == ECONOMY_ROLE else kind
    token = create_session(uow, session_kind, account.id)
    log_event(db, "sign_in", actor=f"{session_kind}:{account.id}", client_ip=ip)
    return SignInResult(True, token=token, principal=_principal_for(db, session_kind, account.id))


def sign_in_enterprise(uow: UnitOfWork, email: str, password: str) -> SignInResult:
    email = normalize_email(email)
    return _sign_in(
        uow,
        ENTERPRISE,
        email,
        password,
        lambda: uow.db.exec(select(Enterprise).where(Enterprise.email == email)).first(),
        mask_email(email) if "@" in email else email[:40],
    )


def sign_in_agent(uow: UnitOfWork, username: str, password: str) -> SignInResult:
    username = username.strip().lower()
    return _sign_in(
        uow,
        AGENT,
        username,
        password,
        lambda: uow.db.exec(select(Agent).where(Agent.username == username)).first(),
        username[:40],
    )


def sign_in_staff(uow: UnitOfWork, username: str, password: str) -> SignInResult:
    username = username.strip().lower()
    return _sign_in(
        uow,
        STAFF,
        username,
        password,
        lambda: uow.db.exec(select(StaffUser).where(StaffUser.username == username)).first(),
        username[:40],
    )


def sign_in_enterprise_by_id(uow: UnitOfWork, enterprise_id: int) -> SignInResult:
    """Sign-in after the e-licence platform vouched for the enterprise (扫码登录)."""
    ent = uow.db.get(Enterprise, enterprise_id)
    if ent is None:
        return SignInResult(False, "enterprise_not_registered")
    _record(uow, ENTERPRISE, ent.email, "success")
    token = create_session(uow, ENTERPRISE, row_id(ent))
    log_event(uow.db, "sign_in", actor=f"{ENTERPRISE}:{ent.id}", detail="elicense", client_ip=uow.client_ip)
    return SignInResult(True, token=token, principal=_principal_for(uow.db, ENTERPRISE, row_id(ent)))


# --- the cookie is set by an HTTP response (HttpOnly), not by the page's script -----------------------------

HANDOFF_TTL = timedelta(seconds=60)


def handoff(uow: UnitOfWork, token: str) -> str:
    """A one-time code the signed-in page takes to /session/start, which sets the session cookie."""
    row = _session_row(uow.db, token)
    if row is None:
        raise ValueError("no such session")
    code = secrets.token_urlsafe(32)
    now = uow.now()
    uow.db.add(
        SessionHandoff(code_hash=hash_token(code), session_id=row_id(row), created_at=now, expires_at=now + HANDOFF_TTL)
    )
    return code


def redeem_handoff(uow: UnitOfWork, code: str) -> str | None:
    """The session's token for the cookie — a new one, so the token the page held is worth nothing — once, within
    a minute of the sign-in; None for a used, expired or unknown code or an ended session."""
    if not code or len(code) > 100:
        return None
    db, now = uow.db, uow.now()
    row = db.exec(select(SessionHandoff).where(SessionHandoff.code_hash == hash_token(code))).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    claimed = db.exec(
        update(SessionHandoff)
        .where(col(SessionHandoff.id) == row.id, col(SessionHandoff.used_at).is_(None))
        .values(used_at=now)
    )
    session = db.get(UserSession, row.session_id)
    if claimed.rowcount != 1 or session is None or session.revoked_at is not None:
        return None
    token = secrets.token_urlsafe(32)
    session.token_hash = hash_token(token)
    db.add(session)
    return token
