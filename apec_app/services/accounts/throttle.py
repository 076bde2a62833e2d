"""Sliding-window limits per client address and per target address, counted in the database so that every
worker sees the same requests: against password spraying from one address, and against using our mail server to
bomb someone with codes (one address reached through several purposes counts once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import col, select

from apec_app.domain.validators import mask_email
from apec_app.models import RateEvent
from apec_app.services.errors import ServiceError
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings


@dataclass(frozen=True)
class Limit:
    bucket: str
    count: int
    window: timedelta
    per_client: bool = False  # keyed by the client's address (scaled by CLIENT_LIMIT_SCALE on test instances)

    def allowed(self) -> int:
        return self.count * get_settings().client_limit_scale if self.per_client else self.count


# Verification codes asked for from one client, and sent to one email address across all purposes (the 60 s
# between two codes to one address is services/accounts/codes.seconds_until_resend).
CODES_PER_IP = Limit("code_ip", 8, timedelta(minutes=10), per_client=True)
CODES_PER_ADDRESS = Limit("code_address", 3, timedelta(minutes=10))
# Identity checks of 忘记密码 (手动输入信息) from one address.
RECOVERY_PER_IP = Limit("recovery_ip", 10, timedelta(minutes=10), per_client=True)
# Registration steps from one address that answer whether an email or credit code is registered.
REGISTRATION_PER_IP = Limit("register_ip", 20, timedelta(minutes=10), per_client=True)


def mask(key: str) -> str:
    return mask_email(key) if "@" in key else key[:40]


def hit(uow: UnitOfWork, limit: Limit, key: str) -> None:
    """Count one request for `key`, or refuse it (ServiceError "rate_limited", logged) when the window is full."""
    key = (key or "-")[:128]
    now = uow.now()
    since = now - limit.window
    db = uow.db
    seen, first = db.exec(
        select(func.count(), func.min(RateEvent.created_at)).where(
            RateEvent.bucket == limit.bucket, RateEvent.key == key, col(RateEvent.created_at) > since
        )
    ).one()
    if seen >= limit.allowed():
        wait = max(1, int((first + limit.window - now).total_seconds()) + 1) if first else 60
        uow.keep(log_event(db, "rate_limited", detail=f"{limit.bucket} {mask(key)}", client_ip=uow.client_ip))
        raise ServiceError("rate_limited", seconds=wait)
    # Counted even when the request then fails (a wrong 三要素, an address already registered).
    uow.keep(RateEvent(bucket=limit.bucket, key=key, created_at=now))
    # Forget what no window needs any more (cheap: the index starts with the bucket).
    db.exec(delete(RateEvent).where(col(RateEvent.bucket) == limit.bucket, col(RateEvent.created_at) < since))
