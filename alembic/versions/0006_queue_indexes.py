"""indexes for the reviewers' queue ordered by submission

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 04:05:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_application_submitted", "application", ["submitted_at", "id"])
    op.create_index("ix_application_institution_submitted", "application", ["institution_id", "submitted_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_application_institution_submitted", "application")
    op.drop_index("ix_application_submitted", "application")
