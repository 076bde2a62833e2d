"""Enterprise accounts and their agents (经办人)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field


class Enterprise(SQLModel, table=True):
    __tablename__ = "enterprise"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    uscc: str = Field(max_length=18, unique=True, index=True)
    legal_rep: str = Field(max_length=100)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(default="", max_length=255)
    reg_province: str = Field(default="", max_length=20)
    reg_address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=20)
    nature: str = Field(default="", max_length=40)
    industry: str = Field(default="", max_length=60)
    # Set by staff to override the channel derived from 性质 (中央企业 → 直办).
    channel_override: str | None = Field(default=None, max_length=10)
    password_changed_at: datetime | None = time_field(nullable=True)
    # The admin who opened the account (enterprises without an 电子营业执照); None: self-registered.
    opened_by: str | None = Field(default=None, max_length=40)
    created_at: datetime = time_field(default_now=True)


class Agent(SQLModel, table=True):
    __tablename__ = "agent"

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    name: str = Field(max_length=50)
    username: str = Field(max_length=40, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    mobile: str = Field(max_length=20)
    email: str = Field(max_length=254)
    authorised: bool = Field(default=True)
    # Deleted agents stay as rows so their applications keep a creator.
    deleted_at: datetime | None = time_field(nullable=True)
    created_at: datetime = time_field(default_now=True)


class Address(SQLModel, table=True):
    """地址管理: the enterprise's address book for cards sent by post (邮寄)."""

    __tablename__ = "address"

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    recipient: str = Field(max_length=50)
    phone: str = Field(max_length=20)
    province: str = Field(max_length=20)
    city: str = Field(default="", max_length=30)
    district: str = Field(default="", max_length=30)
    detail: str = Field(max_length=200)
    is_default: bool = Field(default=False)
    deleted: bool = Field(default=False)
