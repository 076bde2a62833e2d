"""A guard in front of Reflex's POST /_upload (an api_transformer): a body larger than the largest file we accept
(plus the multipart envelope) is refused with 413 before any of it is read, a body without a declared length
is read into memory only up to that size, and a request without a valid session gets 401 — all before Reflex spools
anything to disk. The README's single-port command has no proxy in front to do this.
"""

from __future__ import annotations

import anyio
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse

from apec_app.api.session import COOKIE
from apec_app.db import session_scope
from apec_app.domain import decisions_csv, people_import, uploads
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth

UPLOAD_PATH = "/_upload"
# The largest file any upload of the app takes, and room for the multipart headers around it.
LIMIT = max(uploads.MAX_BYTES, people_import.MAX_BYTES, decisions_csv.MAX_BYTES) + 256 * 1024


def _signed_in(token: str) -> bool:
    if not token:
        return False
    with session_scope() as db:
        return auth.resolve_session(db, token, now=utcnow(), touch=False) is not None


def _declared_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


def with_upload_guard(app):
    async def guarded(scope, receive, send):
        if scope["type"] != "http" or scope.get("path") != UPLOAD_PATH or scope.get("method") != "POST":
            await app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and not 0 <= declared <= LIMIT:
            await _too_large(scope, receive, send)
            return
        token = HTTPConnection(scope).cookies.get(COOKIE, "")
        if not await anyio.to_thread.run_sync(_signed_in, token):
            await PlainTextResponse("请先登录", status_code=401)(scope, receive, send)
            return
        if declared is not None:
            await app(scope, receive, send)
            return
        await _counted(app, scope, receive, send)

    return guarded


async def _counted(app, scope, receive, send) -> None:
    """A body without a declared length (browsers always declare one): read up to the limit before the app sees
    any of it, then handed on; past the limit, 413 and the app never runs."""
    messages, received = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return  # the client went away
        received += len(message.get("body", b""))
        if received > LIMIT:
            await _too_large(scope, receive, send)
            return
        messages.append(message)
        if not message.get("more_body", False):
            break

    async def replay():
        return messages.pop(0) if messages else await receive()

    await app(scope, replay, send)


async def _too_large(scope, receive, send) -> None:
    await PlainTextResponse("文件过大", status_code=413, headers={"Connection": "close"})(scope, receive, send)
