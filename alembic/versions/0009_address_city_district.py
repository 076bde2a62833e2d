"""addresses keep their 市 and 区 (the address form's 省/市/区 cascade); the 省 stays in `province`

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("address") as batch:
        batch.add_column(sa.Column("city", sa.String(length=30), nullable=False, server_default=""))
        batch.add_column(sa.Column("district", sa.String(length=30), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("address") as batch:
        batch.drop_column("district")
        batch.drop_column("city")
