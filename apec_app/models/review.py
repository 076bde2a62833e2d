"""What reviewers record: payments, APEC economy decisions, cards; and the configurable economies and fees."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field


class Fee(SQLModel, table=True):
    """Fees an institution charges per person for one business type (money in fen)."""

    __tablename__ = "fee"
    __table_args__ = (UniqueConstraint("institution_id", "business_type"),)

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(foreign_key="institution.id", index=True)
    business_type: str = Field(max_length=20)
    card_fee_fen: int = Field(default=72_000)
    agency_fee_fen: int = Field(default=5_000)


class Payment(SQLModel, table=True):
    """A payment voucher and the amount as the cashier showed it (later fee changes do not touch it)."""

    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    amount_fen: int
    breakdown_json: str = Field(sa_type=Text)
    voucher_document_id: int = Field(foreign_key="document.id")
    submitted_by: str = Field(max_length=30)
    submitted_at: datetime = time_field(default_now=True)
    # "submitted", "confirmed" or "refused".
    status: str = Field(default="submitted", max_length=10)
    reviewed_by: str | None = Field(default=None, max_length=30)
    reviewed_at: datetime | None = time_field(nullable=True)
    reason: str = Field(default="", max_length=500)


class EconomySetting(SQLModel, table=True):
    """The APEC economies as configured by admins (seeded from domain/economies.py)."""

    __tablename__ = "economy"

    code: str = Field(primary_key=True, max_length=4)
    name_zh: str = Field(max_length=30)
    name_en: str = Field(max_length=60)
    transitional: bool = Field(default=False)
    active: bool = Field(default=True)
    sort: int = Field(default=0)


class EconomyDecision(SQLModel, table=True):
    __tablename__ = "economy_decision"
    __table_args__ = (UniqueConstraint("person_id", "economy_code"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    economy_code: str = Field(max_length=4)
    # "approved" or "refused".
    decision: str = Field(max_length=10)
    decided_on: date
    recorded_by: str = Field(max_length=30)
    recorded_at: datetime = time_field(default_now=True)


class Card(SQLModel, table=True):
    """An ABTC made for one person."""

    __tablename__ = "card"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    approved_economies: str = Field(max_length=200)  # comma-separated codes
    valid_until: date
    # "producing", "ready", "picked_up", "mailed", "cancelled" or "replaced".
    status: str = Field(default="producing", max_length=12)
    tracking_number: str = Field(default="", max_length=40)
    created_at: datetime = time_field(default_now=True)
