"""Security headers on every HTTP response (pages, static files, API routes): no framing, no MIME sniffing, no
referrer beyond our own origin (set-password links carry a token), and a content security policy that allows only
our own origin (plus the API origin for the websocket when it differs)."""

from __future__ import annotations

from urllib.parse import urlsplit

from apec_app.settings import get_settings


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def policy(public_url: str, api_url: str) -> str:
    """React and Radix put inline styles and a small inline bootstrap script in every page, hence 'unsafe-inline'
    for those two, and Reflex runs server-sent client actions (toasts, scrolling, downloads) through eval, hence
    'unsafe-eval'; where scripts, frames, forms, sockets and fetches may go is still limited to our origins."""
    api = _origin(api_url)
    sockets = " ".join(o for o in {api, api.replace("http", "ws", 1)} if o)
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' {sockets}".strip(),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def headers() -> list[tuple[bytes, bytes]]:
    settings = get_settings()
    found = [
        ("Content-Security-Policy", policy(settings.public_url, settings.api_url)),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if settings.public_url.startswith("https://"):
        found.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return [(k.lower().encode(), v.encode()) for k, v in found]


def with_security_headers(app):
    """ASGI middleware (an api_transformer): add the headers unless a route set its own."""
    extra = headers()

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in present]
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
