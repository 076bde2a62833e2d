"""Personal data at rest (PIPL art. 51): AES-256-GCM for columns and stored files, HMAC-SHA256 blind indexes.

The data keys come from settings (DATA_KEYS, or generated once into the key folder). The first key encrypts;
every configured key decrypts, chosen by the key id each ciphertext carries. So rotation is: put a new key in
front (old data stays readable), run `cli rotate-keys` (everything is re-encrypted under it), drop the old key.

    text   "enc1:" + key id (8 hex) + ":" + base64(nonce + ciphertext + tag)   (columns)
    bytes  b"APECENC1" + key id (4 bytes) + nonce (12 bytes) + ciphertext + tag   (files)

The part before the nonce is authenticated too, so a ciphertext cannot be passed off under another key id.
Equal plaintexts encrypt differently (random nonce): equality look-ups go through `blind_index`, a keyed hash
with a key of its own (INDEX_KEY), so the index reveals nothing without that key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from apec_app.settings import get_settings

TEXT_PREFIX = "enc1:"
FILE_MAGIC = b"APECENC1"
_NONCE = 12
_KEY_ID_BYTES = 4


class DecryptionError(ValueError):
    """Not a ciphertext of ours, made with a key that is not configured, or altered."""


def key_id(key: bytes) -> bytes:
    """A short public name of a key (a hash of it): which key a ciphertext needs, without revealing the key."""
    return hashlib.sha256(b"apec-data-key-id:" + key).digest()[:_KEY_ID_BYTES]


def _decode_key(text: str, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ValueError(f"{name}: each key must be 32 bytes in URL-safe base64 (python -m apec_app.cli new-key)")
    return key


@dataclass(frozen=True)
class Keyring:
    primary: bytes  # key id of the key that encrypts
    ciphers: dict[bytes, AESGCM]

    def seal(self, header: bytes, plaintext: bytes) -> bytes:
        """nonce + ciphertext + tag, with `header` (which names the primary key) authenticated alongside."""
        nonce = os.urandom(_NONCE)
        return nonce + self.ciphers[self.primary].encrypt(nonce, plaintext, header)

    def open(self, kid: bytes, header: bytes, sealed: bytes) -> bytes:
        cipher = self.ciphers.get(kid)
        if cipher is None:
            raise DecryptionError(f"encrypted with key {kid.hex()}, which is not among the configured DATA_KEYS")
        try:
            return cipher.decrypt(sealed[:_NONCE], sealed[_NONCE:], header)
        except InvalidTag as exc:
            raise DecryptionError("ciphertext altered or not made with this key") from exc


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str, ...]) -> Keyring:
    if not keys:
        raise ValueError("DATA_KEYS: no data key configured")
    raw = [_decode_key(k, "DATA_KEYS") for k in keys]
    return Keyring(key_id(raw[0]), {key_id(k): AESGCM(k) for k in raw})


def keyring() -> Keyring:
    return _keyring(get_settings().data_keys)


def check_keys() -> None:
    """Fail at start-up, not at the first request, on a missing or malformed key (ValueError)."""
    keyring()
    _index_key(get_settings().index_key)


def configured_key_ids() -> list[str]:
    """The ids (hex) of the configured data keys, the encrypting one first."""
    ring = keyring()
    return [ring.primary.hex()] + [k.hex() for k in ring.ciphers if k != ring.primary]


# --- columns ---------------------------------------------------------------------------------------------------


def current_text_prefix() -> str:
    """How every text encrypted under the current key starts (what `rotate-keys` looks for)."""
    return f"{TEXT_PREFIX}{keyring().primary.hex()}:"


def encrypt_text(plaintext: str) -> str:
    ring = keyring()
    header = f"{TEXT_PREFIX}{ring.primary.hex()}:"
    return header + base64.b64encode(ring.seal(header.encode(), plaintext.encode())).decode()


def is_encrypted_text(value: str) -> bool:
    return value.startswith(TEXT_PREFIX)


def decrypt_text(value: str, keys: tuple[str, ...] = ()) -> str:
    """The plaintext of a column value; `keys`: another installation's DATA_KEYS instead of ours."""
    if not is_encrypted_text(value):
        raise DecryptionError("not an encrypted value (plaintext where ciphertext belongs)")
    try:
        _, kid_hex, body = value.split(":", 2)
        kid, sealed = bytes.fromhex(kid_hex), base64.b64decode(body, validate=True)
    except ValueError as exc:  # binascii.Error included
        raise DecryptionError("malformed encrypted value") from exc
    ring = _keyring(keys) if keys else keyring()
    return ring.open(kid, f"{TEXT_PREFIX}{kid_hex}:".encode(), sealed).decode()


def reencrypt_text(value: str) -> str:
    """`value` under the current key; a plaintext (data from before encryption) is encrypted as it is."""
    return encrypt_text(decrypt_text(value) if is_encrypted_text(value) else value)


# --- files -----------------------------------------------------------------------------------------------------

FILE_HEADER_SIZE = len(FILE_MAGIC) + _KEY_ID_BYTES


def encrypt_bytes(plaintext: bytes) -> bytes:
    ring = keyring()
    header = FILE_MAGIC + ring.primary
    return header + ring.seal(header, plaintext)


def is_encrypted_bytes(data: bytes) -> bool:
    return data.startswith(FILE_MAGIC)


def is_current_bytes(header: bytes) -> bool:
    """Whether data starting with `header` (at least FILE_HEADER_SIZE bytes) is under the current key."""
    return header[:FILE_HEADER_SIZE] == FILE_MAGIC + keyring().primary


def decrypt_bytes(data: bytes) -> bytes:
    if not is_encrypted_bytes(data):
        raise DecryptionError("not an encrypted file")
    header = data[:FILE_HEADER_SIZE]
    return keyring().open(header[len(FILE_MAGIC) :], header, data[FILE_HEADER_SIZE:])


# --- blind indexes ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _index_key(text: str) -> bytes:
    return _decode_key(text, "INDEX_KEY")


def blind_index(purpose: str, value: str) -> str:
    """A keyed hash of a number as look-ups compare it (trimmed, upper case); `purpose` (the column) keeps equal
    values of different columns apart."""
    key = _index_key(get_settings().index_key)
    message = f"{purpose}:{value.strip().upper()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
