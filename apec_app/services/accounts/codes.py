"""Email verification codes: 6 digits, 10 minutes, single use, stored as a keyed hash, 60 s between sends,
5 wrong tries invalidate the code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from apec_app.domain.validators import check_code, normalize_email
from apec_app.models import VerificationCode
from apec_app.services.accounts import throttle
from apec_app.services.errors import InvalidInput
from apec_app.services.messaging import mail
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings

CODE_TTL = timedelta(minutes=10)
RESEND_GAP = timedelta(seconds=60)
MAX_TRIES = 5

PURPOSE_SUBJECT = {
    "register": "企业账号注册验证码",
    "reset_password": "找回密码验证码",
    "change_email": "修改邮箱验证码",
    "card_access": "查看虚拟卡验证码",
}


def _hash(purpose: str, email: str, code: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"{purpose}|{email}|{code}".encode(), hashlib.sha256).hexdigest()


def _latest(db: Session, purpose: str, email: str) -> VerificationCode | None:
    return db.exec(
        select(VerificationCode)
        .where(VerificationCode.purpose == purpose, VerificationCode.email == email)
        .order_by(col(VerificationCode.created_at).desc(), col(VerificationCode.id).desc())
    ).first()


def seconds_until_resend(db: Session, purpose: str, email: str, now: datetime) -> int:
    """60 s between codes to one address whatever their purposes (no one is sent a burst of codes through
    several forms); a code of another purpose that was already entered does not hold the next one back."""
    recent = db.exec(
        select(VerificationCode).where(
            VerificationCode.email == normalize_email(email), col(VerificationCode.created_at) > now - RESEND_GAP
        )
    ).all()
    waits = [(r.created_at + RESEND_GAP - now).total_seconds() for r in recent if r.purpose == purpose or not r.used_at]
    return max(0, int(max(waits) + 0.999)) if waits else 0


def send_code(uow: UnitOfWork, purpose: str, email: str, field: str = "code", *, deliver: bool = True) -> None:
    """Queue a new code by email. Earlier codes for the same purpose and address stop working.

    `deliver=False` (忘记密码 for no account) does all of it, limits included, but mails nothing."""
    db, now = uow.db, uow.now()
    email = normalize_email(email)
    wait = seconds_until_resend(db, purpose, email, now)
    if wait:
        raise InvalidInput(field, "code_resend_wait", seconds=wait)
    # Nor can one client mail many addresses, nor one address be mailed many codes in ten minutes.
    throttle.hit(uow, throttle.CODES_PER_IP, uow.client_ip)
    throttle.hit(uow, throttle.CODES_PER_ADDRESS, email)
    for old in db.exec(
        select(VerificationCode).where(
            VerificationCode.purpose == purpose,
            VerificationCode.email == email,
            col(VerificationCode.used_at).is_(None),
        )
    ).all():
        old.used_at = now
        db.add(old)
    code = f"{secrets.randbelow(1_000_000):06d}"
    db.add(
        VerificationCode(
            purpose=purpose,
            email=email,
            code_hash=_hash(purpose, email, code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
    )
    if not deliver:
        return
    mail.queue_email(
        db,
        email,
        f"【APEC商务旅行卡】{PURPOSE_SUBJECT.get(purpose, '验证码')}",
        f"您的验证码是 {code}，10分钟内有效，请勿告诉他人。如非本人操作，请忽略本邮件。",
        now=now,
    )


def verify_code(
    uow: UnitOfWork,
    purpose: str,
    email: str,
    code: str,
    field: str = "code",
    consume: bool = True,
) -> None:
    """Consume a code (or only check it, for a step before the one that uses it) or raise InvalidInput.

    A wrong try is committed before raising, so the caller's rollback cannot undo the count: call this
    before making any other change in the same session.
    """
    db, now = uow.db, uow.now()
    email = normalize_email(email)
    error = check_code(code)
    if error:
        raise InvalidInput(field, error)
    row = _latest(db, purpose, email)
    if row is None or row.used_at is not None or row.attempts >= MAX_TRIES:
        raise InvalidInput(field, "code_invalid")
    if now > row.expires_at:
        raise InvalidInput(field, "code_expired")
    if not hmac.compare_digest(row.code_hash, _hash(purpose, email, code.strip())):
        row.attempts += 1
        db.add(row)
        db.commit()
        if row.attempts >= MAX_TRIES:
            raise InvalidInput(field, "code_too_many")
        raise InvalidInput(field, "code_wrong", remaining=MAX_TRIES - row.attempts)
    if consume:
        row.used_at = now
        db.add(row)
