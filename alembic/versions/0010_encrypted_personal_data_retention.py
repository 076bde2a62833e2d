"""personal data at rest: 身份证号, 护照号码, the forms and the people's data encrypted, a blind index of the
身份证号, stored files encrypted; documents' purge marker and the job lease of the retention job

The data migration encrypts what is there under the current data key (the same code as `cli rotate-keys`); on
SQLite with secure_delete on, so the plaintext it replaces is overwritten rather than left in free pages (on
PostgreSQL run VACUUM FULL person, application afterwards for the old row versions). Passport reminders already
sent keep only the number's last four characters.

The downgrade decrypts it all again (rows and files, with the configured keys), for going back to a release from
before 0010; the masked reminders stay masked, and purged documents stay deleted.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 09:00:00
"""

import re

import sqlalchemy as sa
from alembic import op

from apec_app.models.base import UTCDateTime
from apec_app.integrations import crypto, storage
from apec_app.services.operations.key_rotation import EncryptedTable, reencrypt_files, reencrypt_rows

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# As the tables were at this revision (not read from the models, which move on).
ENCRYPTED = (
    EncryptedTable("application", ("form_json",)),
    EncryptedTable("person", ("id_number", "passport_number", "data_json"), (("id_number_index", "id_number"),)),
)
PASSPORT_IN_REMINDER = re.compile(r"的护照（([A-Z0-9]+)）")


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA secure_delete = ON")
    op.drop_index("ix_person_id_number", table_name="person")
    for column, length in (("id_number", 18), ("passport_number", 20)):  # ciphertexts are longer than numbers
        _as_text("person", column, length, sqlite)
    op.add_column("person", sa.Column("id_number_index", sa.String(length=64), nullable=False, server_default=""))
    op.create_index("ix_person_id_number_index", "person", ["id_number_index"])
    op.add_column("document", sa.Column("purged_at", UTCDateTime(timezone=True), nullable=True))
    op.create_index("ix_document_storage_key", "document", ["storage_key"])
    op.create_table(
        "job_lease",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("held_until", UTCDateTime(timezone=True), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
    )
    for spec in ENCRYPTED:
        for _ in reencrypt_rows(bind, spec):
            pass
    for table in ("message", "outbox_email"):
        _mask_reminders(bind, table)
    reencrypt_files()  # last: a failure before it leaves the files as they were, and a rerun skips done ones


def _as_text(table: str, column: str, length: int, sqlite: bool, back: bool = False) -> None:
    """VARCHAR(n) to TEXT (`back`: TEXT to VARCHAR(n)). SQLite cannot change a column's type in place (and
    rebuilding the table would trip the foreign keys of the tables that refer to it): a new column, copied, the
    old one dropped, renamed."""
    old, new = (sa.Text(), sa.String(length=length)) if back else (sa.String(length=length), sa.Text())
    if not sqlite:
        op.alter_column(table, column, type_=new, existing_type=old, existing_nullable=False)
        return
    kind = f"VARCHAR({length})" if back else "TEXT"
    op.execute(f"ALTER TABLE {table} ADD COLUMN {column}_new {kind} NOT NULL DEFAULT ''")
    op.execute(f"UPDATE {table} SET {column}_new = {column}")
    op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.execute(f"ALTER TABLE {table} RENAME COLUMN {column}_new TO {column}")


def _mask_reminders(bind: sa.Connection, table: str) -> None:
    t = sa.table(table, sa.column("id"), sa.column("body"))
    rows = bind.execute(sa.select(t).where(t.c.body.like("%的护照（%"))).all()
    for row_id, body in rows:
        masked = PASSPORT_IN_REMINDER.sub(lambda m: f"的护照（尾号{m.group(1)[-4:]}）", body)
        if masked != body:
            bind.execute(t.update().where(t.c.id == row_id).values(body=masked))


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for spec in ENCRYPTED:
        _decrypt_rows(bind, spec)
    op.drop_table("job_lease")
    op.drop_index("ix_document_storage_key", table_name="document")
    op.drop_column("document", "purged_at")
    op.drop_index("ix_person_id_number_index", table_name="person")
    op.drop_column("person", "id_number_index")
    for column, length in (("id_number", 18), ("passport_number", 20)):
        _as_text("person", column, length, sqlite, back=True)
    op.create_index("ix_person_id_number", "person", ["id_number"])
    for key in storage.stored_keys():  # last, as in the upgrade: a rerun skips the files already plain
        storage.decrypt_in_place(key)


def _decrypt_rows(bind: sa.Connection, spec: EncryptedTable) -> None:
    t = spec.table()
    for row in bind.execute(sa.select(t)).mappings().all():
        values = {c: crypto.decrypt_text(row[c]) for c in spec.columns if crypto.is_encrypted_text(row[c] or "")}
        if values:
            bind.execute(t.update().where(t.c.id == row["id"]).values(values))
