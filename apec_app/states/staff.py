"""Staff sign-in (reviewers, admins and APEC economies' officers, who go on to their English portal)."""

from __future__ import annotations

from apec_app.services.accounts import auth
from apec_app.services.principal import ECONOMY
from apec_app.services.unit_of_work import unit_of_work
from apec_app.states.gate import public
from apec_app.states.login import lock_message
from apec_app.states.session import SessionState, signed_in_navigation


class StaffLoginState(SessionState):
    error: str = ""

    @public("the sign-in page itself: it only clears its own message")
    def on_load(self):
        self.error = ""
        return self._tell_why_signed_out()

    @public("checks the password itself, with the lockout per account and client address")
    def sign_in(self, form: dict):
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        if not username or not password:
            self.error = "请输入用户名和密码"
            return None
        with unit_of_work(client_ip=self._client_ip()) as uow:
            result = auth.sign_in_staff(uow, username, password)
            code = auth.handoff(uow, result.token) if result.ok else ""
        if not result.ok:
            self.error = lock_message(result)
            return None
        self.error = ""
        officer = result.principal is not None and result.principal.kind == ECONOMY
        return signed_in_navigation(code, "/economy" if officer else "/staff")
