"""one-time session handoffs (the HttpOnly cookie is set by an HTTP response) and rate-limit events

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
from alembic import op

from apec_app.models.base import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_handoff",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("user_session.id"), nullable=False, index=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "rate_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bucket", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rate_event_lookup", "rate_event", ["bucket", "key", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_rate_event_lookup", "rate_event")
    op.drop_table("rate_event")
    op.drop_table("session_handoff")
