"""In-app messages (消息中心) and the email outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field


class Message(SQLModel, table=True):
    __tablename__ = "message"

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    # None: the message is for the enterprise account itself; else for that agent only.
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    application_id: int | None = Field(default=None, index=True)
    title: str = Field(max_length=200)
    body: str = Field(max_length=2000)
    created_at: datetime = time_field(default_now=True, index=True)
    read_at: datetime | None = time_field(nullable=True)


class OutboxEmail(SQLModel, table=True):
    __tablename__ = "outbox_email"

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=200)
    body: str = Field(max_length=10000)
    created_at: datetime = time_field(default_now=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = time_field(default_now=True, index=True)
    # A sender claims a row by setting this in the future; others skip it until it passes.
    claimed_until: datetime | None = time_field(nullable=True)
    sent_at: datetime | None = time_field(nullable=True, index=True)
    # "kept": no SMTP configured; the mail stays for the development mailbox.
    kept: bool = Field(default=False)
    last_error: str | None = Field(default=None, max_length=500)


class Reminder(SQLModel, table=True):
    """A reminder sent about a card (6/3/1 months before expiry, passport shorter than the card): the unique
    key makes the scheduled job send each one once, however many workers run it."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("card_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id", index=True)
    # "6m", "3m", "1m" or "passport".
    kind: str = Field(max_length=10)
    sent_at: datetime = time_field(default_now=True)
