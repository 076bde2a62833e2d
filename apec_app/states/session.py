"""Who is signed in. Every protected state inherits from SessionState and calls `_require` first."""

from __future__ import annotations

from datetime import datetime

import reflex as rx
from sqlmodel import Session

from apec_app.db import session_scope
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.messaging import notifications
from apec_app.services.principal import AGENT, ENTERPRISE, STAFF, Principal
from apec_app.services.security_log import log_event
from apec_app.ui_text import describe

SESSION_COOKIE_AGE = int(auth.ABSOLUTE_TIMEOUT.total_seconds())


class SessionState(rx.State):
    # The browser keeps only the random token; the database knows what it means.
    session_token: str = rx.Cookie("", name="apec_session", same_site="strict", max_age=SESSION_COOKIE_AGE)
    signed_in: bool = False
    principal_kind: str = ""
    display_name: str = ""
    staff_role: str = ""
    unread: int = 0
    idle_warning: bool = False
    idle_seconds_left: int = 0

    # --- helpers (not callable from the browser: they start with _) ---------------------------------------

    def _client_ip(self) -> str:
        try:
            return self.router.session.client_ip or ""
        except AttributeError:
            return ""

    def _require(self, db: Session, *kinds: str) -> Principal | None:
        """The signed-in principal when it is one of `kinds`; else None (and a refused access is logged)."""
        principal = auth.resolve_session(db, self.session_token)
        if principal is None or (kinds and principal.kind not in kinds):
            log_event(
                db,
                "access_refused",
                actor=principal.label if principal else "anonymous",
                detail=f"{type(self).__name__} needs {'/'.join(kinds) or 'any'}",
                client_ip=self._client_ip(),
            )
            return None
        return principal

    def _enter(self, *kinds: str) -> Principal | None:
        """A page's on_load: check the caller and show who is signed in (in the header)."""
        with session_scope() as db:
            principal = self._require(db, *kinds)
            self._show_principal(db, principal)
        return principal

    def _current(self, *kinds: str) -> Principal | None:
        """`_require` in its own transaction, for handlers that need only the principal."""
        with session_scope() as db:
            return self._require(db, *kinds)

    def _route_id(self, from_end: int = 1) -> int:
        """The numeric id in the page's path (e.g. /user/applications/12 or /user/applications/12/pay)."""
        try:
            return int(self.router.url.path.rstrip("/").split("/")[-from_end])
        except (ValueError, AttributeError, IndexError):
            return 0

    def _show_principal(self, db: Session, principal: Principal | None) -> None:
        self.signed_in = principal is not None
        self.principal_kind = principal.kind if principal else ""
        self.display_name = principal.name if principal else ""
        self.staff_role = (principal.role or "") if principal else ""
        self.unread = notifications.unread_count(db, principal) if principal and not principal.is_staff else 0
        self.idle_warning = False

    def _start_session(self, token: str) -> None:
        self.session_token = token

    def _forget_session(self) -> None:
        self.session_token = ""
        self.signed_in = False
        self.principal_kind = ""
        self.display_name = ""
        self.staff_role = ""
        self.unread = 0
        self.idle_warning = False

    def _denied(self):
        """What a protected handler returns when the caller may not act: signed-out callers go to sign in;
        signed-in callers of the wrong kind or role go to their own home page and stay signed in."""
        with session_scope() as db:
            principal = auth.resolve_session(db, self.session_token, touch=False)
        if principal is not None:
            home = "/staff" if principal.is_staff else "/"
            return [rx.toast.error(describe("permission_denied")), rx.redirect(home)]
        staff_page = type(self).__name__.lower().startswith(("staff", "audit", "admin"))
        self._forget_session()
        return [rx.toast.error(describe("session_expired")), rx.redirect("/staff/login" if staff_page else "/login")]

    @staticmethod
    def _errors(exc: ServiceError) -> dict[str, str]:
        """Field → Chinese message for an InvalidInput; general errors under the key ''."""
        if isinstance(exc, InvalidInput):
            return {field: describe(code, **exc.params) for field, code in exc.errors.items()}
        return {"": describe(exc.code, **exc.params)}

    # --- events -------------------------------------------------------------------------------------------

    @rx.event
    def load_header(self):
        """Public pages: show who is signed in, if anyone."""
        with session_scope() as db:
            principal = auth.resolve_session(db, self.session_token, touch=False)
            self._show_principal(db, principal)

    def _guard(self, *kinds: str):
        with session_scope() as db:
            principal = self._require(db, *kinds)
            self._show_principal(db, principal)
        if principal is None:
            return self._denied()
        return None

    @rx.event
    def require_applicant(self):
        return self._guard(ENTERPRISE, AGENT)

    @rx.event
    def require_enterprise(self):
        return self._guard(ENTERPRISE)

    @rx.event
    def require_staff(self):
        return self._guard(STAFF)

    @rx.event
    def sign_out(self):
        with session_scope() as db:
            principal = auth.resolve_session(db, self.session_token, touch=False)
            auth.revoke_session(db, self.session_token)
            if principal:
                log_event(db, "sign_out", actor=principal.label, client_ip=self._client_ip())
        staff = self.principal_kind == STAFF
        self._forget_session()
        return rx.redirect("/staff/login" if staff else "/login")

    @rx.event
    def check_idle(self):
        """Runs every 30 s on signed-in pages without counting as activity: warns 2 minutes before expiry."""
        if not self.signed_in:
            return None
        with session_scope() as db:
            deadline: datetime | None = auth.session_idle_deadline(db, self.session_token)
        left = (deadline - utcnow()).total_seconds() if deadline else 0
        if left <= 0:
            staff = self.principal_kind == STAFF
            self._forget_session()
            return [rx.toast.warning("登录已超时，请重新登录"), rx.redirect("/staff/login" if staff else "/login")]
        self.idle_seconds_left = int(left)
        self.idle_warning = left <= auth.IDLE_WARNING.total_seconds()
        return None

    @rx.event
    def stay_signed_in(self):
        with session_scope() as db:
            principal = auth.resolve_session(db, self.session_token)
        if principal is None:
            return self._denied()
        self.idle_warning = False
        return None
