import json

import pytest
from sqlmodel import select

from apec_app.domain import lifecycle
from apec_app.models import Application, Message, Person, StatusEvent
from apec_app.services.applications import filing as applications
from apec_app.services.applications.filing import StepErrors
from apec_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import (
    TODAY,
    act,
    filled,
    make_agent,
    make_enterprise,
    principal_for_agent,
    principal_for_enterprise,
    setup_institutions,
)


@pytest.fixture()
def world(db):
    mfa, js = setup_institutions(db)
    ent = make_enterprise(db)
    return {"db": db, "mfa": mfa, "js": js, "ent": ent, "me": principal_for_enterprise(db, ent)}


def test_local_enterprise_must_choose_a_fao(world):
    db, me = world["db"], world["me"]
    with pytest.raises(InvalidInput) as exc:
        act(applications.start, db, None, me=me)
    assert exc.value.errors == {"institution_id": "institution_required"}
    with pytest.raises(InvalidInput):
        act(applications.start, db, world["mfa"].id, me=me)  # not a 外办
    application = act(applications.start, db, world["js"].id, me=me)
    assert application.channel == "local" and application.institution_id == world["js"].id


def test_central_enterprise_goes_to_the_ministry_whatever_it_sends(world):
    db = world["db"]
    ent = make_enterprise(db, nature="中央企业")
    application = act(applications.start, db, world["js"].id, me=principal_for_enterprise(db, ent))
    assert application.channel == "direct" and application.institution_id == world["mfa"].id


def test_draft_is_prefilled_and_keeps_name_and_code_from_the_account(world):
    db, me, ent = world["db"], world["me"], world["ent"]
    application = act(applications.start, db, world["js"].id, me=me)
    _, form = act(applications.load_form, db, application.id, me=me)
    assert form["unit"]["uscc"] == ent.uscc and len(form["people"]) == 1
    form["unit"]["name"] = "伪造名称"
    form["unit"]["phone"] = "not yet valid"
    act(applications.save_draft, db, application.id, form, me=me)
    _, saved = act(applications.load_form, db, application.id, me=me)
    assert saved["unit"]["name"] == ent.name and saved["unit"]["phone"] == "not yet valid"


def test_submit_numbers_records_and_notifies_once(world):
    db, me = world["db"], world["me"]
    application = filled(db, me, world["js"].id, people=2)
    submitted = act(applications.submit, db, application.id, me=me, today=TODAY)
    db.commit()
    assert submitted.status == lifecycle.FAO_REVIEW
    assert submitted.number.startswith("APEC") and len(submitted.number) == 18
    again = act(applications.submit, db, application.id, me=me, today=TODAY)  # double click / second tab
    db.commit()
    assert again.number == submitted.number
    assert len(db.exec(select(StatusEvent).where(StatusEvent.application_id == application.id)).all()) == 1
    assert len(db.exec(select(Person).where(Person.application_id == application.id)).all()) == 2
    assert len(db.exec(select(Message).where(Message.application_id == application.id)).all()) == 1


def test_numbers_increase_within_a_day(world):
    db, me = world["db"], world["me"]
    first = act(applications.submit, db, filled(db, me, world["js"].id).id, me=me, today=TODAY)
    second = act(applications.submit, db, filled(db, me, world["js"].id).id, me=me, today=TODAY)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_invalid_steps_are_reported_with_the_first_bad_step(world):
    db, me = world["db"], world["me"]
    application = act(applications.start, db, world["js"].id, me=me)
    with pytest.raises(StepErrors) as exc:
        act(applications.submit, db, application.id, me=me, today=TODAY)
    assert exc.value.step == 1 and "unit.staff_count" in exc.value.errors
    assert db.get(Application, application.id).status == lifecycle.DRAFT


def test_same_person_cannot_be_in_two_open_applications(world):
    db, me = world["db"], world["me"]
    first = filled(db, me, world["js"].id)
    act(applications.submit, db, first.id, me=me, today=TODAY)
    person = json.loads(db.get(Application, first.id).form_json)["people"][0]
    second = filled(db, me, world["js"].id)
    _, form = act(applications.load_form, db, second.id, me=me)
    form["people"][0]["id_number"] = person["id_number"]
    act(applications.save_draft, db, second.id, form, me=me)
    with pytest.raises(StepErrors) as exc:
        act(applications.submit, db, second.id, me=me, today=TODAY)
    assert exc.value.errors == {"people.0.id_number": "id_in_open_application"}


def test_documents_of_another_application_cannot_be_borrowed(world):
    db, me = world["db"], world["me"]
    donor = filled(db, me, world["js"].id)
    _, donor_form = act(applications.load_form, db, donor.id, me=me)
    thief = filled(db, me, world["js"].id)
    _, form = act(applications.load_form, db, thief.id, me=me)
    form["people"][0]["photo_doc"] = donor_form["people"][0]["photo_doc"]
    act(applications.save_draft, db, thief.id, form, me=me)
    with pytest.raises(StepErrors) as exc:
        act(applications.submit, db, thief.id, me=me, today=TODAY)
    assert exc.value.errors == {"people.0.photo_doc": "upload_required"}


def test_withdraw_returns_to_draft_until_review_starts(world):
    db, me = world["db"], world["me"]
    application = filled(db, me, world["js"].id)
    act(applications.submit, db, application.id, me=me, today=TODAY)
    withdrawn = act(applications.withdraw, db, application.id, me=me)
    assert withdrawn.status == lifecycle.DRAFT and withdrawn.number
    with pytest.raises(Conflict):
        act(applications.withdraw, db, application.id, me=me)
    act(applications.submit, db, application.id, me=me, today=TODAY)
    row = db.get(Application, application.id)
    row.review_started_at = row.submitted_at
    db.add(row)
    with pytest.raises(PermissionDenied):
        act(applications.withdraw, db, application.id, me=me)


def test_submitted_application_is_no_longer_editable(world):
    db, me = world["db"], world["me"]
    application = filled(db, me, world["js"].id)
    act(applications.submit, db, application.id, me=me, today=TODAY)
    with pytest.raises(Conflict):
        act(applications.save_draft, db, application.id, {}, me=me)


def test_agents_see_only_their_own_and_other_enterprises_see_nothing(world):
    db, me, ent = world["db"], world["me"], world["ent"]
    agent_a, agent_b = make_agent(db, ent), make_agent(db, ent)
    as_a, as_b = principal_for_agent(db, agent_a), principal_for_agent(db, agent_b)
    mine = act(applications.start, db, world["js"].id, me=as_a)
    db.commit()
    assert [a.id for a in act(applications.list_applications, db, lifecycle.NEW_RENEW, me=as_a)[0]] == [mine.id]
    assert act(applications.list_applications, db, lifecycle.NEW_RENEW, me=as_b)[0] == []
    assert [a.id for a in act(applications.list_applications, db, lifecycle.NEW_RENEW, me=me)[0]] == [mine.id]
    with pytest.raises(NotFound):
        act(applications.load_form, db, mine.id, me=as_b)
    stranger = principal_for_enterprise(db, make_enterprise(db))
    for call in (
        lambda: act(applications.load_form, db, mine.id, me=stranger),
        lambda: act(applications.save_draft, db, mine.id, {}, me=stranger),
        lambda: act(applications.submit, db, mine.id, me=stranger, today=TODAY),
        lambda: act(applications.withdraw, db, mine.id, me=stranger),
    ):
        with pytest.raises(NotFound):
            call()
    assert act(applications.list_applications, db, lifecycle.NEW_RENEW, me=stranger)[1] == 0


def test_list_search_and_pagination(world):
    db, me = world["db"], world["me"]
    ids = []
    for i in range(12):
        application = act(applications.start, db, world["js"].id, me=me)
        _, form = act(applications.load_form, db, application.id, me=me)
        form["group"] = {"group_name": f"考察团{i:02d}"}
        act(applications.save_draft, db, application.id, form, me=me)
        ids.append(application.id)
    db.commit()
    page1, total = act(applications.list_applications, db, lifecycle.NEW_RENEW, me=me)
    page2, total2 = act(applications.list_applications, db, lifecycle.NEW_RENEW, page=2, me=me)
    assert total == total2 == 12 and len(page1) == 10 and len(page2) == 2
    assert act(applications.list_applications, db, lifecycle.NEW_RENEW, page=3, me=me) == ([], 12)  # past the end
    found, count = act(applications.list_applications, db, lifecycle.NEW_RENEW, search="考察团07", me=me)
    assert count == 1 and found[0].id == ids[7]
    assert act(applications.list_applications, db, lifecycle.EARLY_CARD, me=me)[1] == 0


def test_only_unsubmitted_drafts_can_be_deleted_by_their_owner(world):
    db, me = world["db"], world["me"]
    draft = act(applications.start, db, world["js"].id, me=me)
    stranger = principal_for_enterprise(db, make_enterprise(db))
    with pytest.raises(NotFound):
        act(applications.delete_draft, db, draft.id, me=stranger)
    act(applications.delete_draft, db, draft.id, me=me)
    assert db.get(Application, draft.id) is None
    submitted = filled(db, me, world["js"].id)
    act(applications.submit, db, submitted.id, me=me, today=TODAY)
    with pytest.raises(Conflict):
        act(applications.delete_draft, db, submitted.id, me=me)
