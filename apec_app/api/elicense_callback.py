"""POST /elicense/callback: where the e-licence platform delivers its signed answer to one of our QR codes.

Mounted whenever a platform is configured. The answer is trusted only after services/elicense.accept_assertion
has verified it; the simulated platform delivers its answers through `deliver` too.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from apec_app.db import session_scope
from apec_app.integrations.elicense_platform import CALLBACK_PATH, AssertionRejected
from apec_app.services.accounts import elicense
from apec_app.services.errors import InvalidInput, NotFound
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import unit_of_work
from apec_app.ui_text import describe

logger = logging.getLogger("apec.elicense")
MAX_BODY = 8192


@dataclass(frozen=True)
class Delivery:
    status: int
    body: str
    field_errors: dict[str, str] = field(default_factory=dict)


def _alert(code: str) -> str:
    return f'<p class="err" role="alert">{html.escape(describe(code))}</p>'


def deliver(token: str, client_ip: str = "") -> Delivery:
    """Accept one signed answer; what the platform (or the simulator's page) is told."""
    try:
        with unit_of_work(client_ip=client_ip) as uow:
            answer = elicense.accept_assertion(uow, token)
            if answer.refusal:
                log_event(uow.db, "elicense_refused", detail=f"{answer.purpose}: {answer.refusal}", client_ip=client_ip)
    except AssertionRejected as exc:
        with session_scope() as db:
            log_event(db, "elicense_assertion_rejected", detail=exc.code, client_ip=client_ip)
        return Delivery(400, _alert("elicense_assertion_rejected"))
    except NotFound:
        return Delivery(404, _alert("qr_unknown"))
    except InvalidInput as exc:
        if exc.field == "nonce":
            return Delivery(410, _alert(exc.code))
        return Delivery(400, "", {f: describe(c) for f, c in exc.errors.items()})
    if answer.refusal:
        return Delivery(403, _alert(answer.refusal))
    return Delivery(200, '<p class="ok" role="status">授权成功</p><p class="note">请返回电脑端页面继续操作。</p>')


async def callback(request: Request) -> HTMLResponse:
    body = await request.body()
    if len(body) > MAX_BODY:
        return HTMLResponse(_alert("elicense_assertion_rejected"), status_code=413)
    form = await request.form()
    outcome = deliver(str(form.get("assertion", "")), request.client.host if request.client else "")
    text = outcome.body or "".join(_alert(c) for c in outcome.field_errors.values())
    return HTMLResponse(text, status_code=outcome.status, headers={"Cache-Control": "no-store"})


routes = [Route(CALLBACK_PATH, callback, methods=["POST"])]
