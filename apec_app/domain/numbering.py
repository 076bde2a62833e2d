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
    """The day of an application number (None when its 8 digits are not a date). Not strptime, which costs
    ten times as much: a CSV of decisions parses one number per row."""
    day = number[4:12]
    if len(day) != 8 or not (day.isascii() and day.isdigit()):
        return None
    try:
        return date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return None
