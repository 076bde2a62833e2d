"""Ids the wizard's handlers take from the browser, called through the gate as a websocket event calls them: another
enterprise's address (the sweep's IDOR) changes nothing and is shown nowhere."""

from __future__ import annotations

import json

from reflex.state import State as RootState

from apec_app.models import Application
from apec_app.pages.wizard import WizardState
from apec_app.services.accounts import auth
from apec_app.services.applications import addresses, filing
from apec_app.services.applications.addresses import AddressForm
from apec_app.services.views import detail
from apec_app.states.session import SessionState
from tests.factories import (
    PASSWORD,
    act,
    filled,
    make_enterprise,
    principal_for_enterprise,
    setup_institutions,
    uow_for,
)

A_ADDRESS = AddressForm(
    recipient="甲收件人",
    phone="13800000001",
    province="江苏省",
    city="南京市",
    district="玄武区",
    detail="甲公司私密地址1号",
)


def wizard_of(db, enterprise, application_id: int, monkeypatch) -> WizardState:
    """B's tab on its own draft, signed in by its cookie, the page loaded."""
    token = act(auth.sign_in_enterprise, db, enterprise.email, PASSWORD).token
    db.commit()
    monkeypatch.setattr(SessionState, "_session_token", lambda self: token)
    monkeypatch.setattr(WizardState, "_current_path", lambda self: f"/apply/{application_id}")
    monkeypatch.setattr(WizardState, "_route_id", lambda self, from_end=1: application_id)
    state = RootState(_reflex_internal_init=True).substates[SessionState.get_name()].substates[WizardState.get_name()]
    type(state).event_handlers["on_load"].fn(state)
    assert state.found
    return state


def test_another_enterprises_address_cannot_be_chosen(db, app_engine, monkeypatch):
    _, js = setup_institutions(db)
    a, b = make_enterprise(db), make_enterprise(db)
    theirs = act(addresses.save_address, db, A_ADDRESS, me=principal_for_enterprise(db, a))
    db.commit()
    draft = filled(db, principal_for_enterprise(db, b), js.id)
    wizard = wizard_of(db, b, draft.id, monkeypatch)
    before = dict(wizard.delivery)

    type(wizard).event_handlers["choose_address"].fn(wizard, theirs.id)

    assert wizard.delivery == before
    db.expire_all()
    saved = json.loads(db.get(Application, draft.id).form_json or "{}")
    assert str(saved.get("delivery", {}).get("address_id", "")) != str(theirs.id)


def test_an_address_id_put_into_the_form_another_way_is_shown_nowhere(db):
    """Even were an id to reach the draft (an older build, a direct write), B's pages never show A's address."""
    _, js = setup_institutions(db)
    a, b = make_enterprise(db), make_enterprise(db)
    theirs = act(addresses.save_address, db, A_ADDRESS, me=principal_for_enterprise(db, a))
    me = principal_for_enterprise(db, b)
    draft = filled(db, me, js.id)
    _, form = filing.load_form(uow_for(db, me), draft.id)
    form["delivery"] = {"method": "mail", "address_id": str(theirs.id)}
    act(filing.save_draft, db, draft.id, form, me=me)

    shown = detail.application_detail(uow_for(db, me), draft.id)
    assert shown.delivery == {"method": "mail"}
    assert "甲公司私密地址" not in repr(shown)
