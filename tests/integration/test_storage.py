"""Private file storage and signed download tokens."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import stat

import pytest

from apec_app.integrations import storage
from apec_app.settings import get_settings

NOW = 1_800_000_000.0


@pytest.fixture()
def root(tmp_path, monkeypatch):
    files = tmp_path / "files"
    settings = dataclasses.replace(get_settings(), upload_dir=files)
    monkeypatch.setattr(storage, "get_settings", lambda: settings)
    return files


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_saved_file_reads_back_and_is_private(root):
    stored = storage.save_private(b"passport scan")

    assert re.fullmatch(r"[0-9a-f]{32}", stored.key)
    assert stored.sha256 == hashlib.sha256(b"passport scan").hexdigest() and stored.size == 13
    assert storage.read_private(stored.key) == b"passport scan"
    path = root / stored.key[:2] / stored.key
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(root) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [stored.key]  # no temporary file left behind


def test_every_file_gets_a_new_random_key(root):
    assert storage.save_private(b"same").key != storage.save_private(b"same").key


def test_deleted_file_is_gone_and_deleting_again_is_harmless(root):
    key = storage.save_private(b"x").key
    storage.delete_private(key)
    with pytest.raises(FileNotFoundError):
        storage.read_private(key)
    storage.delete_private(key)


def test_failed_write_leaves_nothing_behind(root, monkeypatch):
    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", fail)
    with pytest.raises(OSError):
        storage.save_private(b"x")
    assert [p for p in root.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "",
        "0" * 31,
        "0" * 33,
        "A" * 32,
        "../" + "0" * 29,
        "0" * 32 + "\n",
        "０" * 32,  # fullwidth digits
        None,
    ],
)
def test_anything_but_a_key_is_refused(root, key):
    with pytest.raises(ValueError):
        storage.read_private(key)
    with pytest.raises(ValueError):
        storage.delete_private(key)


def test_download_token_round_trip_is_url_safe(root):
    token = storage.sign_download(42, "enterprise:12", now=NOW)
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", token)
    assert storage.verify_download(token, now=NOW) == (42, "enterprise:12")


def test_download_token_expires(root):
    token = storage.sign_download(42, "agent:3", ttl_seconds=300, now=NOW)
    assert storage.verify_download(token, now=NOW + 299) == (42, "agent:3")
    assert storage.verify_download(token, now=NOW + 300) is None


def test_tampered_token_is_refused(root):
    token = storage.sign_download(42, "enterprise:12", now=NOW)
    body, signature = token.split(".")
    forged_body = storage.sign_download(43, "enterprise:12", now=NOW).split(".")[0]
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for forged in (f"{forged_body}.{signature}", f"{body}.{flipped}", f"{body}.{signature}x", body):
        assert storage.verify_download(forged, now=NOW) is None


def test_token_signed_with_another_secret_is_refused(root, monkeypatch):
    token = storage.sign_download(42, "enterprise:12", now=NOW)
    other = dataclasses.replace(get_settings(), secret_key="another-secret")
    monkeypatch.setattr(storage, "get_settings", lambda: other)
    assert storage.verify_download(token, now=NOW) is None


@pytest.mark.parametrize("garbage", ["", ".", "abc", "a.b.c", "é.x", "a b.c", None])
def test_garbage_token_is_refused(root, garbage):
    assert storage.verify_download(garbage, now=NOW) is None
