"""Backup and restore of everything an installation holds: the database (SQLite or PostgreSQL) and the private
files (uploads), in one .tar.gz with a manifest.

SQLite is copied with its online backup API (a consistent copy while the app runs); PostgreSQL with pg_dump's
custom format, restored with pg_restore. A restore refuses to overwrite a database that already holds data
unless told to, and runs the migrations afterwards so an older backup comes up to the current schema.
The archive holds every applicant's personal data: keep it encrypted and access-controlled.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

FORMAT = 1


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why (in Chinese, for the operator)."""


@dataclass(frozen=True)
class Manifest:
    format: int
    kind: str  # "sqlite" or "postgresql"
    revision: str
    created_at: str
    applications: int
    documents: int
    files: int


def _counts(database_url: str) -> tuple[str, int, int]:
    """(alembic revision, applications, documents) of the database, or ("", 0, 0) when it has no schema yet."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("application"):
                return "", 0, 0
            revision = conn.execute(text("select version_num from alembic_version")).scalar() or ""
            applications = conn.execute(text("select count(*) from application")).scalar() or 0
            documents = conn.execute(text("select count(*) from document")).scalar() or 0
            return revision, int(applications), int(documents)
    finally:
        engine.dispose()


def _kind(database_url: str) -> str:
    backend = make_url(database_url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库：{backend}")
    return backend


def _libpq_url(database_url: str) -> str:
    """pg_dump and pg_restore take a libpq URL: the SQLAlchemy driver suffix goes."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(database_url: str) -> Path:
    return Path(make_url(database_url).database or "")


def create(target: Path, database_url: str, upload_dir: Path, *, now: datetime) -> Manifest:
    kind = _kind(database_url)
    revision, applications, documents = _counts(database_url)
    files = sorted(p for p in upload_dir.rglob("*") if p.is_file()) if upload_dir.is_dir() else []
    manifest = Manifest(
        FORMAT, kind, revision, now.astimezone(UTC).isoformat(timespec="seconds"), applications, documents, len(files)
    )
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / ("database.sqlite" if kind == "sqlite" else "database.dump")
        if kind == "sqlite":
            source = sqlite3.connect(_sqlite_path(database_url))
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq_url(database_url)])
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(asdict(manifest), ensure_ascii=False).encode())
            archive.add(dump, arcname=dump.name)
            for path in files:
                archive.add(path, arcname=f"files/{path.relative_to(upload_dir).as_posix()}")
        partial.replace(target)  # a backup interrupted half-way never looks complete
    return manifest


def restore(source: Path, database_url: str, upload_dir: Path, *, force: bool = False) -> Manifest:
    kind = _kind(database_url)
    with tarfile.open(source, "r:gz") as archive:
        try:
            member = archive.extractfile("manifest.json")
        except KeyError:
            member = None
        if member is None:
            raise BackupError(f"{source} 不是本系统的备份（没有 manifest.json）")
        manifest = Manifest(**json.loads(member.read()))
        if manifest.format != FORMAT:
            raise BackupError(f"备份格式 {manifest.format} 不受支持")
        if manifest.kind != kind:
            raise BackupError(f"备份来自 {manifest.kind} 数据库，不能恢复到 {kind}")
        if kind == "sqlite":
            _sqlite_path(database_url).parent.mkdir(parents=True, exist_ok=True)
        _, applications, documents = _counts(database_url)
        if (applications or documents) and not force:
            raise BackupError("目标数据库已有数据；确认要覆盖时请加 --force")
        with tempfile.TemporaryDirectory() as tmp:
            archive.extractall(tmp, filter="data")  # refuses absolute paths and '..'
            dump = Path(tmp) / ("database.sqlite" if kind == "sqlite" else "database.dump")
            if kind == "sqlite":
                _restore_sqlite(dump, _sqlite_path(database_url))
            else:
                _run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq_url(database_url)}",
                      str(dump)])  # fmt: skip
            restored = Path(tmp) / "files"
            if restored.is_dir():
                upload_dir.mkdir(parents=True, exist_ok=True)
                shutil.copytree(restored, upload_dir, dirs_exist_ok=True)
    return manifest


def _restore_sqlite(dump: Path, path: Path) -> None:
    """Copy through the backup API into the live file, so open connections see a whole database, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {command[0]}：请安装 postgresql-client") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} 失败：{exc.stderr.strip()[:500]}") from exc
