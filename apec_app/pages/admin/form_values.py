"""Reading a submitted settings form: every value arrives as whatever the browser sent."""

from __future__ import annotations

from apec_app.domain.fees import format_yuan


def text(form: dict, key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else str(value)


def checked(form: dict, key: str) -> bool:
    return form.get(key) in (True, "on", "true", "1")


def to_int(value) -> int:
    """0 for anything that is not a whole number (ids come from the browser)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def yuan_input(fen: int) -> str:
    """720.00 — a fee as the admin would type it back."""
    return format_yuan(fen).removeprefix("¥")
