"""Field validators shared by every form. Each returns an error code (see apec_app/ui_text) or None."""

from __future__ import annotations

import re

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landlines with area code (010-12345678, 0512-1234567), optionally an extension, or a mobile number.
PHONE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}|400-?\d{3}-?\d{4})$")
USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
CODE_RE = re.compile(r"^\d{6}$")


def normalize_email(value: str) -> str:
    return value.strip().lower()


def normalize_uscc(value: str) -> str:
    return stdnum_uscc.compact(value or "").upper()


def check_uscc(value: str) -> str | None:
    """统一社会信用代码: 18 characters with the GB 32100 check character (python-stdnum computes it)."""
    number = normalize_uscc(value)
    if not number:
        return "required"
    try:
        stdnum_uscc.validate(number)
    except InvalidChecksum:
        return "uscc_checksum"
    except ValidationError:
        return "uscc_format"
    return None


def check_email(value: str) -> str | None:
    email = normalize_email(value)
    if not email:
        return "required"
    if len(email) > 254 or not EMAIL_RE.match(email):
        return "email_format"
    return None


def check_mobile(value: str) -> str | None:
    mobile = (value or "").strip()
    if not mobile:
        return "required"
    return None if MOBILE_RE.match(mobile) else "mobile_format"


def check_phone(value: str) -> str | None:
    phone = (value or "").strip()
    if not phone:
        return "required"
    return None if PHONE_RE.match(phone) else "phone_format"


def check_username(value: str) -> str | None:
    name = (value or "").strip()
    if not name:
        return "required"
    return None if USERNAME_RE.match(name) else "username_format"


def check_required(value: str, max_length: int = 200) -> str | None:
    text = (value or "").strip()
    if not text:
        return "required"
    if len(text) > max_length:
        return "too_long"
    return None


def check_code(value: str) -> str | None:
    code = (value or "").strip()
    if not code:
        return "required"
    return None if CODE_RE.match(code) else "code_format"


def mask_email(email: str) -> str:
    """a****e@example.com: enough for the owner to recognise, not enough to harvest."""
    local, _, domain = email.partition("@")
    if len(local) <= 2:
        shown = local[:1] + "*"
    else:
        shown = local[0] + "*" * (len(local) - 2) + local[-1]
    return f"{shown}@{domain}"


def mask_number(number: str) -> str:
    """3212**********2419: personal numbers in lists and logs keep only the first and last four."""
    if len(number) <= 8:
        return number[:1] + "*" * max(len(number) - 2, 0) + number[-1:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
