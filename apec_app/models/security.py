"""Sessions, one-time codes, e-licence authorisations and the security log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    # "enterprise", "agent" or "staff".
    principal_kind: str = Field(max_length=10)
    principal_id: int = Field(index=True)
    created_at: datetime = time_field(default_now=True)
    last_seen_at: datetime = time_field(default_now=True)
    revoked_at: datetime | None = time_field(nullable=True)
    client_ip: str = Field(default="", max_length=64)


class VerificationCode(SQLModel, table=True):
    __tablename__ = "verification_code"

    id: int | None = Field(default=None, primary_key=True)
    # "register", "reset_password" or "change_email".
    purpose: str = Field(max_length=20, index=True)
    email: str = Field(max_length=254, index=True)
    code_hash: str = Field(max_length=64)
    created_at: datetime = time_field(default_now=True)
    expires_at: datetime = time_field()
    attempts: int = Field(default=0)
    used_at: datetime | None = time_field(nullable=True)


class ELicenseAuthorization(SQLModel, table=True):
    """One QR code: created by a waiting page, authorised on the e-licence platform, consumed once."""

    __tablename__ = "elicense_authorization"

    id: int | None = Field(default=None, primary_key=True)
    nonce_hash: str = Field(max_length=64, unique=True)
    # "register", "login", "reset_password" or "update_identity".
    purpose: str = Field(max_length=20)
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id")
    created_at: datetime = time_field(default_now=True)
    expires_at: datetime = time_field()
    authorized_at: datetime | None = time_field(nullable=True)
    consumed_at: datetime | None = time_field(nullable=True)
    name: str = Field(default="", max_length=200)
    uscc: str = Field(default="", max_length=18)
    legal_rep: str = Field(default="", max_length=100)
    # Why the platform's answer was refused (e.g. 三要素 not those of the registered enterprise); burns the code.
    refusal: str = Field(default="", max_length=40)


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_lookup", "kind", "identifier", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # "enterprise", "agent" or "staff": each kind has its own namespace of identifiers.
    kind: str = Field(max_length=10)
    identifier: str = Field(max_length=254)
    # "success", "failure" or "locked" (refused without checking the password).
    outcome: str = Field(max_length=10)
    client_ip: str = Field(default="", max_length=64)
    created_at: datetime = time_field(default_now=True)


class SecurityEvent(SQLModel, table=True):
    """Sign-ins, failures and refused access: who, what, from where (never a secret or a full ID number)."""

    __tablename__ = "security_event"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = time_field(default_now=True, index=True)
    actor: str = Field(default="", max_length=100)
    action: str = Field(max_length=40, index=True)
    detail: str = Field(default="", max_length=500)
    client_ip: str = Field(default="", max_length=64)


class AccountLink(SQLModel, table=True):
    """A one-time link sent by email (e.g. 设置密码 for an account opened by staff); only its hash is kept."""

    __tablename__ = "account_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    purpose: str = Field(max_length=20)
    created_by: str = Field(max_length=40)
    created_at: datetime = time_field(default_now=True)
    expires_at: datetime = time_field()
    used_at: datetime | None = time_field(nullable=True)


class SessionHandoff(SQLModel, table=True):
    """A one-time code a signed-in page passes to /session/start, which sets the session cookie (HttpOnly) from
    an HTTP response; only the code's hash is kept, and it works once within a minute."""

    __tablename__ = "session_handoff"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    session_id: int = Field(foreign_key="user_session.id", index=True)
    created_at: datetime = time_field(default_now=True)
    expires_at: datetime = time_field()
    used_at: datetime | None = time_field(nullable=True)


class RateEvent(SQLModel, table=True):
    """One counted request (a sign-in from an address, a code sent to an address …) for the sliding-window limits
    of services/accounts/throttle.py; in the database so that every worker counts the same requests."""

    __tablename__ = "rate_event"
    __table_args__ = (Index("ix_rate_event_lookup", "bucket", "key", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=30)
    key: str = Field(max_length=128)
    created_at: datetime = time_field()
