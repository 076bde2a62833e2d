"""Times are stored in UTC and shown in Asia/Shanghai."""

from __future__ import annotations

from datetime import date, datetime

from apec_app.domain.clock import BEIJING, SYSTEM_CLOCK

SHANGHAI = BEIJING


def today_local() -> date:
    """Today's date in Beijing (for the layers above services; services take it from their unit of work)."""
    return SYSTEM_CLOCK.today()


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(SHANGHAI).strftime(fmt)
