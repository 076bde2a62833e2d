"""Backup and restore on a real PostgreSQL server: pg_dump into the archive, pg_restore into another database,
and every application, document and file is back."""

from __future__ import annotations

import hashlib
import os
import uuid

import pytest
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from alembic import command
from apec_app.db import make_engine
from apec_app.integrations import crypto, storage
from apec_app.models import Application, Document
from apec_app.models.base import utcnow
from apec_app.services.operations import backup, demo_data
from apec_app.settings import get_settings
from tests.factories import act

SERVER = os.environ.get("TEST_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
TABLES = ("application", "person", "document", "enterprise", "card", "economy_decision", "status_event")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture()
def databases():
    names = [f"apec_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    admin = create_engine(f"{SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield [f"{SERVER}/{name}" for name in names]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {t: conn.execute(text(f"select count(*) from {t}")).scalar() for t in TABLES}
    engine.dispose()
    return found


def test_postgres_backup_restores_into_another_database(databases, tmp_path):
    source, target = databases
    engine = make_engine(source)
    config = Config(os.path.join(ROOT, "alembic.ini"))
    config.set_main_option("script_location", os.path.join(ROOT, "alembic"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with Session(engine) as db:
        act(demo_data.load, db)
        db.commit()
        application = db.exec(select(Application)).first()
        stored = storage.save_private(b"passport page" * 50)
        db.add(
            Document(
                enterprise_id=application.enterprise_id,
                application_id=application.id,
                kind="passport_page",
                storage_key=stored.key,
                original_name="p.jpg",
                content_type="image/jpeg",
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by="test",
            )
        )
        db.commit()
    engine.dispose()

    archive = tmp_path / "pg.tar.gz"
    manifest = backup.create(archive, source, get_settings().upload_dir, now=utcnow())
    assert manifest.kind == "postgresql" and manifest.documents == 1
    files = tmp_path / "files"
    backup.restore(archive, target, files)
    assert _counts(target) == _counts(source)
    restored = make_engine(target)
    with Session(restored) as db:
        document = db.exec(select(Document)).one()
        path = files / document.storage_key[:2] / document.storage_key
        assert hashlib.sha256(crypto.decrypt_bytes(path.read_bytes())).hexdigest() == document.sha256
    restored.dispose()
    with pytest.raises(backup.BackupError):
        backup.restore(archive, target, files)  # it holds data now
