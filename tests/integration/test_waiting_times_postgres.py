"""The waiting-time query on PostgreSQL: its own local-date and day arithmetic must give the SQLite figures."""

from datetime import date, datetime, timezone

from sqlmodel import Session

from apec_app.services.review import waiting_times
from tests.integration.test_postgres import pg_engine  # noqa: F401 - the fixture
from tests.unit.test_waiting_times import EXPECTED_ALL, TODAY, build_history, make_app, summary


def test_waits_and_estimates_on_postgres(pg_engine):  # noqa: F811
    with Session(pg_engine, expire_on_commit=False) as db:
        mfa, js = build_history(db)
        assert summary(waiting_times.economy_waits(db, TODAY)) == EXPECTED_ALL
        assert summary(waiting_times.economy_waits(db, TODAY, institution_id=js.id)) == {
            "AU": (2, 15.0, 19.0),
            "JP": (2, 6.0, 6.8),
        }
        assert summary(waiting_times.economy_waits(db, TODAY, institution_id=mfa.id)) == {
            "AU": (2, 35.0, 39.0),
            "JP": (1, 3.0, 3.0),
        }
        pending = make_app(db, js, datetime(2026, 5, 19, 16, 30, tzinfo=timezone.utc), people=1)
        db.commit()
        estimates = {e.code: e for e in waiting_times.pending_estimates(db, pending, TODAY)}
        assert (estimates["AU"].usual_by, estimates["AU"].late_by) == (date(2026, 6, 14), date(2026, 6, 26))
        assert (estimates["JP"].usual_by, estimates["JP"].late_by) == (date(2026, 5, 25), date(2026, 5, 27))
        assert estimates["KR"].usual_by is None
