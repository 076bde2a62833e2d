"""The development mailbox: queued email (codes included) for a demo without SMTP.

It answers only when DEV_MAILBOX is on, the request comes from this machine, and the caller is a signed-in
admin: anything less and a stranger reads the verification codes that take over accounts.
"""

from __future__ import annotations

import ipaddress

import reflex as rx

from apec_app.db import session_scope
from apec_app.services.messaging import mail
from apec_app.services.principal import STAFF
from apec_app.settings import get_settings
from apec_app.states.session import SessionState
from apec_app.time_format import local_time


def is_loopback(client_ip: str) -> bool:
    try:
        return ipaddress.ip_address(client_ip).is_loopback
    except ValueError:
        return False


class MailboxState(SessionState):
    enabled: bool = False
    # Why nothing is shown: "off", "remote" (not from this machine) or "admin" (not a signed-in admin).
    refused: str = ""
    rows: list[dict[str, str]] = []

    @rx.event
    def load(self):
        self.rows = []
        self.enabled = get_settings().dev_mailbox
        if not self.enabled:
            self.refused = "off"
            return
        if not is_loopback(self._client_ip()):
            self.refused = "remote"
            return
        with session_scope() as db:
            principal = self._require(db, STAFF)
            self._show_principal(db, principal)
            if principal is None or principal.role != "admin":
                self.refused = "admin"
                return
            emails = mail.recent_emails(db, 50)
        self.refused = ""
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
