import itertools
from datetime import date, datetime, timedelta, timezone

from sqlmodel import select

from apec_app.domain.economies import deciding_economies
from apec_app.models import Application, EconomyDecision, Person, StatusEvent
from apec_app.services.applications import filing
from apec_app.services.review import waiting_times
from apec_app.services.review.waiting_times import percentile
from tests.factories import make_enterprise, setup_institutions
from tests.statements import sent

TODAY = date(2026, 6, 1)
DECIDING = [e.code for e in deciding_economies()]
_numbers = itertools.count(1)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def make_app(db, institution, entered_at, *, people=2, status="economy_review"):
    """A 新办/续办 application with `people` people that entered economy_review at `entered_at` (UTC)."""
    app = Application(
        business_type="new_renew",
        enterprise_id=make_enterprise(db).id,
        institution_id=institution.id,
        channel="local",
        status=status,
        number=f"APEC20260101{next(_numbers):06d}",
    )
    db.add(app)
    db.flush()
    for seq in range(1, people + 1):
        db.add(
            Person(
                application_id=app.id,
                seq=seq,
                surname="张",
                given_name=f"{seq}",
                pinyin="ZHANG",
                id_number=f"11010119800101{seq:04d}",
                sex="男",
                passport_number=f"E{app.id:04d}{seq:04d}",
            )
        )
    if entered_at is not None:
        db.add(
            StatusEvent(
                application_id=app.id,
                from_status="payment_review",
                to_status="economy_review",
                actor="x",
                created_at=entered_at,
            )
        )
    db.flush()
    return app


def decide(db, app, seq, code, on, decision="approved"):
    person = db.exec(select(Person).where(Person.application_id == app.id, Person.seq == seq)).one()
    db.add(
        EconomyDecision(
            person_id=person.id,
            application_id=app.id,
            economy_code=code,
            decision=decision,
            decided_on=on,
            recorded_by="x",
        )
    )
    db.flush()


def build_history(db):
    """Known waits. app1 (JS) entered 2026-01-01 Shanghai (still 31 Dec in UTC), app2 (MFA) 2026-02-01.
    AU: 10, 20 (app1) and 30, 40 (app2). JP: 5 approved, 7 refused (app1), 3 refused (app2)."""
    mfa, js = setup_institutions(db)
    app1 = make_app(db, js, utc(2025, 12, 31, 17, 0), status="economies_done")
    # A later re-entry must not move the start: the first economy_review counts.
    db.add(
        StatusEvent(
            application_id=app1.id, from_status="x", to_status="economy_review", actor="x", created_at=utc(2026, 1, 9)
        )
    )
    app2 = make_app(db, mfa, utc(2026, 2, 1, 1, 0), status="economies_done")
    decide(db, app1, 1, "AU", date(2026, 1, 11))
    decide(db, app1, 2, "AU", date(2026, 1, 21))
    decide(db, app2, 1, "AU", date(2026, 3, 3))
    decide(db, app2, 2, "AU", date(2026, 3, 13))
    decide(db, app1, 1, "JP", date(2026, 1, 6))
    decide(db, app1, 2, "JP", date(2026, 1, 8), "refused")
    decide(db, app2, 1, "JP", date(2026, 2, 4), "refused")
    # Outside the window: a year before TODAY exactly, and older.
    old = make_app(db, js, utc(2025, 5, 1, 2, 0), status="economies_done")
    decide(db, old, 1, "AU", date(2025, 6, 1))
    decide(db, old, 2, "AU", date(2025, 5, 20))
    # Never entered economy_review in our records (e.g. imported): no start date, no wait.
    legacy = make_app(db, js, None, people=1, status="economies_done")
    decide(db, legacy, 1, "KR", date(2026, 3, 1))
    db.commit()
    return mfa, js


EXPECTED_ALL = {"AU": (4, 25.0, 37.0), "JP": (3, 5.0, 6.6)}


def summary(waits):
    return {w.code: (w.count, w.median_days, w.p90_days) for w in waits if w.count}


def test_percentile_is_linear_interpolation_between_ranks():
    assert percentile([], 50) is None
    assert percentile([7], 90) == 7.0
    assert percentile([40, 10, 30, 20], 50) == 25.0
    assert percentile([10, 20, 30, 40], 90) == 37.0  # position 0.9 · 3 = 2.7 → 30 + 0.7 · 10
    assert percentile(list(range(1, 11)), 90) == 9.1
    assert percentile([3, 5, 7], 90) == 6.6


def test_medians_and_p90_per_economy(db):
    build_history(db)
    waits = waiting_times.economy_waits(db, TODAY)
    assert [w.code for w in waits] == DECIDING
    assert summary(waits) == EXPECTED_ALL
    assert next(w for w in waits if w.code == "AU").name_zh == "澳大利亚"


def test_economies_without_data_say_so(db):
    build_history(db)
    kr = next(w for w in waiting_times.economy_waits(db, TODAY) if w.code == "KR")
    assert (kr.count, kr.median_days, kr.p90_days) == (0, None, None)


def test_window_is_the_twelve_months_up_to_today(db):
    mfa, _ = setup_institutions(db)
    app = make_app(db, mfa, utc(2025, 5, 1, 2, 0), people=3)
    decide(db, app, 1, "AU", date(2025, 6, 1))  # exactly a year before: out
    decide(db, app, 2, "AU", date(2025, 6, 2))  # 32 days: in
    decide(db, app, 3, "AU", date(2026, 6, 2))  # after today: out
    db.commit()
    au = waiting_times.economy_waits(db, TODAY)[0]
    assert (au.code, au.count, au.median_days) == ("AU", 1, 32.0)
    next_day = date(2026, 6, 2)
    # The day after: the day before's figures at once, while a thread counts that day's window.
    assert summary(waiting_times.economy_waits(db, next_day)) == {"AU": (1, 32.0, 32.0)}
    waiting_times.wait_for_recounts()
    assert summary(waiting_times.economy_waits(db, next_day)) == {"AU": (1, 397.0, 397.0)}


def test_institution_filter(db):
    mfa, js = build_history(db)
    assert summary(waiting_times.economy_waits(db, TODAY, institution_id=js.id)) == {
        "AU": (2, 15.0, 19.0),
        "JP": (2, 6.0, 6.8),
    }
    assert summary(waiting_times.economy_waits(db, TODAY, institution_id=mfa.id)) == {
        "AU": (2, 35.0, 39.0),
        "JP": (1, 3.0, 3.0),
    }


def build_pending(db):
    """History: AU waited 10 and 21 days, JP 5. The pending application entered 2026-05-20 with two people:
    JP has decided for one of them (after 5 days), KR for both."""
    mfa, js = setup_institutions(db)
    history = make_app(db, js, utc(2026, 1, 1, 2, 0), status="economies_done")
    decide(db, history, 1, "AU", date(2026, 1, 11))
    decide(db, history, 2, "AU", date(2026, 1, 22))
    decide(db, history, 1, "JP", date(2026, 1, 6))
    pending = make_app(db, mfa, utc(2026, 5, 19, 16, 30))  # 2026-05-20 00:30 in Shanghai
    decide(db, pending, 1, "JP", date(2026, 5, 25))
    decide(db, pending, 1, "KR", date(2026, 5, 26))
    decide(db, pending, 2, "KR", date(2026, 5, 27), "refused")
    db.commit()
    return pending


def test_pending_estimates_list_undecided_economies_with_dates(db):
    pending = build_pending(db)
    estimates = {e.code: e for e in waiting_times.pending_estimates(db, pending, TODAY)}
    assert list(estimates) == [c for c in DECIDING if c != "KR"]
    au = estimates["AU"]
    assert (au.count, au.median_days, au.p90_days) == (2, 15.5, 19.9)
    assert (au.usual_by, au.late_by) == (date(2026, 6, 5), date(2026, 6, 9))  # +16, +20 days
    jp = estimates["JP"]
    assert (jp.count, jp.median_days, jp.usual_by, jp.late_by) == (2, 5.0, date(2026, 5, 25), date(2026, 5, 25))
    nz = estimates["NZ"]
    assert (nz.count, nz.median_days, nz.p90_days, nz.usual_by, nz.late_by) == (0, None, None, None, None)
    # a page that has read the history gets the same dates from it
    history = filing.history(db, pending)
    assert waiting_times.pending_estimates(db, pending, TODAY, history=history) == list(estimates.values())
    assert waiting_times.entered_review_on(db, pending.id, history) == date(2026, 5, 20)


def test_no_estimates_once_every_economy_decided(db):
    mfa, _ = setup_institutions(db)
    app = make_app(db, mfa, utc(2026, 4, 1, 2, 0), people=1)
    for i, code in enumerate(DECIDING):
        decide(db, app, 1, code, date(2026, 4, 2) + timedelta(days=i), "refused" if i % 3 else "approved")
    db.commit()
    assert waiting_times.pending_estimates(db, app, TODAY) == []


def test_no_estimates_outside_economy_review(db):
    mfa, _ = setup_institutions(db)
    app = make_app(db, mfa, None, status="fao_review")
    db.commit()
    assert waiting_times.pending_estimates(db, app, TODAY) == []


def test_waits_are_kept_until_a_decision_is_added(db):
    """The year's statistics are computed once, not on every page view; after a new decision the page gets the
    last figures at once, and the new ones once a thread has counted them again (not in the page's event)."""
    mfa, js = build_history(db)
    waiting_times.economy_waits(db, TODAY)
    with sent(db.get_bind()) as statements:
        again = waiting_times.economy_waits(db, TODAY)
        assert summary(again) == EXPECTED_ALL
        assert len(statements) <= 2  # the newest decision's id (and the deciding economies), no scan
        assert not any("GROUP BY" in statement for statement in statements)
        later = make_app(db, js, utc(2026, 4, 1, 1, 0))
        decide(db, later, 1, "JP", date(2026, 4, 12))
        db.commit()
        statements.clear()
        meanwhile = waiting_times.economy_waits(db, TODAY)
        assert summary(meanwhile) == EXPECTED_ALL  # the last figures, without a scan in this event
        waiting_times.wait_for_recounts()
        assert any("GROUP BY" in statement for statement in statements)  # counted again, by the thread
        fresh = waiting_times.economy_waits(db, TODAY)
        assert summary(fresh)["JP"] == (4, 6.0, 9.8)  # waits 3, 5, 7 and the new 11


def test_counted_ahead_no_page_view_counts_in_its_event(db):
    """What a worker counts at its start serves the applicants' pages (all institutions) and each 外办's board."""
    mfa, js = build_history(db)
    waiting_times.count_ahead(db, TODAY)
    with sent(db.get_bind()) as statements:
        assert summary(waiting_times.economy_waits(db, TODAY)) == EXPECTED_ALL
        assert summary(waiting_times.economy_waits(db, TODAY, institution_id=js.id))["AU"] == (2, 15.0, 19.0)
    assert not any("GROUP BY" in statement for statement in statements)


def test_the_app_counts_ahead_at_start():
    from apec_app.apec_app import app, waits_ahead

    assert waits_ahead in app.get_lifespan_tasks()
