from datetime import datetime, timedelta, timezone

from apec_app.models import Application
from apec_app.services.review import statistics
from tests.factories import make_enterprise, setup_institutions, staff_principal, three_reviews, uow_for


def admin(db):
    return staff_principal(db, "stat_admin", "admin")


def test_median_days_per_stage_from_status_history(db):
    t0 = three_reviews(db)
    me = admin(db)
    stages = {s["stage"]: s for s in statistics.days_per_stage(uow_for(db, me, at=t0 + timedelta(days=30)))}
    assert stages["外办审核"]["days"] == 4 and stages["外办审核"]["count"] == 3
    assert stages["待缴费"]["count"] == 0
    # Stages left more than 12 months ago no longer count.
    later = statistics.days_per_stage(uow_for(db, me, at=t0 + timedelta(days=400)))
    assert {s["stage"]: s["count"] for s in later}["外办审核"] == 0



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
    months = statistics.per_month(uow_for(db, admin(db), at=now), months=3)
    assert [m["month"] for m in months] == ["2026-09", "2026-10", "2026-11"]
    assert [m["count"] for m in months] == [0, 2, 1]


def test_a_month_counts_from_its_first_midnight_in_beijing(db):
    """Twelve months back from 20 November 16:00 is December 1st from 00:00, not from 16:00."""
    _, js = setup_institutions(db)
    ent = make_enterprise(db)
    now = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)  # 16:00 in Beijing
    first_morning = datetime(2025, 11, 30, 17, 0, tzinfo=timezone.utc)  # 1 December 01:00 in Beijing
    db.add(Application(business_type="new_renew", enterprise_id=ent.id, institution_id=js.id, channel="local",
                       status="fao_review", submitted_at=first_morning, number="APEC20251201000001"))  # fmt: skip
    db.commit()
    months = statistics.per_month(uow_for(db, admin(db), at=now))
    assert months[0] == {"month": "2025-12", "count": 1} and len(months) == 12
