"""One engine (one connection pool) per process, and the engine behind any session."""

from __future__ import annotations

from sqlmodel import Session

from apec_app import db as app_db


def test_the_app_has_one_engine(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'one.db'}")
    app_db.get_settings.cache_clear()
    app_db.get_engine.cache_clear()
    try:
        assert app_db.get_engine() is app_db.get_engine()
    finally:
        app_db.get_engine().dispose()
        app_db.get_engine.cache_clear()
        app_db.get_settings.cache_clear()


def test_the_engine_of_a_session_bound_to_the_engine_or_a_connection(engine):
    with Session(engine) as db:
        assert app_db.engine_of(db) is engine
    with engine.connect() as connection, Session(bind=connection) as db:
        assert app_db.engine_of(db) is engine
