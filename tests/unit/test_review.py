from datetime import date

import pytest
from sqlmodel import select

from apec_app.domain import lifecycle
from apec_app.domain.decisions_csv import template_csv
from apec_app.models import Application, Card, Document, Message, Payment, StatusEvent
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth, staff
from apec_app.services.applications import filing as applications
from apec_app.services.applications import payments
from apec_app.services.errors import Conflict, InvalidInput, NotFound
from apec_app.services.review import workbench as review
from tests.app_factories import TODAY, setup_institutions
from tests.factories import PASSWORD, make_enterprise
from tests.unit.test_applications import filled, principal_for_enterprise

STAFF_PASSWORD = "Staff#Pass2026"


def staff_principal(db, username, role, institution_code=None):
    staff.create_staff(
        db, username=username, name=username, password=STAFF_PASSWORD, role=role, institution_code=institution_code
    )
    return auth.resolve_session(db, auth.sign_in_staff(db, username, STAFF_PASSWORD).token)


@pytest.fixture()
def case(db):
    mfa, js = setup_institutions(db)
    ent = make_enterprise(db)
    me = principal_for_enterprise(db, ent)
    application = filled(db, me, js.id, people=2)
    applications.submit(db, me, application.id, TODAY)
    db.commit()
    return {
        "db": db,
        "me": me,
        "app": application,
        "js": js,
        "mfa": mfa,
        "reviewer": staff_principal(db, "rev_js", "reviewer", "JS"),
        "other": staff_principal(db, "rev_mfa", "reviewer", "MFA"),
        "admin": staff_principal(db, "admin1", "admin"),
    }


def version(db, app_id):
    db.expire_all()
    return db.get(Application, app_id).version


def pay(db, me, app_id):
    doc = Document(
        enterprise_id=me.enterprise_id,
        application_id=app_id,
        kind="payment_voucher",
        storage_key="1" * 32,
        original_name="v.jpg",
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
        uploaded_by=me.label,
    )
    db.add(doc)
    db.flush()
    return payments.submit_voucher(db, me, app_id, doc.id)


def test_reviewer_of_another_institution_cannot_see_or_act(case):
    db, other, app = case["db"], case["other"], case["app"]
    assert review.queue(db, other)[1] == 0
    with pytest.raises(NotFound):
        review.open_application(db, other, app.id)
    with pytest.raises(NotFound):
        review.act(db, other, app.id, "approve", version=version(db, app.id))
    assert review.queue(db, case["admin"])[1] == 1


def test_opening_marks_review_started_so_applicant_cannot_withdraw(case):
    db, app = case["db"], case["app"]
    review.open_application(db, case["reviewer"], app.id)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied("review_started")
        applications.withdraw(db, case["me"], app.id)


def test_two_reviewers_at_once_exactly_one_wins(case):
    db, app = case["db"], case["app"]
    v = version(db, app.id)
    review.act(db, case["reviewer"], app.id, "approve", version=v)
    with pytest.raises(Conflict) as exc:
        review.act(db, case["admin"], app.id, "reject", version=v, reason="材料不全")
    assert exc.value.code == "application_changed"
    assert db.get(Application, app.id).status == lifecycle.AWAITING_PAYMENT


def test_return_and_reject_need_a_reason(case):
    db, app = case["db"], case["app"]
    with pytest.raises(InvalidInput):
        review.act(db, case["reviewer"], app.id, "return", version=version(db, app.id))
    review.act(db, case["reviewer"], app.id, "return", version=version(db, app.id), reason="照片不清晰")
    event = db.exec(select(StatusEvent).where(StatusEvent.to_status == lifecycle.RETURNED)).one()
    assert event.reason == "照片不清晰" and event.actor == case["reviewer"].label


def test_refused_action_in_wrong_status(case):
    db, app = case["db"], case["app"]
    with pytest.raises(Conflict) as exc:
        review.act(db, case["reviewer"], app.id, "confirm_payment", version=version(db, app.id))
    assert exc.value.code == "transition_refused"


def test_full_loop_to_mailed_card(case):
    db, me, app, rev = case["db"], case["me"], case["app"], case["reviewer"]
    review.act(db, rev, app.id, "approve", version=version(db, app.id))
    desk = payments.cashier(db, me, app.id)
    assert desk.breakdown.total_fen == 2 * (72_000 + 5_000)  # 外办: 制卡费 + 外办代办费 per person
    pay(db, me, app.id)
    assert db.get(Application, app.id).status == lifecycle.PAYMENT_REVIEW
    review.act(db, rev, app.id, "refuse_payment", version=version(db, app.id), reason="金额不符")
    assert db.exec(select(Payment)).one().status == "refused"
    pay(db, me, app.id)
    review.act(db, rev, app.id, "confirm_payment", version=version(db, app.id))
    assert db.get(Application, app.id).status == lifecycle.ECONOMY_REVIEW
    codes = [e.code for e in review.deciding(db)]
    assert len(codes) == 18
    for person in review.people(db, app):
        for code in codes:
            decision = "refused" if code == "JP" else "approved"
            review.record_decision(db, rev, app.id, person.id, code, decision, date(2026, 11, 1))
    assert db.get(Application, app.id).status == lifecycle.ECONOMIES_DONE
    with pytest.raises(Conflict):
        review.record_decision(db, rev, app.id, review.people(db, app)[0].id, "AU", "approved", date(2026, 11, 1))
    review.act(db, rev, app.id, "start_production", version=version(db, app.id))
    with pytest.raises(Conflict):
        review.act(db, rev, app.id, "card_ready", version=version(db, app.id))  # delivery is 邮寄
    with pytest.raises(InvalidInput):
        review.act(db, rev, app.id, "mail", version=version(db, app.id))
    review.act(db, rev, app.id, "mail", version=version(db, app.id), tracking_number="SF1234567890")
    cards = db.exec(select(Card)).all()
    assert len(cards) == 2 and all(c.status == "mailed" and c.tracking_number == "SF1234567890" for c in cards)
    assert "JP" not in cards[0].approved_economies.split(",") and len(cards[0].approved_economies.split(",")) == 17
    titles = [m.title for m in db.exec(select(Message).where(Message.application_id == app.id)).all()]
    assert "申请单已邮寄" in titles and any("审核结果" in t for t in titles)


def test_fee_change_affects_new_cashier_pages_not_paid_payments(case):
    from apec_app.models import Fee

    db, me, app = case["db"], case["me"], case["app"]
    review.act(db, case["reviewer"], app.id, "approve", version=version(db, app.id))
    pay(db, me, app.id)
    paid = db.exec(select(Payment)).one().amount_fen
    db.add(Fee(institution_id=case["js"].id, business_type="new_renew", card_fee_fen=80_000, agency_fee_fen=5_000))
    db.commit()
    assert db.exec(select(Payment)).one().amount_fen == paid == 154_000
    review.act(db, case["reviewer"], app.id, "refuse_payment", version=version(db, app.id), reason="重新缴费")
    assert payments.cashier(db, me, app.id).breakdown.total_fen == 2 * 85_000


def test_csv_import_previews_errors_and_is_all_or_nothing(case):
    db, me, app, rev = case["db"], case["me"], case["app"], case["reviewer"]
    review.act(db, rev, app.id, "approve", version=version(db, app.id))
    pay(db, me, app.id)
    review.act(db, rev, app.id, "confirm_payment", version=version(db, app.id))
    db.refresh(app)
    person = review.people(db, app)[0]
    header = template_csv().splitlines()[0]
    good = f"{header}\n{app.number},{person.passport_number},澳大利亚,批准,2026-11-01\n"
    bad = (
        good
        + f"{app.number},{person.passport_number},火星,批准,2026-11-01\nAPEC20260101999999,E1,日本,批准,2026-11-01\n"
    )
    preview = review.check_import(db, rev, bad.encode(), TODAY)
    assert len(preview.rows) == 1 and {e.code for e in preview.errors} == {"economy_unknown", "not_found"}
    with pytest.raises(InvalidInput):
        review.apply_import(db, rev, bad.encode(), TODAY)
    assert review.decisions_of(db, app) == {}
    assert review.apply_import(db, rev, good.encode(), TODAY) == 1
    again = review.check_import(db, rev, good.encode(), TODAY)
    assert [e.code for e in again.errors] == ["decision_exists"]
    # Another institution's reviewer cannot touch these rows.
    assert [e.code for e in review.check_import(db, case["other"], good.encode(), TODAY).errors] == ["not_found"]


def test_payment_only_for_the_owner_and_only_when_due(case):
    db, app = case["db"], case["app"]
    with pytest.raises(Conflict):
        payments.cashier(db, case["me"], app.id)
    review.act(db, case["reviewer"], app.id, "approve", version=version(db, app.id))
    stranger = auth.resolve_session(db, auth.sign_in_enterprise(db, make_enterprise(db).email, PASSWORD).token)
    with pytest.raises(NotFound):
        payments.cashier(db, stranger, app.id)


def test_queue_number_search_by_start_or_any_part(db):
    """A number typed from its start uses the index (range); any other part still finds it."""
    setup_institutions(db)
    ent = make_enterprise(db)
    admin = staff_principal(db, "admin_q", "admin")
    for number in ("APEC20261101000001", "APEC20261101000002", "APEC20261102000001"):
        db.add(Application(number=number, business_type="new_renew", enterprise_id=ent.id, channel="local",
                           status="fao_review", submitted_at=utcnow()))  # fmt: skip
    db.commit()

    def found(text):
        return sorted(a.number for a in review.queue(db, admin, number=text)[0])

    assert found("apec20261101") == ["APEC20261101000001", "APEC20261101000002"]
    assert found("APEC20261102000001") == ["APEC20261102000001"]
    assert found("1102000001") == ["APEC20261102000001"]
    assert found("APEC2027") == []
