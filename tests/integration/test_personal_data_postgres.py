"""Encryption at rest on the real PostgreSQL server: migration 0010 down (numbers, forms and files back in the
clear, the columns VARCHAR again) and up (encrypted again, the blind index rebuilt), then a key rotation."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel, select

import apec_app.models  # noqa: F401 - every table, for the rotation
from alembic import command
from apec_app.db import make_engine
from apec_app.integrations import crypto, storage
from apec_app.models import Application, Person
from apec_app.services.operations import key_rotation
from apec_app.settings import PROJECT_ROOT, new_key
from tests.factories import make_enterprise, setup_institutions
from tests.images import jpeg
from tests.integration.conftest import SERVER

NUMBERS = ("32010219900517001X", "E12345678")


@pytest.fixture()
def pg(settings_env, tmp_path):
    settings_env(UPLOAD_DIR=str(tmp_path / "files"), DATA_KEYS=new_key())
    name = f"apec_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(f"{SERVER}/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _migrate(engine, revision: str, down: bool = False) -> None:
    config = Config(os.path.join(PROJECT_ROOT, "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _raw(engine) -> tuple:
    with engine.connect() as conn:
        person = conn.execute(text("select id_number, passport_number, data_json from person")).one()
        [form] = conn.execute(text("select form_json from application")).one()
    return (*person, form)


def test_downgrade_and_upgrade_and_rotation_on_postgresql(pg, settings_env):
    _migrate(pg, "head")
    id_number, passport = NUMBERS
    with Session(pg) as db:
        _, js = setup_institutions(db)
        ent = make_enterprise(db)
        form = json.dumps({"people": [{"id_number": id_number, "passport_number": passport}]})
        application = Application(business_type="new_renew", enterprise_id=ent.id, institution_id=js.id,
                                  channel="local", status="fao_review", form_json=form)  # fmt: skip
        db.add(application)
        db.flush()
        db.add(Person(application_id=application.id, seq=1, surname="张", given_name="平", pinyin="ZHANG PING",
                      id_number=id_number, sex="男", passport_number=passport, data_json="{}"))  # fmt: skip
        db.commit()
    key = storage.save_private(jpeg()).key
    assert all(v.startswith(crypto.TEXT_PREFIX) for v in _raw(pg))

    _migrate(pg, "0009", down=True)
    assert _raw(pg) == (id_number, passport, "{}", form)
    with pg.connect() as conn:
        kinds = dict(conn.execute(text("select column_name, data_type from information_schema.columns "
                                       "where table_name = 'person'")).all())  # fmt: skip
    assert kinds["id_number"] == "character varying" and "id_number_index" not in kinds
    path = storage.get_settings().upload_dir / key[:2] / key
    assert path.read_bytes().startswith(b"\xff\xd8\xff")

    _migrate(pg, "head")
    assert all(v.startswith(crypto.TEXT_PREFIX) for v in _raw(pg))
    with Session(pg) as db:
        found = db.exec(select(Person).where(Person.id_number_index == crypto.blind_index("id_number", id_number)))
        assert found.one().passport_number == passport

    old = crypto.configured_key_ids()[0]
    settings_env(DATA_KEYS=f"{new_key()},{crypto.get_settings().data_keys[0]}")
    done = key_rotation.rotate(pg, SQLModel.metadata, reindex=True)
    assert done == {
        "application": 1,
        "person": 1,
        "precheck_result": 0,
        "person.id_number_index": 0,
        "person.passport_number_index": 0,
        "files": 1,
    }
    new = crypto.configured_key_ids()[0]
    assert new != old and all(v.startswith(f"enc1:{new}:") for v in _raw(pg))
    assert storage.read_private(key).startswith(b"\xff\xd8\xff")
