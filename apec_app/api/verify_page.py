"""/verify/offline: the border officer's check that keeps working without a network (docs/rules.md §8).

One self-contained HTML page with the published public keys and the economies' names in it: the browser checks
the QR content's Ed25519 signature itself (WebCrypto), shows what the token holds, and then, when online, asks
POST /api/cards/status whether the card was cancelled or replaced since. Nothing about a holder is in the page or
fetched by it; the token's text is only ever written with textContent.
"""

from __future__ import annotations

import html
import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from apec_app.db import session_scope
from apec_app.integrations import card_keys
from apec_app.services.review import decisions
from apec_app.ui_text.cards import OFFLINE_PAGE_TEXT, STANDING_COLORS, STANDING_LABELS

SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById('abtc-data').textContent);
  const T = data.text;
  const $ = (id) => document.getElementById(id);
  const bytes = (part) => {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  };
  const json = (part) => JSON.parse(new TextDecoder().decode(bytes(part)));
  const beijingToday = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

  function fail(message) {
    $('result').hidden = true;
    $('error').hidden = false;
    $('error').textContent = message;
  }
  function standing(code, note) {
    const badge = $('standing');
    badge.textContent = data.standings[code] || code;
    badge.style.color = data.colors[code] || '#4a4d52';
    badge.style.borderColor = data.colors[code] || '#4a4d52';
    $('standing-note').textContent = note;
  }

  async function check(token) {
    const parts = token.trim().split('.');
    if (parts.length !== 3 || token.length > 2048) return fail(T.malformed);
    let header, claims;
    try { header = json(parts[0]); claims = json(parts[1]); } catch (e) { return fail(T.malformed); }
    if (header.alg !== 'EdDSA' || claims.v !== 1) return fail(T.malformed);
    const jwk = data.keys.find((k) => k.kid === header.kid);
    if (!jwk) return fail(T.unknown_key);
    let ok = false;
    try {
      const key = await crypto.subtle.importKey('jwk', {kty: 'OKP', crv: 'Ed25519', x: jwk.x},
                                                {name: 'Ed25519'}, false, ['verify']);
      ok = await crypto.subtle.verify({name: 'Ed25519'}, key, bytes(parts[2]),
                                      new TextEncoder().encode(parts[0] + '.' + parts[1]));
    } catch (e) { return fail(T.no_webcrypto); }
    if (!ok) return fail(T.bad_signature);
    $('error').hidden = true;
    $('result').hidden = false;
    $('cn').textContent = claims.cn;
    $('vu').textContent = claims.vu;
    $('nm').textContent = claims.nm;
    $('pp').textContent = claims.pp;
    $('kid').textContent = header.kid;
    const list = $('economies');
    list.replaceChildren();
    for (let i = 0; i < String(claims.ec).length; i += 2) {
      const code = String(claims.ec).slice(i, i + 2);
      const names = data.economies[code] || [code, code];
      const item = document.createElement('li');
      item.textContent = code + ' ' + names[0] + ' ' + names[1];
      list.appendChild(item);
    }
    const offline = beijingToday() > claims.vu ? 'expired' : 'valid';
    standing(offline, T.checking);
    try {
      const answer = await fetch('/api/cards/status', {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({token: token.trim()}),
      });
      const body = await answer.json();
      if (!answer.ok || !body.standing) throw new Error('no answer');
      standing(body.standing, T.confirmed);
    } catch (e) {
      standing(offline, T.offline);
    }
  }

  $('verify-form').addEventListener('submit', (event) => {
    event.preventDefault();
    check($('token').value);
  });
  document.body.dataset.ready = '1';
})();
"""

STYLE = """
body{margin:0;font-family:system-ui,"Noto Sans CJK SC",sans-serif;background:#f5f7fa;color:#1c2024}
header{background:#c8161d;color:#fff;padding:12px 16px;font-weight:600}
main{max-width:480px;margin:16px auto;padding:0 12px}
section{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px}
h1{font-size:20px;margin:0 0 8px}
p,small{color:#4a4d52;font-size:13px}
label{display:block;font-size:14px;margin:12px 0 4px}
textarea{width:100%;box-sizing:border-box;font:13px monospace;padding:8px}
button{width:100%;margin-top:8px;padding:10px;font-size:16px;color:#fff;background:#c8161d;border:0;border-radius:6px}
dl{display:grid;grid-template-columns:1fr 1fr;gap:8px 12px;margin:12px 0 0}
dt{font-size:11px;color:#4a4d52}dd{margin:0;font-weight:600;word-break:break-all}
.wide{grid-column:span 2}
#standing{border:1px solid;border-radius:12px;padding:2px 10px;font-weight:600;background:#fff}
#error{color:#b3141b;background:#fff0f0;border-radius:6px;padding:10px}
ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px}
li{border:1px solid #d9e8dc;background:#f4faf5;border-radius:12px;padding:2px 8px;font-size:13px}
"""


def render(keys: dict, economies: dict[str, list[str]]) -> str:
    t = OFFLINE_PAGE_TEXT
    data = {
        "keys": keys["keys"],
        "economies": economies,
        "standings": STANDING_LABELS,
        "colors": STANDING_COLORS,
        "text": t,
    }
    # Inside <script type="application/json">: only "</" could end it early.
    embedded = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    e = html.escape
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(t["title"])}</title><style>{STYLE}</style></head>
<body><header>APEC商务旅行卡申请管理系统</header><main>
<section><h1>{e(t["title"])}</h1><p>{e(t["intro"])}</p>
<form id="verify-form"><label for="token">{e(t["field"])}</label>
<textarea id="token" name="token" rows="5" placeholder="eyJhbGciOiJFZERTQSIs…"></textarea>
<button type="submit">{e(t["button"])}</button></form></section>
<section id="error" role="alert" hidden></section>
<section id="result" hidden>
<div><strong>{e(t["result"])}</strong> <span id="standing" role="status" aria-label="核验结果"></span></div>
<small id="standing-note"></small>
<dl><div><dt>{e(t["card_number"])}</dt><dd id="cn"></dd></div><div><dt>{e(t["valid_until"])}</dt><dd id="vu"></dd></div>
<div class="wide"><dt>{e(t["name"])}</dt><dd id="nm"></dd></div>
<div class="wide"><dt>{e(t["passport"])}</dt><dd id="pp"></dd></div></dl>
<p id="economies-heading">{e(t["economies"])}</p><ul id="economies" aria-labelledby="economies-heading"></ul>
<small>Key id: <span id="kid"></span></small></section>
<small>{e(t["keys"])} <a href="/api/cards/keys">/api/cards/keys</a></small>
</main>
<script type="application/json" id="abtc-data">{embedded}</script>
<script>{SCRIPT}</script></body></html>"""


async def offline_verify_page(request: Request) -> Response:
    with session_scope() as db:
        economies = {e.code: [e.name_zh, e.name_en] for e in decisions.economies(db)}
    return HTMLResponse(render(card_keys.jwks(), economies), headers={"Cache-Control": "no-cache"})


routes = [Route("/verify/offline", offline_verify_page, methods=["GET"])]
