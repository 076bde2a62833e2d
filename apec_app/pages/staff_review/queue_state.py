"""审核工作台: the caller's queue with counts by status, filters, pages, and the charts (once per visit).

Every read happens in a worker thread: at 100 000 applications the dashboard's figures take long enough to hold
up every other user's events if they ran on the event loop."""

from __future__ import annotations

import asyncio

import reflex as rx

from apec_app.domain.application_form import parse_date
from apec_app.services.review import views
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import STAFF_ANY, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time
from apec_app.ui_text import BUSINESS_TYPE_LABELS, status_label
from apec_app.ui_text.prechecks import PRECHECK_FLAG

# J / K move the chosen row of the queue down / up, Enter opens it; never while typing in a field. Installed once
# per tab (the page's on_load sends it): it works on whatever queue table the page shows.
QUEUE_KEYS = """(() => {
  if (window.apecQueueKeys) return;
  window.apecQueueKeys = true;
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    const table = document.querySelector('[data-queue-table]');
    if (!table) return;
    const rows = Array.from(table.querySelectorAll('[data-queue-row]'));
    if (!rows.length) return;
    const current = rows.findIndex((row) => row.getAttribute('aria-selected') === 'true');
    const key = event.key.toLowerCase();
    if ((key === 'j' || key === 'k') && !event.shiftKey) {
      event.preventDefault();
      const step = key === 'j' ? 1 : -1;
      const next = current < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, current + step));
      rows.forEach((row, i) => row.setAttribute('aria-selected', i === next ? 'true' : 'false'));
      rows[next].focus();
      rows[next].scrollIntoView({block: 'nearest'});
    } else if (event.key === 'Enter' && current >= 0 && target === rows[current]) {
      event.preventDefault();
      const link = rows[current].querySelector('a[href]');
      if (link) link.click();
    }
  });
})()"""

FILTER_KEYS = ("status", "business_type", "institution_id", "number", "name", "date_from", "date_to")


def _read_page(uow: UnitOfWork, filters: dict[str, str], page: int) -> views.QueuePage:
    """In a worker thread: one page of the queue with the counts, in a transaction of its own."""
    institution = filters.get("institution_id", "")
    with uow.begin() as tx:
        return views.queue_page(
            tx,
            page=page,
            status=filters.get("status", ""),
            business_type=filters.get("business_type", ""),
            institution_id=int(institution) if institution.isdigit() else None,
            number=filters.get("number", ""),
            name=filters.get("name", ""),
            date_from=parse_date(filters.get("date_from", "")),
            date_to=parse_date(filters.get("date_to", "")),
        )


def _read_dashboard(uow: UnitOfWork) -> tuple[views.Workbench, views.QueuePage]:
    """In a worker thread: the charts and institutions, then the first page of the whole queue."""
    with uow.begin() as tx:
        board = views.workbench(tx)
    return board, _read_page(uow, {}, 1)


class StaffQueueState(PageMixin, SessionState):
    counts: list[dict[str, str]] = []
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    filters: dict[str, str] = {}
    chosen_status: str = ""  # the queue shown ("": every status)
    all_count: str = "0"  # applications in every queue together
    status_choices: list[list[str]] = []  # [status, label] of the queues the caller's institution can hold
    institutions: list[list[str]] = []  # [id, name] for the admin's 办理机构 filter
    is_admin: bool = False
    scope_name: str = ""
    per_month: list[dict[str, int | str]] = []
    per_status: list[dict[str, int | str]] = []
    stage_days: list[dict[str, float | str]] = []
    economy_days: list[dict[str, float | str]] = []

    @page_load(STAFF_ANY)
    async def on_load(self, uow: UnitOfWork):
        board, found = await asyncio.to_thread(_read_dashboard, uow)
        self.is_admin, self.scope_name = board.is_admin, board.scope_name
        self.institutions = [[str(i), name] for i, name in board.institutions]
        self.per_month, self.stage_days = board.per_month, board.stage_days
        self.economy_days = [
            {"economy": w.name_zh, "median": w.median_days, "p90": w.p90_days, "count": w.count}
            for w in board.economy_waits
        ]
        self._show(found)
        return rx.call_script(QUEUE_KEYS)

    async def _load(self, uow: UnitOfWork, filters: dict[str, str], page: int) -> None:
        """Read first, then keep the filters: a refused filter leaves the page as it was."""
        found = await asyncio.to_thread(_read_page, uow, filters, page)
        self.filters, self.page = filters, page
        self._show(found)

    def _show(self, found: views.QueuePage) -> None:
        self.total = found.total
        self.chosen_status = self.filters.get("status", "")
        self.all_count = str(sum(found.counts.get(s, 0) for s in found.statuses))
        self.status_choices = [[s, status_label(s)] for s in found.statuses]
        self.counts = [
            {"status": s, "label": status_label(s), "count": str(found.counts.get(s, 0))} for s in found.statuses
        ]
        self.per_status = [
            # A no-break space: the chart wraps a name at its spaces ("APEC 经济体审核中" over two lines).
            {"status": status_label(s).replace(" ", "\u00a0"), "count": found.counts[s]}
            for s in found.statuses
            if found.counts.get(s)
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
    async def show_status(self, uow: UnitOfWork, status: str):
        """A queue chip: that status's queue, or the whole list again from the chip already chosen."""
        chosen = str(status)[:50]
        await self._load(uow, {**self.filters, "status": "" if chosen == self.filters.get("status") else chosen}, 1)

    @requires(STAFF_ANY)
    async def apply_filters(self, uow: UnitOfWork, form: dict):
        await self._load(uow, {k: str(form.get(k, "")).strip()[:50] for k in FILTER_KEYS}, 1)

    @requires(STAFF_ANY)
    async def go_page(self, uow: UnitOfWork, page: int):
        await self._load(uow, dict(self.filters), max(1, int(page)))
