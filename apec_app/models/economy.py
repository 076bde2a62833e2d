"""What an APEC economy's own systems use: API tokens, and the decisions they sent (idempotency)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field


class EconomyApiToken(SQLModel, table=True):
    """A bearer token of one economy's API client; only its SHA-256 is kept, `prefix` names it in lists."""

    __tablename__ = "economy_api_token"

    id: int | None = Field(default=None, primary_key=True)
    economy_code: str = Field(max_length=4, index=True)
    label: str = Field(max_length=60)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_by: str = Field(max_length=40)
    created_at: datetime = time_field(default_now=True)
    last_used_at: datetime | None = time_field(nullable=True)
    revoked_at: datetime | None = time_field(nullable=True)


class EconomyApiDecision(SQLModel, table=True):
    """One decision an economy's client sent under its own id: the same id again is answered from here, not
    recorded twice."""

    __tablename__ = "economy_api_decision"
    __table_args__ = (UniqueConstraint("economy_code", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    economy_code: str = Field(max_length=4)
    client_id: str = Field(max_length=64)
    token_id: int = Field(foreign_key="economy_api_token.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    decision: str = Field(max_length=10)
    decided_on: date
    created_at: datetime = time_field(default_now=True)
