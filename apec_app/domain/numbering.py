"""Application numbers: APEC + YYYYMMDD (Asia/Shanghai) + a 6-digit daily sequence."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def number_day(now: datetime) -> str:
    return now.astimezone(SHANGHAI).strftime("%Y%m%d")


def format_number(day: str, sequence: int) -> str:
    if not 1 <= sequence <= 999_999:
        raise ValueError("daily sequence out of range")
    return f"APEC{day}{sequence:06d}"


def parse_day(number: str) -> date | None:
    try:
        return datetime.strptime(number[4:12], "%Y%m%d").date()
    except ValueError:
        return None
