"""Password policy (等保 2.0 level 3) and hashing with argon2id."""

from __future__ import annotations

from functools import lru_cache

from passlib.context import CryptContext

MIN_LENGTH = 8
MAX_LENGTH = 64
COMMON_LIST_SIZE = 10_000

_context = CryptContext(schemes=["argon2"], deprecated="auto")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 10 000 most common passwords, from the ranked list zxcvbn ships (lower-cased)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"][:COMMON_LIST_SIZE])


def character_classes(password: str) -> int:
    classes = [
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


def check_password_policy(password: str) -> str | None:
    """Return an error code when the password breaks the policy, else None."""
    if not password:
        return "required"
    if len(password) < MIN_LENGTH or len(password) > MAX_LENGTH:
        return "password_length"
    if any(c.isspace() for c in password):
        return "password_space"
    if character_classes(password) < 3:
        return "password_classes"
    if password.lower() in common_passwords():
        return "password_common"
    return None


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    if not password_hash:
        return False
    try:
        return _context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


# A hash to verify against when the account does not exist, so timing does not reveal which emails exist.
_DUMMY_HASH = None


def dummy_verify(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _context.hash("dummy-Password-1")
    _context.verify(password, _DUMMY_HASH)
