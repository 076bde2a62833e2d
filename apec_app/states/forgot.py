"""忘记密码: 扫描二维码找回 or 手动输入信息 (身份确认) → 安全验证 → 修改密码."""

from __future__ import annotations

import reflex as rx

from apec_app.services.accounts import enterprise_accounts
from apec_app.services.accounts.elicense import AuthorizationStatus
from apec_app.services.accounts.enterprise_accounts import Recovery
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import unit_of_work
from apec_app.states.countdown import CountdownMixin
from apec_app.states.gate import public
from apec_app.states.qr import QrMixin
from apec_app.states.session import SessionState


class ForgotState(CountdownMixin, QrMixin, SessionState):
    mode: str = "qr"
    step: int = 1
    errors: dict[str, str] = {}
    # Server-side only: which account is being recovered (0: none matched, which the page never shows), the
    # credit code given, and the code that proved it.
    _enterprise_id: int = 0
    _uscc: str = ""
    _code: str = ""
    qr_purpose = "reset_password"

    @public("the recovery page: a new QR code, nothing of anyone's")
    def on_load(self):
        self.mode = "qr"
        self.step = 1
        self.errors = {}
        self._enterprise_id = 0
        self._uscc = ""
        self._code = ""
        self.resend_left = 0  # a new recovery, maybe of another account: its own wait starts with its own code
        return self._new_qr()

    @public("switches between QR and manual identification; no data")
    def set_mode(self, mode: str):
        if self.step != 1 or mode not in ("qr", "manual"):
            return None
        self.mode = mode
        self.errors = {}
        if mode == "qr":
            return self._new_qr()
        self._nonce = ""
        return None

    @public("a new one-time QR code")
    def refresh_qr(self):
        return self._new_qr()

    def _identified(self, recovery: Recovery) -> None:
        self._enterprise_id, self._uscc = recovery.enterprise_id, recovery.uscc
        self.step = 2
        self.errors = {}

    def _recovery(self) -> Recovery:
        return Recovery(self._enterprise_id, self._uscc)

    def _qr_done(self, status: AuthorizationStatus):
        try:
            with unit_of_work() as uow:
                recovery = enterprise_accounts.recovery_for_licence(uow, self._nonce)
            self._identified(recovery)
        except ServiceError as exc:
            self.errors = {"": next(iter(self._errors(exc).values()))}
        return None

    @public("goes on whatever is typed; only an enterprise with all three 三要素 ever gets a code")
    def confirm_identity(self, form: dict):
        if self.step != 1:
            return
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                recovery = enterprise_accounts.find_for_recovery(
                    uow, str(form.get("name", "")), str(form.get("uscc", "")), str(form.get("legal_rep", ""))
                )
            self._identified(recovery)
        except ServiceError as exc:
            self.errors = self._errors(exc)

    @public("sends a code only to the identified account's own email, 60 s apart")
    def send_code(self):
        if self.step != 2 or not self._uscc or self.resend_left > 0:
            return None
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                enterprise_accounts.send_reset_code(uow, self._recovery())
        except ServiceError as exc:
            self.errors = self._errors(exc)
            return None
        self.errors = {}
        return [rx.toast.success("验证码已发送，请查收邮件"), self._start_countdown()]

    @public("checks the emailed code (5 wrong tries and it is dead)")
    def verify_code(self, form: dict):
        if self.step != 2 or not self._uscc:
            return
        code = str(form.get("code", "")).strip()
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                enterprise_accounts.check_reset_code(uow, self._recovery(), code)
        except ServiceError as exc:
            self.errors = self._errors(exc)
            return
        self._code = code
        self.errors = {}
        self.step = 3

    @public("changes the password only with the verified emailed code")
    def set_new_password(self, form: dict):
        if self.step != 3 or not self._uscc:
            return
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                enterprise_accounts.reset_password(
                    uow,
                    self._recovery(),
                    self._code,
                    str(form.get("password", "")),
                    str(form.get("password_confirm", "")),
                )
        except ServiceError as exc:
            self.errors = self._errors(exc)
            if "code" in self.errors:  # the code expired meanwhile: verify again
                self.step = 2
            return
        self._enterprise_id, self._uscc, self._code = 0, "", ""
        self.errors = {}
        self.step = 4
