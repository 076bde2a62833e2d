"""Sign-in lockout: 5 failures within 15 minutes lock the identifier for 15 minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)


def locked_until(failures_since_last_success: list[datetime], now: datetime) -> datetime | None:
    """Given failure times after the last success (any order), return when the lock ends, or None.

    The lock starts at the failure that makes five inside fifteen minutes; attempts refused while locked are
    not failures, so a lock cannot be extended by hammering.
    """
    times = sorted(failures_since_last_success)
    lock_end: datetime | None = None
    i = 0
    while i + MAX_FAILURES <= len(times):
        first, fifth = times[i], times[i + MAX_FAILURES - 1]
        if lock_end is not None and first < lock_end:
            i += 1
            continue
        if fifth - first <= WINDOW:
            lock_end = fifth + LOCK_DURATION
            i += MAX_FAILURES
        else:
            i += 1
    if lock_end is not None and now < lock_end:
        return lock_end
    return None
