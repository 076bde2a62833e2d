"""消息中心: the signed-in account's own messages, newest first, with mark-as-read."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.services.errors import ServiceError
from apec_app.services.messaging import notifications
from apec_app.services.principal import AGENT, ENTERPRISE, Principal
from apec_app.states.session import SessionState
from apec_app.time_format import local_time


class MessagesState(SessionState):
    rows: list[dict[str, str]] = []
    page: int = 1
    total: int = 0

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // notifications.PAGE_SIZE))

    def _load(self, principal: Principal) -> None:
        with session_scope() as db:
            messages, self.total = notifications.list_messages(db, principal, self.page)
            self.unread = notifications.unread_count(db, principal)
        self.rows = [
            {
                "id": str(m.id),
                "title": m.title,
                "body": m.body,
                "time": local_time(m.created_at),
                "read": "1" if m.read_at else "",
                "link": f"/user/applications/{m.application_id}" if m.application_id else "",
            }
            for m in messages
        ]

    def _me(self) -> Principal | None:
        return self._current(ENTERPRISE, AGENT)

    @rx.event
    def on_load(self):
        principal = self._enter(ENTERPRISE, AGENT)
        if principal is None:
            return self._denied()
        self.page = 1
        self._load(principal)
        return None

    @rx.event
    def go_page(self, page: int):
        principal = self._me()
        if principal is None:
            return self._denied()
        self.page = min(max(1, int(page)), self.pages)
        self._load(principal)
        return None

    @rx.event
    def mark_read(self, message_id: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                notifications.mark_read(db, principal, int(message_id))
        except (ServiceError, ValueError):
            return rx.toast.error("未找到该消息")
        self._load(principal)
        return None

    @rx.event
    def open_message(self, message_id: str, link: str):
        """查看详情: mark read, then go to the application."""
        result = self.mark_read(message_id)
        return result or rx.redirect(link)

    @rx.event
    def mark_all_read(self):
        principal = self._me()
        if principal is None:
            return self._denied()
        with session_scope() as db:
            notifications.mark_all_read(db, principal)
        self._load(principal)
        return None
