"""/session/start and /session/end: the session cookie is set and cleared by HTTP responses, so it can be
HttpOnly (no script, ours or injected, can read it) and the websocket reads it from its request headers.

A sign-in handler gets a one-time code (services/accounts/auth.handoff) and sends the browser here with it; the
code works once within a minute and the cookie gets a token the page never saw.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from apec_app.services.accounts import auth
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import unit_of_work
from apec_app.settings import get_settings

COOKIE = auth.SESSION_COOKIE


def safe_next(value: str, fallback: str) -> str:
    """A page of this site's front end: `value` only when it is a plain path (no other host, no scheme-relative
    //host), put after PUBLIC_URL (the API may answer on another origin)."""
    parts = urlsplit(value or "")
    if not value.startswith("/") or value.startswith("//") or "\\" in value or parts.scheme or parts.netloc:
        value = fallback
    return get_settings().public_url + value


def _cookie(response: Response, value: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=get_settings().public_url.startswith("https://"),
    )


async def start(request: Request) -> Response:
    client_ip = request.client.host if request.client else ""
    with unit_of_work(client_ip=client_ip) as uow:
        token = auth.redeem_handoff(uow, request.query_params.get("code", ""))
        if token is None:
            log_event(uow.db, "session_handoff_refused", client_ip=client_ip)
    if token is None:
        return RedirectResponse("/login", status_code=303)
    response = RedirectResponse(safe_next(request.query_params.get("next", "/"), "/"), status_code=303)
    _cookie(response, token, int(auth.ABSOLUTE_TIMEOUT.total_seconds()))
    response.headers["Cache-Control"] = "no-store"
    return response


async def end(request: Request) -> Response:
    """Clears the cookie (the session itself was ended by the sign-out handler; ended here too, in case)."""
    token = request.cookies.get(COOKIE, "")
    if token:
        with unit_of_work() as uow:
            auth.revoke_session(uow.db, token, now=uow.now())
    response = RedirectResponse(safe_next(request.query_params.get("next", "/login"), "/login"), status_code=303)
    _cookie(response, "", 0)
    response.headers["Cache-Control"] = "no-store"
    return response


routes = [Route("/session/start", start, methods=["GET"]), Route("/session/end", end, methods=["GET"])]
