"""The electronic business licence platform as our server sees it: a page the QR code opens, and a signed answer.

A real platform never hands us 三要素 typed into a form. The licence holder's app signs an assertion (a compact
JWS, EdDSA over Ed25519) carrying our nonce and the enterprise's 三要素, and posts it to our callback; we trust
it only after checking the signature with the platform's public key, the issuer, the audience, the lifetime and
that the nonce is ours and still pending. The built-in simulator signs with a key of its own and goes through
exactly this verification, so the code path that protects production is the one the demo and the tests use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

AUDIENCE = "apec-abtc"
SIMULATED_ISSUER = "urn:apec-abtc:simulated-elicense"
MAX_LIFETIME = timedelta(minutes=10)
LEEWAY = timedelta(seconds=30)
CALLBACK_PATH = "/elicense/callback"
SIMULATOR_PATH = "/elicense-sim/authorize"
SIMULATOR_KEY_FILE = "elicense_simulator_ed25519.pem"


class AssertionRejected(Exception):
    """The platform's answer cannot be trusted; `code` names why (for the log and the message catalogue)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Assertion:
    """What the platform vouches for: the enterprise behind the licence that authorised `nonce`."""

    nonce: str
    name: str
    uscc: str
    legal_rep: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Provider:
    """One e-licence platform: where its authorisation page is, and the key its assertions are signed with."""

    name: str  # "simulated" or "platform"
    issuer: str
    authorize_url: str
    public_key: Ed25519PublicKey

    def qr_url(self, nonce: str, callback_url: str) -> str:
        """The address the QR code encodes: the platform's page, told our nonce and where to post its answer."""
        return f"{self.authorize_url}?{urlencode({'nonce': nonce, 'callback': callback_url})}"

    def verify(self, token: str, now: datetime) -> Assertion:
        """The assertion inside `token`, or AssertionRejected. Only EdDSA is accepted (no algorithm confusion)."""
        if not token or len(token) > 4000:
            raise AssertionRejected("assertion_malformed")
        try:
            claims = jwt.decode(
                token,
                self.public_key,
                algorithms=["EdDSA"],
                audience=AUDIENCE,
                issuer=self.issuer,
                # Times are checked against our clock below (the caller's `now`), not the library's.
                options={
                    "require": ["iss", "aud", "iat", "exp", "nonce", "ent"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.InvalidSignatureError as exc:
            raise AssertionRejected("assertion_bad_signature") from exc
        except jwt.InvalidIssuerError as exc:
            raise AssertionRejected("assertion_wrong_issuer") from exc
        except jwt.InvalidAudienceError as exc:
            raise AssertionRejected("assertion_wrong_audience") from exc
        except jwt.PyJWTError as exc:
            raise AssertionRejected("assertion_malformed") from exc
        return _checked(claims, now)


def _checked(claims: dict, now: datetime) -> Assertion:
    entity = claims.get("ent")
    if not isinstance(entity, dict) or not all(isinstance(entity.get(k), str) for k in ("name", "uscc", "legal_rep")):
        raise AssertionRejected("assertion_malformed")
    try:
        issued = datetime.fromtimestamp(int(claims["iat"]), timezone.utc)
        expires = datetime.fromtimestamp(int(claims["exp"]), timezone.utc)
    except (TypeError, ValueError, OverflowError) as exc:
        raise AssertionRejected("assertion_malformed") from exc
    if issued - LEEWAY > now or expires - issued > MAX_LIFETIME or expires <= issued:
        raise AssertionRejected("assertion_bad_lifetime")
    if now > expires + LEEWAY:
        raise AssertionRejected("assertion_expired")
    nonce = claims["nonce"]
    if not isinstance(nonce, str) or not nonce:
        raise AssertionRejected("assertion_malformed")
    return Assertion(nonce, entity["name"], entity["uscc"], entity["legal_rep"], issued, expires)


def sign_assertion(
    private_key: Ed25519PrivateKey,
    *,
    issuer: str,
    nonce: str,
    name: str,
    uscc: str,
    legal_rep: str,
    now: datetime,
    lifetime: timedelta = timedelta(minutes=2),
) -> str:
    """What a platform sends back after 授权 (the simulator's half; tests use it to forge and replay too)."""
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "nonce": nonce,
        "ent": {"name": name, "uscc": uscc, "legal_rep": legal_rep},
    }
    return jwt.encode(claims, private_key, algorithm="EdDSA")


def simulator_private_key(data_dir: Path) -> Ed25519PrivateKey:
    """The simulator's own signing key, made on first use and kept owner-only in the data folder."""
    path = data_dir / SIMULATOR_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} does not hold an Ed25519 public key")
    return key
