"""the virtual card's holder links; economy officers (staff of role "economy" with their economy), the economies'
API tokens and the decisions their clients sent (idempotency)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:00:00
"""

import sqlalchemy as sa

from alembic import op
from apec_app.models.base import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("economy_code", sa.String(length=4), nullable=True))
    op.create_table(
        "card_holder_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("card_id", sa.Integer(), sa.ForeignKey("card.id"), nullable=False, index=True),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_opened_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "economy_api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("economy_code", sa.String(length=4), nullable=False, index=True),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "economy_api_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("economy_code", sa.String(length=4), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("economy_api_token.id"), nullable=False, index=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False, index=True),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("economy_code", "client_id"),
    )


def downgrade() -> None:
    op.drop_table("economy_api_decision")
    op.drop_table("economy_api_token")
    op.drop_table("card_holder_link")
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("economy_code")
