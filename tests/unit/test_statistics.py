from datetime import datetime, timedelta, timezone

from apec_app.models import Application, StatusEvent
from apec_app.services.accounts import auth, staff
from apec_app.services.review import statistics
from tests.app_factories import setup_institutions
from tests.factories import make_enterprise


def admin(db):
    staff.create_staff(db, username="stat_admin", name="管理员", password="Staff#Pass2026", role="admin")
    return auth.resolve_session(db, auth.sign_in_staff(db, "stat_admin", "Staff#Pass2026").token)


def test_median_days_per_stage_from_status_history(db):
    t0 = three_reviews(db)
    me = admin(db)
    stages = {s["stage"]: s for s in statistics.days_per_stage(db, me, now=t0 + timedelta(days=30))}
    assert stages["外办审核"]["days"] == 4 and stages["外办审核"]["count"] == 3
    assert stages["待缴费"]["count"] == 0
    # Stages left more than 12 months ago no longer count.
    later = statistics.days_per_stage(db, me, now=t0 + timedelta(days=400))
    assert {s["stage"]: s["count"] for s in later}["外办审核"] == 0


def three_reviews(db) -> datetime:
    """Three applications whose 外办审核 took 2, 4 and 9 days (plus half an hour, so rounding shows)."""
    _, js = setup_institutions(db)
    ent = make_enterprise(db)
    t0 = datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc)
    for i, review_days in enumerate((2, 4, 9)):
        app = Application(
            business_type="new_renew",
            enterprise_id=ent.id,
            institution_id=js.id,
            channel="local",
            status="awaiting_payment",
            submitted_at=t0,
            number=f"APEC20261001{i:06d}",
        )
        db.add(app)
        db.flush()
        db.add(
            StatusEvent(application_id=app.id, from_status="draft", to_status="fao_review", actor="x", created_at=t0)
        )
        db.add(
            StatusEvent(
                application_id=app.id,
                from_status="fao_review",
                to_status="awaiting_payment",
                actor="x",
                created_at=t0 + timedelta(days=review_days, minutes=30),
            )
        )
    db.commit()
    return t0


def test_applications_per_month_includes_empty_months(db):
    _, js = setup_institutions(db)
    ent = make_enterprise(db)
    now = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
    for i, when in enumerate((now, now - timedelta(days=40), now - timedelta(days=45))):
        db.add(
            Application(
                business_type="new_renew",
                enterprise_id=ent.id,
                institution_id=js.id,
                channel="local",
                status="fao_review",
                submitted_at=when,
                number=f"APEC20261120{i:06d}",
            )
        )
    db.commit()
    months = statistics.per_month(db, admin(db), months=3, now=now)
    assert [m["month"] for m in months] == ["2026-09", "2026-10", "2026-11"]
    assert [m["count"] for m in months] == [0, 2, 1]
