"""automatic pre-checks of submitted applications: the run asked for at each 【提交】 and its checklist per person;
a blind index of the 护照号码 (other applications holding the same passport), filled in for the people there are

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-06 09:00:00
"""

import sqlalchemy as sa

from alembic import op
from apec_app.models.base import UTCDateTime
from apec_app.services.operations.key_rotation import EncryptedTable, reencrypt_rows

revision = "0015"
down_revision = "0011"
branch_labels = None
depends_on = None

# As the table is at this revision: the blind indexes are recomputed from the decrypted numbers.
PERSON = EncryptedTable(
    "person",
    ("id_number", "passport_number", "data_json"),
    (("id_number_index", "id_number"), ("passport_number_index", "passport_number")),
)


def upgrade() -> None:
    op.add_column("person", sa.Column("passport_number_index", sa.String(length=64), nullable=False, server_default=""))
    op.create_index("ix_person_passport_number_index", "person", ["passport_number_index"])
    for _ in reencrypt_rows(op.get_bind(), PERSON, reindex=True):
        pass
    op.create_table(
        "precheck_run",
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("application.id"), primary_key=True),
        sa.Column("requested_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("worst", sa.String(length=4), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
    )
    op.create_index("ix_precheck_run_worst", "precheck_run", ["worst"])
    op.create_table(
        "precheck_result",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("application.id"), nullable=False),
        sa.Column("person_seq", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_index("ix_precheck_result_application_id", "precheck_result", ["application_id"])


def downgrade() -> None:
    op.drop_index("ix_precheck_result_application_id", table_name="precheck_result")
    op.drop_table("precheck_result")
    op.drop_index("ix_precheck_run_worst", table_name="precheck_run")
    op.drop_table("precheck_run")
    op.drop_index("ix_person_passport_number_index", table_name="person")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("passport_number_index")
