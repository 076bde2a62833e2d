"""Back-office settings that shape the applicant's forms: materials, notices, pickup points."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Material(SQLModel, table=True):
    """业务设置-材料设置: one upload slot on the 单位信息 step, per business type and channel."""

    __tablename__ = "material"

    id: int | None = Field(default=None, primary_key=True)
    business_type: str = Field(max_length=20, index=True)
    # "all", "direct" (外交部) or "local" (外办).
    channel: str = Field(default="all", max_length=10)
    name: str = Field(max_length=100)
    hint: str = Field(default="", max_length=300)
    required: bool = Field(default=True)
    # Path under assets/ of the example image shown by 查看示例.
    example_image: str = Field(default="", max_length=200)
    accepted: str = Field(default="jpg,jpeg,png,pdf", max_length=40)
    sort: int = Field(default=0)


class Notice(SQLModel, table=True):
    """申办须知 per business type; institution_id None is the Ministry's (直办) text."""

    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    business_type: str = Field(max_length=20, index=True)
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    text: str = Field(max_length=20000)


class PickupPoint(SQLModel, table=True):
    """代办点 of an institution where cards are collected (自取)."""

    __tablename__ = "pickup_point"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(foreign_key="institution.id", index=True)
    name: str = Field(max_length=100)
    address: str = Field(max_length=200)
    hours: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
