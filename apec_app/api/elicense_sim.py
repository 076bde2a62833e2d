"""The simulated 电子营业执照 platform: the page a licence holder opens from the QR code.

It is plain server-rendered HTML on the backend so that a phone can open it without the app's websocket. It is
mounted only with ELICENSE_PROVIDER=simulated (the demo), because it vouches for whatever its visitor types:
it signs the 三要素 with the simulator's own key and hands the assertion to the same verification a real
platform's answer goes through, which checks them against the registered enterprise.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from apec_app.api.elicense_callback import deliver
from apec_app.integrations.elicense_platform import (
    SIMULATED_ISSUER,
    SIMULATOR_PATH,
    sign_assertion,
    simulator_private_key,
)
from apec_app.models.base import utcnow
from apec_app.services.accounts import elicense
from apec_app.services.unit_of_work import unit_of_work
from apec_app.settings import get_settings
from apec_app.ui_text import describe

PURPOSE_TEXT = {
    "register": "注册中国领事APEC商务旅行卡企业账号",
    "login": "登录APEC商务旅行卡申请管理系统",
    "reset_password": "找回APEC商务旅行卡企业账号密码",
    "update_identity": "更新APEC商务旅行卡企业账号的企业三要素信息",
}

STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f3f5f9;color:#1f2d3d}
header{background:#c8161d;color:#fff;padding:14px 20px;font-size:18px;font-weight:600}
main{max-width:420px;margin:20px auto;background:#fff;border-radius:10px;padding:20px 22px;box-shadow:0 2px 8px rgba(0,0,0,.08)}
label{display:block;margin:14px 0 6px;font-size:14px}
input{width:100%;box-sizing:border-box;padding:10px;border:1px solid #c0c4cc;border-radius:6px;font-size:16px}
button{margin-top:20px;width:100%;padding:12px;border:0;border-radius:6px;background:#c8161d;color:#fff;font-size:17px}
.err{color:#c8161d;font-size:13px;margin-top:4px}.ok{color:#1a7f37;font-size:18px;text-align:center}
.note{font-size:13px;color:#606266}
"""


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>电子营业执照</title>
<style>{STYLE}</style></head><body><header>电子营业执照（模拟平台）</header><main>{body}</main></body></html>""",
        status_code=status,
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"},
    )


def _form(nonce: str, purpose: str, values: dict[str, str], errors: dict[str, str]) -> str:
    def field(name: str, label: str) -> str:
        err = f'<div class="err" role="alert">{html.escape(errors[name])}</div>' if name in errors else ""
        return (
            f'<label for="{name}">{label}</label><input id="{name}" name="{name}" '
            f'value="{html.escape(values.get(name, ""))}" autocomplete="off">{err}'
        )

    general = f'<div class="err" role="alert">{html.escape(errors["nonce"])}</div>' if "nonce" in errors else ""
    return f"""<p class="note">申请授权：{html.escape(PURPOSE_TEXT.get(purpose, ""))}。确认下列企业信息后点击【授权】。</p>
<form method="post" action="?nonce={html.escape(nonce)}">{general}
{field("name", "企业名称")}{field("uscc", "统一社会信用代码")}{field("legal_rep", "法定代表人")}
<button type="submit">授权</button></form>"""


async def authorize_page(request: Request) -> HTMLResponse:
    """GET: the licence holder's confirmation form. POST: sign what the holder confirmed and deliver it."""
    nonce = request.query_params.get("nonce", "")
    with unit_of_work() as uow:
        current = elicense.status(uow.db, nonce, uow.now())
    if current.state != "pending":
        code = {"unknown": "qr_unknown", "expired": "qr_expired", "refused": current.code}.get(current.state, "qr_used")
        return _page(f'<p class="err" role="alert">{describe(code)}</p>', 410 if current.state != "unknown" else 404)
    if request.method == "GET":
        return _page(_form(nonce, current.purpose, {}, {}))
    form = await request.form()
    values = {k: str(form.get(k, ""))[:200] for k in ("name", "uscc", "legal_rep")}
    token = sign_assertion(
        simulator_private_key(get_settings().data_dir),
        issuer=SIMULATED_ISSUER,
        nonce=nonce,
        name=values["name"],
        uscc=values["uscc"],
        legal_rep=values["legal_rep"],
        now=utcnow(),
    )
    # Delivered as a real platform's answer would be, through the same verification (see elicense_callback).
    outcome = deliver(token)
    if outcome.field_errors:
        return _page(_form(nonce, current.purpose, values, outcome.field_errors), outcome.status)
    return _page(outcome.body, outcome.status)


routes = [Route(SIMULATOR_PATH, authorize_page, methods=["GET", "POST"])]
