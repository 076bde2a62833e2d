"""Staff sign-in (reviewers and admins)."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.services.accounts import auth
from apec_app.states.login import lock_message
from apec_app.states.session import SessionState


class StaffLoginState(SessionState):
    error: str = ""

    @rx.event
    def on_load(self):
        self.error = ""

    @rx.event
    def sign_in(self, form: dict):
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        if not username or not password:
            self.error = "请输入用户名和密码"
            return None
        with session_scope() as db:
            result = auth.sign_in_staff(db, username, password, self._client_ip())
            if result.ok:
                self._show_principal(db, result.principal)
        if not result.ok:
            self.error = lock_message(result)
            return None
        self._start_session(result.token)
        return rx.redirect("/staff")
