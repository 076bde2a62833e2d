"""Institutions (外交部 and the 外办) and the staff who review for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field


class Institution(SQLModel, table=True):
    __tablename__ = "institution"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=100)
    # "ministry" (外交部, direct channel) or "fao" (a local 外办).
    kind: str = Field(max_length=10)
    province: str = Field(default="", max_length=20)
    contact_phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=200)
    allow_pickup: bool = Field(default=True)
    allow_mail: bool = Field(default=True)
    bank_name: str = Field(default="", max_length=100)
    bank_account_name: str = Field(default="", max_length=100)
    bank_account_number: str = Field(default="", max_length=40)
    # The institution's eligibility rules (domain/eligibility.py), as JSON; empty: none.
    eligibility_json: str = Field(default="", sa_type=Text)


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=50)
    password_hash: str = Field(max_length=255)
    # "reviewer" (one institution), "admin" (all institutions, settings) or "economy" (an APEC economy's officer,
    # who decides for `economy_code` only and signs in as a principal of its own kind).
    role: str = Field(max_length=10)
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    economy_code: str | None = Field(default=None, max_length=4)
    active: bool = Field(default=True)
    created_at: datetime = time_field(default_now=True)
