"""登录: 账号登录, 经办人登录 and 电子营业执照扫码 login."""

from __future__ import annotations

from datetime import timezone

from apec_app.services.accounts import auth, elicense
from apec_app.services.accounts.auth import SignInResult
from apec_app.services.accounts.elicense import AuthorizationStatus
from apec_app.services.errors import InvalidInput
from apec_app.services.unit_of_work import unit_of_work
from apec_app.states.gate import public
from apec_app.states.qr import QrMixin
from apec_app.states.session import SessionState, signed_in_navigation
from apec_app.time_format import local_time
from apec_app.ui_text import describe


def lock_message(result: SignInResult) -> str:
    if result.code == "account_locked" and result.locked_until:
        return describe("account_locked", until=local_time(result.locked_until.astimezone(timezone.utc)))
    return describe(result.code, seconds=result.wait_seconds)


class LoginState(QrMixin, SessionState):
    tab: str = "account"
    qr_mode: bool = False
    error: str = ""
    qr_purpose = "login"

    @public("the sign-in page: shows who is signed in, if anyone")
    def on_load(self):
        self.error = ""
        self.qr_mode = False
        self.qr_status = ""
        self._nonce = ""
        with unit_of_work() as uow:
            self._show_principal(auth.resolve_session(uow.db, self._session_token(), now=uow.now(), touch=False))
        return self._tell_why_signed_out()

    @public("switches the tab; no data")
    def set_tab(self, tab: str):
        if tab in ("account", "agent"):
            self.tab = tab
            self.error = ""

    @public("a one-time QR code that signs in only the enterprise whose licence authorises it")
    def toggle_qr(self):
        self.qr_mode = not self.qr_mode
        self.error = ""
        if self.qr_mode:
            return self._new_qr()
        self._nonce = ""
        return None

    @public("a new one-time QR code")
    def refresh_qr(self):
        return self._new_qr()

    def _finish(self, result: SignInResult, handoff: str):
        if not result.ok:
            self.error = lock_message(result)
            return None
        return signed_in_navigation(handoff, "/")

    @public("checks the password itself (with lockout per account and IP)")
    def sign_in(self, form: dict):
        identifier = str(form.get("identifier", "")).strip()
        password = str(form.get("password", ""))
        if not identifier or not password:
            self.error = "请输入账号和密码"
            return None
        with unit_of_work(client_ip=self._client_ip()) as uow:
            if self.tab == "agent":
                result = auth.sign_in_agent(uow, identifier, password)
            else:
                result = auth.sign_in_enterprise(uow, identifier, password)
            code = auth.handoff(uow, result.token) if result.ok else ""
        return self._finish(result, code)

    def _qr_done(self, status: AuthorizationStatus):
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                identity = elicense.consume(uow, self._nonce, "login")
                enterprise = elicense.matching_enterprise(uow.db, identity)
                result = auth.sign_in_enterprise_by_id(uow, enterprise.id)
                code = auth.handoff(uow, result.token) if result.ok else ""
        except InvalidInput as exc:
            result, code = SignInResult(False, exc.code), ""
        return self._finish(result, code)
