"""账号设置: 账号信息, 修改邮箱, 修改密码, 经办人管理 (agents see only 修改密码).

What is typed into 账号信息, 新邮箱 and the 经办人 dialog is kept in the state while typing (`info_draft`,
`new_email`, `agent_form`, kept across re-entering the page), so a reload before the button loses nothing.
Passwords are never kept.
"""

from __future__ import annotations

import reflex as rx

from apec_app.services.accounts import agents, enterprise_accounts
from apec_app.services.accounts.agents import AgentForm
from apec_app.services.accounts.elicense import AuthorizationStatus
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.countdown import CountdownMixin
from apec_app.states.gate import APPLICANT, ENTERPRISE_ONLY, page_load, requires
from apec_app.states.qr import QrMixin
from apec_app.states.session import PageMixin, SessionState

INFO_FIELDS = ("reg_province", "reg_address", "phone", "nature", "industry")
AGENT_FIELDS = ("name", "username", "password", "mobile", "email")
KEPT_AGENT_FIELDS = ("name", "username", "mobile", "email")


class AccountSettingsState(CountdownMixin, QrMixin, PageMixin, SessionState):
    tab: str = "info"
    ent_name: str = ""
    ent_uscc: str = ""
    ent_legal_rep: str = ""
    ent_email: str = ""
    stored_info: dict[str, str] = {}
    info_draft: dict[str, str] = {}
    info: dict[str, str] = dict.fromkeys(INFO_FIELDS, "")
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
    keep_on_load = ("tab", "info_draft", "new_email", "agent_dialog", "agent_edit_id", "agent_form")

    def _derive(self) -> None:
        # What the 账号信息 inputs show: the stored values, with what was typed but not yet submitted.
        self._assign(info={f: self.info_draft.get(f, self.stored_info.get(f, "")) for f in INFO_FIELDS})

    def _load(self, uow: UnitOfWork) -> None:
        principal = uow.me
        enterprise = enterprise_accounts.get_enterprise(uow.db, principal)
        if principal.is_enterprise:
            self.ent_name, self.ent_uscc, self.ent_legal_rep = enterprise.name, enterprise.uscc, enterprise.legal_rep
            self.ent_email = enterprise.email
            self.stored_info = {f: getattr(enterprise, f) for f in INFO_FIELDS}
            self.agent_rows = [
                {
                    "id": str(a.id),
                    "name": a.name,
                    "username": a.username,
                    "mobile": a.mobile,
                    "email": a.email,
                    "authorised": "1" if a.authorised else "",
                }
                for a in agents.list_agents(uow)
            ]
        self.form_version += 1

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        if not uow.me.is_enterprise:
            self.tab = "password"
        elif self.tab not in ("info", "email", "password", "agents"):
            self.tab = "info"
        self._load(uow)

    @requires(APPLICANT)
    def set_tab(self, uow: UnitOfWork, tab: str):
        allowed = ("info", "email", "password", "agents") if uow.me.is_enterprise else ("password",)
        if tab in allowed:
            self.tab = tab
            self.errors = {}

    # --- 账号信息 ---------------------------------------------------------------------------------------

    @requires(ENTERPRISE_ONLY)
    def draft_info(self, uow: UnitOfWork, field: str, value: str):
        if field in INFO_FIELDS:
            self.info_draft = {**self.info_draft, field: str(value)[:200]}

    @requires(ENTERPRISE_ONLY)
    def save_info(self, uow: UnitOfWork, form: dict):
        values = {f: str(form.get(f, "")).strip()[:200] for f in INFO_FIELDS}
        self.info_draft = values  # kept if refused, so the fields still show what was typed
        enterprise_accounts.update_info(uow, EnterpriseInfo(**values))
        self.errors, self.info_draft = {}, {}
        self._load(uow)
        return rx.toast.success("修改成功")

    @requires(ENTERPRISE_ONLY)
    def open_identity_dialog(self, uow: UnitOfWork):
        self.identity_dialog = True
        self.errors = {}
        return self._new_qr(uow.me.enterprise_id)

    @requires(ENTERPRISE_ONLY)
    def close_identity_dialog(self, uow: UnitOfWork):
        self.identity_dialog = False
        self._nonce = ""

    @requires(ENTERPRISE_ONLY)
    def refresh_qr(self, uow: UnitOfWork):
        return self._new_qr(uow.me.enterprise_id)

    def _qr_done(self, status: AuthorizationStatus):
        """Called by the QR watcher (inside the state lock) once the licence holder authorised."""
        return AccountSettingsState.apply_identity  # (self is a proxy in the background watcher)

    @requires(ENTERPRISE_ONLY)
    def apply_identity(self, uow: UnitOfWork):
        try:
            with uow.savepoint():
                enterprise_accounts.update_identity(uow, self._nonce)
        except ServiceError as exc:
            self.errors = {"identity": next(iter(self._errors(exc).values()))}
            return None
        self.identity_dialog = False
        self._load(uow)
        return rx.toast.success("企业三要素信息已更新")

    # --- 修改邮箱 ---------------------------------------------------------------------------------------

    @requires(ENTERPRISE_ONLY)
    def set_new_email(self, uow: UnitOfWork, value: str):
        self.new_email = str(value).strip()[:254]

    @requires(ENTERPRISE_ONLY)
    def send_email_code(self, uow: UnitOfWork):
        if self.resend_left > 0:
            return None
        enterprise_accounts.send_change_email_code(uow, self.new_email)
        self.errors = {}
        return [rx.toast.success("验证码已发送至新邮箱"), self._start_countdown()]

    @requires(ENTERPRISE_ONLY)
    def change_email(self, uow: UnitOfWork, form: dict):
        self.new_email = str(form.get("new_email", "")).strip()[:254]
        enterprise_accounts.change_email(uow, self.new_email, str(form.get("code", "")), bool(form.get("agreed")))
        self.errors = {}
        self.new_email = ""
        self._load(uow)
        return rx.toast.success("邮箱修改成功")

    # --- 修改密码 ---------------------------------------------------------------------------------------

    @requires(APPLICANT)
    def change_password(self, uow: UnitOfWork, form: dict):
        enterprise_accounts.change_password(
            uow,
            str(form.get("old_password", "")),
            str(form.get("new_password", "")),
            str(form.get("confirm_password", "")),
        )
        self.errors = {}
        self.form_version += 1
        return rx.toast.success("密码修改成功，其他设备上的登录已失效")

    # --- 经办人管理 -------------------------------------------------------------------------------------

    @requires(ENTERPRISE_ONLY)
    def open_add_agent(self, uow: UnitOfWork):
        self.agent_edit_id = 0
        self.agent_form = {f: "" for f in AGENT_FIELDS}
        self.agent_errors = {}
        self.agent_dialog = True
        self.form_version += 1

    @requires(ENTERPRISE_ONLY)
    def open_edit_agent(self, uow: UnitOfWork, agent_id: str):
        row = next((r for r in self.agent_rows if r["id"] == str(agent_id)), None)
        if row is None:
            return
        self.agent_edit_id = int(row["id"])
        self.agent_form = {**{f: row.get(f, "") for f in AGENT_FIELDS}, "password": ""}
        self.agent_errors = {}
        self.agent_dialog = True
        self.form_version += 1

    @requires(ENTERPRISE_ONLY)
    def draft_agent(self, uow: UnitOfWork, field: str, value: str):
        if field in KEPT_AGENT_FIELDS:
            self.agent_form = {**self.agent_form, field: str(value)[:254]}

    @requires(ENTERPRISE_ONLY)
    def close_agent_dialog(self, uow: UnitOfWork):
        self.agent_dialog = False
        self.agent_form = {f: "" for f in AGENT_FIELDS}

    def _service_error(self, exc: ServiceError):
        """Refusals of the agent dialog show in the dialog, the others at the tab's fields."""
        if self.agent_dialog:
            self.agent_errors = self._errors(exc)
            return None
        return super()._service_error(exc)

    @requires(ENTERPRISE_ONLY)
    def save_agent(self, uow: UnitOfWork, form: dict):
        values = {
            f: str(form.get(f, "")).strip()[:254] if f != "password" else str(form.get(f, ""))[:64]
            for f in AGENT_FIELDS
        }
        self.agent_form = {**values, "password": ""}  # shown again if refused; the password never is
        if self.agent_edit_id:
            agents.edit_agent(uow, self.agent_edit_id, AgentForm(**values))
        else:
            agents.add_agent(uow, AgentForm(**values))
        self.agent_dialog = False
        self.agent_errors = {}
        self.agent_form = {f: "" for f in AGENT_FIELDS}
        self._load(uow)
        return rx.toast.success("保存成功")

    @requires(ENTERPRISE_ONLY)
    def ask_confirm(self, uow: UnitOfWork, action: str, agent_id: str):
        row = next((r for r in self.agent_rows if r["id"] == str(agent_id)), None)
        if row is None or action not in ("deauthorise", "delete"):
            return
        self.confirm_action = action
        self.confirm_agent_id = int(row["id"])
        self.confirm_agent_name = row["name"]

    @requires(ENTERPRISE_ONLY)
    def cancel_confirm(self, uow: UnitOfWork):
        self.confirm_action = ""

    @requires(ENTERPRISE_ONLY)
    def do_confirm(self, uow: UnitOfWork):
        action, agent_id = self.confirm_action, self.confirm_agent_id
        self.confirm_action = ""
        if action == "deauthorise":
            agents.set_authorised(uow, agent_id, False)
        elif action == "delete":
            agents.delete_agent(uow, agent_id)
        else:
            return None
        self._load(uow)
        return rx.toast.success("已取消授权" if action == "deauthorise" else "已删除")

    @requires(ENTERPRISE_ONLY)
    def authorise(self, uow: UnitOfWork, agent_id: int):
        agents.set_authorised(uow, int(agent_id), True)
        self._load(uow)
        return rx.toast.success("已授权")
