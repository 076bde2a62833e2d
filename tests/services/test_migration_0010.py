"""Migration 0010 on a database from before it: the 身份证号, 护照号码 and forms already there are encrypted (and
indexed), the plaintext leaves the file, stored files are encrypted, passport numbers in sent reminders are cut
to their last four characters; the downgrade gives everything back in the clear."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from sqlmodel import Session, select

from alembic import command
from apec_app import cli
from apec_app.db import make_engine
from apec_app.integrations import crypto, storage
from apec_app.models import Application, Person
from apec_app.settings import PROJECT_ROOT, new_key
from tests.images import jpeg

ID_NUMBER, PASSPORT = "32010219900517001X", "E12345678"
FILE_KEY = "ab" + "0" * 30


def _migrate(engine, revision: str, down: bool = False) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _insert(conn: sqlite3.Connection, table: str, **values) -> int:
    """A row with `values`; every other required column without a default gets a filler of its type."""
    for _, name, kind, notnull, default, pk in conn.execute(f"pragma table_info({table})").fetchall():
        if notnull and default is None and not pk and name not in values:
            values[name] = 0 if kind.upper() in ("INTEGER", "BOOLEAN", "FLOAT") else "2026-01-01 00:00:00.000000"
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    return conn.execute(f"insert into {table} ({columns}) values ({marks})", list(values.values())).lastrowid


@pytest.fixture()
def old_database(tmp_path, settings_env):
    settings_env(UPLOAD_DIR=str(tmp_path / "files"), DATA_KEYS=new_key())
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    _migrate(engine, "0009")
    form = {"people": [{"id_number": ID_NUMBER, "passport_number": PASSPORT}]}
    with sqlite3.connect(path) as conn:
        enterprise = _insert(conn, "enterprise", name="示例", uscc="91320100MA1MXXYC1G", email="a@example.com")
        institution = _insert(conn, "institution", code="JS", name="江苏外办", kind="fao")
        application = _insert(
            conn,
            "application",
            business_type="new_renew",
            enterprise_id=enterprise,
            institution_id=institution,
            channel="local",
            status="fao_review",
            form_json=json.dumps(form),
        )
        _insert(
            conn,
            "person",
            application_id=application,
            seq=1,
            surname="张",
            given_name="平",
            pinyin="ZHANG PING",
            id_number=ID_NUMBER,
            sex="男",
            passport_number=PASSPORT,
            data_json=json.dumps(form["people"][0]),
        )
        body = f"张平的护照（{PASSPORT}）将于…"
        _insert(conn, "message", enterprise_id=enterprise, title="护照有效期提醒", body=body)
    photo = jpeg()
    folder = tmp_path / "files" / FILE_KEY[:2]
    folder.mkdir(parents=True)
    (folder / FILE_KEY).write_bytes(photo)
    yield engine, path, photo
    engine.dispose()


def test_upgrade_encrypts_what_is_there_and_downgrade_decrypts_it(old_database, monkeypatch):
    engine, path, photo = old_database
    monkeypatch.setattr(cli, "get_engine", lambda: engine)
    cli.migrate()  # as `cli migrate` runs it: the upgrade, then the write-ahead log emptied
    wal = Path(f"{path}-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert ID_NUMBER.encode() not in raw and PASSPORT.encode() not in raw  # overwritten, not left in free pages
    with sqlite3.connect(path) as conn:
        number, passport, data, index = conn.execute(
            "select id_number, passport_number, data_json, id_number_index from person"
        ).fetchone()
        [form] = conn.execute("select form_json from application").fetchone()
        [body] = conn.execute("select body from message").fetchone()
    assert all(v.startswith(crypto.TEXT_PREFIX) for v in (number, passport, data, form))
    assert index == crypto.blind_index("id_number", ID_NUMBER)
    assert body == "张平的护照（尾号5678）将于…"
    stored = (path.parent / "files" / FILE_KEY[:2] / FILE_KEY).read_bytes()
    assert stored.startswith(crypto.FILE_MAGIC) and storage.read_private(FILE_KEY) == photo
    with Session(engine) as db:
        person = db.exec(select(Person)).one()
        assert (person.id_number, person.passport_number) == (ID_NUMBER, PASSPORT)
        assert json.loads(db.exec(select(Application)).one().form_json)["people"][0]["id_number"] == ID_NUMBER
        found = db.exec(select(Person).where(Person.id_number_index == crypto.blind_index("id_number", ID_NUMBER)))
        assert found.one().id == person.id

    _migrate(engine, "0009", down=True)
    with sqlite3.connect(path) as conn:
        assert conn.execute("select id_number, passport_number from person").fetchone() == (ID_NUMBER, PASSPORT)
        assert json.loads(conn.execute("select form_json from application").fetchone()[0]) == {
            "people": [{"id_number": ID_NUMBER, "passport_number": PASSPORT}]
        }
        columns = {row[1] for row in conn.execute("pragma table_info(person)")}
    assert "id_number_index" not in columns
    assert (path.parent / "files" / FILE_KEY[:2] / FILE_KEY).read_bytes() == photo
    _migrate(engine, "head")  # and up again
    assert storage.read_private(FILE_KEY) == photo
