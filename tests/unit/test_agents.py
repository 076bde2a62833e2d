import pytest
from sqlmodel import select

from apec_app.models import Agent
from apec_app.services.accounts import agents, auth
from apec_app.services.accounts.agents import AgentForm
from apec_app.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.factories import PASSWORD, make_agent, make_enterprise

FORM = AgentForm(
    name="周经办", username="Zhou_01", password="Agent#Pass2026", mobile="13912345678", email="zhou@example.com"
)


def owner(db, ent):
    return auth.resolve_session(db, auth.sign_in_enterprise(db, ent.email, PASSWORD).token)


def test_enterprise_adds_edits_and_deletes_its_agent(db):
    ent = make_enterprise(db)
    me = owner(db, ent)
    agent = agents.add_agent(db, me, FORM)
    assert agent.username == "zhou_01" and agent.authorised
    assert auth.sign_in_agent(db, "zhou_01", "Agent#Pass2026").ok
    agents.edit_agent(db, me, agent.id, AgentForm(**{**FORM.__dict__, "mobile": "13700000000", "password": ""}))
    assert db.get(Agent, agent.id).mobile == "13700000000"
    assert auth.sign_in_agent(db, "zhou_01", "Agent#Pass2026").ok  # empty password keeps the old one
    agents.delete_agent(db, me, agent.id)
    assert agents.list_agents(db, me) == []
    assert not auth.sign_in_agent(db, "zhou_01", "Agent#Pass2026").ok
    agents.add_agent(db, me, FORM)  # the username is free again


def test_bad_agent_input_is_reported_per_field(db):
    me = owner(db, make_enterprise(db))
    with pytest.raises(InvalidInput) as exc:
        agents.add_agent(db, me, AgentForm(name="", username="1x", password="short", mobile="123", email="bad"))
    assert set(exc.value.errors) == {"name", "username", "password", "mobile", "email"}
    assert db.exec(select(Agent)).all() == []


def test_usernames_are_unique_across_enterprises(db):
    agents.add_agent(db, owner(db, make_enterprise(db)), FORM)
    with pytest.raises(InvalidInput) as exc:
        agents.add_agent(db, owner(db, make_enterprise(db)), AgentForm(**{**FORM.__dict__, "username": "ZHOU_01"}))
    assert exc.value.errors == {"username": "username_taken"}


def test_other_enterprise_cannot_touch_an_agent(db):
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    intruder = owner(db, make_enterprise(db))
    for action in (
        lambda: agents.set_authorised(db, intruder, agent.id, False),
        lambda: agents.delete_agent(db, intruder, agent.id),
        lambda: agents.edit_agent(db, intruder, agent.id, FORM),
    ):
        with pytest.raises(NotFound):
            action()
    assert db.get(Agent, agent.id).authorised and db.get(Agent, agent.id).deleted_at is None


def test_agents_cannot_manage_agents(db):
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    as_agent = auth.resolve_session(db, auth.sign_in_agent(db, agent.username, PASSWORD).token)
    with pytest.raises(PermissionDenied):
        agents.list_agents(db, as_agent)
    with pytest.raises(PermissionDenied):
        agents.add_agent(db, as_agent, FORM)


def test_reauthorised_agent_can_sign_in_again(db):
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    me = owner(db, ent)
    agents.set_authorised(db, me, agent.id, False)
    assert auth.sign_in_agent(db, agent.username, PASSWORD).code == "agent_not_authorised"
    agents.set_authorised(db, me, agent.id, True)
    assert auth.sign_in_agent(db, agent.username, PASSWORD).ok
