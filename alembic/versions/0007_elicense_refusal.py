"""e-licence authorisations keep why the platform's answer was refused

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("elicense_authorization") as batch:
        batch.add_column(sa.Column("refusal", sa.String(length=40), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("elicense_authorization") as batch:
        batch.drop_column("refusal")
