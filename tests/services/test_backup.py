"""Backup and restore on SQLite: a restored installation has every application, document and file, byte for
byte; a restore does not overwrite data by accident; the CLI commands work end to end."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from sqlmodel import Session, select

from apec_app.db import make_engine
from apec_app.integrations import crypto, storage
from apec_app.models import Application, Document
from apec_app.models.base import utcnow
from apec_app.services.operations import backup, demo_data
from apec_app.settings import get_settings
from tests.factories import act

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("application", "person", "document", "enterprise", "card", "economy_decision", "status_event", "message")


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


@pytest.fixture()
def installation(engine, tmp_path):
    """The demo data plus three documents whose bytes are really stored."""
    with Session(engine) as db:
        act(demo_data.load, db)
        db.commit()
        application = db.exec(select(Application)).first()
        for i in range(3):
            stored = storage.save_private(f"scan {i}".encode() * 100)
            db.add(
                Document(
                    enterprise_id=application.enterprise_id,
                    application_id=application.id,
                    kind="photo",
                    storage_key=stored.key,
                    original_name=f"p{i}.jpg",
                    content_type="image/jpeg",
                    size=stored.size,
                    sha256=stored.sha256,
                    uploaded_by="test",
                )
            )
        db.commit()
    return Path(str(engine.url.database))


def test_restore_brings_back_every_application_document_and_file(installation, tmp_path):
    url = f"sqlite:///{installation}"
    archive = tmp_path / "backup.tar.gz"
    manifest = backup.create(archive, url, get_settings().upload_dir, now=utcnow())
    before = _counts(installation)
    assert manifest.applications == before["application"] >= 3 and manifest.documents == 3
    assert manifest.revision and manifest.kind == "sqlite"

    new_db, new_files = tmp_path / "restored.db", tmp_path / "files"
    backup.restore(archive, f"sqlite:///{new_db}", new_files)
    assert _counts(new_db) == before
    engine = make_engine(f"sqlite:///{new_db}")
    with Session(engine) as db:
        for document in db.exec(select(Document)).all():
            stored = (new_files / document.storage_key[:2] / document.storage_key).read_bytes()
            assert stored.startswith(crypto.FILE_MAGIC) and b"scan " not in stored  # the archive holds ciphertext
            assert hashlib.sha256(crypto.decrypt_bytes(stored)).hexdigest() == document.sha256
    engine.dispose()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    keys = get_settings().key_dir.resolve()
    assert not any(name.startswith(("keys/", "data_keys", "index_key")) or "/keys/" in name for name in names)
    assert keys.is_dir() and not any(keys.name in Path(name).parts for name in names)  # the keys stay behind


def test_restore_refuses_to_overwrite_data_without_force(installation, tmp_path):
    url = f"sqlite:///{installation}"
    archive = tmp_path / "backup.tar.gz"
    backup.create(archive, url, get_settings().upload_dir, now=utcnow())
    with pytest.raises(backup.BackupError):
        backup.restore(archive, url, tmp_path / "files")
    backup.restore(archive, url, tmp_path / "files", force=True)
    assert _counts(installation)["application"] >= 3


def test_archive_members_cannot_escape_the_restore_directory(installation, tmp_path):
    """A tampered archive with a '../' member is refused before anything is written."""
    url = f"sqlite:///{installation}"
    archive = tmp_path / "backup.tar.gz"
    backup.create(archive, url, get_settings().upload_dir, now=utcnow())
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive) as good, tarfile.open(evil, "w:gz") as bad:
        for member in good.getmembers():
            bad.addfile(member, good.extractfile(member))
        info = tarfile.TarInfo("../../outside.txt")
        info.size = 1
        bad.addfile(info, __import__("io").BytesIO(b"x"))
    with pytest.raises(tarfile.TarError):
        backup.restore(evil, f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "files")
    assert not (tmp_path.parent / "outside.txt").exists()


def test_cli_backup_and_restore(tmp_path):
    source, target = tmp_path / "a", tmp_path / "b"
    env = {**os.environ, "APEC_DATA_DIR": str(source)}
    env.pop("DATABASE_URL", None)
    run = lambda *args, **kw: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "apec_app.cli", *args], cwd=ROOT, capture_output=True, text=True, **kw
    )
    assert run("load-demo", env=env).returncode == 0
    archive = tmp_path / "apec.tar.gz"
    done = run("backup", "--to", str(archive), env=env)
    assert done.returncode == 0, done.stderr
    restored = run("restore", "--from", str(archive), env={**env, "APEC_DATA_DIR": str(target)})
    assert restored.returncode == 0, restored.stderr
    assert _counts(target / "apec.db") == _counts(source / "apec.db")
    again = run("restore", "--from", str(archive), env={**env, "APEC_DATA_DIR": str(target)})
    assert again.returncode == 2 and "--force" in again.stderr
