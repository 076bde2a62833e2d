"""身份证号, 护照号码 and the stored documents at rest: an application filed through the services leaves no number
in the SQLite file and no JPEG in the upload folder, yet the app reads them and finds a person by 身份证号; key
rotation moves everything to the new key; altered ciphertexts are refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, select

from apec_app import cli
from apec_app.domain.application_form import PERSON_DOCS
from apec_app.integrations import crypto, storage
from apec_app.models import Application, Document, Enterprise, Person
from apec_app.services.applications import filing
from apec_app.services.applications.filing import StepErrors
from apec_app.services.operations import key_rotation
from apec_app.services.review import queue
from apec_app.settings import new_key
from tests.factories import (
    TODAY,
    act,
    file_application,
    make_enterprise,
    principal_for_enterprise,
    staff_principal,
    valid_form,
)

JPEG_MAGIC = b"\xff\xd8\xff"


def _raw_database(engine) -> bytes:
    """The database as it lies on disk: the file and its write-ahead log."""
    path = Path(str(engine.url.database))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture()
def upload_dir(settings_env, tmp_path):
    root = tmp_path / "files"
    settings_env(UPLOAD_DIR=str(root))
    return root


def test_the_database_file_and_the_upload_folder_hold_no_number_and_no_jpeg(db, engine, upload_dir):
    application, people = file_application(db)
    numbers = [p[k] for p in people for k in ("id_number", "passport_number")]
    raw = _raw_database(engine)
    assert len(numbers) == 4 and all(n.encode() not in raw for n in numbers)
    with sqlite3.connect(str(engine.url.database)) as conn:
        rows = conn.execute("select id_number, passport_number, data_json, id_number_index from person").fetchall()
        forms = [r[0] for r in conn.execute("select form_json from application")]
    assert len(rows) == 2
    assert all(v.startswith(crypto.TEXT_PREFIX) for row in rows for v in row[:3])
    assert {row[3] for row in rows} == {crypto.blind_index("id_number", p["id_number"]) for p in people}
    assert forms and all(f.startswith(crypto.TEXT_PREFIX) for f in forms)

    files = _stored_files(upload_dir)
    assert len(files) == 2 * len(PERSON_DOCS) + 1
    for path in files:
        data = path.read_bytes()
        plain = storage.read_private(path.name)
        assert plain.startswith(JPEG_MAGIC)  # what was stored is a JPEG …
        assert data.startswith(crypto.FILE_MAGIC) and JPEG_MAGIC not in data[:64]  # … and is not kept as one
        assert plain[-200:] not in data and plain[100:300] not in data

    db.expire_all()  # the ORM reads the plaintext back
    stored = db.exec(select(Person).where(Person.application_id == application.id).order_by(Person.seq)).all()
    assert [(p.id_number, p.passport_number) for p in stored] == [
        (p["id_number"], p["passport_number"]) for p in people
    ]
    assert json.loads(stored[0].data_json)["id_number"] == people[0]["id_number"]
    assert json.loads(db.get(Application, application.id).form_json)["people"][1]["passport_number"] == numbers[3]


def test_a_second_application_of_the_same_person_is_found_by_the_blind_index(db, upload_dir):
    first, people = file_application(db, people=1)
    me = principal_for_enterprise(db, make_enterprise(db))
    js = db.exec(select(Application.institution_id).where(Application.id == first.id)).one()
    second = act(filing.start, db, js, me=me)
    _, base = act(filing.load_form, db, second.id, me=me)
    form = valid_form(db, second, base, 2)
    form["people"][1] |= {k: people[0][k] for k in ("id_number", "sex", "birth_date")}
    act(filing.save_draft, db, second.id, form, me=me)
    with pytest.raises(StepErrors) as exc:
        act(filing.submit, db, second.id, me=me, today=TODAY)
    assert exc.value.errors == {"people.1.id_number": "id_in_open_application"}  # stored encrypted, found


def test_applicant_and_reviewer_find_an_application_by_a_whole_id_number(db, upload_dir):
    application, people = file_application(db, people=2)
    number = people[1]["id_number"]
    owner = principal_for_enterprise(db, db.get(Enterprise, application.enterprise_id))
    reviewer = staff_principal(db, "rev_js", "reviewer", "JS")

    def mine(text: str) -> list[int]:
        return [a.id for a in act(filing.list_applications, db, "new_renew", search=text, me=owner)[0]]

    def queued(text: str) -> list[int]:
        return [a.id for a in act(queue.queue, db, name=text, me=reviewer)[0]]

    assert mine(number) == mine(number.lower()) == queued(f" {number} ") == [application.id]
    assert mine(number[:-1]) == queued(number[:-1]) == []  # a part of a number is not searchable: it is encrypted
    assert queued(people[0]["surname"]) == [application.id]  # names still match as before


def test_an_encrypted_column_cannot_be_compared_in_sql(db):
    with pytest.raises(TypeError, match="blind index"):
        select(Person).where(Person.id_number == "320102199005170011")
    index = crypto.blind_index("id_number", "320102199005170011")
    assert index == crypto.blind_index("id_number", " 320102199005170011 ") != crypto.blind_index("x", "3201")
    assert "320102" not in index and len(index) == 64


# --- key rotation -------------------------------------------------------------------------------------------


def _ciphertexts(engine) -> list[str]:
    with sqlite3.connect(str(engine.url.database)) as conn:
        people = conn.execute("select id_number, passport_number, data_json from person").fetchall()
        forms = conn.execute("select form_json from application").fetchall()
    return [v for row in people + forms for v in row]


def _read_everything(db: Session, root: Path) -> None:
    db.expire_all()
    for person in db.exec(select(Person)).all():
        assert person.id_number and person.passport_number
    for application in db.exec(select(Application)).all():
        json.loads(application.form_json)
    for path in _stored_files(root):
        assert storage.read_private(path.name).startswith(JPEG_MAGIC)


def test_rotation_moves_every_column_and_file_to_the_new_key(db, engine, upload_dir, settings_env):
    key1, key2 = new_key(), new_key()
    settings_env(DATA_KEYS=key1)
    old_id = crypto.configured_key_ids()[0]
    file_application(db)
    assert all(v.startswith(f"enc1:{old_id}:") for v in _ciphertexts(engine))

    settings_env(DATA_KEYS=f"{key2},{key1}")  # the new key in front: old data still reads
    new_id = crypto.configured_key_ids()[0]
    _read_everything(db, upload_dir)
    stale = key_rotation.stale_counts(engine, SQLModel.metadata)
    assert stale == {"application": 1, "person": 2, "precheck_result": 0, "files": 11}
    done = key_rotation.rotate(engine, SQLModel.metadata, batch_size=1, reindex=True)
    assert done == {
        "application": 1,
        "person": 2,
        "precheck_result": 0,
        "person.id_number_index": 0,
        "person.passport_number_index": 0,
        "files": 11,
    }
    assert all(v.startswith(f"enc1:{new_id}:") for v in _ciphertexts(engine))
    files = _stored_files(upload_dir)
    assert all(p.read_bytes().startswith(crypto.FILE_MAGIC + bytes.fromhex(new_id)) for p in files)
    again = key_rotation.rotate(engine, SQLModel.metadata, reindex=True)
    assert set(again.values()) == {0}  # idempotent

    settings_env(DATA_KEYS=key2)  # the old key dropped
    _read_everything(db, upload_dir)

    settings_env(DATA_KEYS=key1)  # only the old key: nothing reads
    db.expire_all()
    with pytest.raises(crypto.DecryptionError, match="not among the configured"):
        db.exec(select(Person)).first()
    with pytest.raises(crypto.DecryptionError):
        storage.read_private(files[0].name)


def test_a_new_index_key_recomputes_the_blind_indexes(db, engine, upload_dir, settings_env):
    settings_env(INDEX_KEY=new_key())
    _, people = file_application(db)
    settings_env(INDEX_KEY=new_key())
    done = key_rotation.rotate(engine, SQLModel.metadata, reindex=True)
    assert done["person.id_number_index"] == done["person.passport_number_index"] == 2
    assert done["person"] == 0 and done["files"] == 0
    with sqlite3.connect(str(engine.url.database)) as conn:
        indexes = {r[0] for r in conn.execute("select id_number_index from person")}
    assert indexes == {crypto.blind_index("id_number", p["id_number"]) for p in people}
    assert key_rotation.rotate(engine, SQLModel.metadata, reindex=True)["person.id_number_index"] == 0


def test_cli_new_key_and_rotate_keys(app_engine, db, upload_dir, settings_env, monkeypatch, capsys):
    monkeypatch.setattr(cli, "get_engine", lambda: app_engine)
    assert cli.main(["new-key"]) == 0
    key = capsys.readouterr().out.strip()
    assert len(crypto._decode_key(key, "DATA_KEYS")) == 32
    file_application(db, people=1)
    settings_env(DATA_KEYS=f"{key},{','.join(crypto.get_settings().data_keys)}")
    assert cli.main(["rotate-keys"]) == 0
    out = capsys.readouterr().out
    assert "person: 1" in out and "files: 6" in out and "其余密钥可从 DATA_KEYS 中移除" in out
    assert cli.main(["rotate-keys"]) == 0
    assert "person: 0" in capsys.readouterr().out


# --- altered data -------------------------------------------------------------------------------------------


def test_an_altered_ciphertext_is_refused(db, engine, upload_dir, settings_env):
    settings_env(DATA_KEYS=f"{new_key()},{new_key()}")
    text = crypto.encrypt_text("320102199005170011")
    prefix, body = text.rsplit(":", 1)
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    other_id = crypto.configured_key_ids()[1]
    for altered in (f"{prefix}:{flipped}", text.replace(crypto.configured_key_ids()[0], other_id), "320102"):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_text(altered)
    assert crypto.decrypt_text(text) == "320102199005170011"

    file_application(db, people=1)
    with sqlite3.connect(str(engine.url.database)) as conn:
        conn.execute("update person set passport_number = ?", (crypto.encrypt_text("E99999999")[:-6] + "AAAAAA",))
    db.expire_all()
    with pytest.raises(crypto.DecryptionError, match="altered"):
        db.exec(select(Person)).first()

    path = _stored_files(upload_dir)[0]
    data = bytearray(path.read_bytes())
    data[40] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(crypto.DecryptionError):
        storage.read_private(path.name)
    assert db.exec(select(Document).where(Document.storage_key == path.name)).one()  # the row is not the file
