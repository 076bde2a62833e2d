"""安全与审计日志: sign-ins, refused access, staff actions and staff views of documents — admins only."""

from __future__ import annotations

from apec_app.domain.application_form import parse_date
from apec_app.services.settings import audit_log
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import ADMIN, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time

PAGE_SIZE = audit_log.PAGE_SIZE
QUERY_FIELDS = ("text", "action", "date_from", "date_to")


class AuditState(PageMixin, SessionState):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    query: dict[str, str] = {}

    def _load(self, uow: UnitOfWork) -> None:
        q = self.query
        found = audit_log.search(
            uow,
            audit_log.AuditQuery(
                text=q.get("text", ""),
                action=q.get("action", ""),
                date_from=parse_date(q.get("date_from", "")),
                date_to=parse_date(q.get("date_to", "")),
            ),
            self.page,
        )
        self.total, self.page = found.total, found.page
        self.rows = [
            {
                "time": local_time(e.created_at, "%Y-%m-%d %H:%M:%S"),
                "actor": e.actor,
                "action": e.action,
                "detail": e.detail,
                "ip": e.client_ip,
            }
            for e in found.lines
        ]

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        self._load(uow)

    @requires(ADMIN)
    def search(self, uow: UnitOfWork, form: dict):
        self.query = {k: str(form.get(k, "")).strip()[:100] for k in QUERY_FIELDS}
        self.page = 1
        self._load(uow)

    @requires(ADMIN)
    def go_page(self, uow: UnitOfWork, page: int):
        self.page = int(page)
        self._load(uow)
