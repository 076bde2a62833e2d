"""企业账号开通 (admins) and 设置密码 (the enterprise, from the emailed one-time link)."""

from __future__ import annotations

import reflex as rx

from apec_app.services.accounts import opened_accounts
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import UnitOfWork, unit_of_work
from apec_app.states.gate import ADMIN, page_load, public, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time

FIELDS = ("name", "uscc", "legal_rep", "email", "reg_province", "reg_address", "phone", "nature", "industry")
MAX_CHARS = 200


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class OpenedAccountsState(PageMixin, SessionState):
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    # What the admin typed and has not opened an account with yet: sent while typing, kept across reloads.
    values: dict[str, str] = {}
    # Bumped when the form is emptied (an account was opened), so its inputs re-mount and late keystrokes from the
    # emptied form are recognised.
    rev: int = 0
    keep_on_load = ("values", "rev")

    def _load(self, uow: UnitOfWork) -> None:
        self.rows = [
            {
                "id": str(e.id),
                "name": e.name,
                "uscc": e.uscc,
                "email": e.email,
                "opened": local_time(e.opened_at),
                "state": "已设置密码" if e.password_set else "待设置密码",
            }
            for e in opened_accounts.list_opened(uow)
        ]

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        self._load(uow)

    @requires(ADMIN)
    def keep_value(self, uow: UnitOfWork, field: str, value: str, rev: int):
        """A field's text while it is typed (debounced) and when it is left; ignored from a form already emptied."""
        if field in FIELDS and rev == self.rev:
            self.values = {**self.values, field: str(value)[:MAX_CHARS]}

    @requires(ADMIN)
    def open_account(self, uow: UnitOfWork, form: dict):
        self.values = {k: str(form.get(k, ""))[:MAX_CHARS] for k in FIELDS}
        v = self.values
        opened_accounts.open_account(
            uow,
            opened_accounts.OpenAccountForm(
                name=v["name"],
                uscc=v["uscc"],
                legal_rep=v["legal_rep"],
                email=v["email"],
                info=EnterpriseInfo(v["reg_province"], v["reg_address"], v["phone"], v["nature"], v["industry"]),
            ),
        )
        self._load(uow)
        self.errors, self.values = {}, {}
        self.rev += 1
        return rx.toast.success("账号已开通，设置密码链接已发送至企业邮箱")

    @requires(ADMIN)
    def resend(self, uow: UnitOfWork, enterprise_id: str):
        opened_accounts.resend_link(uow, _int(enterprise_id))
        return rx.toast.success("已重新发送设置密码链接，之前的链接已失效")


class SetPasswordState(PageMixin, SessionState):
    valid: bool = False
    enterprise_name: str = ""
    email: str = ""
    errors: dict[str, str] = {}
    done: bool = False

    def _token(self) -> str:
        return self.router.url.path.rstrip("/").split("/")[-1]

    @public("shows only whose account the one-time link in the URL is for, and only while the link is live")
    def on_load(self):
        self._clear_page()
        try:
            with unit_of_work() as uow:
                enterprise = opened_accounts.link_enterprise(uow, self._token())
                self.enterprise_name, self.email, self.valid = enterprise.name, enterprise.email, True
        except ServiceError:
            self.valid = False
        self.loaded_path = self._current_path()

    @public("the one-time link in the URL is the credential; the service checks and claims it")
    def submit(self, form: dict):
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                opened_accounts.set_password(
                    uow, self._token(), str(form.get("password", "")), str(form.get("password_confirm", ""))
                )
        except ServiceError as exc:
            self.errors = self._errors(exc)
            if "token" in self.errors:
                self.valid = False
            return None
        self.done, self.errors = True, {}
        return rx.toast.success("密码设置成功，请登录")
