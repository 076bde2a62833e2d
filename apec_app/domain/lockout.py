"""Sign-in lockout, in two stages, so that a stranger cannot use it to keep someone out of their account.

1. 5 failures within 15 minutes from one client IP lock the account for 15 minutes *for that IP*.
2. 20 failures within 15 minutes from any IPs (a spread-out guessing attack) lock the account for 15 minutes
   for every IP except those it was signed in from successfully in the last 30 days.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILURES = 5
ACCOUNT_MAX_FAILURES = 20
WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)
KNOWN_IP_FOR = timedelta(days=30)


def locked_until(
    failures_since_last_success: list[datetime], now: datetime, max_failures: int = MAX_FAILURES
) -> datetime | None:
    """Given failure times after the last success (any order), return when the lock ends, or None.

    The lock starts at the failure that makes five inside fifteen minutes; attempts refused while locked are
    not failures, so a lock cannot be extended by hammering.
    """
    times = sorted(failures_since_last_success)
    lock_end: datetime | None = None
    i = 0
    while i + max_failures <= len(times):
        first, fifth = times[i], times[i + max_failures - 1]
        if lock_end is not None and first < lock_end:
            i += 1
            continue
        if fifth - first <= WINDOW:
            lock_end = fifth + LOCK_DURATION
            i += max_failures
        else:
            i += 1
    if lock_end is not None and now < lock_end:
        return lock_end
    return None
