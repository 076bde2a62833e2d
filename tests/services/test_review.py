from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from apec_app.domain import lifecycle
from apec_app.domain.decisions_csv import template_csv
from apec_app.domain.economies import deciding_economies
from apec_app.models import Application, Card, Message, OutboxEmail, Payment, StatusEvent
from apec_app.models.base import utcnow
from apec_app.services.applications import filing, payments
from apec_app.services.errors import Conflict, InvalidInput, NotFound
from apec_app.services.review import actions, decisions, queue, views
from tests.factories import (
    TODAY,
    filled,
    make_agent,
    make_enterprise,
    pay,
    principal_for_agent,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)


def run(db, who, use_case, *args, **kwargs):
    """One use case in a unit of work of its own (clock on TODAY), its events handled as the app does."""
    uow = uow_for(db, who, today=TODAY)
    result = use_case(uow, *args, **kwargs)
    uow.complete()
    return result


@pytest.fixture()
def case(db):
    mfa, js = setup_institutions(db)
    ent = make_enterprise(db)
    me = principal_for_enterprise(db, ent)
    application = filled(db, me, js.id, people=2)
    run(db, me, filing.submit, application.id)
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


def act(db, who, app_id, action, **kwargs):
    return run(db, who, actions.act, app_id, action, version=version(db, app_id), **kwargs)


def to_economy_review(case):
    db, me, app, rev = case["db"], case["me"], case["app"], case["reviewer"]
    act(db, rev, app.id, "approve")
    pay(db, me, app.id)
    act(db, rev, app.id, "confirm_payment")
    db.refresh(app)


def test_reviewer_of_another_institution_cannot_see_or_act(case):
    db, other, app = case["db"], case["other"], case["app"]
    assert run(db, other, queue.queue)[1] == 0
    with pytest.raises(NotFound):
        run(db, other, queue.open_application, app.id)
    with pytest.raises(NotFound):
        act(db, other, app.id, "approve")
    with pytest.raises(NotFound):
        run(db, other, views.application_view, app.id)
    assert run(db, case["admin"], queue.queue)[1] == 1


def test_opening_marks_review_started_so_applicant_cannot_withdraw(case):
    db, app = case["db"], case["app"]
    run(db, case["reviewer"], queue.open_application, app.id)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied("review_started")
        run(db, case["me"], filing.withdraw, app.id)


def test_two_reviewers_at_once_exactly_one_wins(case):
    db, app = case["db"], case["app"]
    v = version(db, app.id)
    run(db, case["reviewer"], actions.act, app.id, "approve", version=v)
    with pytest.raises(Conflict) as exc:
        run(db, case["admin"], actions.act, app.id, "reject", version=v, reason="材料不全")
    assert exc.value.code == "application_changed"
    assert db.get(Application, app.id).status == lifecycle.AWAITING_PAYMENT


def test_return_and_reject_need_a_reason(case):
    db, app = case["db"], case["app"]
    with pytest.raises(InvalidInput):
        act(db, case["reviewer"], app.id, "return")
    act(db, case["reviewer"], app.id, "return", reason="照片不清晰")
    event = db.exec(select(StatusEvent).where(StatusEvent.to_status == lifecycle.RETURNED)).one()
    assert event.reason == "照片不清晰" and event.actor == case["reviewer"].label


def test_refused_action_in_wrong_status(case):
    db, app = case["db"], case["app"]
    with pytest.raises(Conflict) as exc:
        act(db, case["reviewer"], app.id, "confirm_payment")
    assert exc.value.code == "transition_refused"


def test_full_loop_to_mailed_card(case):
    db, me, app, rev = case["db"], case["me"], case["app"], case["reviewer"]
    act(db, rev, app.id, "approve")
    desk = run(db, me, payments.cashier, app.id)
    assert desk.breakdown.total_fen == 2 * (72_000 + 5_000)  # 外办: 制卡费 + 外办代办费 per person
    pay(db, me, app.id)
    assert db.get(Application, app.id).status == lifecycle.PAYMENT_REVIEW
    act(db, rev, app.id, "refuse_payment", reason="金额不符")
    assert db.exec(select(Payment)).one().status == "refused"
    pay(db, me, app.id)
    act(db, rev, app.id, "confirm_payment")
    assert db.get(Application, app.id).status == lifecycle.ECONOMY_REVIEW
    codes = [e.code for e in decisions.deciding(db)]
    assert len(codes) == 18
    for person in decisions.people(db, app):
        for code in codes:
            decision = "refused" if code == "JP" else "approved"
            run(db, rev, decisions.record_decision, app.id, person.id, code, decision, date(2026, 11, 1))
    assert db.get(Application, app.id).status == lifecycle.ECONOMIES_DONE
    first = decisions.people(db, app)[0].id
    with pytest.raises(Conflict):
        run(db, rev, decisions.record_decision, app.id, first, "AU", "approved", date(2026, 11, 1))
    act(db, rev, app.id, "start_production")
    with pytest.raises(Conflict):
        act(db, rev, app.id, "card_ready")  # delivery is 邮寄
    with pytest.raises(InvalidInput):
        act(db, rev, app.id, "mail")
    act(db, rev, app.id, "mail", tracking_number="SF1234567890")
    cards = db.exec(select(Card)).all()
    assert len(cards) == 2 and all(c.status == "mailed" and c.tracking_number == "SF1234567890" for c in cards)
    assert "JP" not in cards[0].approved_economies.split(",") and len(cards[0].approved_economies.split(",")) == 17
    titles = [m.title for m in db.exec(select(Message).where(Message.application_id == app.id)).all()]
    name = f"赴新加坡商务考察团（{app.number}）"
    assert f"{name}：已邮寄" in titles and f"{name}：APEC经济体审核结果" in titles


def test_card_without_passport_expiry_is_valid_five_years_even_from_29_february(case):
    db, app, rev = case["db"], case["app"], case["reviewer"]
    to_economy_review(case)
    for person in decisions.people(db, app):
        person.passport_expiry = None
        db.add(person)
        for code in (e.code for e in decisions.deciding(db)):
            run(db, rev, decisions.record_decision, app.id, person.id, code, "approved", date(2026, 11, 1))
    uow = uow_for(db, rev, today=date(2028, 2, 29))
    actions.act(uow, app.id, "start_production", version=version(db, app.id))
    assert {c.valid_until for c in db.exec(select(Card)).all()} == {
        date(2033, 2, 27)
    }  # the day before the 5th anniversary


def test_fee_change_affects_new_cashier_pages_not_paid_payments(case):
    from apec_app.models import Fee

    db, me, app = case["db"], case["me"], case["app"]
    act(db, case["reviewer"], app.id, "approve")
    pay(db, me, app.id)
    paid = db.exec(select(Payment)).one().amount_fen
    db.add(Fee(institution_id=case["js"].id, business_type="new_renew", card_fee_fen=80_000, agency_fee_fen=5_000))
    db.commit()
    assert db.exec(select(Payment)).one().amount_fen == paid == 154_000
    act(db, case["reviewer"], app.id, "refuse_payment", reason="重新缴费")
    assert run(db, me, payments.cashier, app.id).breakdown.total_fen == 2 * 85_000


def test_csv_import_previews_errors_and_is_all_or_nothing(case):
    db, app, rev = case["db"], case["app"], case["reviewer"]
    to_economy_review(case)
    person = decisions.people(db, app)[0]
    header = template_csv().splitlines()[0]
    good = f"{header}\n{app.number},{person.passport_number},澳大利亚,批准,2026-11-01\n"
    bad = (
        good
        + f"{app.number},{person.passport_number},火星,批准,2026-11-01\nAPEC20260101999999,E1,日本,批准,2026-11-01\n"
    )
    preview = run(db, rev, decisions.check_import, bad.encode())
    assert len(preview.rows) == 1 and {e.code for e in preview.errors} == {"economy_unknown", "not_found"}
    with pytest.raises(InvalidInput):
        run(db, rev, decisions.apply_import, bad.encode())
    assert decisions.decisions_of(db, app) == {}
    assert run(db, rev, decisions.apply_import, good.encode()) == 1
    again = run(db, rev, decisions.check_import, good.encode())
    assert [e.code for e in again.errors] == ["decision_exists"]
    # Another institution's reviewer cannot touch these rows.
    assert [e.code for e in run(db, case["other"], decisions.check_import, good.encode()).errors] == ["not_found"]


def test_decisions_imported_together_give_one_message_per_application(case):
    db, app, rev = case["db"], case["app"], case["reviewer"]
    to_economy_review(case)
    before = len(db.exec(select(Message).where(Message.application_id == app.id)).all())
    header = template_csv().splitlines()[0]
    lines = [
        f"{app.number},{p.passport_number},{economy},{result},2026-11-01"
        for p in decisions.people(db, app)
        for economy, result in (("澳大利亚", "批准"), ("日本", "拒绝"))
    ]
    assert run(db, rev, decisions.apply_import, "\n".join([header, *lines]).encode()) == 4
    messages = db.exec(select(Message).where(Message.application_id == app.id)).all()[before:]
    assert [m.title for m in messages] == [f"赴新加坡商务考察团（{app.number}）：APEC经济体审核结果"]
    names = [f"{p.surname}{p.given_name}" for p in decisions.people(db, app)]
    assert messages[0].body == f"赴新加坡商务考察团（{app.number}）：{'、'.join(names)} 获澳大利亚批准，未获日本批准"


def test_a_30_person_csv_import_gives_one_readable_message_and_one_email_per_recipient(db):
    """30 people × 18 economies in one file, the application created by an agent: one message for the agent,
    one email to the agent and one to the enterprise — not 540 — whose body names people and economies and
    fits the message."""
    mfa, js = setup_institutions(db)
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    me = principal_for_agent(db, agent)
    app = filled(db, me, js.id, people=30)
    run(db, me, filing.submit, app.id)
    db.commit()
    case = {"db": db, "me": me, "app": app, "reviewer": staff_principal(db, "rev_js30", "reviewer", "JS")}
    to_economy_review(case)
    messages_before = len(db.exec(select(Message)).all())
    mails_before = len(db.exec(select(OutboxEmail)).all())
    people = decisions.people(db, app)
    deciding = deciding_economies()
    header = template_csv().splitlines()[0]
    lines = [
        f"{app.number},{p.passport_number},{e.name_zh},{'拒绝' if (n == 0 and e.code == 'JP') else '批准'},2026-11-01"
        for n, p in enumerate(people)
        for e in deciding
    ]
    assert run(db, case["reviewer"], decisions.apply_import, "\n".join([header, *lines]).encode()) == 540
    messages = db.exec(select(Message)).all()[messages_before:]
    mails = db.exec(select(OutboxEmail)).all()[mails_before:]
    assert len(messages) == 1 and messages[0].agent_id == agent.id
    assert sorted(m.to_address for m in mails) == sorted([ent.email, agent.email])
    body = messages[0].body
    first = f"{people[0].surname}{people[0].given_name}"
    assert len(body) <= 2000 and body.startswith(f"赴新加坡商务考察团（{app.number}）：")
    assert f"{first} 获" in body and "未获日本批准" in body  # the one refusal, named
    assert "等29人 获" in body and "等17个经济体批准" in body  # the others together
    assert body.endswith("。申请单状态变更为：全部经济体审核完成")  # the status change they caused, in the same message


def test_payment_only_for_the_owner_and_only_when_due(case):
    db, app = case["db"], case["app"]
    with pytest.raises(Conflict):
        run(db, case["me"], payments.cashier, app.id)
    act(db, case["reviewer"], app.id, "approve")
    stranger = principal_for_enterprise(db, make_enterprise(db))
    with pytest.raises(NotFound):
        run(db, stranger, payments.cashier, app.id)


def test_application_view_has_every_part_and_signed_links(case):
    db, app, rev = case["db"], case["app"], case["reviewer"]
    view = run(db, rev, views.application_view, app.id)
    assert (view.number, view.status, view.allowed) == (
        app.number,
        lifecycle.FAO_REVIEW,
        ["approve", "return", "reject"],
    )
    assert view.group["group_name"] == "赴新加坡商务考察团" and view.unit["trade"] == "22222"
    assert len(view.people) == 2 and view.people[0]["passport_number"]
    assert view.delivery["method"] == "mail" and "南京市1号" in view.delivery["address"]
    assert view.documents and all(d.url.startswith("/files/") for d in view.documents)
    assert [(h.from_status, h.to_status) for h in view.history] == [(lifecycle.DRAFT, lifecycle.FAO_REVIEW)]
    assert len(view.economies) == 18 and all(cell is None for cell in view.decisions[0].decisions.values())
    page = run(db, rev, views.queue_page)
    assert page.total == 1 and page.rows[0].enterprise.startswith("测试企业") and page.rows[0].institution == "江苏外办"
    assert page.counts == {lifecycle.FAO_REVIEW: 1}


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
        return sorted(a.number for a in run(db, admin, queue.queue, number=text)[0])

    assert found("apec20261101") == ["APEC20261101000001", "APEC20261101000002"]
    assert found("APEC20261102000001") == ["APEC20261102000001"]
    assert found("1102000001") == ["APEC20261102000001"]
    assert found("APEC2027") == []


def test_queue_dates_are_beijing_days(db):
    """Submitted at 07:30 in Beijing on 26 November is still 25 November in UTC: it belongs to the 26th."""
    setup_institutions(db)
    ent = make_enterprise(db)
    admin = staff_principal(db, "admin_d", "admin")
    early = datetime(2026, 11, 25, 23, 30, tzinfo=timezone.utc)
    db.add(Application(number="APEC20261126000001", business_type="new_renew", enterprise_id=ent.id,
                       channel="local", status="fao_review", submitted_at=early))  # fmt: skip
    db.commit()

    def found(day_from, day_to):
        return [a.number for a in run(db, admin, queue.queue, date_from=day_from, date_to=day_to)[0]]

    assert found(date(2026, 11, 26), date(2026, 11, 26)) == ["APEC20261126000001"]
    assert found(date(2026, 11, 25), date(2026, 11, 25)) == []
