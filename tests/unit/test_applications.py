import json

import pytest
from sqlmodel import select

from apec_app.domain import lifecycle
from apec_app.models import Application, Message, Person, StatusEvent
from apec_app.services.accounts import auth
from apec_app.services.applications import filing as applications
from apec_app.services.applications.filing import StepErrors
from apec_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.app_factories import TODAY, setup_institutions, valid_form
from tests.factories import PASSWORD, make_agent, make_enterprise


def principal_for_enterprise(db, ent):
    return auth.resolve_session(db, auth.sign_in_enterprise(db, ent.email, PASSWORD).token)


def principal_for_agent(db, agent):
    return auth.resolve_session(db, auth.sign_in_agent(db, agent.username, PASSWORD).token)


@pytest.fixture()
def world(db):
    mfa, js = setup_institutions(db)
    ent = make_enterprise(db)
    return {"db": db, "mfa": mfa, "js": js, "ent": ent, "me": principal_for_enterprise(db, ent)}


def filled(db, me, institution_id, people=1):
    application = applications.start(db, me, institution_id)
    _, base = applications.load_form(db, me, application.id)
    applications.save_draft(db, me, application.id, valid_form(db, application, base, people))
    db.commit()
    return application


def test_local_enterprise_must_choose_a_fao(world):
    db, me = world["db"], world["me"]
    with pytest.raises(InvalidInput) as exc:
        applications.start(db, me, None)
    assert exc.value.errors == {"institution_id": "institution_required"}
    with pytest.raises(InvalidInput):
        applications.start(db, me, world["mfa"].id)  # not a 外办
    application = applications.start(db, me, world["js"].id)
    assert application.channel == "local" and application.institution_id == world["js"].id


def test_central_enterprise_goes_to_the_ministry_whatever_it_sends(world):
    db = world["db"]
    ent = make_enterprise(db, nature="中央企业")
    application = applications.start(db, principal_for_enterprise(db, ent), world["js"].id)
    assert application.channel == "direct" and application.institution_id == world["mfa"].id


def test_draft_is_prefilled_and_keeps_name_and_code_from_the_account(world):
    db, me, ent = world["db"], world["me"], world["ent"]
    application = applications.start(db, me, world["js"].id)
    _, form = applications.load_form(db, me, application.id)
    assert form["unit"]["uscc"] == ent.uscc and len(form["people"]) == 1
    form["unit"]["name"] = "伪造名称"
    form["unit"]["phone"] = "not yet valid"
    applications.save_draft(db, me, application.id, form)
    _, saved = applications.load_form(db, me, application.id)
    assert saved["unit"]["name"] == ent.name and saved["unit"]["phone"] == "not yet valid"


def test_submit_numbers_records_and_notifies_once(world):
    db, me = world["db"], world["me"]
    application = filled(db, me, world["js"].id, people=2)
    submitted = applications.submit(db, me, application.id, TODAY)
    db.commit()
    assert submitted.status == lifecycle.FAO_REVIEW
    assert submitted.number.startswith("APEC") and len(submitted.number) == 18
    again = applications.submit(db, me, application.id, TODAY)  # double click / second tab
    db.commit()
    assert again.number == submitted.number
    assert len(db.exec(select(StatusEvent).where(StatusEvent.application_id == application.id)).all()) == 1
    assert len(db.exec(select(Person).where(Person.application_id == application.id)).all()) == 2
    assert len(db.exec(select(Message).where(Message.application_id == application.id)).all()) == 1


def test_numbers_increase_within_a_day(world):
    db, me = world["db"], world["me"]
    first = applications.submit(db, me, filled(db, me, world["js"].id).id, TODAY)
    second = applications.submit(db, me, filled(db, me, world["js"].id).id, TODAY)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_invalid_steps_are_reported_with_the_first_bad_step(world):
    db, me = world["db"], world["me"]
    application = applications.start(db, me, world["js"].id)
    with pytest.raises(StepErrors) as exc:
        applications.submit(db, me, application.id, TODAY)
    assert exc.value.step == 1 and "unit.staff_count" in exc.value.errors
    assert db.get(Application, application.id).status == lifecycle.DRAFT


def test_same_person_cannot_be_in_two_open_applications(world):
    db, me = world["db"], world["me"]
    first = filled(db, me, world["js"].id)
    applications.submit(db, me, first.id, TODAY)
    person = json.loads(db.get(Application, first.id).form_json)["people"][0]
    second = filled(db, me, world["js"].id)
    _, form = applications.load_form(db, me, second.id)
    form["people"][0]["id_number"] = person["id_number"]
    applications.save_draft(db, me, second.id, form)
    with pytest.raises(StepErrors) as exc:
        applications.submit(db, me, second.id, TODAY)
    assert exc.value.errors == {"people.0.id_number": "id_in_open_application"}


def test_documents_of_another_application_cannot_be_borrowed(world):
    db, me = world["db"], world["me"]
    donor = filled(db, me, world["js"].id)
    _, donor_form = applications.load_form(db, me, donor.id)
    thief = filled(db, me, world["js"].id)
    _, form = applications.load_form(db, me, thief.id)
    form["people"][0]["photo_doc"] = donor_form["people"][0]["photo_doc"]
    applications.save_draft(db, me, thief.id, form)
    with pytest.raises(StepErrors) as exc:
        applications.submit(db, me, thief.id, TODAY)
    assert exc.value.errors == {"people.0.photo_doc": "upload_required"}


def test_withdraw_returns_to_draft_until_review_starts(world):
    db, me = world["db"], world["me"]
    application = filled(db, me, world["js"].id)
    applications.submit(db, me, application.id, TODAY)
    withdrawn = applications.withdraw(db, me, application.id)
    assert withdrawn.status == lifecycle.DRAFT and withdrawn.number
    with pytest.raises(Conflict):
        applications.withdraw(db, me, application.id)
    applications.submit(db, me, application.id, TODAY)
    row = db.get(Application, application.id)
    row.review_started_at = row.submitted_at
    db.add(row)
    with pytest.raises(PermissionDenied):
        applications.withdraw(db, me, application.id)


def test_submitted_application_is_no_longer_editable(world):
    db, me = world["db"], world["me"]
    application = filled(db, me, world["js"].id)
    applications.submit(db, me, application.id, TODAY)
    with pytest.raises(Conflict):
        applications.save_draft(db, me, application.id, {})


def test_agents_see_only_their_own_and_other_enterprises_see_nothing(world):
    db, me, ent = world["db"], world["me"], world["ent"]
    agent_a, agent_b = make_agent(db, ent), make_agent(db, ent)
    as_a, as_b = principal_for_agent(db, agent_a), principal_for_agent(db, agent_b)
    mine = applications.start(db, as_a, world["js"].id)
    db.commit()
    assert [a.id for a in applications.list_applications(db, as_a, lifecycle.NEW_RENEW)[0]] == [mine.id]
    assert applications.list_applications(db, as_b, lifecycle.NEW_RENEW)[0] == []
    assert [a.id for a in applications.list_applications(db, me, lifecycle.NEW_RENEW)[0]] == [mine.id]
    with pytest.raises(NotFound):
        applications.load_form(db, as_b, mine.id)
    stranger = principal_for_enterprise(db, make_enterprise(db))
    for call in (
        lambda: applications.load_form(db, stranger, mine.id),
        lambda: applications.save_draft(db, stranger, mine.id, {}),
        lambda: applications.submit(db, stranger, mine.id, TODAY),
        lambda: applications.withdraw(db, stranger, mine.id),
    ):
        with pytest.raises(NotFound):
            call()
    assert applications.list_applications(db, stranger, lifecycle.NEW_RENEW)[1] == 0


def test_list_search_and_pagination(world):
    db, me = world["db"], world["me"]
    ids = []
    for i in range(12):
        application = applications.start(db, me, world["js"].id)
        _, form = applications.load_form(db, me, application.id)
        form["group"] = {"group_name": f"考察团{i:02d}"}
        applications.save_draft(db, me, application.id, form)
        ids.append(application.id)
    db.commit()
    page1, total = applications.list_applications(db, me, lifecycle.NEW_RENEW)
    page2, _ = applications.list_applications(db, me, lifecycle.NEW_RENEW, page=2)
    assert total == 12 and len(page1) == 10 and len(page2) == 2
    found, count = applications.list_applications(db, me, lifecycle.NEW_RENEW, search="考察团07")
    assert count == 1 and found[0].id == ids[7]
    assert applications.list_applications(db, me, lifecycle.EARLY_CARD)[1] == 0


def test_only_unsubmitted_drafts_can_be_deleted_by_their_owner(world):
    db, me = world["db"], world["me"]
    draft = applications.start(db, me, world["js"].id)
    stranger = principal_for_enterprise(db, make_enterprise(db))
    with pytest.raises(NotFound):
        applications.delete_draft(db, stranger, draft.id)
    applications.delete_draft(db, me, draft.id)
    assert db.get(Application, draft.id) is None
    submitted = filled(db, me, world["js"].id)
    applications.submit(db, me, submitted.id, TODAY)
    with pytest.raises(Conflict):
        applications.delete_draft(db, me, submitted.id)
