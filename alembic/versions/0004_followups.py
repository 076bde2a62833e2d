"""follow-up businesses: parent application, source person, early-card flag

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (see 0002): no table rebuild under foreign keys. SQLite takes the reference inline.
    links = (("parent_application_id", "application"), ("source_person_id", "person"))
    for column, target in links:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE application ADD COLUMN {column} INTEGER REFERENCES {target} (id)")
        else:
            op.add_column("application", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(f"fk_application_{column}", "application", target, [column], ["id"])
    op.add_column(
        "application", sa.Column("early_card_done", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_index("ix_application_parent_application_id", "application", ["parent_application_id"])
    op.create_index("ix_application_source_person_id", "application", ["source_person_id"])


def downgrade() -> None:
    op.drop_index("ix_application_source_person_id", "application")
    op.drop_index("ix_application_parent_application_id", "application")
    for name in ("early_card_done", "source_person_id", "parent_application_id"):
        op.drop_column("application", name)
