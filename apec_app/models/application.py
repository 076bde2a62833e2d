"""Applications (申请单), their people, documents and status history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field
from apec_app.models.encrypted import blind_index_field, encrypted_field, keep_blind_index


class Application(SQLModel, table=True):
    __tablename__ = "application"
    __table_args__ = (
        Index("ix_application_owner_list", "enterprise_id", "business_type", "created_at"),
        Index("ix_application_agent_list", "creator_agent_id", "business_type", "created_at"),
        Index("ix_application_queue", "institution_id", "status", "submitted_at"),
        # The reviewers' queue, newest first, for all institutions (admins) and for one.
        Index("ix_application_submitted", "submitted_at", "id"),
        Index("ix_application_institution_submitted", "institution_id", "submitted_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # APEC + YYYYMMDD + 6 digits, given at the first submission.
    number: str | None = Field(default=None, max_length=20, unique=True)
    business_type: str = Field(max_length=20)
    enterprise_id: int = Field(foreign_key="enterprise.id")
    # None: the enterprise account created it; else the agent that did (only it sees the application).
    creator_agent_id: int | None = Field(default=None, foreign_key="agent.id")
    institution_id: int | None = Field(default=None, foreign_key="institution.id")
    channel: str = Field(max_length=10)
    status: str = Field(default="draft", max_length=30, index=True)
    group_name: str = Field(default="", max_length=100, index=True)
    person_names: str = Field(default="", max_length=2000)
    person_count: int = Field(default=0)
    # The whole form as the applicant filled it (JSON): drafts survive reloads and dropped connections.
    # Encrypted: it holds every person's 身份证号 and 护照号码.
    form_json: str = encrypted_field(default="{}")
    # Bumped by every change; a stale writer (second tab, second reviewer) is refused.
    version: int = Field(default=1)
    review_started_at: datetime | None = time_field(nullable=True)
    # Follow-ups (提前制卡, 换补卡, 仅更换护照, 注销卡): the 新办/续办 application and the person they are for.
    parent_application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    # use_alter: application and person refer to each other, so this reference is added after both tables.
    source_person_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("person.id", use_alter=True), index=True, nullable=True),
    )
    # Set on a 新办/续办 application once an early card reached one of its people ('…，已提前制卡').
    early_card_done: bool = Field(default=False)
    created_at: datetime = time_field(default_now=True)
    updated_at: datetime = time_field(default_now=True)
    submitted_at: datetime | None = time_field(nullable=True)


class Person(SQLModel, table=True):
    """One applicant of an application, as submitted (drafts keep people in form_json). The numbers and the data
    are stored encrypted; `id_number_index` finds a person by 身份证号 (a second application of the same one),
    `passport_number_index` by 护照号码 (the reviewer's pre-checks)."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    seq: int
    surname: str = Field(max_length=50)
    given_name: str = Field(max_length=50)
    pinyin: str = Field(max_length=100)
    id_number: str = encrypted_field()
    id_number_index: str = blind_index_field("id_number")
    sex: str = Field(max_length=2)
    birth_date: date | None = None
    passport_number: str = encrypted_field()
    passport_number_index: str = blind_index_field("passport_number")
    passport_expiry: date | None = None
    data_json: str = encrypted_field(default="{}")


keep_blind_index(Person, "id_number", "id_number_index")
keep_blind_index(Person, "passport_number", "passport_number_index")


class Document(SQLModel, table=True):
    """An uploaded file: the bytes live in private storage under `storage_key` (encrypted); size and sha256 are
    those of the plaintext."""

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    # e.g. "photo", "signature", "passport_page", "material:3"
    kind: str = Field(max_length=30)
    storage_key: str = Field(max_length=64, index=True)  # renewals share a file: purge checks who else uses it
    original_name: str = Field(max_length=200)
    content_type: str = Field(max_length=50)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by: str = Field(max_length=30)
    created_at: datetime = time_field(default_now=True)
    # Set when the retention period deleted the file (services/operations/retention.py); the row stays, so pages
    # say 已按规定删除 and the history keeps what was submitted.
    purged_at: datetime | None = time_field(nullable=True)


class StatusEvent(SQLModel, table=True):
    __tablename__ = "status_event"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    from_status: str = Field(max_length=30)
    to_status: str = Field(max_length=30)
    actor: str = Field(max_length=60)
    reason: str = Field(default="", max_length=1000)
    created_at: datetime = time_field(default_now=True)


class NumberSequence(SQLModel, table=True):
    """The last application number given out on each day (Asia/Shanghai)."""

    __tablename__ = "number_sequence"

    day: str = Field(primary_key=True, max_length=8)
    last: int = Field(default=0)
