"""Which queues a reviewer sees (from the lifecycle, per institution), and the refusal of any other."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from apec_app.domain import lifecycle
from apec_app.models import Application, SecurityEvent, StatusEvent
from apec_app.models.base import utcnow
from apec_app.services.errors import PermissionDenied
from apec_app.services.review import queue, statistics, views
from tests.factories import (
    make_enterprise,
    setup_institutions,
    staff_principal,
    three_reviews,
    uow_for,
)


def run(db, who, use_case, *args, **kwargs):
    return use_case(uow_for(db, who), *args, **kwargs)


def test_each_channel_reaches_only_its_own_review_status():
    local, direct = lifecycle.reachable_statuses("local"), lifecycle.reachable_statuses("direct")
    assert lifecycle.FAO_REVIEW in local and lifecycle.MFA_REVIEW not in local
    assert lifecycle.MFA_REVIEW in direct and lifecycle.FAO_REVIEW not in direct
    # Both go on to payment, the economies and a card, and can be returned or rejected; a draft is not a queue.
    for status in (lifecycle.AWAITING_PAYMENT, lifecycle.ECONOMY_REVIEW, lifecycle.MAILED, lifecycle.RETURNED):
        assert status in local and status in direct
    assert lifecycle.DRAFT not in local | direct


def test_a_reviewer_sees_the_queues_of_the_institution_and_an_admin_all(db):
    setup_institutions(db)
    js = staff_principal(db, "rev_js", "reviewer", "JS")
    mfa = staff_principal(db, "rev_mfa", "reviewer", "MFA")
    admin = staff_principal(db, "admin_q", "admin")
    js_queues, mfa_queues = run(db, js, queue.queue_statuses), run(db, mfa, queue.queue_statuses)
    assert lifecycle.FAO_REVIEW in js_queues and lifecycle.MFA_REVIEW not in js_queues
    assert lifecycle.MFA_REVIEW in mfa_queues and lifecycle.FAO_REVIEW not in mfa_queues
    assert run(db, admin, queue.queue_statuses) == queue.QUEUE_STATUSES
    # The page gets the same list with its counts, in display order.
    assert run(db, js, views.queue_page).statuses == js_queues
    assert list(js_queues) == [s for s in queue.QUEUE_STATUSES if s in js_queues]


def test_a_queue_or_institution_the_reviewer_cannot_hold_is_refused_and_logged(db):
    _, js_institution = setup_institutions(db)
    mfa_institution_id = js_institution.id - 1
    ent = make_enterprise(db)
    db.add(Application(number="APEC20261101000009", business_type="new_renew", enterprise_id=ent.id,
                       institution_id=js_institution.id, channel="local", status="fao_review",
                       submitted_at=utcnow()))  # fmt: skip
    db.commit()
    js = staff_principal(db, "rev_js", "reviewer", "JS")
    assert run(db, js, queue.queue, status=lifecycle.FAO_REVIEW)[1] == 1
    assert run(db, js, queue.queue, institution_id=js_institution.id)[1] == 1
    for filters in ({"status": lifecycle.MFA_REVIEW}, {"status": "draft"}, {"status": "nonsense"},
                    {"institution_id": mfa_institution_id}):  # fmt: skip
        with pytest.raises(PermissionDenied) as refused:
            run(db, js, queue.queue, **filters)
        assert refused.value.code == "queue_not_held"
    assert db.exec(select(SecurityEvent).where(SecurityEvent.action == "access_refused")).all()
    admin = staff_principal(db, "admin_q", "admin")
    assert run(db, admin, queue.queue, status=lifecycle.MFA_REVIEW)[1] == 0


def test_stage_medians_follow_new_status_events_without_a_full_recount(db):
    """The day's histogram is kept and brought up to date with the events added since."""
    t0 = three_reviews(db)
    admin = staff_principal(db, "stat_admin", "admin")
    at = t0 + timedelta(days=30)

    def fao_review():
        stages = {s["stage"]: s for s in statistics.days_per_stage(uow_for(db, admin, at=at))}
        return stages["外办审核"]["days"], stages["外办审核"]["count"]

    assert fao_review() == (4.0, 3)
    app = db.exec(select(Application).where(Application.number == "APEC20261001000000")).one()
    late = Application(number="APEC20261001000009", business_type="new_renew", enterprise_id=app.enterprise_id,
                       institution_id=app.institution_id, channel="local", status="awaiting_payment",
                       submitted_at=t0)  # fmt: skip
    db.add(late)
    db.flush()
    for days in (0, 20):
        db.add(StatusEvent(application_id=late.id, from_status="fao_review" if days else "draft",
                           to_status="awaiting_payment" if days else "fao_review", actor="x",
                           created_at=t0 + timedelta(days=days)))  # fmt: skip
    db.commit()
    assert fao_review() == (6.5, 4)  # 2, 4, 9 and 20 days
    with statistics._cache_lock:
        statistics._stages.clear()
    assert fao_review() == (6.5, 4)  # the same as counted from scratch
