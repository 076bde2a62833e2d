"""The development mailbox: queued email (codes included) for a demo without SMTP.

It answers only when DEV_MAILBOX is on, the request comes from this machine, and the caller is a signed-in
admin: anything less and a stranger reads the verification codes that take over accounts.
"""

from __future__ import annotations

import ipaddress

from apec_app.services.messaging import mail
from apec_app.services.unit_of_work import unit_of_work
from apec_app.settings import get_settings
from apec_app.states.gate import ADMIN, public
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

    @public("answers only with DEV_MAILBOX on, from this machine, to a signed-in admin (checked here)")
    def load(self):
        self.rows = []
        self.enabled = get_settings().dev_mailbox
        if not self.enabled:
            self.refused = "off"
            return
        if not is_loopback(self._client_ip()):
            self.refused = "remote"
            return
        with unit_of_work(client_ip=self._client_ip()) as uow:
            principal = self._resolve(uow)
            self._show_principal(principal)
            if not ADMIN.admits(principal):
                self.refused = "admin"
                return
            emails = mail.recent_emails(uow.db, 50)
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
