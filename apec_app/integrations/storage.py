"""Private file storage and signed download tokens.

Files live under settings.upload_dir (default data/files), never under Reflex's public upload folder or assets:
anything there can be fetched by name. Each file is named by a random key and stored encrypted (integrations/
crypto.py: a header naming the key, then AES-GCM), so the folder and its backups hold no readable passport page;
the database row keeps the original name, type, and the size and sha256 of the plaintext.

A download token proves only that this server issued a link for (document id, principal label) that has not
expired. It is not an authorisation on its own: the download route must still load the caller's own session,
compare its principal label with the token's, and re-check that the principal may see the document.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from apec_app.integrations import crypto
from apec_app.settings import get_settings

_KEY = re.compile(r"[0-9a-f]{32}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_TOKEN_PURPOSE = b"apec-download-v1:"


@dataclass(frozen=True)
class StoredFile:
    key: str
    sha256: str
    size: int


def save_private(data: bytes) -> StoredFile:
    """Encrypt `data` and write it under a new random key (readers never see a partial file), mode 0600."""
    key = secrets.token_hex(16)
    path = _path(key)
    _ensure_private_dir(path.parent.parent)
    _ensure_private_dir(path.parent)
    _write_atomically(path, crypto.encrypt_bytes(data))
    return StoredFile(key=key, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def read_private(key: str) -> bytes:
    """The stored plaintext; FileNotFoundError if the key names no file, ValueError if it is not a key at all or
    the file cannot be decrypted (crypto.DecryptionError)."""
    return crypto.decrypt_bytes(_path(key).read_bytes())


def stored_keys() -> Iterator[str]:
    """Every stored file's key (for `cli rotate-keys` and the migration that encrypted the files)."""
    root = get_settings().upload_dir
    if root.is_dir():
        for path in sorted(root.glob("??/*")):
            if _KEY.fullmatch(path.name) and path.parent.name == path.name[:2]:
                yield path.name


def is_current(key: str) -> bool:
    """Whether the file is stored under the current data key (reads only its header)."""
    with _path(key).open("rb") as handle:
        return crypto.is_current_bytes(handle.read(crypto.FILE_HEADER_SIZE))


def reencrypt(key: str) -> bool:
    """Rewrite one file under the current data key (a plaintext one, from before encryption, too); False when it
    already is. Files never change otherwise, so rewriting one races with nothing but its deletion."""
    if is_current(key):
        return False
    path = _path(key)
    data = path.read_bytes()
    plaintext = crypto.decrypt_bytes(data) if crypto.is_encrypted_bytes(data) else data
    _write_atomically(path, crypto.encrypt_bytes(plaintext))
    return True


def decrypt_in_place(key: str) -> bool:
    """Rewrite one file as its plaintext; False when it already is. Only for downgrading past the migration that
    encrypted the files (0010): the app itself never stores a file in the clear."""
    path = _path(key)
    data = path.read_bytes()
    if not crypto.is_encrypted_bytes(data):
        return False
    _write_atomically(path, crypto.decrypt_bytes(data))
    return True


def _write_atomically(path: Path, data: bytes) -> None:
    """A temporary file beside the target, synced, then renamed over it: the name shows all or nothing."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")  # created 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def delete_private(key: str) -> bool:
    """Remove the file; deleting twice is not an error (False: there was no file)."""
    try:
        _path(key).unlink()
    except FileNotFoundError:
        return False
    return True


def _path(key: str) -> Path:
    """Only 32 lowercase hex characters are keys, so no key can climb out of the storage folder."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError("invalid storage key")
    return get_settings().upload_dir / key[:2] / key


def _ensure_private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable, so a crash right after saving cannot lose a file the database names."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def sign_download(document_id: int, principal_label: str, ttl_seconds: int = 300, now: float | None = None) -> str:
    """A URL-safe token for one document and one principal (e.g. "enterprise:12"), valid for `ttl_seconds`."""
    expires = int(time.time() if now is None else now) + ttl_seconds
    body = _b64encode(f"{document_id}:{expires}:{principal_label}".encode())
    return f"{body}.{_b64encode(_mac(body))}"


def verify_download(token: str, now: float | None = None) -> tuple[int, str] | None:
    """(document id, principal label) from a token this server signed and that has not expired, else None."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    body, _, signature = token.partition(".")
    if not hmac.compare_digest(signature, _b64encode(_mac(body))):
        return None
    # The body is authentic, so it has the shape sign_download gave it.
    document_id, expires, label = _b64decode(body).decode().split(":", 2)
    if (time.time() if now is None else now) >= int(expires):
        return None
    return int(document_id), label


def _mac(body: str) -> bytes:
    """HMAC over the encoded body, with a purpose prefix so no other use of the secret key yields a valid token."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, _TOKEN_PURPOSE + body.encode(), hashlib.sha256).digest()


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
