"""The follow-up services on the real (migrated) test database: offers, start, drafts, submit, and what the
reviewers' actions do to the person's card and passport. The two 新办/续办 applications come from
demo_followups.seed: one in economy review (张伟 JP+KR approved, 李娜 AU approved) and one mailed with cards
(王芳, 刘洋)."""

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from apec_app import ui_text as messages_zh
from apec_app.domain import lifecycle
from apec_app.domain.clock import SYSTEM_CLOCK
from apec_app.domain.economies import APPROVED
from apec_app.domain.person import card_valid_until
from apec_app.models import (
    Address,
    Application,
    Card,
    Document,
    EconomyDecision,
    Material,
    Payment,
    Person,
    StatusEvent,
)
from apec_app.services.applications import filing as applications
from apec_app.services.applications import payments
from apec_app.services.applications.filing import StepErrors
from apec_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from apec_app.services.followups import forms as followups
from apec_app.services.followups import offers
from apec_app.services.operations import demo_followups
from apec_app.services.review import actions, cards, decisions
from tests.factories import (
    act,
    attach,
    make_agent,
    make_enterprise,
    pay,
    principal_for_agent,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
)

EARLY, REPLACE, PASSPORT, CANCEL = lifecycle.FOLLOWUP_TYPES
CONTACT = {"contact_name": "李四", "contact_phone": "15412341234"}


def today():
    """Today in Beijing: the day card validity and economy decisions count in."""
    return SYSTEM_CLOCK.today()


@pytest.fixture()
def world(db):
    mfa, js = setup_institutions(db)
    for kind in lifecycle.FOLLOWUP_TYPES:
        db.add(Material(business_type=kind, channel="all", name=f"{kind}申请函", required=True))
    # Only for 直办 enterprises: a local one must not be asked for it.
    db.add(Material(business_type=EARLY, channel="direct", name="提前制卡直办", required=True))
    ent = make_enterprise(db)
    address = Address(
        enterprise_id=ent.id, recipient="王五", phone="13900000000", province="江苏省", detail="南京市1号"
    )
    db.add(address)
    db.commit()
    waiting_number, done_number, _ = act(demo_followups.seed, db, ent.email)
    db.commit()
    waiting = db.exec(select(Application).where(Application.number == waiting_number)).one()
    done = db.exec(select(Application).where(Application.number == done_number)).one()
    people = {
        f"{p.surname}{p.given_name}": p
        for p in db.exec(select(Person).where(col(Person.application_id).in_([waiting.id, done.id]))).all()
    }
    return SimpleNamespace(
        db=db,
        js=js,
        mfa=mfa,
        ent=ent,
        me=principal_for_enterprise(db, ent),
        reviewer=staff_principal(db, "rev_js", "reviewer", "JS"),
        address=address,
        pickup=review_pickup_point(db, js.id),
        waiting=waiting,
        done=done,
        zhang=people["张伟"],
        li=people["李娜"],
        wang=people["王芳"],
        liu=people["刘洋"],
    )


def review_pickup_point(db, institution_id):
    return applications.pickup_points(db, institution_id)[0]


def offered_names(w, parent) -> dict[str, list[str]]:
    return {
        kind: [f"{p.surname}{p.given_name}" for p in found]
        for kind, found in act(offers.offers, w.db, parent, me=w.me).items()
    }


def fresh(db) -> None:
    """Write pending changes, then forget loaded state (expire_all alone would drop unflushed changes)."""
    db.flush()
    db.expire_all()


def version(db, application_id) -> int:
    fresh(db)
    return db.get(Application, application_id).version


def form_of(db, application_id) -> dict:
    fresh(db)
    return json.loads(db.get(Application, application_id).form_json)


def new_passport(**changes) -> dict[str, str]:
    return {
        "reason": "护照有效期不足换发",
        "passport_type": "普通",
        "passport_number": "ea1234567",  # the seeded numbers are E + 8 digits, so this one is new
        "issue_date": (today() - timedelta(days=10)).isoformat(),
        "expiry_date": (today() + timedelta(days=3650)).isoformat(),
        "issuing_authority": "公安部出入境管理局",
        "issue_place": "江苏",
    } | changes


def upload(w, application, slot) -> int:
    doc_id = int(attach(w.db, application, slot))
    act(followups.attach_upload, w.db, application.id, slot, doc_id, f"{slot}.jpg", me=w.me)
    return doc_id


def fill(w, application, *, delivery="mail", reason=None, passport=None, principal=None) -> dict:
    """Every step of the follow-up valid, as the wizard would save it."""
    me = principal or w.me
    kind = application.business_type
    _, form = act(followups.load, w.db, application.id, me=me)
    form["contact"] = dict(CONTACT)
    if kind == REPLACE:
        form["reason"] = reason or {"kind": "换卡", "reason": "获批更多经济体"}
    elif kind == CANCEL:
        form["reason"] = reason or {"reason": "持卡人离职"}
    elif kind == PASSPORT:
        form["passport"] = passport or new_passport()
    form["materials"] = {
        f"m{m.id}": attach(w.db, application, f"material:{m.id}")
        for m in applications.materials_for(w.db, kind, application.channel)
        if m.required
    }
    if delivery == "mail":
        form["delivery"] = {"method": "mail", "address_id": str(w.address.id)}
    elif delivery == "pickup":
        form["delivery"] = {"method": "pickup", "pickup_point_id": str(w.pickup.id)}
    act(followups.save_draft, w.db, application.id, form, me=me)
    return form


def review_act(w, application_id, action, **kwargs):
    return act(
        actions.act, w.db, application_id, action, **kwargs, version=version(w.db, application_id), me=w.reviewer
    )


def cards_of(db, person_id) -> list[Card]:
    fresh(db)
    return list(db.exec(select(Card).where(Card.person_id == person_id).order_by(col(Card.id))).all())


def decide_everything(w, parent):
    """Record every missing economy decision as approved: the parent reaches 全部经济体审核完成."""
    codes = [e.code for e in decisions.deciding(w.db)]
    for person in decisions.people(w.db, parent):
        have = set(w.db.exec(select(EconomyDecision.economy_code).where(EconomyDecision.person_id == person.id)).all())
        for code in codes:
            if code not in have:
                act(decisions.record_decision, w.db, parent.id, person.id, code, "approved", today(), me=w.reviewer)


# --- offers -----------------------------------------------------------------------------------------------


def test_offers_for_the_seeded_applications(world):
    w = world
    assert offered_names(w, w.waiting) == {EARLY: ["张伟", "李娜"], PASSPORT: ["张伟", "李娜"]}
    assert offered_names(w, w.done) == {REPLACE: ["王芳", "刘洋"], CANCEL: ["王芳", "刘洋"]}


def test_offers_follow_decisions_cards_and_parent_status(world):
    w, db = world, world.db
    for row in db.exec(select(EconomyDecision).where(EconomyDecision.person_id == w.li.id)).all():
        db.delete(row)
    db.flush()
    assert offered_names(w, w.waiting) == {EARLY: ["张伟"], PASSPORT: ["张伟", "李娜"]}
    # An expired card of 王芳, a cancelled one of 刘洋.
    wang_card, liu_card = cards.current_card(db, w.wang.id), cards.current_card(db, w.liu.id)
    wang_card.valid_until = today() - timedelta(days=1)
    liu_card.status = "cancelled"
    db.add_all([wang_card, liu_card])
    db.flush()
    assert offered_names(w, w.done) == {}
    wang_card.valid_until = today()  # valid through today
    db.add(wang_card)
    db.flush()
    assert offered_names(w, w.done) == {REPLACE: ["王芳"], CANCEL: ["王芳"]}
    # Once the parent has moved on, nothing is offered for its uncarded people.
    db.execute(update(Application).where(col(Application.id) == w.waiting.id).values(status=lifecycle.ECONOMIES_DONE))
    db.refresh(w.waiting)
    assert offered_names(w, w.waiting) == {}


def test_an_offer_names_the_economies_that_approved_the_person(world):
    w, db = world, world.db
    approving = sorted(
        db.exec(
            select(EconomyDecision.economy_code).where(
                EconomyDecision.person_id == w.zhang.id, EconomyDecision.decision == APPROVED
            )
        ).all()
    )
    assert len(approving) > 1
    found = act(offers.offers_for, db, [w.waiting], me=w.me)[w.waiting.id]
    named = {o.person.id: sorted(o.approved) for kind_offers in found.values() for o in kind_offers}
    assert named[w.zhang.id] == approving
    assert named[w.li.id] != []


@pytest.mark.parametrize("status", [lifecycle.DRAFT, lifecycle.REJECTED])
def test_no_offers_for_drafts_and_rejected_parents(world, status):
    w, db = world, world.db
    db.execute(update(Application).where(col(Application.id) == w.done.id).values(status=status))
    db.refresh(w.done)
    assert offered_names(w, w.done) == {}


def test_offers_only_for_the_owner(world):
    w, db = world, world.db
    stranger = principal_for_enterprise(db, make_enterprise(db))
    with pytest.raises(NotFound):
        act(offers.offers, db, w.waiting, me=stranger)


# --- start ------------------------------------------------------------------------------------------------


def test_start_creates_a_linked_draft_with_the_source_block(world):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    db.commit()
    fresh(db)
    app = db.get(Application, app.id)
    assert app.business_type == EARLY and app.status == lifecycle.DRAFT and app.number is None
    assert app.parent_application_id == w.waiting.id and app.source_person_id == w.zhang.id
    assert app.enterprise_id == w.ent.id and app.institution_id == w.waiting.institution_id == w.js.id
    assert app.channel == w.waiting.channel == "local" and app.creator_agent_id is None
    assert app.person_count == 1 and app.person_names == "张伟" and app.group_name == "赴日韩商务考察团"
    form = json.loads(app.form_json)
    mobile = json.loads(w.zhang.data_json)["mobile"]
    assert form["source"] == {
        "enterprise_name": w.ent.name,
        "uscc": w.ent.uscc,
        "name": "张伟",
        "pinyin": w.zhang.pinyin,
        "id_number": w.zhang.id_number,
        "mobile": mobile,
        "passport_number": w.zhang.passport_number,
    }
    assert mobile.startswith("139") and form["parent_number"] == w.waiting.number
    _, loaded = act(followups.load, db, app.id, me=w.me)
    assert loaded["source"]["name"] == "张伟"


@pytest.mark.parametrize(
    "parent, person, kind, code",
    [
        ("done", "wang", EARLY, "followup_not_allowed"),  # has a card, parent mailed
        ("done", "liu", PASSPORT, "followup_not_allowed"),
        ("waiting", "zhang", CANCEL, "followup_not_allowed"),  # no card yet
        ("waiting", "li", REPLACE, "followup_not_allowed"),
        ("waiting", "zhang", lifecycle.NEW_RENEW, "followup_not_allowed"),
        ("waiting", "zhang", "no_such_kind", "followup_not_allowed"),
    ],
)
def test_forged_start_for_an_ineligible_person_or_kind(world, parent, person, kind, code):
    w, db = world, world.db
    before = db.exec(select(Application.id)).all()
    with pytest.raises(Conflict) as exc:
        act(followups.start, db, getattr(w, parent).id, getattr(w, person).id, kind, me=w.me)
    assert exc.value.code == code
    assert db.exec(select(Application.id)).all() == before


def test_forged_early_card_without_an_approved_economy(world):
    w, db = world, world.db
    for row in db.exec(select(EconomyDecision).where(EconomyDecision.person_id == w.li.id)).all():
        row.decision = "refused"
        db.add(row)
    db.flush()
    with pytest.raises(Conflict) as exc:
        act(followups.start, db, w.waiting.id, w.li.id, EARLY, me=w.me)
    assert exc.value.code == "followup_no_economy_approved"
    assert act(followups.start, db, w.waiting.id, w.li.id, PASSPORT, me=w.me).source_person_id == w.li.id


def test_forged_start_after_the_card_was_cancelled(world):
    w, db = world, world.db
    card = cards.current_card(db, w.wang.id)
    card.status = "cancelled"
    db.add(card)
    db.flush()
    for kind in (REPLACE, CANCEL):
        with pytest.raises(Conflict) as exc:
            act(followups.start, db, w.done.id, w.wang.id, kind, me=w.me)
        assert exc.value.code == "followup_card_cancelled"


def test_start_for_a_person_of_another_application_or_a_missing_one(world):
    w, db = world, world.db
    with pytest.raises(NotFound):
        act(followups.start, db, w.waiting.id, w.wang.id, PASSPORT, me=w.me)  # 王芳 is on the mailed application
    with pytest.raises(NotFound):
        act(followups.start, db, w.done.id, w.zhang.id, REPLACE, me=w.me)
    with pytest.raises(NotFound):
        act(followups.start, db, w.waiting.id, 999_999, PASSPORT, me=w.me)
    with pytest.raises(NotFound):
        act(followups.start, db, 999_999, w.zhang.id, PASSPORT, me=w.me)


def test_another_enterprise_gets_not_found(world):
    w, db = world, world.db
    stranger = principal_for_enterprise(db, make_enterprise(db))
    with pytest.raises(NotFound):
        act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=stranger)
    mine = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    with pytest.raises(NotFound):
        act(followups.load, db, mine.id, me=stranger)
    with pytest.raises(NotFound):
        act(followups.save_draft, db, mine.id, {"contact": CONTACT}, me=stranger)


def test_agents_see_only_their_own_applications(world):
    w, db = world, world.db
    mine_agent, other_agent = make_agent(db, w.ent), make_agent(db, w.ent)
    w.waiting.creator_agent_id = mine_agent.id
    db.add(w.waiting)
    db.commit()
    mine, other = principal_for_agent(db, mine_agent), principal_for_agent(db, other_agent)
    with pytest.raises(NotFound):
        act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=other)
    with pytest.raises(NotFound):
        act(offers.offers, db, w.waiting, me=other)
    with pytest.raises(NotFound):  # the seeded mailed application was not created by an agent
        act(followups.start, db, w.done.id, w.wang.id, REPLACE, me=mine)
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=mine)
    assert app.creator_agent_id == mine_agent.id
    with pytest.raises(NotFound):
        act(followups.load, db, app.id, me=other)
    act(followups.load, db, app.id, me=w.me)  # the enterprise account sees its agents' applications


def test_staff_cannot_start(world):
    w = world
    with pytest.raises(PermissionDenied):
        act(followups.start, w.db, w.waiting.id, w.zhang.id, EARLY, me=w.reviewer)


def test_a_followup_is_not_a_parent(world):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    fill(w, app)
    act(followups.submit, db, app.id, me=w.me, today=today())
    own_person = db.exec(select(Person).where(Person.application_id == app.id)).one()
    with pytest.raises(Conflict) as exc:
        act(followups.start, db, app.id, own_person.id, PASSPORT, me=w.me)
    assert exc.value.code == "followup_not_allowed"
    assert act(offers.offers, db, db.get(Application, app.id), me=w.me) == {}


# --- conflicts --------------------------------------------------------------------------------------------


def test_replace_then_cancel_conflict_until_the_draft_is_deleted(world):
    w, db = world, world.db
    draft = act(followups.start, db, w.done.id, w.wang.id, REPLACE, me=w.me)
    for kind in (CANCEL, REPLACE):
        with pytest.raises(Conflict) as exc:
            act(followups.start, db, w.done.id, w.wang.id, kind, me=w.me)
        assert exc.value.code == "followup_in_progress"
    assert offered_names(w, w.done) == {REPLACE: ["刘洋"], CANCEL: ["刘洋"]}
    act(followups.start, db, w.done.id, w.liu.id, CANCEL, me=w.me)  # another person is not affected
    act(applications.delete_draft, db, draft.id, me=w.me)
    db.commit()
    assert db.get(Application, draft.id) is None
    cancel = act(followups.start, db, w.done.id, w.wang.id, CANCEL, me=w.me)
    assert cancel.business_type == CANCEL and cancel.source_person_id == w.wang.id


def test_early_card_and_passport_change_exclude_each_other_while_open(world):
    w, db = world, world.db
    early = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    for kind in (PASSPORT, EARLY):
        with pytest.raises(Conflict) as exc:
            act(followups.start, db, w.waiting.id, w.zhang.id, kind, me=w.me)
        assert exc.value.code == "followup_in_progress"
    fill(w, early)
    act(followups.submit, db, early.id, me=w.me, today=today())
    with pytest.raises(Conflict):  # still open under review
        act(followups.start, db, w.waiting.id, w.zhang.id, PASSPORT, me=w.me)
    review_act(w, early.id, "reject", reason="材料不符")
    assert db.get(Application, early.id).status == lifecycle.REJECTED
    assert act(followups.start, db, w.waiting.id, w.zhang.id, PASSPORT, me=w.me).business_type == PASSPORT


def test_submit_checks_eligibility_again(world):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    fill(w, app)
    db.execute(update(Application).where(col(Application.id) == w.waiting.id).values(status=lifecycle.ECONOMIES_DONE))
    with pytest.raises(Conflict) as exc:
        act(followups.submit, db, app.id, me=w.me, today=today())
    assert exc.value.code == "followup_not_allowed"
    assert db.get(Application, app.id).status == lifecycle.DRAFT


def test_own_draft_does_not_block_its_submission(world):
    w, db = world, world.db
    app = act(followups.start, db, w.done.id, w.wang.id, CANCEL, me=w.me)
    fill(w, app)
    submitted = act(followups.submit, db, app.id, me=w.me, today=today())
    assert submitted.status == lifecycle.FAO_REVIEW and submitted.number.startswith("APEC")
    again = act(followups.submit, db, app.id, me=w.me, today=today())  # double click
    assert again.number == submitted.number and again.status == lifecycle.FAO_REVIEW


# --- drafts -----------------------------------------------------------------------------------------------


def test_save_draft_keeps_the_source_and_ignores_upload_fields(world):
    w, db = world, world.db
    app = act(followups.start, db, w.done.id, w.wang.id, REPLACE, me=w.me)
    foreign = attach(db, w.done, "statement")  # a document of another application
    forged = {
        "source": {"name": "伪造", "passport_number": "E00000000"},
        "parent_number": "APEC0000",
        "contact": CONTACT | {"extra": "x"},
        "reason": {"kind": "补卡", "reason": "遗失", "statement_doc": foreign, "statement_name": "forged.jpg"},
        "passport": {"passport_number": "E11111111", "passport_page_doc": foreign, "passport_page_name": "p.jpg"},
        "delivery": {"method": "mail", "address_id": str(w.address.id), "evil": "1"},
        "unknown_section": {"a": "b"},
    }
    act(followups.save_draft, db, app.id, forged, me=w.me)
    stored = form_of(db, app.id)
    assert stored["source"]["name"] == "王芳" and stored["source"]["passport_number"] == w.wang.passport_number
    assert stored["parent_number"] == w.done.number
    assert stored["contact"] == CONTACT
    assert stored["reason"]["kind"] == "补卡" and stored["reason"]["reason"] == "遗失"
    assert stored["reason"]["statement_doc"] == "" and stored["reason"]["statement_name"] == ""
    assert stored["passport"]["passport_page_doc"] == "" and stored["passport"]["passport_number"] == "E11111111"
    assert "evil" not in stored["delivery"] and "unknown_section" not in stored
    with pytest.raises(StepErrors) as exc:
        act(followups.submit, db, app.id, me=w.me, today=today())
    assert exc.value.step == 1 and exc.value.errors == {"reason.statement_doc": "upload_required"}
    # After a real upload, a later save cannot point the slot elsewhere or clear it.
    doc_id = upload(w, app, "statement")
    act(followups.save_draft, db, app.id, forged | {"reason": forged["reason"] | {"statement_doc": ""}}, me=w.me)
    stored = form_of(db, app.id)
    assert stored["reason"]["statement_doc"] == str(doc_id) and stored["reason"]["statement_name"] == "statement.jpg"
    assert stored["source"]["name"] == "王芳"


def test_attach_upload_only_for_own_documents_and_known_slots(world):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.li.id, PASSPORT, me=w.me)
    foreign = int(attach(db, w.waiting, "passport_page"))
    with pytest.raises(NotFound):
        act(followups.attach_upload, db, app.id, "passport_page", foreign, "p.jpg", me=w.me)
    own = int(attach(db, app, "passport_page"))
    with pytest.raises(InvalidInput):
        act(followups.attach_upload, db, app.id, "contact_name", own, "p.jpg", me=w.me)
    act(followups.attach_upload, db, app.id, "passport_page", own, "p.jpg", me=w.me)
    assert form_of(db, app.id)["passport"]["passport_page_doc"] == str(own)


def test_materials_must_be_documents_of_the_followup(world):
    w, db = world, world.db
    app = act(followups.start, db, w.done.id, w.liu.id, CANCEL, me=w.me)
    form = fill(w, app)
    material = next(m for m in applications.materials_for(db, CANCEL, "local") if m.required)
    form["materials"] = {f"m{material.id}": attach(db, w.done, f"material:{material.id}")}
    act(followups.save_draft, db, app.id, form, me=w.me)
    with pytest.raises(StepErrors) as exc:
        act(followups.submit, db, app.id, me=w.me, today=today())
    assert exc.value.step == 2 and exc.value.errors == {f"materials.{material.id}": "upload_required"}


def test_submit_reports_the_first_bad_step(world):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    with pytest.raises(StepErrors) as exc:
        act(followups.submit, db, app.id, me=w.me, today=today())
    assert exc.value.step == 1 and set(exc.value.errors) == {"contact.contact_name", "contact.contact_phone"}
    fill(w, app, delivery="")
    with pytest.raises(StepErrors) as exc:
        act(followups.submit, db, app.id, me=w.me, today=today())
    assert exc.value.step == 3 and exc.value.errors == {"delivery.method": "required"}
    fill(w, app, delivery="pickup")
    assert act(followups.submit, db, app.id, me=w.me, today=today()).status == lifecycle.FAO_REVIEW


def test_passport_change_validation_in_the_service(world):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.li.id, PASSPORT, me=w.me)
    fill(w, app, passport=new_passport(passport_number=w.li.passport_number.lower()))
    with pytest.raises(StepErrors) as exc:
        act(followups.submit, db, app.id, me=w.me, today=today())
    assert exc.value.step == 1
    assert exc.value.errors == {
        "passport.passport_number": "passport_unchanged",
        "passport.passport_page_doc": "upload_required",
    }


def test_submitted_followups_are_not_editable(world):
    w, db = world, world.db
    app = act(followups.start, db, w.done.id, w.liu.id, CANCEL, me=w.me)
    fill(w, app)
    act(followups.submit, db, app.id, me=w.me, today=today())
    with pytest.raises(Conflict) as exc:
        act(followups.save_draft, db, app.id, {"contact": CONTACT}, me=w.me)
    assert exc.value.code == "application_not_editable"
    with pytest.raises(Conflict):
        act(applications.delete_draft, db, app.id, me=w.me)
    with pytest.raises(NotFound):  # followups.load only opens follow-ups
        act(followups.load, db, w.waiting.id, me=w.me)


# --- full flows through the reviewer's actions ------------------------------------------------------------


@pytest.mark.parametrize("delivery", ["mail", "pickup"])
def test_early_card_flow(world, delivery):
    w, db = world, world.db
    assert EARLY in offered_names(w, w.waiting)
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    fill(w, app, delivery=delivery)
    act(followups.submit, db, app.id, me=w.me, today=today())
    db.commit()
    assert db.get(Application, app.id).status == lifecycle.FAO_REVIEW
    assert [p.id_number for p in decisions.people(db, app)] == [w.zhang.id_number]
    review_act(w, app.id, "approve")
    assert db.get(Application, app.id).status == lifecycle.APPROVED
    assert cards_of(db, w.zhang.id) == []
    assert lifecycle.staff_actions(lifecycle.APPROVED, business_type=EARLY, delivery=delivery) == ["start_production"]
    review_act(w, app.id, "start_production")
    assert db.get(Application, app.id).status == lifecycle.CARD_PRODUCTION
    (card,) = cards_of(db, w.zhang.id)
    assert card.application_id == app.id and card.status == "producing"
    assert set(card.approved_economies.split(",")) == {"JP", "KR"}
    assert card.valid_until == card_valid_until(today(), w.zhang.passport_expiry)
    assert cards_of(db, w.li.id) == []
    # The person now has a card in production: no early card, no passport change, and no replace/cancel yet.
    assert offered_names(w, w.waiting) == {EARLY: ["李娜"], PASSPORT: ["李娜"]}
    if delivery == "mail":
        with pytest.raises(Conflict) as exc:
            review_act(w, app.id, "card_ready")
        assert exc.value.code == "delivery_mismatch"
        review_act(w, app.id, "mail", tracking_number="SF0000000001")
        assert db.get(Application, app.id).status == lifecycle.MAILED
    else:
        with pytest.raises(Conflict):
            review_act(w, app.id, "mail", tracking_number="SF0000000001")
        review_act(w, app.id, "card_ready")
        assert cards_of(db, w.zhang.id)[0].status == "ready"
        assert db.get(Application, w.waiting.id).early_card_done is False  # not in the holder's hands yet
        review_act(w, app.id, "picked_up")
        assert db.get(Application, app.id).status == lifecycle.PICKED_UP
    (card,) = cards_of(db, w.zhang.id)
    assert card.status == ("mailed" if delivery == "mail" else "picked_up")
    parent = db.get(Application, w.waiting.id)
    assert parent.early_card_done is True and parent.status == lifecycle.ECONOMY_REVIEW
    label = messages_zh.status_label(parent.status, parent.early_card_done)
    assert label.endswith("，已提前制卡") and label.startswith(messages_zh.status_label(parent.status))
    assert offered_names(w, w.waiting) == {
        EARLY: ["李娜"],
        REPLACE: ["张伟"],
        PASSPORT: ["李娜"],
        CANCEL: ["张伟"],
    }
    with pytest.raises(Conflict):
        act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)


def test_parent_production_after_an_early_card_makes_no_second_card(world):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    fill(w, app)
    act(followups.submit, db, app.id, me=w.me, today=today())
    for action in ("approve", "start_production"):
        review_act(w, app.id, action)
    review_act(w, app.id, "mail", tracking_number="SF0000000001")
    decide_everything(w, w.waiting)
    parent = db.get(Application, w.waiting.id)
    assert parent.status == lifecycle.ECONOMIES_DONE
    assert messages_zh.status_label(parent.status, parent.early_card_done).endswith("，已提前制卡")
    review_act(w, w.waiting.id, "start_production")
    review_act(w, w.waiting.id, "mail", tracking_number="SF0000000002")
    (early,) = cards_of(db, w.zhang.id)
    assert early.application_id == app.id and early.tracking_number == "SF0000000001" and early.status == "mailed"
    (li_card,) = cards_of(db, w.li.id)
    assert li_card.application_id == w.waiting.id and li_card.tracking_number == "SF0000000002"
    assert len(li_card.approved_economies.split(",")) == len(decisions.deciding(db))


def test_early_card_approved_but_not_produced_when_the_parent_produces(world):
    """Whatever the order of the two productions, one person holds at most one valid card."""
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    fill(w, app)
    act(followups.submit, db, app.id, me=w.me, today=today())
    review_act(w, app.id, "approve")  # approved, waiting for production
    decide_everything(w, w.waiting)
    review_act(w, w.waiting.id, "start_production")
    try:
        review_act(w, app.id, "start_production")
    except Conflict:
        pass  # refusing the second production is one acceptable answer
    live = [c for c in cards_of(db, w.zhang.id) if c.status != "replaced"]
    assert len(live) == 1
    assert db.get(Application, app.id).status == lifecycle.REJECTED  # closed, with the reason, by the production


@pytest.mark.parametrize("reached", ["submitted", "returned", "approved"])
def test_parent_production_ends_an_early_card_not_yet_in_production(world, reached):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    fill(w, app)
    act(followups.submit, db, app.id, me=w.me, today=today())
    if reached == "returned":
        review_act(w, app.id, "return", reason="请补充")
    elif reached == "approved":
        review_act(w, app.id, "approve")
    draft = act(followups.start, db, w.waiting.id, w.li.id, EARLY, me=w.me)  # never submitted
    decide_everything(w, w.waiting)
    review_act(w, w.waiting.id, "start_production")
    fresh(db)
    early = db.get(Application, app.id)
    assert early.status == lifecycle.REJECTED
    event = db.exec(
        select(StatusEvent).where(StatusEvent.application_id == app.id).order_by(col(StatusEvent.id).desc())
    ).first()
    assert event.to_status == lifecycle.REJECTED and event.reason == "原申请单已开始制卡，无需提前制卡"
    with pytest.raises(Conflict):
        review_act(w, app.id, "start_production")
    (card,) = cards_of(db, w.zhang.id)
    assert card.application_id == w.waiting.id
    # The unsubmitted draft stays a draft, and can no longer be submitted.
    assert db.get(Application, draft.id).status == lifecycle.DRAFT
    fill(w, draft)
    with pytest.raises(Conflict) as exc:
        act(followups.submit, db, draft.id, me=w.me, today=today())
    assert exc.value.code == "followup_not_allowed"


def test_parent_production_leaves_an_early_card_in_production_alone(world):
    w, db = world, world.db
    app = act(followups.start, db, w.waiting.id, w.zhang.id, EARLY, me=w.me)
    fill(w, app)
    act(followups.submit, db, app.id, me=w.me, today=today())
    review_act(w, app.id, "approve")
    review_act(w, app.id, "start_production")
    decide_everything(w, w.waiting)
    review_act(w, w.waiting.id, "start_production")
    assert db.get(Application, app.id).status == lifecycle.CARD_PRODUCTION
    (card,) = cards_of(db, w.zhang.id)
    assert card.application_id == app.id
    review_act(w, app.id, "mail", tracking_number="SF0000000003")
    assert cards_of(db, w.zhang.id)[0].status == "mailed"
    assert db.get(Application, w.waiting.id).early_card_done is True


def test_replace_flow(world):
    w, db = world, world.db
    old = cards.current_card(db, w.wang.id)
    old_valid, old_id = old.valid_until, old.id
    app = act(followups.start, db, w.done.id, w.wang.id, REPLACE, me=w.me)
    fill(w, app, delivery="pickup", reason={"kind": "补卡", "reason": "遗失", "note": "出差遗失"})
    upload(w, app, "statement")
    act(followups.submit, db, app.id, me=w.me, today=today())
    db.commit()
    assert db.get(Application, app.id).status == lifecycle.FAO_REVIEW
    assert offered_names(w, w.done) == {REPLACE: ["刘洋"], CANCEL: ["刘洋"]}  # 王芳's replacement is open
    review_act(w, app.id, "approve")
    assert db.get(Application, app.id).status == lifecycle.AWAITING_PAYMENT
    desk = act(payments.cashier, db, app.id, me=w.me)
    assert desk.breakdown.total_fen == 72_000 + 5_000  # one person, through a 外办
    pay(db, w.me, app.id)
    assert db.get(Application, app.id).status == lifecycle.PAYMENT_REVIEW
    review_act(w, app.id, "confirm_payment")
    assert db.get(Application, app.id).status == lifecycle.APPROVED
    assert db.exec(select(Payment).where(Payment.application_id == app.id)).one().status == "confirmed"
    assert [c.id for c in cards_of(db, w.wang.id)] == [old_id]  # nothing made before production
    review_act(w, app.id, "start_production")
    assert db.get(Application, app.id).status == lifecycle.CARD_PRODUCTION
    old_card, new_card = cards_of(db, w.wang.id)
    assert old_card.id == old_id and old_card.status == "replaced"
    assert new_card.application_id == app.id and new_card.status == "producing"
    assert new_card.valid_until == old_valid
    assert cards.current_card(db, w.wang.id).id == new_card.id
    assert offered_names(w, w.done) == {REPLACE: ["刘洋"], CANCEL: ["刘洋"]}
    review_act(w, app.id, "card_ready")
    review_act(w, app.id, "picked_up")
    assert db.get(Application, app.id).status == lifecycle.PICKED_UP
    old_card, new_card = cards_of(db, w.wang.id)
    assert old_card.status == "replaced" and new_card.status == "picked_up"
    # 刘洋's card is untouched, and 王芳 may replace or cancel the new card.
    assert [c.status for c in cards_of(db, w.liu.id)] == ["mailed"]
    assert offered_names(w, w.done) == {REPLACE: ["王芳", "刘洋"], CANCEL: ["王芳", "刘洋"]}


def test_passport_change_flow(world):
    w, db = world, world.db
    old_number, old_expiry = w.li.passport_number, w.li.passport_expiry
    new_expiry = today() + timedelta(days=3200)
    app = act(followups.start, db, w.waiting.id, w.li.id, PASSPORT, me=w.me)
    fill(w, app, passport=new_passport(expiry_date=new_expiry.isoformat(), passport_type="普通"))
    page = upload(w, app, "passport_page")
    submitted = act(followups.submit, db, app.id, me=w.me, today=today())
    db.commit()
    assert submitted.status == lifecycle.FAO_REVIEW
    (person,) = decisions.people(db, app)
    assert person.passport_number == "EA1234567" and person.passport_expiry == new_expiry
    assert person.id_number == w.li.id_number and f"{person.surname}{person.given_name}" == "李娜"
    assert json.loads(person.data_json)["passport_page_doc"] == str(page)
    fresh(db)
    assert db.get(Person, w.li.id).passport_number == old_number  # nothing changes before approval
    review_act(w, app.id, "approve")
    assert db.get(Application, app.id).status == lifecycle.APPROVED
    assert lifecycle.staff_actions(lifecycle.APPROVED, business_type=PASSPORT, delivery="") == []
    fresh(db)
    li = db.get(Person, w.li.id)
    assert li.passport_number == "EA1234567" and li.passport_expiry == new_expiry and li.passport_expiry != old_expiry
    data = json.loads(li.data_json)
    assert data["passport_number"] == "EA1234567" and data["expiry_date"] == new_expiry.isoformat()
    assert data["issue_date"] == (today() - timedelta(days=10)).isoformat()
    (entry,) = data["passport_history"]
    assert entry["passport_number"] == old_number and entry["expiry_date"] == old_expiry.isoformat()
    assert entry["application_number"] == submitted.number
    parent_people = json.loads(db.get(Application, w.waiting.id).form_json)["people"]
    assert parent_people[li.seq - 1]["passport_number"] == "EA1234567"
    assert parent_people[li.seq - 1]["expiry_date"] == new_expiry.isoformat()
    assert parent_people[li.seq - 1]["surname"] == "李"  # the rest of the entry is kept
    assert parent_people[w.zhang.seq - 1]["passport_number"] == w.zhang.passport_number
    assert db.get(Person, w.zhang.id).passport_number == w.zhang.passport_number
    # Closed once approved: 李娜 may change again (or get an early card), now from the new number.
    assert offered_names(w, w.waiting) == {EARLY: ["张伟", "李娜"], PASSPORT: ["张伟", "李娜"]}
    again = act(followups.start, db, w.waiting.id, w.li.id, PASSPORT, me=w.me)
    assert json.loads(again.form_json)["source"]["passport_number"] == "EA1234567"
    fill(w, again, passport=new_passport(passport_number="EA1234567"))
    upload(w, again, "passport_page")
    with pytest.raises(StepErrors) as exc:
        act(followups.submit, db, again.id, me=w.me, today=today())
    assert exc.value.errors == {"passport.passport_number": "passport_unchanged"}


def test_cancel_flow(world):
    w, db = world, world.db
    app = act(followups.start, db, w.done.id, w.liu.id, CANCEL, me=w.me)
    fill(w, app, delivery="", reason={"reason": "其他", "note": ""})
    with pytest.raises(StepErrors) as exc:
        act(followups.submit, db, app.id, me=w.me, today=today())
    assert exc.value.errors == {"reason.note": "required"}
    fill(w, app, delivery="", reason={"reason": "其他", "note": "公司业务调整"})
    act(followups.submit, db, app.id, me=w.me, today=today())
    assert cards.current_card(db, w.liu.id).status == "mailed"  # not before approval
    with pytest.raises(Conflict):  # nothing to pay
        act(payments.cashier, db, app.id, me=w.me)
    review_act(w, app.id, "approve")
    assert db.get(Application, app.id).status == lifecycle.APPROVED
    with pytest.raises(Conflict):
        review_act(w, app.id, "start_production")
    (card,) = cards_of(db, w.liu.id)
    assert card.status == "cancelled"
    assert [c.status for c in cards_of(db, w.wang.id)] == ["mailed"]
    assert offered_names(w, w.done) == {REPLACE: ["王芳"], CANCEL: ["王芳"]}
    for kind in (REPLACE, CANCEL):
        with pytest.raises(Conflict) as exc:
            act(followups.start, db, w.done.id, w.liu.id, kind, me=w.me)
        assert exc.value.code == "followup_card_cancelled"
    for kind in (EARLY, PASSPORT):
        with pytest.raises(Conflict) as exc:
            act(followups.start, db, w.done.id, w.liu.id, kind, me=w.me)
        assert exc.value.code == "followup_not_allowed"


def test_reviewer_of_another_institution_cannot_act_on_followups(world):
    w, db = world, world.db
    app = act(followups.start, db, w.done.id, w.liu.id, CANCEL, me=w.me)
    fill(w, app)
    act(followups.submit, db, app.id, me=w.me, today=today())
    other = staff_principal(db, "rev_mfa", "reviewer", "MFA")
    with pytest.raises(NotFound):
        act(actions.act, db, app.id, "approve", version=version(db, app.id), me=other)
    assert cards.current_card(db, w.liu.id).status == "mailed"


def test_returned_followup_can_be_fixed_and_resubmitted(world):
    w, db = world, world.db
    app = act(followups.start, db, w.done.id, w.wang.id, REPLACE, me=w.me)
    fill(w, app)
    first = act(followups.submit, db, app.id, me=w.me, today=today())
    review_act(w, app.id, "return", reason="请补充说明")
    assert db.get(Application, app.id).status == lifecycle.RETURNED
    with pytest.raises(Conflict):  # a returned follow-up is still open
        act(followups.start, db, w.done.id, w.wang.id, CANCEL, me=w.me)
    fill(w, app, reason={"kind": "换卡", "reason": "持卡人信息变更", "note": "已补充"})
    again = act(followups.submit, db, app.id, me=w.me, today=today())
    assert again.status == lifecycle.FAO_REVIEW and again.number == first.number
    assert len(decisions.people(db, app)) == 1
    assert form_of(db, app.id)["reason"]["note"] == "已补充"


def test_documents_of_a_deleted_draft_are_released(world):
    w, db = world, world.db
    app = act(followups.start, db, w.done.id, w.wang.id, REPLACE, me=w.me)
    doc_id = upload(w, app, "statement")
    act(applications.delete_draft, db, app.id, me=w.me)
    assert db.get(Document, doc_id).application_id is None
    assert act(followups.start, db, w.done.id, w.wang.id, CANCEL, me=w.me).source_person_id == w.wang.id
