"""申请单详情: every field, documents, the institution's contacts and the status history."""

from __future__ import annotations

import asyncio

import reflex as rx

from apec_app.integrations import storage
from apec_app.integrations.barcodes import code128_data_url
from apec_app.printouts import application_form
from apec_app.services.applications import filing
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views.detail import application_detail
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time
from apec_app.ui_text import (
    BUSINESS_TYPE_LABELS,
    CARD_STATUS_LABELS,
    PAYMENT_STATUS_LABELS,
    decision_text,
    describe,
    forms,
    status_label,
)

DOWNLOAD_TTL = 1800


def _days(value: float | None) -> str:
    return "暂无数据" if value is None else f"{value:g} 天"


def _decision(cell) -> str:
    """批准 2026-11-01 / 拒绝 … / 待审核 from a (decision, date) pair or None."""
    return decision_text(cell[0], cell[1].isoformat()) if cell else decision_text(None)


def delivery_text(delivery: dict[str, str]) -> str:
    if delivery.get("method") == "pickup":
        if "name" in delivery:
            return f"自取：{delivery['name']}（{delivery['address']}，{delivery['hours']}）"
        return "自取"
    if delivery.get("method") == "mail":
        return f"邮寄：{delivery['address']}" if "address" in delivery else "邮寄"
    return ""


class DetailState(PageMixin, SessionState):
    found: bool = False
    application_id: int = 0
    number: str = ""
    barcode: str = ""
    status: str = ""
    business_type: str = ""
    institution: dict[str, str] = {}
    unit: dict[str, str] = {}
    group: dict[str, str] = {}
    people: list[dict[str, str]] = []
    delivery_text: str = ""
    documents: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    status_code: str = ""
    economy_names: list[dict[str, str]] = []
    decisions: list[dict[str, str]] = []
    cards: list[dict[str, str]] = []
    payments: list[dict[str, str]] = []
    # Economies still deciding: how long each took over the last 12 months in our records.
    waits: list[dict[str, str]] = []
    pdf_busy: bool = False
    # Follow-ups: the 新办/续办 application they came from and their own lines.
    parent_id: str = ""
    parent_number: str = ""
    followup_rows: list[list[str]] = []

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        try:
            view = application_detail(uow, self._route_id())
        except ServiceError:
            return None  # not found, or not the caller's: the page says so
        signer = uow.actor
        self.found = True
        self.application_id, self.number = view.id, view.number
        self.barcode = code128_data_url(view.number) if view.number else ""
        self.status = status_label(view.status, view.early_card_done)
        self.status_code = view.status
        self.business_type = BUSINESS_TYPE_LABELS.get(view.business_type, "")
        self.institution = view.institution
        self.unit, self.group = view.unit, view.group
        self.people = [forms.with_history_text(p) for p in view.people]
        self.delivery_text = delivery_text(view.delivery)
        self.documents = [
            {
                "label": forms.DOC_LABELS.get(d.kind, "上传材料"),
                "name": d.name,
                "url": f"/files/{storage.sign_download(d.id, signer, DOWNLOAD_TTL)}",
                "image": "1" if d.is_image else "",
            }
            for d in view.documents
        ]
        self.history = [
            {
                "time": local_time(e.at, "%Y-%m-%d %H:%M:%S"),
                "from": status_label(e.from_status),
                "to": status_label(e.to_status),
                "actor": e.actor,
                "reason": e.reason,
            }
            for e in view.history
        ]
        self.economy_names = view.economies
        self.decisions = [
            {"person": row["person"], **{e["code"]: _decision(row[e["code"]]) for e in view.economies}}
            for row in view.decisions
        ]
        self.cards = [
            {
                "person": c.holder,
                "valid_until": c.valid_until.isoformat(),
                "economies": "、".join(c.economies),
                "status": CARD_STATUS_LABELS.get(c.status, c.status),
                "tracking": c.tracking,
            }
            for c in view.cards
        ]
        self.waits = [
            {
                "economy": w.economy,
                "median": _days(w.median_days),
                "p90": _days(w.p90_days),
                "usual_by": w.usual_by.isoformat() if w.usual_by else "暂无数据",
                "late_by": w.late_by.isoformat() if w.late_by else "暂无数据",
                "count": str(w.count),
            }
            for w in view.waits
        ]
        self.payments = [
            {
                "amount": p.amount,
                "time": local_time(p.at),
                "reason": p.reason,
                "status": PAYMENT_STATUS_LABELS.get(p.status, p.status),
            }
            for p in view.payments
        ]
        self.parent_id = str(view.parent_id or "")
        self.parent_number = view.parent_number
        self.followup_rows = forms.followup_lines(view.business_type, view.form)
        return None

    @requires(APPLICANT)
    async def download_pdf(self, uow: UnitOfWork):
        """打印申请表: the PDF is made in a worker thread (font subsetting takes a second or two)."""
        try:
            with uow.begin() as tx:
                application = filing.owned(tx, self.application_id)
                data = application_form.build(tx.db, application) if application.number else None
        except ServiceError:
            data = None
        if data is None:
            yield rx.toast.error(describe("not_found"))
            return
        self.pdf_busy = True
        yield
        pdf = await asyncio.to_thread(application_form.render, data)
        self.pdf_busy = False
        yield rx.download(data=pdf, filename=f"{data.number}.pdf")
