"""The read models of the applicant's 申请单详情 and 收银台 and of the reviewer's application view: who acted (never
"enterprise:24"), each person's economy summary, materials by name, documents by person, the fees."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert
from sqlmodel import select

from apec_app.components.economy_matrix import matrix_lines
from apec_app.domain import lifecycle
from apec_app.domain.application_form import PERSON_DOCS
from apec_app.models import Application, Institution, Material, StatusEvent
from apec_app.services.applications import documents, filing, payments
from apec_app.services.applications.actors import Actor, actors
from apec_app.services.errors import Conflict, InvalidInput
from apec_app.services.review import actions, decisions, views
from apec_app.services.views.detail import application_detail
from apec_app.services.views.institutions import institution_card
from apec_app.ui_text import actor_label, describe_upload_error
from apec_app.ui_text import payments as pay_text
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
from tests.images import jpeg, png


def run(db, who, use_case, *args, **kwargs):
    uow = uow_for(db, who, today=TODAY)
    result = use_case(uow, *args, **kwargs)
    uow.complete()
    return result


def act(db, who, app_id, action, **kwargs):
    db.expire_all()
    version = db.get(Application, app_id).version
    return run(db, who, actions.act, app_id, action, version=version, **kwargs)


@pytest.fixture()
def case(db):
    """A 新办/续办 of two people filed by an agent through the Jiangsu 外办, submitted."""
    mfa, js = setup_institutions(db)
    enterprise = make_enterprise(db)
    agent = make_agent(db, enterprise)
    agent.name = "李经办"
    db.add(agent)
    db.commit()
    by_agent = principal_for_agent(db, agent)
    application = filled(db, by_agent, js.id, people=2)
    run(db, by_agent, filing.submit, application.id)
    db.commit()
    return {
        "db": db,
        "agent": by_agent,
        "owner": principal_for_enterprise(db, enterprise),
        "app": application,
        "js": js,
        "mfa": mfa,
        "reviewer": staff_principal(db, "rev_js", "reviewer", "JS"),
        "admin": staff_principal(db, "admin1", "admin"),
    }


def to_economy_review(case):
    db, app, reviewer = case["db"], case["app"], case["reviewer"]
    act(db, reviewer, app.id, "approve")
    pay(db, case["owner"], app.id)
    act(db, reviewer, app.id, "confirm_payment")


def decide_all(case, refused: set[str] = frozenset()):
    db, app = case["db"], case["app"]
    for person in decisions.people(db, app):
        for economy in decisions.deciding(db):
            decision = "refused" if economy.code in refused else "approved"
            run(db, case["reviewer"], decisions.record_decision, app.id, person.id, economy.code, decision,
                date(2026, 11, 20))  # fmt: skip


# --- 办理记录: who acted ---------------------------------------------------------------------------------------


def test_history_names_the_people_who_acted(case):
    db, app = case["db"], case["app"]
    to_economy_review(case)
    decide_all(case)  # the last decision moves the application on by itself: the system
    detail = run(db, case["owner"], application_detail, app.id)
    shown = [(h.to_status, actor_label(h.actor.kind, h.actor.name, h.actor.institution)) for h in detail.history]
    assert shown == [
        (lifecycle.FAO_REVIEW, "经办人 李经办"),
        (lifecycle.AWAITING_PAYMENT, "江苏外办 审核员 rev_js"),
        (lifecycle.PAYMENT_REVIEW, "企业账号"),
        (lifecycle.ECONOMY_REVIEW, "江苏外办 审核员 rev_js"),
        (lifecycle.ECONOMIES_DONE, "系统"),
    ]
    # What is stored stays the principal's label; only the read model turns it into a person.
    stored = db.exec(select(StatusEvent.actor).where(StatusEvent.application_id == app.id)).all()
    assert stored[0] == case["agent"].label and all(":" not in repr(h.actor.name) for h in detail.history)
    review = run(db, case["reviewer"], views.application_view, app.id)
    assert [h.actor for h in review.history] == [h.actor for h in detail.history]


def test_actor_labels_of_every_kind_in_one_batch(case):
    db = case["db"]
    found = actors(db, [case["agent"].label, case["owner"].label, case["reviewer"].label, case["admin"].label,
                        "system", "演示数据", "agent:999999", "staff:999999"])  # fmt: skip
    assert found[case["agent"].label] == Actor("agent", "李经办")
    assert found[case["owner"].label] == Actor("enterprise")
    assert found[case["reviewer"].label] == Actor("reviewer", "rev_js", "江苏外办")
    assert found[case["admin"].label] == Actor("admin", "admin1")
    assert found["system"] == found["演示数据"] == Actor("system")
    assert actor_label(*vars(found["agent:999999"]).values()) == "经办人"  # a deleted agent: its kind still shown
    labels = {label: actor_label(a.kind, a.name, a.institution) for label, a in found.items()}
    assert labels[case["admin"].label] == "管理员 admin1" and labels["system"] == "系统"
    assert not any(":" in text for text in labels.values())


# --- the economy matrix --------------------------------------------------------------------------------------


def test_each_person_has_a_summary_and_one_cell_per_deciding_economy(case):
    db, app = case["db"], case["app"]
    to_economy_review(case)
    first, second = decisions.people(db, app)
    run(db, case["reviewer"], decisions.record_decision, app.id, first.id, "JP", "approved", date(2026, 11, 20))
    run(db, case["reviewer"], decisions.record_decision, app.id, first.id, "KR", "refused", date(2026, 11, 21))
    detail = run(db, case["owner"], application_detail, app.id)
    assert len(detail.economies) == 18
    mine = detail.decisions[0]
    assert mine.person_id == first.id
    assert (mine.approved, mine.refused, mine.pending) == (1, 1, 16)
    assert list(mine.decisions) == [code for code, _ in detail.economies]
    lines = matrix_lines(detail.decisions)
    assert lines[0].summary == "已批准 1 · 已拒绝 1 · 待审核 16"
    assert lines[1].summary == "已批准 0 · 已拒绝 0 · 待审核 18"
    codes = [code for code, _ in detail.economies]
    assert lines[0].cells[codes.index("JP")] == "a2026-11-20" and lines[0].cells[codes.index("KR")] == "r2026-11-21"
    assert set(lines[1].cells) == {"p"} and len(lines[1].cells) == 18
    # The reviewer's page reads the same rows.
    review = run(db, case["reviewer"], views.application_view, app.id)
    assert matrix_lines(review.decisions) == lines


def test_the_applicant_sees_the_economies_only_once_the_people_were_sent_to_them(case):
    db, app = case["db"], case["app"]
    detail = run(db, case["owner"], application_detail, app.id)
    assert detail.economies == [] and detail.decisions == []
    to_economy_review(case)
    assert len(run(db, case["owner"], application_detail, app.id).decisions) == 2


def test_thirty_people_eighteen_economies_make_a_compact_matrix(db):
    _, js = setup_institutions(db)
    enterprise = make_enterprise(db)
    owner = principal_for_enterprise(db, enterprise)
    app = filled(db, owner, js.id, people=30)
    run(db, owner, filing.submit, app.id)
    reviewer = staff_principal(db, "rev_js30", "reviewer", "JS")
    case = {"db": db, "app": app, "reviewer": reviewer, "owner": owner}
    to_economy_review(case)
    decide_all(case, refused={"JP"})
    lines = matrix_lines(run(db, owner, application_detail, app.id).decisions)
    assert len(lines) == 30 and all(len(line.cells) == 18 for line in lines)
    assert {line.summary for line in lines} == {"已批准 17 · 已拒绝 1 · 待审核 0"}
    size = sum(len(line.name.encode()) + len(line.summary.encode()) + sum(len(c) for c in line.cells) for line in lines)
    assert size < 8_000  # 540 cells of 11 characters, names and summaries


# --- materials by name, documents by person ---------------------------------------------------------------------


def test_materials_by_their_configured_name_and_documents_under_each_person(case):
    db, app = case["db"], case["app"]
    detail = run(db, case["owner"], application_detail, app.id)
    required = db.exec(select(Material).where(Material.required == True)).all()  # noqa: E712
    assert [d.material for d in detail.materials] == [m.name for m in required] == ["完税证明"]
    assert len(detail.person_documents) == len(detail.people) == 2
    for person, docs in zip(detail.people, detail.person_documents, strict=True):
        assert [d.kind for d in docs] == list(PERSON_DOCS)
        assert {str(d.id) for d in docs} == {person[f"{kind}_doc"] for kind in PERSON_DOCS}
    assert not {d.id for d in detail.person_documents[0]} & {d.id for d in detail.person_documents[1]}
    review = run(db, case["reviewer"], views.application_view, app.id)
    assert review.documents[0].material == "完税证明"
    people = [d.person for d in review.documents if d.person]
    assert len(people) == 2 * len(PERSON_DOCS) and set(people) == {
        f"{p['surname']}{p['given_name']}" for p in detail.people
    }


# --- fees and the 收银台 ---------------------------------------------------------------------------------------


def test_cashier_words_the_amount_as_the_manual_for_one_two_and_direct(case):
    db, app = case["db"], case["app"]
    act(db, case["reviewer"], app.id, "approve")
    desk = run(db, case["owner"], payments.cashier_view, app.id)
    assert desk.stage == payments.PAY and desk.institution_kind == "fao"
    assert pay_text.amount_due(desk.total_fen, desk.lines) == "¥ 1540 (制卡费¥720×2+外办代办费¥50×2)"
    assert pay_text.cashier_intro("新办/续办", desk.institution_kind) == (
        "您办理的【APEC新办/续办】业务外办审核通过，请付款并上传支付凭证。"
    )
    assert desk.bank.keys() == {"bank", "account_name", "account_number"}
    one = [payments.FeeLine("制卡费", 72_000, 1), payments.FeeLine("外办代办费", 5_000, 1)]
    assert pay_text.amount_due(77_000, one) == "¥ 770 (制卡费¥720+外办代办费¥50)"
    assert pay_text.amount_due(72_000, one[:1]) == "¥ 720 (制卡费¥720)"
    assert pay_text.cashier_intro("新办/续办", "ministry").startswith("您办理的【APEC新办/续办】业务外交部审核通过")


def test_direct_applications_pay_no_agency_fee(db):
    mfa, _ = setup_institutions(db)
    enterprise = make_enterprise(db, nature="中央企业")
    owner = principal_for_enterprise(db, enterprise)
    app = filled(db, owner, mfa.id)
    run(db, owner, filing.submit, app.id)
    act(db, staff_principal(db, "rev_mfa", "reviewer", "MFA"), app.id, "approve")
    desk = run(db, owner, payments.cashier_view, app.id)
    assert desk.institution_kind == "ministry"
    assert pay_text.amount_due(desk.total_fen, desk.lines) == "¥ 720 (制卡费¥720)"
    assert [(f.label, pay_text.fee_amount(f)) for f in run(db, owner, application_detail, app.id).fees] == [
        ("制卡费", "¥ 720")
    ]


def test_after_the_voucher_the_cashier_says_it_is_being_checked_and_the_fees_stay_as_paid(case):
    db, app = case["db"], case["app"]
    detail = run(db, case["owner"], application_detail, app.id)
    assert [(f.label, pay_text.fee_amount(f)) for f in detail.fees] == [
        ("制卡费", "¥ 1440 (¥720×2)"),
        ("外办代办费", "¥ 100 (¥50×2)"),
    ]
    with pytest.raises(Conflict):
        run(db, case["owner"], payments.cashier_view, app.id)  # nothing to pay yet
    act(db, case["reviewer"], app.id, "approve")
    pay(db, case["owner"], app.id)
    desk = run(db, case["owner"], payments.cashier_view, app.id)
    assert desk.stage == payments.CONFIRMING and desk.total_fen == 2 * 77_000
    assert detail.person_count == 2 and detail.enterprise_name and detail.submitted_at is not None


def test_a_voucher_must_be_a_jpeg_and_a_refused_file_changes_nothing(case):
    db, app = case["db"], case["app"]
    act(db, case["reviewer"], app.id, "approve")
    with pytest.raises(InvalidInput) as refused:
        run(db, case["owner"], documents.upload, app.id, "payment_voucher", "v.png", png())
    assert describe_upload_error(refused.value.code, documents.VOUCHER_RULE) == "仅支持jpg、jpeg格式"
    too_big = jpeg() + b"\0" * documents.VOUCHER_RULE.max_bytes
    with pytest.raises(InvalidInput) as large:
        run(db, case["owner"], documents.upload, app.id, "payment_voucher", "v.jpg", too_big)
    assert describe_upload_error(large.value.code, documents.VOUCHER_RULE) == "文件大小需小于5M"
    assert [d.kind for d in filing.documents(db, app) if d.kind == "payment_voucher"] == []
    kept = run(db, case["owner"], documents.upload, app.id, "payment_voucher", "v.jpg", jpeg())
    assert kept.content_type == "image/jpeg"


def test_an_institution_another_worker_added_a_moment_ago_is_shown_at_once(db):
    _, js = setup_institutions(db)
    assert institution_card(db, js.id)["name"] == js.name  # the institutions are now kept in memory
    with db.get_bind().begin() as other_worker:  # not through this process's sessions: nothing here forgets
        added = other_worker.execute(
            insert(Institution).values(code="ZJ", name="浙江省外事办公室", kind="fao", contact_phone="0571-1")
        ).inserted_primary_key[0]
    assert institution_card(db, added) == {"name": "浙江省外事办公室", "kind": "fao", "phone": "0571-1", "address": ""}
