"""Accounts opened by staff: only admins open them, the enterprise sets its password through a one-time link
(once, within 72 hours, void after a new link), and then signs in like any other enterprise."""

import re
from datetime import timedelta

import pytest
from reflex.state import State as RootState
from sqlmodel import select

from apec_app.models import AccountLink, Enterprise, OutboxEmail, SecurityEvent
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth, opened_accounts
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.errors import Conflict, InvalidInput, PermissionDenied
from apec_app.states.opened_accounts import OpenedAccountsState
from apec_app.states.session import SessionState
from tests.factories import STAFF_PASSWORD, make_enterprise, new_uscc, setup_institutions, staff_principal, uow_for

NEW_PASSWORD = "Hk7!mQ2#vLp9x"


def form(**changes) -> opened_accounts.OpenAccountForm:
    values = {
        "name": "香港示例贸易有限公司",
        "uscc": new_uscc(),
        "legal_rep": "陈大文",
        "email": "HK.Trade@Example.com",
        "info": EnterpriseInfo("广东省", "深圳市福田区1号", "0755-83331234", "港澳台资企业", "批发和零售业"),
    }
    return opened_accounts.OpenAccountForm(**(values | changes))


@pytest.fixture()
def admin(db):
    setup_institutions(db)
    return staff_principal(db, "admin1", "admin")


def _token_from_mail(db, email: str) -> str:
    mail = db.exec(select(OutboxEmail).where(OutboxEmail.to_address == email).order_by(OutboxEmail.id.desc())).first()
    return re.search(r"/set-password/(\S+)", mail.body).group(1)


def test_admin_opens_an_account_and_the_enterprise_sets_its_password(db, admin):
    enterprise = opened_accounts.open_account(uow_for(db, admin), form())
    db.commit()
    assert enterprise.email == "hk.trade@example.com" and enterprise.password_hash == ""
    assert enterprise.opened_by == admin.label
    # No password yet: sign-in fails.
    assert not auth.sign_in_enterprise(uow_for(db), enterprise.email, NEW_PASSWORD).ok
    token = _token_from_mail(db, enterprise.email)
    assert db.exec(select(AccountLink.token_hash)).one() == auth.hash_token(token)  # only the hash is kept
    assert opened_accounts.link_enterprise(uow_for(db), token).id == enterprise.id

    listed = opened_accounts.list_opened(uow_for(db, admin))
    assert [(a.id, a.email, a.password_set) for a in listed] == [(enterprise.id, enterprise.email, False)]

    opened_accounts.set_password(uow_for(db), token, NEW_PASSWORD, NEW_PASSWORD)
    db.commit()
    assert auth.sign_in_enterprise(uow_for(db), enterprise.email, NEW_PASSWORD).ok
    assert [a.password_set for a in opened_accounts.list_opened(uow_for(db, admin))] == [True]
    with pytest.raises(InvalidInput) as used:
        opened_accounts.set_password(uow_for(db), token, "Other#Pass2026x", "Other#Pass2026x")
    assert used.value.errors == {"token": "link_invalid"}
    events = db.exec(select(SecurityEvent.action)).all()
    assert "admin_open_account" in events and "account_password_set" in events


def test_weak_password_or_mismatch_keeps_the_link(db, admin):
    enterprise = opened_accounts.open_account(uow_for(db, admin), form())
    token = _token_from_mail(db, enterprise.email)
    with pytest.raises(InvalidInput) as weak:
        opened_accounts.set_password(uow_for(db), token, "password", "password")
    assert "password" in weak.value.errors
    with pytest.raises(InvalidInput) as mismatch:
        opened_accounts.set_password(uow_for(db), token, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert mismatch.value.errors == {"password_confirm": "password_mismatch"}
    opened_accounts.set_password(uow_for(db), token, NEW_PASSWORD, NEW_PASSWORD)  # still usable


def test_expired_and_replaced_links_are_refused(db, admin):
    enterprise = opened_accounts.open_account(uow_for(db, admin), form())
    first = _token_from_mail(db, enterprise.email)
    opened_accounts.resend_link(uow_for(db, admin), enterprise.id)
    second = _token_from_mail(db, enterprise.email)
    assert first != second
    with pytest.raises(InvalidInput):
        opened_accounts.link_enterprise(uow_for(db), first)
    link = db.exec(select(AccountLink).where(AccountLink.token_hash == auth.hash_token(second))).one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.add(link)
    with pytest.raises(InvalidInput):
        opened_accounts.set_password(uow_for(db), second, NEW_PASSWORD, NEW_PASSWORD)
    with pytest.raises(InvalidInput):
        opened_accounts.link_enterprise(uow_for(db), "not-a-token")


def test_only_admins_open_accounts(db, admin):
    reviewer = staff_principal(db, "rev1", "reviewer", "JS")
    with pytest.raises(PermissionDenied):
        opened_accounts.open_account(uow_for(db, reviewer), form())
    with pytest.raises(PermissionDenied):
        opened_accounts.open_account(uow_for(db, None), form())
    with pytest.raises(PermissionDenied):
        opened_accounts.list_opened(uow_for(db, reviewer))
    assert db.exec(select(Enterprise)).all() == []


def test_bad_input_is_reported_per_field_and_changes_nothing(db, admin):
    taken = make_enterprise(db)
    with pytest.raises(InvalidInput) as bad:
        opened_accounts.open_account(
            uow_for(db, admin), form(uscc="91110000ABCDEFGHI0", email=taken.email, name="", info=EnterpriseInfo())
        )
    assert {"uscc", "email", "name", "reg_province", "phone", "nature", "industry"} <= set(bad.value.errors)
    assert bad.value.errors["email"] == "account_exists"
    assert db.exec(select(AccountLink)).all() == []


def test_no_new_link_once_the_password_is_set(db, admin):
    enterprise = opened_accounts.open_account(uow_for(db, admin), form())
    opened_accounts.set_password(uow_for(db), _token_from_mail(db, enterprise.email), NEW_PASSWORD, NEW_PASSWORD)
    with pytest.raises(Conflict):
        opened_accounts.resend_link(uow_for(db, admin), enterprise.id)


def signed_in_state(cls, db, username: str, path: str, monkeypatch):
    """`cls`'s instance for a browser signed in as the staff member `username`, on `path`."""
    token = auth.sign_in_staff(uow_for(db), username, STAFF_PASSWORD).token
    db.commit()
    monkeypatch.setattr(cls, "_current_path", lambda self: path)
    monkeypatch.setattr(SessionState, "_session_token", lambda self: token)  # the cookie its websocket carries
    session = RootState(_reflex_internal_init=True).substates[SessionState.get_name()]
    return session.substates[cls.get_name()]


def call(state, handler: str, *args):
    return type(state).event_handlers[handler].fn(state, *args)


def test_what_the_admin_typed_survives_a_reload_until_the_account_is_opened(db, admin, app_engine, monkeypatch):
    db.commit()
    page = signed_in_state(OpenedAccountsState, db, "admin1", "/admin/enterprises", monkeypatch)
    call(page, "on_load")
    call(page, "keep_value", "legal_rep", "陈大文", page.rev)
    call(page, "keep_value", "password_hash", "x", page.rev)  # not a field of the form
    call(page, "on_load")  # the browser reloads the page
    assert page.values == {"legal_rep": "陈大文"} and page.loaded_path == "/admin/enterprises"

    typed = {"name": "香港示例贸易有限公司", "uscc": "bad", "legal_rep": "陈大文", "email": "hk@example.com",
             "reg_province": "广东省", "reg_address": "深圳市福田区1号", "phone": "0755-83331234",
             "nature": "港澳台资企业", "industry": "批发和零售业"}  # fmt: skip
    call(page, "open_account", typed)
    assert set(page.errors) == {"uscc"} and page.values["legal_rep"] == "陈大文"
    assert db.exec(select(Enterprise)).all() == []
    emptied_from = page.rev
    call(page, "open_account", typed | {"uscc": new_uscc()})
    assert page.values == {} and page.errors == {} and page.rev == emptied_from + 1
    assert [r["state"] for r in page.rows] == ["待设置密码"]
    call(page, "keep_value", "legal_rep", "陈大文", emptied_from)  # debounced, from the emptied form
    assert page.values == {}
