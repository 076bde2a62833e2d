"""Leases of scheduled jobs that must run once per period however many workers start them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field


class JobLease(SQLModel, table=True):
    """A job runs only in the worker that claimed its row: an update (or the first insert) that succeeds only
    when `held_until` has passed. The winner holds it for the job's period."""

    __tablename__ = "job_lease"

    name: str = Field(primary_key=True, max_length=40)
    held_until: datetime = time_field()
    holder: str = Field(max_length=100)
