"""用户中心 / 我的申请单: one tab per business type, search, pagination and the actions each status allows."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select

from apec_app.db import session_scope
from apec_app.domain import lifecycle
from apec_app.messages_zh import describe, status_label
from apec_app.models import Institution
from apec_app.services import applications
from apec_app.services.errors import ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE, Principal
from apec_app.states.session import SessionState
from apec_app.time_format import local_time


class UserCenterState(SessionState):
    tab: str = lifecycle.NEW_RENEW
    search: str = ""
    status_filter: str = ""
    page: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    confirm_withdraw_id: str = ""

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // applications.PAGE_SIZE))

    def _me(self) -> Principal | None:
        return self._current(ENTERPRISE, AGENT)

    def _load(self, principal: Principal) -> None:
        with session_scope() as db:
            found, self.total = applications.list_applications(
                db, principal, self.tab, search=self.search, status=self.status_filter, page=self.page
            )
            names = {i.id: i.name for i in db.exec(select(Institution)).all()}
        self.rows = [
            {
                "id": str(a.id),
                "number": a.number or "（未提交）",
                "title": a.group_name or "（未填写团组名称）",
                "people": a.person_names,
                "institution": names.get(a.institution_id, ""),
                "status": status_label(a.status),
                "time": local_time(a.submitted_at or a.created_at),
                "actions": ",".join(
                    lifecycle.applicant_actions(
                        a.status, review_started=a.review_started_at is not None, business_type=a.business_type
                    )
                ),
            }
            for a in found
        ]

    @rx.event
    def on_load(self):
        principal = self._enter(ENTERPRISE, AGENT)
        if principal is None:
            return self._denied()
        self.page = 1
        self._load(principal)
        return None

    @rx.event
    def set_tab(self, tab: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        if tab in lifecycle.BUSINESS_TYPES:
            self.tab, self.page, self.search, self.status_filter = tab, 1, "", ""
            self._load(principal)
        return None

    @rx.event
    def apply_search(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        self.search = str(form.get("search", "")).strip()[:50]
        status = str(form.get("status", ""))
        self.status_filter = status if status in applications_statuses() else ""
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
    def delete_draft(self, application_id: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                applications.delete_draft(db, principal, int(application_id))
        except (ServiceError, ValueError) as exc:
            return rx.toast.error(describe(getattr(exc, "code", "not_found")))
        self._load(principal)
        return rx.toast.success("草稿已删除")

    @rx.event
    def ask_withdraw(self, application_id: str):
        self.confirm_withdraw_id = str(application_id)

    @rx.event
    def cancel_withdraw(self):
        self.confirm_withdraw_id = ""

    @rx.event
    def withdraw(self):
        principal = self._me()
        if principal is None:
            return self._denied()
        target, self.confirm_withdraw_id = self.confirm_withdraw_id, ""
        try:
            with session_scope() as db:
                applications.withdraw(db, principal, int(target))
        except (ServiceError, ValueError) as exc:
            return rx.toast.error(describe(getattr(exc, "code", "not_found")))
        self._load(principal)
        return rx.toast.success("已撤回，申请单已回到草稿，可继续填写后重新提交")


def applications_statuses() -> list[str]:
    from apec_app.messages_zh import STATUS_LABELS

    return list(STATUS_LABELS)
