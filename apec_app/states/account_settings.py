"""账号设置: 账号信息, 修改邮箱, 修改密码, 经办人管理 (agents see only 修改密码)."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.services.accounts import agents
from apec_app.services.accounts import enterprise_accounts as accounts
from apec_app.services.accounts.agents import AgentForm
from apec_app.services.accounts.elicense import AuthorizationStatus
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.errors import ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE, Principal
from apec_app.states.countdown import CountdownMixin
from apec_app.states.qr import QrMixin
from apec_app.states.register import INFO_FIELDS
from apec_app.states.session import SessionState

AGENT_FIELDS = ("name", "username", "password", "mobile", "email")


class AccountSettingsState(CountdownMixin, QrMixin, SessionState):
    tab: str = "info"
    ent_name: str = ""
    ent_uscc: str = ""
    ent_legal_rep: str = ""
    ent_email: str = ""
    info: dict[str, str] = {f: "" for f in INFO_FIELDS}
    # Bumped after a successful load so uncontrolled inputs re-mount with the stored values.
    form_version: int = 0
    errors: dict[str, str] = {}
    new_email: str = ""
    identity_dialog: bool = False
    agent_rows: list[dict[str, str]] = []
    agent_dialog: bool = False
    agent_edit_id: int = 0
    agent_form: dict[str, str] = {f: "" for f in AGENT_FIELDS}
    agent_errors: dict[str, str] = {}
    confirm_action: str = ""  # "deauthorise" or "delete"
    confirm_agent_id: int = 0
    confirm_agent_name: str = ""
    qr_purpose = "update_identity"

    def _load(self, principal: Principal) -> None:
        with session_scope() as db:
            enterprise = accounts.get_enterprise(db, principal)
            if principal.is_enterprise:
                self.ent_name, self.ent_uscc, self.ent_legal_rep = (
                    enterprise.name,
                    enterprise.uscc,
                    enterprise.legal_rep,
                )
                self.ent_email = enterprise.email
                self.info = {f: getattr(enterprise, f) for f in INFO_FIELDS}
                self.agent_rows = [
                    {
                        "id": str(a.id),
                        "name": a.name,
                        "username": a.username,
                        "mobile": a.mobile,
                        "email": a.email,
                        "authorised": "1" if a.authorised else "",
                    }
                    for a in agents.list_agents(db, principal)
                ]
        self.form_version += 1

    def _me(self, *kinds: str) -> Principal | None:
        return self._current(*kinds)

    @rx.event
    def on_load(self):
        principal = self._enter(ENTERPRISE, AGENT)
        if principal is None:
            return self._denied()
        self.errors = {}
        self.tab = "info" if principal.is_enterprise else "password"
        self._load(principal)
        return None

    @rx.event
    def set_tab(self, tab: str):
        allowed = ("info", "email", "password", "agents") if self.principal_kind == ENTERPRISE else ("password",)
        if tab in allowed:
            self.tab = tab
            self.errors = {}

    # --- 账号信息 ---------------------------------------------------------------------------------------

    @rx.event
    def save_info(self, form: dict):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        values = {f: str(form.get(f, "")).strip()[:200] for f in INFO_FIELDS}
        try:
            with session_scope() as db:
                accounts.update_info(db, principal, EnterpriseInfo(**values))
        except ServiceError as exc:
            self.info = values
            self.errors = self._errors(exc)
            return None
        self.errors = {}
        self._load(principal)
        return rx.toast.success("修改成功")

    @rx.event
    def open_identity_dialog(self):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        self.identity_dialog = True
        self.errors = {}
        return self._new_qr(principal.enterprise_id)

    @rx.event
    def close_identity_dialog(self):
        self.identity_dialog = False
        self._nonce = ""

    @rx.event
    def refresh_qr(self):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        return self._new_qr(principal.enterprise_id)

    def _qr_done(self, status: AuthorizationStatus):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                accounts.update_identity(db, principal, self._nonce)
        except ServiceError as exc:
            self.errors = {"identity": next(iter(self._errors(exc).values()))}
            return None
        self.identity_dialog = False
        self._load(principal)
        return rx.toast.success("企业三要素信息已更新")

    # --- 修改邮箱 ---------------------------------------------------------------------------------------

    @rx.event
    def set_new_email(self, value: str):
        self.new_email = str(value).strip()[:254]

    @rx.event
    def send_email_code(self):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        if self.resend_left > 0:
            return None
        try:
            with session_scope() as db:
                accounts.send_change_email_code(db, principal, self.new_email)
        except ServiceError as exc:
            self.errors = self._errors(exc)
            return None
        self.errors = {}
        return [rx.toast.success("验证码已发送至新邮箱"), self._start_countdown()]

    @rx.event
    def change_email(self, form: dict):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        self.new_email = str(form.get("new_email", "")).strip()[:254]
        try:
            with session_scope() as db:
                accounts.change_email(
                    db, principal, self.new_email, str(form.get("code", "")), bool(form.get("agreed"))
                )
        except ServiceError as exc:
            self.errors = self._errors(exc)
            return None
        self.errors = {}
        self.new_email = ""
        self._load(principal)
        return rx.toast.success("邮箱修改成功")

    # --- 修改密码 ---------------------------------------------------------------------------------------

    @rx.event
    def change_password(self, form: dict):
        principal = self._me(ENTERPRISE, AGENT)
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                accounts.change_password(
                    db,
                    principal,
                    str(form.get("old_password", "")),
                    str(form.get("new_password", "")),
                    str(form.get("confirm_password", "")),
                )
        except ServiceError as exc:
            self.errors = self._errors(exc)
            return None
        self.errors = {}
        self.form_version += 1
        return rx.toast.success("密码修改成功，其他设备上的登录已失效")

    # --- 经办人管理 -------------------------------------------------------------------------------------

    @rx.event
    def open_add_agent(self):
        self.agent_edit_id = 0
        self.agent_form = {f: "" for f in AGENT_FIELDS}
        self.agent_errors = {}
        self.agent_dialog = True
        self.form_version += 1

    @rx.event
    def open_edit_agent(self, agent_id: str):
        row = next((r for r in self.agent_rows if r["id"] == str(agent_id)), None)
        if row is None:
            return
        self.agent_edit_id = int(row["id"])
        self.agent_form = {**{f: row.get(f, "") for f in AGENT_FIELDS}, "password": ""}
        self.agent_errors = {}
        self.agent_dialog = True
        self.form_version += 1

    @rx.event
    def close_agent_dialog(self):
        self.agent_dialog = False

    @rx.event
    def save_agent(self, form: dict):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        values = {
            f: str(form.get(f, "")).strip()[:254] if f != "password" else str(form.get(f, ""))[:64]
            for f in AGENT_FIELDS
        }
        try:
            with session_scope() as db:
                if self.agent_edit_id:
                    agents.edit_agent(db, principal, self.agent_edit_id, AgentForm(**values))
                else:
                    agents.add_agent(db, principal, AgentForm(**values))
        except ServiceError as exc:
            self.agent_form = {**values, "password": ""}
            self.agent_errors = self._errors(exc)
            return None
        self.agent_dialog = False
        self.agent_errors = {}
        self._load(principal)
        return rx.toast.success("保存成功")

    @rx.event
    def ask_confirm(self, action: str, agent_id: str):
        row = next((r for r in self.agent_rows if r["id"] == str(agent_id)), None)
        if row is None or action not in ("deauthorise", "delete"):
            return
        self.confirm_action = action
        self.confirm_agent_id = int(row["id"])
        self.confirm_agent_name = row["name"]

    @rx.event
    def cancel_confirm(self):
        self.confirm_action = ""

    @rx.event
    def do_confirm(self):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        action, agent_id = self.confirm_action, self.confirm_agent_id
        self.confirm_action = ""
        try:
            with session_scope() as db:
                if action == "deauthorise":
                    agents.set_authorised(db, principal, agent_id, False)
                elif action == "delete":
                    agents.delete_agent(db, principal, agent_id)
        except ServiceError as exc:
            return rx.toast.error(next(iter(self._errors(exc).values())))
        self._load(principal)
        return rx.toast.success("已取消授权" if action == "deauthorise" else "已删除")

    @rx.event
    def authorise(self, agent_id: str):
        principal = self._me(ENTERPRISE)
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                agents.set_authorised(db, principal, int(agent_id), True)
        except (ServiceError, ValueError) as exc:
            message = next(iter(self._errors(exc).values())) if isinstance(exc, ServiceError) else "参数错误"
            return rx.toast.error(message)
        self._load(principal)
        return rx.toast.success("授权成功")
