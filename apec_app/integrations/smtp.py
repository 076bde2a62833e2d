"""SMTP delivery with the `emails` package."""

from __future__ import annotations

import emails

from apec_app.services.messaging.mail import Sender
from apec_app.settings import Settings


def smtp_sender(settings: Settings) -> Sender | None:
    """A sender for the configured SMTP server, or None when no server is configured."""
    if not settings.smtp_configured:
        return None
    smtp: dict[str, object] = {"host": settings.smtp_host, "port": settings.smtp_port, "timeout": 20}
    if settings.smtp_user:
        smtp["user"] = settings.smtp_user
        smtp["password"] = settings.smtp_password or ""
    if settings.smtp_tls:
        smtp["tls"] = True
    if settings.smtp_ssl:
        smtp["ssl"] = True

    def send(to_address: str, subject: str, body: str) -> None:
        message = emails.Message(subject=subject, text=body, mail_from=settings.mail_from, charset="utf-8")
        response = message.send(to=to_address, smtp=smtp)
        if response is None or not response.success:
            error = getattr(response, "error", None) or getattr(response, "status_text", None)
            raise RuntimeError(f"SMTP send failed: {error or response}")

    return send
