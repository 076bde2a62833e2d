"""The development mailbox: every queued email, when DEV_MAILBOX is on (never in production)."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.services import mail
from apec_app.settings import get_settings
from apec_app.time_format import local_time


class MailboxState(rx.State):
    enabled: bool = False
    rows: list[dict[str, str]] = []

    @rx.event
    def load(self):
        self.enabled = get_settings().dev_mailbox
        if not self.enabled:
            self.rows = []
            return
        with session_scope() as db:
            emails = mail.recent_emails(db, 50)
        self.rows = [
            {
                "id": str(e.id),
                "to": e.to_address,
                "subject": e.subject,
                "body": e.body,
                "time": local_time(e.created_at, "%Y-%m-%d %H:%M:%S"),
                "status": "已发送" if e.sent_at else ("未配置SMTP，已保留" if e.kept else "待发送"),
            }
            for e in emails
        ]
