"""Shared fixtures: settings for tests and a migrated temporary SQLite database per test."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_DATA = Path(tempfile.mkdtemp(prefix="apec-tests-"))
os.environ.setdefault("APEC_DATA_DIR", str(_DATA))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.pop("SMTP_HOST", None)
# The QR flows run against the simulated e-licence platform (its answers are verified like a real one's).
os.environ.setdefault("ELICENSE_PROVIDER", "simulated")

import pytest  # noqa: E402
from sqlmodel import Session  # noqa: E402

from apec_app import bootstrap  # noqa: E402
from apec_app.db import make_engine  # noqa: E402

bootstrap.wire()  # the event handlers, as the app wires them at start-up

_TEMPLATE: Path | None = None


def _migrated_template() -> Path:
    """Run the alembic migrations once into a template file; each test copies it (fast, and real schema)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        from alembic.config import Config

        from alembic import command

        root = Path(__file__).resolve().parents[1]
        path = _DATA / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        config = Config(str(root / "alembic.ini"))
        config.set_main_option("script_location", str(root / "alembic"))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        engine.dispose()
        _TEMPLATE = path
    return _TEMPLATE


@pytest.fixture()
def engine(tmp_path):
    path = tmp_path / "test.db"
    shutil.copy(_migrated_template(), path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture()
def db(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


@pytest.fixture()
def app_engine(engine, monkeypatch):
    """The test's database behind the app's own `session_scope()` (for HTTP routes and states under test)."""
    from apec_app import db as app_db

    monkeypatch.setattr(app_db, "get_engine", lambda: engine)
    return engine


@pytest.fixture()
def settings_env(monkeypatch):
    """Change settings for one test: `settings_env(DEV_MAILBOX="1", ...)`; undone (and re-read) afterwards."""
    from apec_app.services.accounts import elicense
    from apec_app.settings import get_settings

    def change(**values: str | None):
        for name, value in values.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        elicense.provider.cache_clear()
        return get_settings()

    yield change
    monkeypatch.undo()
    get_settings.cache_clear()
    elicense.provider.cache_clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium (tests/e2e and tests/scale)."""
    from tests.processes import CHROMIUM_ARGS

    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }
