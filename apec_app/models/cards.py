"""The holder's emailed access to a virtual card (the holder has no account)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from apec_app.models.base import time_field


class CardHolderLink(SQLModel, table=True):
    """A link to one card's virtual card, mailed to the holder's own email; only its hash is kept. It opens the
    card after a code sent to the same address; a newer link for the card ends it."""

    __tablename__ = "card_holder_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    card_id: int = Field(foreign_key="card.id", index=True)
    created_by: str = Field(max_length=40)
    created_at: datetime = time_field(default_now=True)
    expires_at: datetime = time_field()
    revoked_at: datetime | None = time_field(nullable=True)
    last_opened_at: datetime | None = time_field(nullable=True)
