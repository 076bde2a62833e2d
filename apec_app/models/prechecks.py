"""The automatic pre-checks of submitted applications (services/review/prechecks.py): one run per application,
asked for at every 【提交】, and the checklist it found, per person."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field
from apec_app.models.encrypted import encrypted_field


class PrecheckRun(SQLModel, table=True):
    """Asked for when the application was (re)submitted (`requested_at`); a background job claims it
    (`claimed_until`, so two workers never run it at once), computes the checks outside any transaction and
    stores them only when no newer request came meanwhile (`done_at`, and `worst` for the queue's flag)."""

    __tablename__ = "precheck_run"

    application_id: int = Field(primary_key=True, foreign_key="application.id")
    requested_at: datetime = time_field()
    claimed_until: datetime | None = time_field(nullable=True)
    done_at: datetime | None = time_field(nullable=True)
    worst: str = Field(default="", max_length=4, index=True)  # "", pass, warn or fail
    seconds: float = Field(default=0.0)  # how long the last run took


class PrecheckResult(SQLModel, table=True):
    """One line of a person's checklist. `reason` names the typed and the found values (personal numbers
    among them): stored encrypted."""

    __tablename__ = "precheck_result"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    person_seq: int  # Person.seq (people rows are written anew at each submission)
    position: int  # the order of the checklist
    item: str = Field(max_length=20)
    status: str = Field(max_length=4)
    reason: str = encrypted_field(default="")
