from datetime import datetime, timedelta, timezone

from apec_app.domain.lockout import locked_until

T0 = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)


def at(*minutes):
    return [T0 + timedelta(minutes=m) for m in minutes]


def test_four_failures_do_not_lock():
    assert locked_until(at(0, 1, 2, 3), T0 + timedelta(minutes=4)) is None


def test_five_failures_within_fifteen_minutes_lock_for_fifteen_minutes():
    fails = at(0, 1, 2, 3, 10)
    assert locked_until(fails, T0 + timedelta(minutes=11)) == T0 + timedelta(minutes=25)
    assert locked_until(fails, T0 + timedelta(minutes=25)) is None


def test_five_failures_spread_over_more_than_fifteen_minutes_do_not_lock():
    assert locked_until(at(0, 5, 10, 15, 16), T0 + timedelta(minutes=16)) is None
