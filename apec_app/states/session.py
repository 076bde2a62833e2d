"""Who is signed in, and the gate's half that lives on the state (see apec_app/states/gate.py).

Every state of the app derives from SessionState; a page's state also takes PageMixin, whose data is only ever
shown for the path it was loaded for (`scoped` in apec_app/components/scoped.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from http.cookies import CookieError, SimpleCookie
from typing import Any, ClassVar
from urllib.parse import urlencode

import reflex as rx

from apec_app.domain.clock import SYSTEM_CLOCK
from apec_app.services.accounts import auth
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.messaging import notifications
from apec_app.services.principal import ECONOMY, STAFF, Principal
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork, unit_of_work
from apec_app.settings import get_settings
from apec_app.states.gate import Need, public
from apec_app.ui_text import describe

SESSION_COOKIE = auth.SESSION_COOKIE


def signed_in_navigation(code: str, next_path: str = "/"):
    """Take the browser to /session/start, which sets the HttpOnly session cookie and goes on to `next_path`
    (a full page load: the new websocket then carries the cookie)."""
    url = f"{get_settings().api_url}/session/start?{urlencode({'code': code, 'next': next_path})}"
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


# Why a page signed its user out, told once on the sign-in page it goes to (the full page load would lose a toast).
SIGNED_OUT_REASONS = ("agent_deauthorised", "session_expired")


def signed_out_navigation(next_path: str, reason: str = ""):
    """Clear the cookie (an HTTP response) and go on to `next_path` (telling it `reason`)."""
    if reason in SIGNED_OUT_REASONS:
        next_path = f"{next_path}?{urlencode({'reason': reason})}"
    url = f"{get_settings().api_url}/session/end?{urlencode({'next': next_path})}"
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


class SessionState(rx.State):
    # The session cookie is HttpOnly, set by /session/start (apec_app/api/session.py): the state never holds
    # it; each event reads it from its websocket's request headers.
    # False until this tab has asked the server who is signed in: the header shows neither 【登录】 nor a name.
    session_known: bool = False
    signed_in: bool = False
    principal_kind: str = ""
    display_name: str = ""
    staff_role: str = ""
    unread: int = 0
    idle_warning: bool = False
    idle_seconds_left: int = 0
    # Which session this tab's state was loaded under (a hash): see apec_app/states/binding.py.
    _bound_session: str = ""

    # --- who is calling --------------------------------------------------------------------------------------

    def _client_ip(self) -> str:
        try:
            return self.router.session.client_ip or ""
        except AttributeError:
            return ""

    def _route_id(self, from_end: int = 1) -> int:
        """The numeric id in the page's path (e.g. /user/applications/12 or /user/applications/12/pay)."""
        try:
            return int(self.router.url.path.rstrip("/").split("/")[-from_end])
        except (ValueError, AttributeError, IndexError):
            return 0

    def _session_token(self) -> str:
        try:
            header = self.router.headers.cookie
        except AttributeError:
            return ""
        cookies = SimpleCookie()
        try:
            cookies.load(header or "")
        except CookieError:
            return ""
        morsel = cookies.get(SESSION_COOKIE)
        return morsel.value if morsel else ""

    def _resolve(self, uow: UnitOfWork) -> Principal | None:
        return auth.resolve_session(uow.db, self._session_token(), now=uow.now())

    def _show_principal(self, principal: Principal | None) -> None:
        """The header's view of the caller."""
        self._assign(
            session_known=True,
            signed_in=principal is not None,
            principal_kind=principal.kind if principal else "",
            display_name=principal.name if principal else "",
            staff_role=(principal.role or "") if principal else "",
        )

    def _assign(self, **values: Any) -> None:
        """Assign only what changed, so an event sends no needless delta."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _derive(self) -> None:
        """Assign the vars that follow from the state's others; the gate calls it after each handler step.

        The app's states have no computed vars (`@rx.var`): Reflex keeps in a tab's stored state what it sent of
        each computed var, so one on a page the tab never opened would store that page's state for the tab too
        (in Redis or the state folder), and every event's state tree would read it back. A state overrides this
        instead, with `_assign` (tests/services/test_derived_vars.py checks both).
        """

    def _count_unread(self, uow: UnitOfWork) -> None:
        principal = uow.principal
        count = notifications.cached_unread_count(uow) if principal and principal.kind not in (STAFF, ECONOMY) else 0
        self._assign(unread=count)

    def _forget_session(self) -> None:
        self._show_principal(None)
        self.unread = 0
        self.idle_warning = False

    @staticmethod
    def _errors(exc: ServiceError) -> dict[str, str]:
        """Field → Chinese message for an InvalidInput; general errors under the key ''."""
        if isinstance(exc, InvalidInput):
            return {field: describe(code, **exc.params) for field, code in exc.errors.items()}
        return {"": describe(exc.code, **exc.params)}

    # --- the gate's half -------------------------------------------------------------------------------------

    def _admit(self, uow: UnitOfWork, need: Need, handler: str) -> list | None:
        """Resolve the caller once; None when admitted (uow.principal set), else the events that turn them away."""
        principal = self._resolve(uow)
        self._show_principal(principal)
        if need.admits(principal):
            uow.principal = principal
            return None
        log_event(
            uow.db,
            "access_refused",
            actor=principal.label if principal else "anonymous",
            detail=f"{handler} needs {need}",
            client_ip=uow.client_ip,
        )
        return self._turn_away(uow, principal, need)

    def _turn_away(self, uow: UnitOfWork, principal: Principal | None, need: Need) -> list:
        """Signed-out callers go to the sign-in page that fits the handler (and are told why); callers of the
        wrong kind or role go to their own home page and stay signed in."""
        if principal is not None:
            home = "/staff" if principal.is_staff else "/economy" if principal.kind == ECONOMY else "/"
            return [rx.toast.error(describe("permission_denied")), rx.redirect(home)]
        token = self._session_token()
        code = auth.why_signed_out(uow.db, token) if token else ""
        self._forget_session()
        self._clear_page()
        events: list = [rx.redirect(need.sign_in_page)]
        if code:
            events.insert(0, rx.toast.error(describe(code), id="signed-out"))
        return events

    def _run_gated(self, need: Need, handler: str, call: Callable[[UnitOfWork], Any]):
        """A plain handler: admission and the action in one unit of work; a ServiceError rolls it back."""
        try:
            with unit_of_work(client_ip=self._client_ip(), clock=SYSTEM_CLOCK) as uow:
                refusal = self._admit(uow, need, handler)
                if refusal is not None:
                    return refusal
                return call(uow)
        except ServiceError as exc:
            return self._service_error(exc)

    def _admit_detached(self, need: Need, handler: str) -> tuple[UnitOfWork, list | None]:
        """For generator and async handlers: admission in its own short transaction, then a unit of work with
        the caller and the clock but no transaction (the handler opens its own with `uow.begin()`)."""
        with unit_of_work(client_ip=self._client_ip(), clock=SYSTEM_CLOCK) as check:
            refusal = self._admit(check, need, handler)
        return UnitOfWork(None, check.principal, check.clock, check.client_ip), refusal

    def _handler_failed(self, exc: Exception):
        if isinstance(exc, ServiceError):
            return self._service_error(exc)
        raise exc

    def _service_error(self, exc: ServiceError):
        """What an uncaught ServiceError shows: field messages in the page's `errors`, else a toast."""
        return self._service_error_events(exc)

    def _service_error_events(self, exc: ServiceError) -> list:
        messages = self._errors(exc)
        if isinstance(exc, InvalidInput) and "errors" in type(self).__fields__:
            self.errors = messages
            return []
        return [rx.toast.error(next(iter(messages.values())))]

    def _clear_page(self) -> None:
        """Overridden by page states: forget the record they hold."""

    # --- events ----------------------------------------------------------------------------------------------

    @public("public pages show who is signed in, if anyone; nothing else")
    def load_header(self):
        with unit_of_work() as uow:
            principal = self._resolve(uow)
            uow.principal = principal
            self._show_principal(principal)
            self._count_unread(uow)

    def _tell_why_signed_out(self) -> list:
        """On a sign-in page: the reason the last page gave (agent de-authorised, expired), once."""
        try:
            reason = self.router.url.query_parameters.get("reason", "")
        except AttributeError:
            return []
        if reason not in SIGNED_OUT_REASONS:
            return []
        return [
            rx.toast.error(describe(reason), id="signed-out"),
            rx.call_script("history.replaceState(null, '', location.pathname)"),
        ]

    @public("ends the caller's own session, whatever it is")
    def sign_out(self):
        token = self._session_token()
        with unit_of_work(client_ip=self._client_ip()) as uow:
            principal = auth.resolve_session(uow.db, token, now=uow.now(), touch=False)
            auth.revoke_session(uow.db, token, now=uow.now())
            if principal:
                log_event(uow.db, "sign_out", actor=principal.label, client_ip=uow.client_ip)
        staff = self.principal_kind in (STAFF, ECONOMY)
        self._forget_session()
        return signed_out_navigation("/staff/login" if staff else "/login")

    @public("reads only the caller's own session deadline")
    def check_idle(self):
        """Runs every 30 s on signed-in pages without counting as activity: warns 2 minutes before expiry."""
        if not self.signed_in:
            return None
        token = self._session_token()
        with unit_of_work() as uow:
            deadline: datetime | None = auth.session_idle_deadline(uow.db, token)
            now = uow.now()
            left = (deadline - now).total_seconds() if deadline else 0
            reason = auth.why_signed_out(uow.db, token) if left <= 0 else ""
        if left <= 0:
            staff = self.principal_kind in (STAFF, ECONOMY)
            self._forget_session()
            return signed_out_navigation("/staff/login" if staff else "/login", reason)
        self.idle_seconds_left = int(left)
        self.idle_warning = left <= auth.IDLE_WARNING.total_seconds()
        return None

    @public("touches only the caller's own session")
    def stay_signed_in(self):
        with unit_of_work() as uow:
            principal = auth.resolve_session(uow.db, self._session_token(), now=uow.now(), force_touch=True)
        if principal is None:
            staff = self.principal_kind in (STAFF, ECONOMY)
            self._forget_session()
            return signed_out_navigation("/staff/login" if staff else "/login")
        self.idle_warning = False
        return None


class PageMixin(rx.State, mixin=True):
    """A page's state (with SessionState): its data belongs to one record, the path it was loaded for, and is
    cleared whenever the page is entered again, so a page never shows another record's data (see `scoped` in
    apec_app/components/scoped.py, which shows a loading state until `loaded_path` is the current path)."""

    loaded_path: str = ""
    # Fields a page keeps across entries (e.g. what was typed into a form not yet submitted).
    keep_on_load: ClassVar[tuple[str, ...]] = ()

    def _current_path(self) -> str:
        try:
            return self.router.url.path.rstrip("/") or "/"
        except AttributeError:
            return ""

    def _clear_page(self) -> None:
        cls = type(self)
        for name, f in cls.__fields__.items():
            if f._owner is cls and name not in self.keep_on_load and not name.startswith("router"):
                setattr(self, name, f.default_value())
