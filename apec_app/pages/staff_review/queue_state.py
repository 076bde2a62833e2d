"""审核工作台: the caller's queue with counts by status, filters, pages, and the charts (once per visit)."""

from __future__ import annotations

from apec_app.domain.application_form import parse_date
from apec_app.services.review import views
from apec_app.services.review.queue import QUEUE_STATUSES
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import STAFF_ANY, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time
from apec_app.ui_text import BUSINESS_TYPE_LABELS, status_label
from apec_app.ui_text.prechecks import PRECHECK_FLAG

FILTER_KEYS = ("status", "business_type", "institution_id", "number", "name", "date_from", "date_to")


class StaffQueueState(PageMixin, SessionState):
    counts: list[dict[str, str]] = []
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    filters: dict[str, str] = {}
    institutions: list[list[str]] = []  # [id, name] for the admin's 办理机构 filter
    is_admin: bool = False
    scope_name: str = ""
    per_month: list[dict[str, int | str]] = []
    per_status: list[dict[str, int | str]] = []
    stage_days: list[dict[str, float | str]] = []
    economy_days: list[dict[str, float | str]] = []

    @page_load(STAFF_ANY)
    def on_load(self, uow: UnitOfWork):
        board = views.workbench(uow)
        self.is_admin, self.scope_name = board.is_admin, board.scope_name
        self.institutions = [[str(i), name] for i, name in board.institutions]
        self.per_month, self.stage_days = board.per_month, board.stage_days
        self.economy_days = [
            {"economy": w.name_zh, "median": w.median_days, "p90": w.p90_days, "count": w.count}
            for w in board.economy_waits
        ]
        self._load(uow)

    def _load(self, uow: UnitOfWork) -> None:
        f = self.filters
        institution = f.get("institution_id", "")
        found = views.queue_page(
            uow,
            page=self.page,
            status=f.get("status", ""),
            business_type=f.get("business_type", ""),
            institution_id=int(institution) if institution.isdigit() else None,
            number=f.get("number", ""),
            name=f.get("name", ""),
            date_from=parse_date(f.get("date_from", "")),
            date_to=parse_date(f.get("date_to", "")),
        )
        self.total = found.total
        self.counts = [
            {"status": s, "label": status_label(s), "count": str(found.counts.get(s, 0))} for s in QUEUE_STATUSES
        ]
        self.per_status = [
            {"status": status_label(s), "count": found.counts[s]} for s in QUEUE_STATUSES if found.counts.get(s)
        ]
        self.rows = [
            {
                "id": str(r.id),
                "number": r.number,
                "enterprise": r.enterprise,
                "people": r.people,
                "type": BUSINESS_TYPE_LABELS.get(r.business_type, ""),
                "institution": r.institution,
                "status": status_label(r.status, r.early_card_done),
                "time": local_time(r.submitted_at),
                "flag": PRECHECK_FLAG if r.precheck_failed else "",
            }
            for r in found.rows
        ]

    @requires(STAFF_ANY)
    def show_status(self, uow: UnitOfWork, status: str):
        self.filters = {**self.filters, "status": str(status)[:50]}
        self.page = 1
        self._load(uow)

    @requires(STAFF_ANY)
    def apply_filters(self, uow: UnitOfWork, form: dict):
        self.filters = {k: str(form.get(k, "")).strip()[:50] for k in FILTER_KEYS}
        self.page = 1
        self._load(uow)

    @requires(STAFF_ANY)
    def go_page(self, uow: UnitOfWork, page: int):
        self.page = max(1, int(page))
        self._load(uow)
