"""消息中心: the signed-in account's own messages, newest first, with mark-as-read."""

from __future__ import annotations

import reflex as rx

from apec_app.domain.paging import page_count
from apec_app.services.messaging import notifications
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time


class MessagesState(PageMixin, SessionState):
    rows: list[dict[str, str]] = []
    page: int = 1
    total: int = 0
    pages: int = 1

    def _derive(self) -> None:
        self._assign(pages=page_count(self.total, notifications.PAGE_SIZE))

    def _load(self, uow: UnitOfWork) -> None:
        messages, self.total = notifications.list_messages(uow, self.page)
        self._count_unread(uow)
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

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        self._load(uow)

    @requires(APPLICANT)
    def go_page(self, uow: UnitOfWork, page: int):
        self.page = min(max(1, int(page)), self.pages)
        self._load(uow)

    @requires(APPLICANT)
    def mark_read(self, uow: UnitOfWork, message_id: int):
        notifications.mark_read(uow, int(message_id))
        self._load(uow)

    @requires(APPLICANT)
    def open_message(self, uow: UnitOfWork, message_id: int, link: str):
        """查看详情: mark read, then go to the application (only a link of the caller's own message)."""
        message = notifications.mark_read(uow, int(message_id))
        self._load(uow)
        return rx.redirect(f"/user/applications/{message.application_id}" if message.application_id else "/messages")

    @requires(APPLICANT)
    def mark_all_read(self, uow: UnitOfWork):
        notifications.mark_all_read(uow)
        self._load(uow)
