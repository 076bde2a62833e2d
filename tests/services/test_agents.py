import pytest
from sqlmodel import select

from apec_app.models import Agent
from apec_app.models.base import utcnow
from apec_app.services.accounts import agents, auth
from apec_app.services.accounts.agents import AgentForm
from apec_app.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.factories import PASSWORD, act, make_agent, make_enterprise

FORM = AgentForm(
    name="周经办", username="Zhou_01", password="Agent#Pass2026", mobile="13912345678", email="zhou@example.com"
)


def owner(db, ent):
    return auth.resolve_session(db, act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token, now=utcnow())


def test_enterprise_adds_edits_and_deletes_its_agent(db):
    ent = make_enterprise(db)
    me = owner(db, ent)
    agent = act(agents.add_agent, db, FORM, me=me)
    assert agent.username == "zhou_01" and agent.authorised
    assert act(auth.sign_in_agent, db, "zhou_01", "Agent#Pass2026").ok
    act(agents.edit_agent, db, agent.id, AgentForm(**{**FORM.__dict__, "mobile": "13700000000", "password": ""}), me=me)
    assert db.get(Agent, agent.id).mobile == "13700000000"
    assert act(auth.sign_in_agent, db, "zhou_01", "Agent#Pass2026").ok  # empty password keeps the old one
    act(agents.delete_agent, db, agent.id, me=me)
    assert act(agents.list_agents, db, me=me) == []
    assert not act(auth.sign_in_agent, db, "zhou_01", "Agent#Pass2026").ok
    act(agents.add_agent, db, FORM, me=me)  # the username is free again


def test_bad_agent_input_is_reported_per_field(db):
    me = owner(db, make_enterprise(db))
    with pytest.raises(InvalidInput) as exc:
        act(agents.add_agent, db, AgentForm(name="", username="1x", password="short", mobile="123", email="bad"), me=me)
    assert set(exc.value.errors) == {"name", "username", "password", "mobile", "email"}
    assert db.exec(select(Agent)).all() == []


def test_usernames_are_unique_across_enterprises(db):
    act(agents.add_agent, db, FORM, me=owner(db, make_enterprise(db)))
    with pytest.raises(InvalidInput) as exc:
        act(
            agents.add_agent,
            db,
            AgentForm(**{**FORM.__dict__, "username": "ZHOU_01"}),
            me=owner(db, make_enterprise(db)),
        )
    assert exc.value.errors == {"username": "username_taken"}


def test_other_enterprise_cannot_touch_an_agent(db):
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    intruder = owner(db, make_enterprise(db))
    for action in (
        lambda: act(agents.set_authorised, db, agent.id, False, me=intruder),
        lambda: act(agents.delete_agent, db, agent.id, me=intruder),
        lambda: act(agents.edit_agent, db, agent.id, FORM, me=intruder),
    ):
        with pytest.raises(NotFound):
            action()
    assert db.get(Agent, agent.id).authorised and db.get(Agent, agent.id).deleted_at is None


def test_agents_cannot_manage_agents(db):
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    as_agent = auth.resolve_session(db, act(auth.sign_in_agent, db, agent.username, PASSWORD).token, now=utcnow())
    with pytest.raises(PermissionDenied):
        act(agents.list_agents, db, me=as_agent)
    with pytest.raises(PermissionDenied):
        act(agents.add_agent, db, FORM, me=as_agent)


def test_reauthorised_agent_can_sign_in_again(db):
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    me = owner(db, ent)
    act(agents.set_authorised, db, agent.id, False, me=me)
    assert act(auth.sign_in_agent, db, agent.username, PASSWORD).code == "agent_not_authorised"
    act(agents.set_authorised, db, agent.id, True, me=me)
    assert act(auth.sign_in_agent, db, agent.username, PASSWORD).ok
