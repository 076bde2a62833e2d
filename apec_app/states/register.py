"""企业账号注册: 电子营业执照扫码 → 企业信息 → 账户信息."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.services.accounts import auth
from apec_app.services.accounts import enterprise_accounts as accounts
from apec_app.services.accounts.elicense import AuthorizationStatus
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.states.countdown import CountdownMixin
from apec_app.states.qr import QrMixin
from apec_app.states.session import SessionState

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

    @rx.event
    def on_load(self):
        self.step = 1
        self.ent_name = self.ent_uscc = self.ent_legal_rep = ""
        self.info = {f: "" for f in INFO_FIELDS}
        self.email = ""
        self.errors = {}
        return self._new_qr()

    @rx.event
    def refresh_qr(self):
        self.errors = {}
        return self._new_qr()

    def _qr_done(self, status: AuthorizationStatus):
        identity = status.identity
        if identity is None:
            return None
        with session_scope() as db:
            taken = accounts.uscc_taken(db, identity.uscc)
        if taken:
            self.errors = self._errors(InvalidInput("", "uscc_taken"))
            return None
        self.ent_name, self.ent_uscc, self.ent_legal_rep = identity.name, identity.uscc, identity.legal_rep
        self.step = 2
        return None

    @rx.event
    def submit_info(self, form: dict):
        if self.step != 2:
            return
        self.info = {f: str(form.get(f, "")).strip()[:200] for f in INFO_FIELDS}
        checks = accounts.check_info(EnterpriseInfo(**self.info))
        self.errors = {f: self._errors(InvalidInput(f, c))[f] for f, c in checks.items() if c}
        if not self.errors:
            self.step = 3

    @rx.event
    def back(self):
        if self.step == 3:
            self.step = 2
            self.errors = {}

    @rx.event
    def set_email(self, value: str):
        self.email = str(value).strip()[:254]

    @rx.event
    def send_code(self):
        if self.step != 3 or self.resend_left > 0:
            return None
        try:
            with session_scope() as db:
                accounts.send_register_code(db, self.email)
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

    @rx.event
    def register(self, form: dict):
        if self.step != 3:
            return None
        self.email = str(form.get("email", "")).strip()[:254]
        try:
            with session_scope() as db:
                enterprise = accounts.register_enterprise(
                    db,
                    nonce=self._nonce,
                    info=EnterpriseInfo(**self.info),
                    email=self.email,
                    password=str(form.get("password", "")),
                    password_confirm=str(form.get("password_confirm", "")),
                    code=str(form.get("code", "")),
                    agreed=bool(form.get("agreed")),
                    client_ip=self._client_ip(),
                )
                token = auth.create_session(db, "enterprise", enterprise.id, self._client_ip())
                principal = auth.resolve_session(db, token)
                self._show_principal(db, principal)
        except ServiceError as exc:
            self.errors = self._errors(exc)
            if "nonce" in self.errors:
                self.errors[""] = self.errors.pop("nonce")
            return None
        self._start_session(token)
        self.errors = {}
        return [rx.toast.success("注册成功"), rx.redirect("/")]
