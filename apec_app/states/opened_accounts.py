"""企业账号开通 (admins) and 设置密码 (the enterprise, from the emailed one-time link)."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.services.accounts import opened_accounts
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.errors import ServiceError
from apec_app.services.principal import STAFF, Principal
from apec_app.states.session import SessionState
from apec_app.time_format import local_time
from apec_app.ui_text import describe

FIELDS = ("name", "uscc", "legal_rep", "email", "reg_province", "reg_address", "phone", "nature", "industry")


class OpenedAccountsState(SessionState):
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    # What the admin typed, kept when the server refuses it.
    values: dict[str, str] = {}
    rev: int = 0

    def _me(self) -> Principal | None:
        return self._current(STAFF)

    def _reload(self, principal: Principal) -> None:
        with session_scope() as db:
            self.rows = [
                {
                    "id": str(e.id),
                    "name": e.name,
                    "uscc": e.uscc,
                    "email": e.email,
                    "opened": local_time(e.created_at),
                    "state": "已设置密码" if e.password_hash else "待设置密码",
                }
                for e in opened_accounts.list_opened(db, principal)
            ]

    @rx.event
    def on_load(self):
        principal = self._enter(STAFF)
        if principal is None:
            return self._denied()
        try:
            self._reload(principal)
        except ServiceError:
            return rx.redirect("/staff")  # reviewers: admins only
        return None

    @rx.event
    def open_account(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        self.values = {k: str(form.get(k, ""))[:200] for k in FIELDS}
        v = self.values
        request = opened_accounts.OpenAccountForm(
            name=v["name"],
            uscc=v["uscc"],
            legal_rep=v["legal_rep"],
            email=v["email"],
            info=EnterpriseInfo(v["reg_province"], v["reg_address"], v["phone"], v["nature"], v["industry"]),
        )
        try:
            with session_scope() as db:
                opened_accounts.open_account(db, principal, request)
        except ServiceError as exc:
            self.errors = self._errors(exc)
            return None
        self._reload(principal)
        self.errors, self.values = {}, {}
        self.rev += 1
        return rx.toast.success("账号已开通，设置密码链接已发送至企业邮箱")

    @rx.event
    def resend(self, enterprise_id: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                opened_accounts.resend_link(db, principal, int(enterprise_id))
        except (ServiceError, ValueError) as exc:
            return rx.toast.error(describe(getattr(exc, "code", "not_found")))
        return rx.toast.success("已重新发送设置密码链接，之前的链接已失效")


class SetPasswordState(SessionState):
    valid: bool = False
    enterprise_name: str = ""
    email: str = ""
    errors: dict[str, str] = {}
    done: bool = False

    def _token(self) -> str:
        return self.router.url.path.rstrip("/").split("/")[-1]

    @rx.event
    def on_load(self):
        self.done, self.errors = False, {}
        try:
            with session_scope() as db:
                enterprise = opened_accounts.link_enterprise(db, self._token())
                self.enterprise_name, self.email = enterprise.name, enterprise.email
            self.valid = True
        except ServiceError:
            self.valid = False

    @rx.event
    def submit(self, form: dict):
        try:
            with session_scope() as db:
                opened_accounts.set_password(
                    db, self._token(), str(form.get("password", "")), str(form.get("password_confirm", ""))
                )
        except ServiceError as exc:
            self.errors = self._errors(exc)
            if "token" in self.errors:
                self.valid = False
            return None
        self.done, self.errors = True, {}
        return rx.toast.success("密码设置成功，请登录")
