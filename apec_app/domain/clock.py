"""What time it is, as one object a unit of work carries: services never read the system clock themselves.

Instants are UTC; days (deadlines, card validity, "today" in a form) are Beijing days, whatever the server's
time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return datetime.now(BEIJING).date()


@dataclass
class FixedClock:
    """A clock that says what it is told (tests, replays); `advance` moves it on."""

    at: datetime

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.astimezone(BEIJING).date()

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)

    @classmethod
    def on(cls, day: date, hour: int = 10) -> FixedClock:
        """Noon-ish of a Beijing day, so that its UTC date is the same day."""
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING).astimezone(timezone.utc))


SYSTEM_CLOCK = SystemClock()
