"""APEC economies deciding themselves: their officers' queue and decisions, their API (idempotent by the
client's id, each item on its own), their tokens (hashed, revocable, rate limited), and one economy never
reading or deciding for another."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from apec_app.domain import lifecycle
from apec_app.integrations import storage
from apec_app.models import (
    Application,
    Document,
    EconomyApiDecision,
    EconomyApiToken,
    EconomyDecision,
    Message,
    OutboxEmail,
    SecurityEvent,
)
from apec_app.services.accounts import auth, staff, throttle
from apec_app.services.applications import filing
from apec_app.services.economies import api, api_tokens, queue
from apec_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ServiceError
from apec_app.services.principal import ECONOMY, ECONOMY_API
from apec_app.services.review import actions, decisions
from apec_app.services.review.decisions import EconomyItem
from apec_app.services.settings import back_office
from tests.factories import (
    STAFF_PASSWORD,
    TODAY,
    filled,
    make_enterprise,
    pay,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)

DAY = TODAY - timedelta(days=3)
JPEG = b"\xff\xd8\xff\xe0 a photo"


def run(db, who, use_case, *args, client_ip: str = "", **kwargs):
    uow = uow_for(db, who, today=TODAY, client_ip=client_ip)
    result = use_case(uow, *args, **kwargs)
    uow.complete()
    return result


def officer(db, username: str, economy: str):
    staff.create_staff(
        db, username=username, name=f"{economy} officer", password=STAFF_PASSWORD, role="economy", economy_code=economy
    )
    signed = auth.sign_in_staff(uow_for(db), username, STAFF_PASSWORD)
    return auth.resolve_session(db, signed.token, now=uow_for(db).now())


def token_principal(db, admin, economy: str):
    made = run(db, admin, api_tokens.create_token, f"{economy} border system", economy_code=economy)
    return made, run(db, None, api_tokens.authenticate, f"Bearer {made.token}")


@pytest.fixture()
def case(db):
    _, js = setup_institutions(db)
    ent = make_enterprise(db)
    me = principal_for_enterprise(db, ent)
    application = filled(db, me, js.id, people=2)
    run(db, me, filing.submit, application.id)
    reviewer = staff_principal(db, "rev_js", "reviewer", "JS")
    for action in ("approve", "confirm_payment"):
        if action == "confirm_payment":
            pay(db, me, application.id)
        db.expire_all()
        version = db.get(Application, application.id).version
        run(db, reviewer, actions.act, application.id, action, version=version)
    db.commit()
    assert db.get(Application, application.id).status == lifecycle.ECONOMY_REVIEW
    people = decisions.people(db, application)
    admin = staff_principal(db, "admin1", "admin")
    return {
        "db": db,
        "app": application,
        "people": people,
        "admin": admin,
        "jp": officer(db, "jp_officer", "JP"),
        "kr": officer(db, "kr_officer", "KR"),
    }


def messages(db, application_id: int) -> list[Message]:
    """The messages about economies' decisions on the application (not its earlier status changes)."""
    rows = db.exec(select(Message).where(Message.application_id == application_id)).all()
    return [m for m in rows if m.title.endswith("APEC经济体审核结果")]


# --- officers -------------------------------------------------------------------------------------------------


def test_an_officer_signs_in_at_the_staff_sign_in_as_its_economy(case):
    jp = case["jp"]
    assert jp.kind == ECONOMY and jp.economy_code == "JP" and jp.role == "economy"


def test_the_queue_shows_only_what_pre_clearance_needs(case):
    db = case["db"]
    found = run(db, case["jp"], queue.queue)
    assert found.economy_code == "JP" and found.deciding and found.total == 2
    assert [p.person_id for p in found.people] == [p.id for p in case["people"]]
    fields = {f.name for f in dataclasses.fields(queue.PendingPerson)}
    assert fields == {
        "person_id", "ref", "surname", "given_name", "latin_surname", "latin_given_names", "sex", "birth_date",
        "nationality", "passport_number", "passport_expiry", "has_photo", "waiting_since",
    }  # fmt: skip
    first, person = found.people[0], case["people"][0]
    assert first.passport_number == person.passport_number and first.sex in ("M", "F")
    assert first.nationality == "CHN" and first.birth_date == person.birth_date
    assert first.has_photo  # the form's photo, served only through queue.photo
    stored = storage.save_private(JPEG)
    photo_doc = db.get(Document, int(json.loads(person.data_json)["photo_doc"]))
    photo_doc.storage_key = stored.key
    db.add(photo_doc)
    db.commit()
    assert run(db, case["jp"], queue.photo, person.id) == (JPEG, "image/jpeg")


def test_officers_decide_in_bulk_through_the_reviewers_service_with_one_message_and_audit(case):
    db, app, people = case["db"], case["app"], case["people"]
    outcomes = run(db, case["jp"], queue.decide, [EconomyItem(p.id, "approved", DAY) for p in people])
    assert outcomes == ["", ""]
    rows = db.exec(select(EconomyDecision).where(EconomyDecision.application_id == app.id)).all()
    assert {(r.person_id, r.economy_code, r.decision, r.recorded_by) for r in rows} == {
        (p.id, "JP", "approved", case["jp"].label) for p in people
    }
    [message] = messages(db, app.id)
    for p in people:
        assert f"{p.surname}{p.given_name}" in message.body
    assert "日本" in message.body
    emails = [e for e in db.exec(select(OutboxEmail)).all() if "APEC经济体审核结果" in e.subject]
    assert len(emails) == 1 and all(f"{p.surname}{p.given_name}" in emails[0].body for p in people)
    audit = db.exec(select(SecurityEvent).where(SecurityEvent.action == "economy_decision")).all()
    assert len(audit) == 2 and all(a.detail.startswith("JP (portal)") for a in audit)
    assert all(a.actor == case["jp"].label for a in audit)


def test_one_economy_never_sees_or_decides_for_another(case):
    db, people = case["db"], case["people"]
    run(db, case["jp"], queue.decide, [EconomyItem(people[0].id, "refused", DAY)])
    assert [p.person_id for p in run(db, case["jp"], queue.queue).people] == [people[1].id]
    assert [p.person_id for p in run(db, case["kr"], queue.queue).people] == [p.id for p in people]
    # KR's decision is KR's, whatever it sends: the economy is the principal's.
    assert run(db, case["kr"], queue.decide, [EconomyItem(people[0].id, "approved", DAY)]) == [""]
    codes = {(r.person_id, r.economy_code, r.decision) for r in db.exec(select(EconomyDecision)).all()}
    assert codes == {(people[0].id, "JP", "refused"), (people[0].id, "KR", "approved")}
    # JP cannot decide again on someone it decided, and sees no photo of them.
    assert run(db, case["jp"], queue.decide, [EconomyItem(people[0].id, "approved", DAY)]) == ["not_found"]
    with pytest.raises(ServiceError):
        run(db, case["jp"], queue.photo, people[0].id)


def test_per_item_failures_leave_the_rest_recorded(case):
    db, people = case["db"], case["people"]
    items = [
        EconomyItem(people[0].id, "approved", TODAY + timedelta(days=1)),
        EconomyItem(999_999, "approved", DAY),
        EconomyItem(people[1].id, "maybe", DAY),
        EconomyItem(people[1].id, "approved", DAY),
        EconomyItem(people[1].id, "refused", DAY),
    ]
    assert run(db, case["jp"], queue.decide, items) == [
        "date_future", "not_found", "decision_invalid", "", "decision_exists",
    ]  # fmt: skip
    assert [(r.person_id, r.decision) for r in db.exec(select(EconomyDecision)).all()] == [(people[1].id, "approved")]


def test_a_transitional_economy_decides_nothing(case):
    db = case["db"]
    us = officer(db, "us_officer", "US")
    assert run(db, us, queue.queue).deciding is False
    person = case["people"][0]
    photo_doc = db.get(Document, int(json.loads(person.data_json)["photo_doc"]))
    photo_doc.storage_key = storage.save_private(JPEG).key
    db.add(photo_doc)
    db.commit()
    assert run(db, case["jp"], queue.photo, person.id) == (JPEG, "image/jpeg")
    with pytest.raises(NotFound):  # and sees no one's photo, whatever person id it asks for
        run(db, us, queue.photo, person.id)
    with pytest.raises(PermissionDenied):
        run(db, us, queue.decide, [EconomyItem(case["people"][0].id, "approved", DAY)])


def test_staff_and_applicants_are_not_economies(case):
    db = case["db"]
    for who in (case["admin"], None):
        with pytest.raises(PermissionDenied):
            run(db, who, queue.queue)
        with pytest.raises(PermissionDenied):
            run(db, who, queue.decide, [EconomyItem(case["people"][0].id, "approved", DAY)])


def test_admins_create_officers_for_a_deciding_economy_only(case):
    db, admin = case["db"], case["admin"]
    args = dict(username="sg_officer", name="SG", password=STAFF_PASSWORD, role="economy", institution_code="")
    with pytest.raises(InvalidInput) as missing:
        run(db, admin, back_office.create_staff_account, **args)
    assert missing.value.errors["economy"] == "required"
    with pytest.raises(InvalidInput):
        run(db, admin, back_office.create_staff_account, **args, economy_code="CN")
    made = run(db, admin, back_office.create_staff_account, **args, economy_code="sg")
    assert made.economy_code == "SG" and made.institution_id is None
    listed = {r.username: r for r in run(db, admin, back_office.list_staff)}
    assert listed["sg_officer"].economy_code == "SG" and listed["sg_officer"].role == "economy"


def test_a_deactivated_officer_is_signed_out_at_once(case):
    db, admin = case["db"], case["admin"]
    signed = auth.sign_in_staff(uow_for(db), "jp_officer", STAFF_PASSWORD)
    assert auth.resolve_session(db, signed.token, now=uow_for(db).now()).kind == ECONOMY
    run(db, admin, back_office.set_staff_active, case["jp"].id, False)
    assert auth.resolve_session(db, signed.token, now=uow_for(db).now()) is None


# --- tokens ---------------------------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_kept_as_its_hash(case):
    db = case["db"]
    made, principal = token_principal(db, case["admin"], "JP")
    assert made.token.startswith("abtc_") and len(made.token) > 40
    row = db.get(EconomyApiToken, made.id)
    assert row.token_hash == hashlib.sha256(made.token.encode()).hexdigest()
    assert made.token not in (row.token_hash, row.prefix, row.label) and made.token.startswith(row.prefix)
    assert principal.kind == ECONOMY_API and principal.economy_code == "JP"
    listed = run(db, case["admin"], api_tokens.list_tokens)
    assert [(t.id, t.economy_code) for t in listed] == [(made.id, "JP")]
    assert not any(made.token in str(v) for t in listed for v in dataclasses.astuple(t))


def test_a_revoked_or_wrong_token_is_refused(case):
    db = case["db"]
    made, _ = token_principal(db, case["admin"], "JP")
    for header in (f"Bearer {made.token}x", made.token, f"Basic {made.token}", ""):
        with pytest.raises(ServiceError) as refused:
            run(db, None, api_tokens.authenticate, header)
        assert refused.value.code == "api_unauthorized"
    run(db, case["admin"], api_tokens.revoke_token, made.id)
    with pytest.raises(ServiceError) as revoked:
        run(db, None, api_tokens.authenticate, f"Bearer {made.token}")
    assert revoked.value.code == "api_unauthorized"
    assert db.get(EconomyApiToken, made.id).revoked_at is not None


def test_tokens_are_issued_by_admins_for_a_real_economy_only(case):
    db = case["db"]
    for code in ("CN", "XX", ""):
        with pytest.raises(InvalidInput):
            run(db, case["admin"], api_tokens.create_token, "label", economy_code=code)
    reviewer = staff_principal(db, "rev_other", "reviewer", "JS")
    with pytest.raises(PermissionDenied):
        run(db, reviewer, api_tokens.create_token, "label", economy_code="JP")
    # An officer manages its own economy's tokens only, whatever it names.
    own = run(db, case["jp"], api_tokens.create_token, "mine", economy_code="KR")
    assert db.get(EconomyApiToken, own.id).economy_code == "JP"


def test_a_token_is_rate_limited(case, monkeypatch):
    db = case["db"]
    monkeypatch.setattr(api_tokens, "PER_TOKEN", throttle.Limit("economy_api", 3, timedelta(minutes=1)))
    made, _ = token_principal(db, case["admin"], "JP")  # the first request
    for _ in range(2):
        run(db, None, api_tokens.authenticate, f"Bearer {made.token}")
    with pytest.raises(ServiceError) as limited:
        run(db, None, api_tokens.authenticate, f"Bearer {made.token}")
    assert limited.value.code == "rate_limited" and limited.value.params["seconds"] > 0
    other, _ = token_principal(db, case["admin"], "KR")  # another token has its own count
    assert other.token != made.token


def test_wrong_tokens_are_rate_limited_per_client_address(case, monkeypatch):
    db = case["db"]
    monkeypatch.setattr(api_tokens, "BAD_TOKENS_PER_IP", throttle.Limit("economy_api_bad", 2, timedelta(minutes=10)))
    codes = []
    for _ in range(3):
        with pytest.raises(ServiceError) as refused:
            run(db, None, api_tokens.authenticate, "Bearer abtc_guess", client_ip="203.0.113.9")
        codes.append(refused.value.code)
    assert codes == ["api_unauthorized", "api_unauthorized", "rate_limited"]


# --- the API's decisions ----------------------------------------------------------------------------------------


def _item(client_id: str, ref: str, decision: str = "approved", day: date = DAY) -> api.Submitted:
    return api.parse_item({"id": client_id, "person": ref, "decision": decision, "decided_on": day.isoformat()})


def test_the_same_client_id_twice_is_replayed_and_different_content_is_rejected(case):
    db, app, people = case["db"], case["app"], case["people"]
    _, jp = token_principal(db, case["admin"], "JP")
    ref = queue.person_ref("JP", people[0].id)
    first = run(db, jp, api.submit, [_item("jp-0001", ref)])
    assert first == [api.Outcome("jp-0001", api.RECORDED)]
    again = run(db, jp, api.submit, [_item("jp-0001", ref)])
    assert again == [api.Outcome("jp-0001", api.REPLAYED)]
    changed = run(db, jp, api.submit, [_item("jp-0001", ref, "refused")])
    assert changed == [api.Outcome("jp-0001", api.REJECTED, "api_id_reused")]
    assert len(db.exec(select(EconomyDecision)).all()) == 1
    assert len(db.exec(select(EconomyApiDecision)).all()) == 1
    assert len(messages(db, app.id)) == 1  # the replay told nobody anything again
    audit = db.exec(select(SecurityEvent).where(SecurityEvent.action == "economy_decision")).one()
    assert audit.detail.startswith("JP (api)") and audit.actor == jp.label


def test_a_batch_reports_each_item_and_records_the_good_ones(case):
    db, app, people = case["db"], case["app"], case["people"]
    _, jp = token_principal(db, case["admin"], "JP")
    ref0, ref1 = (queue.person_ref("JP", p.id) for p in people)
    raw = [
        {"id": "a", "person": ref0, "decision": "approved", "decided_on": DAY.isoformat()},
        {"id": "b", "person": "12345-notamac", "decision": "approved", "decided_on": DAY.isoformat()},
        {"id": "c", "person": ref1, "decision": "approved", "decided_on": (TODAY + timedelta(days=2)).isoformat()},
        {"id": "d", "person": ref1, "decision": "yes", "decided_on": DAY.isoformat()},
        {"id": "a", "person": ref1, "decision": "approved", "decided_on": DAY.isoformat()},
        {"id": "e", "person": ref1, "decision": "approved", "decided_on": "01/02/2026"},
        {"id": "bad id!", "person": ref1, "decision": "approved", "decided_on": DAY.isoformat()},
        "not an object",
        {"id": "f", "person": ref1, "decision": "refused", "decided_on": DAY.isoformat()},
    ]
    outcomes = run(db, jp, api.submit, [api.parse_item(r) for r in raw])
    assert [(o.client_id, o.status, o.error) for o in outcomes] == [
        ("a", "recorded", ""),
        ("b", "rejected", "not_found"),
        ("c", "rejected", "date_future"),
        ("d", "rejected", "decision_invalid"),
        ("a", "rejected", "api_duplicate_id"),
        ("e", "rejected", "api_date"),
        ("", "rejected", "api_client_id"),
        ("", "rejected", "api_item_shape"),
        ("f", "recorded", ""),
    ]
    decided = {(r.person_id, r.decision) for r in db.exec(select(EconomyDecision)).all()}
    assert decided == {(people[0].id, "approved"), (people[1].id, "refused")}
    [message] = messages(db, app.id)  # one message for the batch, naming both
    assert all(f"{p.surname}{p.given_name}" in message.body for p in people)


def test_a_token_of_one_economy_cannot_read_or_decide_anothers_people(case):
    db, people = case["db"], case["people"]
    _, jp = token_principal(db, case["admin"], "JP")
    _, kr = token_principal(db, case["admin"], "KR")
    jp_refs = [p.ref for p in run(db, jp, queue.queue).people]
    kr_refs = [p.ref for p in run(db, kr, queue.queue).people]
    assert len(jp_refs) == len(kr_refs) == 2 and not set(jp_refs) & set(kr_refs)
    assert queue.person_of("KR", jp_refs[0]) is None and queue.person_of("JP", jp_refs[0]) == people[0].id
    # KR sends JP's reference: unknown to KR, and nothing is decided for anyone.
    assert run(db, kr, api.submit, [_item("kr-1", jp_refs[0])]) == [api.Outcome("kr-1", api.REJECTED, "not_found")]
    assert db.exec(select(EconomyDecision)).all() == []
    # JP decides; KR still sees both people waiting for KR, and nothing of JP's decision.
    run(db, jp, api.submit, [_item("jp-1", jp_refs[0], "refused")])
    after = run(db, kr, queue.queue).people
    assert [p.person_id for p in after] == [p.id for p in people]
    # The same client id in another economy is that economy's own.
    assert run(db, kr, api.submit, [_item("jp-1", kr_refs[0])]) == [api.Outcome("jp-1", api.RECORDED)]


def test_the_cursor_pages_through_the_queue(case):
    db = case["db"]
    _, jp = token_principal(db, case["admin"], "JP")
    first = run(db, jp, queue.queue, after=0, limit=1)
    second = run(db, jp, queue.queue, after=first.people[0].person_id, limit=1)
    third = run(db, jp, queue.queue, after=second.people[0].person_id, limit=1)
    assert [p.person_id for p in (*first.people, *second.people)] == [p.id for p in case["people"]]
    assert third.people == [] and first.total == 2


def test_the_queue_finds_people_by_name(case):
    db, people = case["db"], case["people"]
    first = people[0]
    latin = first.pinyin.split()[-1]
    assert [p.person_id for p in run(db, case["jp"], queue.queue, search=latin.lower()).people] == [
        p.id for p in people if latin in p.pinyin.split()
    ]
    chinese = run(db, case["jp"], queue.queue, search=first.surname + first.given_name)
    assert first.id in [p.person_id for p in chinese.people]
    assert run(db, case["jp"], queue.queue, search="NOBODY%").people == []


def test_a_parallel_request_that_used_the_same_id_refuses_this_one_whole(case, monkeypatch):
    db, people = case["db"], case["people"]
    made, jp = token_principal(db, case["admin"], "JP")
    db.commit()
    decide = queue.decide

    def decide_while_another_request_records_the_id(uow, items, channel="portal"):
        outcomes = decide(uow, items, channel)
        uow.db.add(EconomyApiDecision(economy_code="JP", client_id="race-1", token_id=made.id,
                                      person_id=people[1].id, decision="approved", decided_on=DAY))  # fmt: skip
        return outcomes

    monkeypatch.setattr(queue, "decide", decide_while_another_request_records_the_id)
    with pytest.raises(Conflict):
        run(db, jp, api.submit, [_item("race-1", queue.person_ref("JP", people[0].id))])
    db.rollback()
    assert db.exec(select(EconomyDecision)).all() == []
