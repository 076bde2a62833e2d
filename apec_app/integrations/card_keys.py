"""The keys that sign the virtual cards' QR codes (Ed25519), kept in files outside the database, with rotation.

    <CARD_KEYS_DIR>/            default: KEY_DIR/card_signing (KEY_DIR: data/keys), owner-only
        current                 the key id that signs now
        private/<kid>.pem       the signing key (PKCS#8); only the current one is kept
        public/<kid>.pem        every key that still verifies: the current one and those rotated out

`rotate` makes a new key the one that signs and deletes the old private key; its public key stays, so the cards
already shown keep verifying. `retire(kid)` drops a rotated-out public key: its tokens then fail as signed by an
unknown key. A key id is the first 8 characters of the key's RFC 7638 JWK thumbprint. The demo makes the first
key on first use (as settings makes the secret key); production mounts the folder from its secret store, or runs
`python -m apec_app.cli card-keys rotate` once.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from apec_app.settings import get_settings, private_dir


def keys_dir() -> Path:
    configured = os.environ.get("CARD_KEYS_DIR")
    return Path(configured) if configured else get_settings().key_dir / "card_signing"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """RFC 7638 thumbprint (SHA-256 of the canonical JWK), first 8 characters: short, and names the key."""
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": _b64(_raw_public(key))}, separators=(",", ":"))
    return _b64(hashlib.sha256(canonical.encode()).digest())[:8]


def jwk(kid: str, key: Ed25519PublicKey) -> dict[str, str]:
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(_raw_public(key)), "kid": kid, "alg": "EdDSA", "use": "sig"}


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: Ed25519PrivateKey


class KeysMissing(RuntimeError):
    """No signing key yet and none may be made here (a verifier with only public keys)."""


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Several workers may make the first key at once: one of them does, the others then read it."""
    private_dir(root)
    with open(root / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_owner_only(path: Path, data: bytes) -> None:
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.partial")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def _new_key(root: Path) -> str:
    private = Ed25519PrivateKey.generate()
    kid = key_id(private.public_key())
    _write_owner_only(
        root / "private" / f"{kid}.pem",
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    _write_owner_only(
        root / "public" / f"{kid}.pem",
        private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
    )
    _write_owner_only(root / "current", kid.encode())
    return kid


def signing_key(root: Path | None = None, *, create: bool = True) -> SigningKey:
    """The key that signs now (made on first use unless `create` is False)."""
    root = root or keys_dir()
    current = root / "current"
    if not current.exists():
        if not create:
            raise KeysMissing(f"no card signing key in {root}")
        with _locked(root):
            if not current.exists():
                _new_key(root)
    for attempt in range(3):
        kid = current.read_text().strip()
        try:
            pem = (root / "private" / f"{kid}.pem").read_bytes()
            break
        except FileNotFoundError:
            # Another process rotated between our two reads (it deletes the old private key): read again.
            if attempt == 2:
                raise
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"card signing key {kid} is not an Ed25519 key")
    return SigningKey(kid, key)


def public_keys(root: Path | None = None) -> dict[str, Ed25519PublicKey]:
    """kid → key, for every key that still verifies (current and rotated out, not retired)."""
    root = root or keys_dir()
    found: dict[str, Ed25519PublicKey] = {}
    folder = root / "public"
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.pem")):
        key = serialization.load_pem_public_key(path.read_bytes())
        if isinstance(key, Ed25519PublicKey) and key_id(key) == path.stem:
            found[path.stem] = key
    return found


def current_kid(root: Path | None = None) -> str:
    path = (root or keys_dir()) / "current"
    return path.read_text().strip() if path.exists() else ""


def jwks(root: Path | None = None) -> dict[str, list[dict[str, str]]]:
    """The published public keys (RFC 7517 JWK Set), the signing one first."""
    root = root or keys_dir()
    signing_key(root)  # a fresh installation publishes the key it is about to sign with
    keys = public_keys(root)
    current = current_kid(root)
    order = sorted(keys, key=lambda kid: (kid != current, kid))
    return {"keys": [jwk(kid, keys[kid]) for kid in order]}


def rotate(root: Path | None = None) -> str:
    """A new signing key; the previous private key is deleted, its public key keeps verifying."""
    root = root or keys_dir()
    with _locked(root):
        previous = current_kid(root)
        kid = _new_key(root)
        if previous and previous != kid:
            (root / "private" / f"{previous}.pem").unlink(missing_ok=True)
    return kid


class RetireRefused(ValueError):
    pass


def retire(kid: str, root: Path | None = None) -> None:
    """Stop accepting a rotated-out key (never the one that signs: rotate first)."""
    root = root or keys_dir()
    with _locked(root):
        if kid == current_kid(root):
            raise RetireRefused("the current signing key cannot be retired: rotate first")
        path = root / "public" / f"{kid}.pem"
        if not path.exists():
            raise RetireRefused(f"no key {kid}")
        path.unlink()


def from_jwks(document: dict) -> dict[str, Ed25519PublicKey]:
    """kid → key from a published JWK Set (what a verifier away from the server was given); keys of another
    type, or whose kid is not their thumbprint, are left out."""
    found: dict[str, Ed25519PublicKey] = {}
    for entry in document.get("keys", []) if isinstance(document, dict) else []:
        if not isinstance(entry, dict) or entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519":
            continue
        try:
            x = str(entry["x"])
            key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)))
        except (KeyError, ValueError):
            continue
        if key_id(key) == entry.get("kid"):
            found[key_id(key)] = key
    return found
