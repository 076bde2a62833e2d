"""续办 window, the reminder schedule, the prefilled renewal draft and the reminder job (no duplicates, also when
two workers run it at once)."""

import json
import threading
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from apec_app.domain import renewal
from apec_app.models import Application, Card, Document, Message, Person, Reminder
from apec_app.models.base import utcnow
from apec_app.services.applications import renewals
from apec_app.services.errors import Conflict, NotFound
from apec_app.services.messaging import reminders
from apec_app.services.operations import demo_followups
from tests.factories import (
    act,
    attach,
    make_agent,
    make_enterprise,
    principal_for_agent,
    principal_for_enterprise,
    setup_institutions,
    uow_for,
)

EXPIRY = date(2027, 6, 30)


@pytest.mark.parametrize(
    ("today", "open_"),
    [
        (date(2026, 12, 29), False),
        (date(2026, 12, 30), True),  # exactly 6 months before
        (date(2027, 6, 30), True),
        (date(2027, 9, 1), True),  # expired: still renewed, not started afresh
    ],
)
def test_renewal_window_opens_six_months_before_expiry(today, open_):
    assert renewal.renewable("picked_up", EXPIRY, today) is open_
    assert renewal.renewable("mailed", EXPIRY, today) is open_


@pytest.mark.parametrize("status", ["producing", "ready", "cancelled", "replaced"])
def test_only_a_card_in_the_holders_hands_is_renewed(status):
    assert not renewal.renewable(status, EXPIRY, date(2027, 6, 1))


def test_month_arithmetic_keeps_month_ends():
    assert renewal.renewal_opens(date(2027, 8, 31)) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("today", "sent", "due"),
    [
        (date(2026, 12, 29), set(), None),
        (date(2026, 12, 30), set(), "6m"),
        (date(2026, 12, 30), {"6m"}, None),
        (date(2027, 3, 30), {"6m"}, "3m"),
        (date(2027, 5, 1), set(), "3m"),  # first seen 2 months before: one reminder, the latest threshold
        (date(2027, 5, 30), {"6m", "3m"}, "1m"),
        (date(2027, 5, 30), {"1m"}, None),
        (date(2027, 4, 1), {"1m"}, None),  # never an older reminder after a newer one
        (date(2027, 7, 1), set(), None),  # expired
    ],
)
def test_expiry_reminder_schedule(today, sent, due):
    assert renewal.due_expiry_reminder(EXPIRY, today, sent) == due


def test_passport_reminder_when_the_passport_ends_before_the_card():
    today = date(2026, 1, 1)
    assert renewal.passport_reminder_due(date(2027, 1, 1), EXPIRY, today, set())
    assert not renewal.passport_reminder_due(date(2027, 1, 1), EXPIRY, today, {"passport"})
    assert not renewal.passport_reminder_due(EXPIRY, EXPIRY, today, set())
    assert not renewal.passport_reminder_due(None, EXPIRY, today, set())


# --- services ---------------------------------------------------------------------------------------------


@pytest.fixture()
def world(db):
    _, js = setup_institutions(db)
    enterprise = make_enterprise(db)
    act(demo_followups.seed, db, enterprise.email)
    db.commit()
    chen = db.exec(select(Person).where(Person.surname == "陈")).one()
    card = db.exec(select(Card).where(Card.person_id == chen.id)).one()
    return enterprise, chen, card


def test_my_cards_lists_current_cards_and_which_are_renewable(db, world):
    enterprise, chen, card = world
    rows = act(renewals.my_cards, db, me=principal_for_enterprise(db, enterprise), today=utcnow().date())
    holders = {f"{r.person.surname}{r.person.given_name}": r.renewable for r in rows}
    assert holders == {"陈静": True, "王芳": False, "刘洋": False}  # 王芳/刘洋's cards run ~5 more years


def test_renewal_prefills_the_person_but_not_the_fresh_documents(db, world):
    enterprise, chen, card = world
    last = db.get(Application, chen.application_id)
    data = json.loads(chen.data_json)
    data["passport_page_doc"], data["photo_doc"] = attach(db, last, "passport_page"), attach(db, last, "photo")
    chen.data_json = json.dumps(data, ensure_ascii=False)
    db.add(chen)
    db.commit()
    principal = principal_for_enterprise(db, enterprise)

    draft = act(renewals.start, db, card.id, me=principal, today=utcnow().date())
    db.commit()

    form = json.loads(draft.form_json)
    person = form["people"][0]
    assert draft.status == "draft" and draft.business_type == "new_renew"
    assert draft.institution_id == last.institution_id
    for key in ("surname", "given_name", "pinyin", "id_number", "passport_number", "expiry_date", "mobile"):
        assert person[key] == data[key]
    assert person["old_card"] == "是"
    assert person["photo_doc"] == "" and person["social_security_doc"] == ""
    copied = db.get(Document, int(person["passport_page_doc"]))
    assert (
        copied.application_id == draft.id
        and copied.storage_key == db.get(Document, int(data["passport_page_doc"])).storage_key
    )
    assert form["unit"]["name"] == enterprise.name and form["unit"]["staff_count"] == "120"
    # Started once: the holder is now in an open 新办/续办 draft, so no second renewal.
    with pytest.raises(Conflict):
        act(renewals.start, db, card.id, me=principal, today=utcnow().date())


def test_a_changed_passport_page_is_not_carried_over(db, world):
    enterprise, chen, card = world
    last = db.get(Application, chen.application_id)
    data = json.loads(chen.data_json)
    data["passport_page_doc"] = attach(db, last, "passport_page")
    data["passport_history"] = [
        {
            "passport_number": "E00000001",
            "replaced_on": "2026-01-01",
            "application_number": "APEC20260101000001",
            "expiry_date": "",
        }
    ]
    chen.data_json = json.dumps(data, ensure_ascii=False)
    db.add(chen)
    db.commit()
    draft = act(renewals.start, db, card.id, me=principal_for_enterprise(db, enterprise), today=utcnow().date())
    person = json.loads(draft.form_json)["people"][0]
    assert person["passport_page_doc"] == "" and "passport_history" not in person


def test_renewal_refused_outside_the_window_and_for_others(db, world):
    enterprise, chen, card = world
    wang_card = db.exec(select(Card).join(Person, Person.id == Card.person_id).where(Person.surname == "王")).one()
    with pytest.raises(Conflict):
        act(renewals.start, db, wang_card.id, me=principal_for_enterprise(db, enterprise), today=utcnow().date())
    stranger = make_enterprise(db)
    with pytest.raises(NotFound):
        act(renewals.start, db, card.id, me=principal_for_enterprise(db, stranger), today=utcnow().date())
    agent = make_agent(db, enterprise)  # an agent sees only the applications it created
    with pytest.raises(NotFound):
        act(renewals.start, db, card.id, me=principal_for_agent(db, agent), today=utcnow().date())
    card.status = "cancelled"
    db.add(card)
    db.commit()
    with pytest.raises(Conflict):
        act(renewals.start, db, card.id, me=principal_for_enterprise(db, enterprise), today=utcnow().date())


def _reminders_for(db, card) -> list[str]:
    return sorted(db.exec(select(Reminder.kind).where(Reminder.card_id == card.id)).all())


def test_reminder_job_sends_each_reminder_once(db, world):
    enterprise, chen, card = world
    today = utcnow().date()
    assert act(reminders.send_due, db, today=today) >= 1
    db.commit()
    assert _reminders_for(db, card) == ["6m"]
    messages = db.exec(select(Message).where(Message.title == "APEC商务旅行卡即将到期")).all()
    assert len(messages) == 1 and "陈静" in messages[0].body and messages[0].enterprise_id == enterprise.id
    assert act(reminders.send_due, db, today=today) == 0  # the next run finds nothing new
    db.commit()
    later = card.valid_until - timedelta(days=20)
    assert act(reminders.send_due, db, today=later) == 1
    db.commit()
    assert _reminders_for(db, card) == ["1m", "6m"]


def test_passport_shorter_than_card_is_reminded(db, world):
    enterprise, chen, card = world
    chen.passport_expiry = card.valid_until - timedelta(days=10)
    db.add(chen)
    db.commit()
    act(reminders.send_due, db, today=utcnow().date())
    db.commit()
    assert "passport" in _reminders_for(db, card)


def test_two_workers_at_once_send_one_reminder(engine, db, world):
    """Both workers read 'nothing sent yet' and try; the unique key lets one message through."""
    enterprise, chen, card = world
    today = utcnow().date()
    barrier = threading.Barrier(2)
    results = []

    def worker():
        with Session(engine) as session:
            session.exec(select(Reminder)).all()  # both have looked before either writes
            barrier.wait()
            results.append(reminders.send_due(uow_for(session, today=today)))
            session.commit()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engine) as session:
        sent = session.exec(select(Reminder).where(Reminder.card_id == card.id)).all()
        titles = session.exec(select(Message).where(Message.title == "APEC商务旅行卡即将到期")).all()
    assert len(sent) == 1 and len(titles) == 1
    assert sorted(results) == [0, 1]  # both ran to the end; one sent, the other found it sent
