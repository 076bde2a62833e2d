"""The waiting-time query on PostgreSQL: its own local-date and day arithmetic must give the SQLite figures
(tests/services/test_waiting_times.py builds the same history and expects the same numbers)."""

import itertools
from datetime import date, datetime, timezone

from sqlmodel import Session, select

from apec_app.models import Application, EconomyDecision, Person, StatusEvent
from apec_app.services.review import waiting_times
from tests.factories import make_enterprise, setup_institutions

TODAY = date(2026, 6, 1)
_numbers = itertools.count(1)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def make_app(db, institution, entered_at, *, people=2, status="economy_review"):
    """A 新办/续办 application with `people` people that entered economy_review at `entered_at` (UTC)."""
    app = Application(business_type="new_renew", enterprise_id=make_enterprise(db).id, institution_id=institution.id,
                      channel="local", status=status, number=f"APEC20260601{next(_numbers):06d}")  # fmt: skip
    db.add(app)
    db.flush()
    for seq in range(1, people + 1):
        passport = f"E{app.id:04d}{seq:04d}"
        db.add(Person(application_id=app.id, seq=seq, surname="张", given_name=f"{seq}", pinyin="ZHANG",
                      id_number=f"11010119800101{seq:04d}", sex="男", passport_number=passport))  # fmt: skip
    if entered_at is not None:
        db.add(StatusEvent(application_id=app.id, from_status="payment_review", to_status="economy_review",
                           actor="x", created_at=entered_at))  # fmt: skip
    db.flush()
    return app


def decide(db, app, seq, code, on, decision="approved"):
    person = db.exec(select(Person).where(Person.application_id == app.id, Person.seq == seq)).one()
    db.add(EconomyDecision(person_id=person.id, application_id=app.id, economy_code=code, decision=decision,
                           decided_on=on, recorded_by="x"))  # fmt: skip
    db.flush()


def build_history(db):
    """app1 (JS) entered 2026-01-01 Shanghai (still 31 Dec in UTC), app2 (MFA) 2026-02-01.
    AU: 10, 20 (app1) and 30, 40 (app2). JP: 5 approved, 7 refused (app1), 3 refused (app2)."""
    mfa, js = setup_institutions(db)
    app1 = make_app(db, js, utc(2025, 12, 31, 17, 0), status="economies_done")
    db.add(StatusEvent(application_id=app1.id, from_status="x", to_status="economy_review", actor="x",
                       created_at=utc(2026, 1, 9)))  # fmt: skip
    app2 = make_app(db, mfa, utc(2026, 2, 1, 1, 0), status="economies_done")
    for app, seq, code, on, decision in (
        (app1, 1, "AU", date(2026, 1, 11), "approved"),
        (app1, 2, "AU", date(2026, 1, 21), "approved"),
        (app2, 1, "AU", date(2026, 3, 3), "approved"),
        (app2, 2, "AU", date(2026, 3, 13), "approved"),
        (app1, 1, "JP", date(2026, 1, 6), "approved"),
        (app1, 2, "JP", date(2026, 1, 8), "refused"),
        (app2, 1, "JP", date(2026, 2, 4), "refused"),
    ):
        decide(db, app, seq, code, on, decision)
    old = make_app(db, js, utc(2025, 5, 1, 2, 0), status="economies_done")  # outside the window
    decide(db, old, 1, "AU", date(2025, 6, 1))
    decide(db, old, 2, "AU", date(2025, 5, 20))
    legacy = make_app(db, js, None, people=1, status="economies_done")  # never entered economy_review here
    decide(db, legacy, 1, "KR", date(2026, 3, 1))
    db.commit()
    return mfa, js


def summary(waits):
    return {w.code: (w.count, w.median_days, w.p90_days) for w in waits if w.count}


def test_waits_and_estimates_on_postgres(pg_engine):  # noqa: F811
    with Session(pg_engine, expire_on_commit=False) as db:
        mfa, js = build_history(db)
        assert summary(waiting_times.economy_waits(db, TODAY)) == {"AU": (4, 25.0, 37.0), "JP": (3, 5.0, 6.6)}
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
