"""企业账号注册: 电子营业执照扫码 → 企业信息 → 账户信息."""

from __future__ import annotations

import reflex as rx

from apec_app.services.accounts import auth, enterprise_accounts
from apec_app.services.accounts.elicense import AuthorizationStatus
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.unit_of_work import unit_of_work
from apec_app.states.countdown import CountdownMixin
from apec_app.states.gate import public
from apec_app.states.qr import QrMixin
from apec_app.states.session import SessionState, signed_in_navigation

INFO_FIELDS = ("reg_province", "reg_address", "phone", "nature", "industry")


class RegisterState(CountdownMixin, QrMixin, SessionState):
    step: int = 1
    # 三要素 as the e-licence platform vouched for them: shown read-only, never taken from the browser.
    ent_name: str = ""
    ent_uscc: str = ""
    ent_legal_rep: str = ""
    info: dict[str, str] = {f: "" for f in INFO_FIELDS}
    email: str = ""
    errors: dict[str, str] = {}
    qr_purpose = "register"

    @public("the registration page: a new QR code, nothing of anyone's")
    def on_load(self):
        self.step = 1
        self.ent_name = self.ent_uscc = self.ent_legal_rep = ""
        self.info = {f: "" for f in INFO_FIELDS}
        self.email = ""
        self.errors = {}
        return self._new_qr()

    @public("a new one-time QR code")
    def refresh_qr(self):
        self.errors = {}
        return self._new_qr()

    def _qr_done(self, status: AuthorizationStatus):
        identity = status.identity
        if identity is None:
            return None
        with unit_of_work() as uow:
            taken = enterprise_accounts.uscc_taken(uow.db, identity.uscc)
        if taken:
            self.errors = self._errors(InvalidInput("", "uscc_taken"))
            return None
        self.ent_name, self.ent_uscc, self.ent_legal_rep = identity.name, identity.uscc, identity.legal_rep
        self.step = 2
        return None

    @public("keeps what is typed into 企业信息 in this tab's state")
    def draft_info(self, field: str, value: str):
        if self.step == 2 and field in INFO_FIELDS:
            self.info = {**self.info, field: str(value).strip()[:200]}

    @public("checks the 企业信息 form; nothing is stored until 【立即注册】")
    def submit_info(self, form: dict):
        if self.step != 2:
            return
        self.info = {f: str(form.get(f, "")).strip()[:200] for f in INFO_FIELDS}
        checks = enterprise_accounts.check_info(EnterpriseInfo(**self.info))
        self.errors = {f: self._errors(InvalidInput(f, c))[f] for f, c in checks.items() if c}
        if not self.errors:
            self.step = 3

    @public("moves back a step; no data")
    def back(self):
        if self.step == 3:
            self.step = 2
            self.errors = {}

    @public("keeps the typed email in this tab's state")
    def set_email(self, value: str):
        self.email = str(value).strip()[:254]

    @public("sends a code to an address not yet registered, 60 s apart")
    def send_code(self):
        if self.step != 3 or self.resend_left > 0:
            return None
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                enterprise_accounts.send_register_code(uow, self.email)
        except ServiceError as exc:
            errors = self._errors(exc)
            self.errors = {
                k: v
                for k, v in {**self.errors, "email": errors.get("email", ""), "code": errors.get("code", "")}.items()
                if v
            }
            return None
        self.errors = {k: v for k, v in self.errors.items() if k not in ("email", "code")}
        return [rx.toast.success("验证码已发送，请查收邮件"), self._start_countdown()]

    @public("registers only with an authorised e-licence nonce and the emailed code")
    def register(self, form: dict):
        if self.step != 3:
            return None
        self.email = str(form.get("email", "")).strip()[:254]
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                enterprise = enterprise_accounts.register_enterprise(
                    uow,
                    nonce=self._nonce,
                    info=EnterpriseInfo(**self.info),
                    email=self.email,
                    password=str(form.get("password", "")),
                    password_confirm=str(form.get("password_confirm", "")),
                    code=str(form.get("code", "")),
                    agreed=bool(form.get("agreed")),
                )
                code = auth.handoff(uow, auth.create_session(uow, "enterprise", enterprise.id))
        except ServiceError as exc:
            self.errors = self._errors(exc)
            if "nonce" in self.errors:
                self.errors[""] = self.errors.pop("nonce")
            return None
        self.errors = {}
        return [rx.toast.success("注册成功"), signed_in_navigation(code, "/")]
