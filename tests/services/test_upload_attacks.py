"""Upload attacks through the real upload service: each is refused, leaves no file in private storage and no
document row; a hostile file name never reaches the file system."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from apec_app.models import Document
from apec_app.services.applications import documents
from apec_app.services.applications import filing as applications
from apec_app.services.errors import InvalidInput
from apec_app.settings import get_settings
from tests.factories import act, make_enterprise, principal_for_enterprise, setup_institutions
from tests.images import jpeg, jpeg_declaring, png_declaring

PHP = b"<?php system($_GET['c']); ?>"
ATTACKS = {
    "php named .jpg": PHP,
    "html named .jpg": b"<html><script>alert(document.cookie)</script></html>",
    "jpeg magic then php": b"\xff\xd8\xff\xe0" + PHP,
    "jpeg polyglot with script after the image": jpeg() + b"<script>alert(1)</script>",
    "decompression bomb (png)": png_declaring(60_000, 60_000),
    "decompression bomb (jpeg)": jpeg_declaring(30_000, 30_000),
    "50 MB file": b"\xff\xd8\xff\xe0" + b"\0" * (50 * 1024 * 1024),
}


def _stored_files() -> set[Path]:
    root = get_settings().upload_dir
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture()
def draft(db):
    _, js = setup_institutions(db)
    ent = make_enterprise(db)
    me = principal_for_enterprise(db, ent)
    application = act(applications.start, db, js.id, me=me)
    db.commit()
    return me, application


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_is_refused_and_leaves_nothing(db, draft, name):
    me, application = draft
    before = _stored_files()
    with pytest.raises(InvalidInput):
        act(documents.upload, db, application.id, "passport_page", "photo.jpg", ATTACKS[name], me=me)
    db.commit()
    assert _stored_files() == before
    assert db.exec(select(Document).where(Document.application_id == application.id)).all() == []


@pytest.mark.parametrize("filename", ["../../../../tmp/evil.jpg", "..\\..\\windows\\evil.jpg", "/etc/passwd.jpg"])
def test_hostile_file_name_is_only_a_label(db, draft, filename):
    me, application = draft
    document = act(documents.upload, db, application.id, "passport_page", filename, jpeg(), me=me)
    db.commit()
    path = get_settings().upload_dir / document.storage_key[:2] / document.storage_key
    assert path.is_file() and path.resolve().is_relative_to(get_settings().upload_dir.resolve())
    assert document.storage_key.isalnum() and filename not in str(path)
    assert not Path("/tmp/evil.jpg").exists()
    assert document.original_name == filename  # kept as text for the applicant, never used as a path
