"""申请单详情: every field, documents, the institution's contacts and the status history."""

from __future__ import annotations

import asyncio

import reflex as rx

from apec_app.db import session_scope
from apec_app.domain import lifecycle
from apec_app.integrations import storage
from apec_app.integrations.barcodes import code128_data_url
from apec_app.models import Address, Institution, PickupPoint
from apec_app.services.applications import addresses, printable
from apec_app.services.applications import filing as applications
from apec_app.services.applications import views as application_view
from apec_app.services.errors import ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE
from apec_app.services.review import waiting_times
from apec_app.states.session import SessionState
from apec_app.time_format import local_time, today_local
from apec_app.ui_text import BUSINESS_TYPE_LABELS, CARD_STATUS_LABELS, describe, status_label

DOWNLOAD_TTL = 1800


class DetailState(SessionState):
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

    @rx.event
    def on_load(self):
        with session_scope() as db:
            principal = self._require(db, ENTERPRISE, AGENT)
            self._show_principal(db, principal)
            if principal is None:
                return self._denied()
            try:
                app_id = self._route_id()
                application, form = applications.load_form(db, principal, app_id)
            except (ServiceError, ValueError):
                self.found = False
                return None
            self.found = True
            self.application_id = application.id
            self.number = application.number or ""
            self.barcode = code128_data_url(application.number) if application.number else ""
            self.status = status_label(application.status, application.early_card_done)
            self.business_type = BUSINESS_TYPE_LABELS.get(application.business_type, "")
            inst = db.get(Institution, application.institution_id)
            self.institution = {"name": inst.name, "phone": inst.contact_phone, "address": inst.address}
            self.unit = {k: str(v) for k, v in form.get("unit", {}).items()}
            self.group = {k: str(v) for k, v in form.get("group", {}).items()}
            self._people(db, application, form)
            self.delivery_text = self._delivery(db, form.get("delivery", {}))
            self.documents = [
                {
                    "label": self._doc_label(d.kind, form),
                    "name": d.original_name,
                    "url": f"/files/{storage.sign_download(d.id, principal.label, DOWNLOAD_TTL)}",
                    "image": "1" if d.content_type.startswith("image/") else "",
                }
                for d in applications.documents(db, application)
                if self._in_form(d.id, form)
            ]
            self.status_code = application.status
            self._review_results(db, application)
            self.history = [
                {
                    "time": local_time(e.created_at, "%Y-%m-%d %H:%M:%S"),
                    "from": status_label(e.from_status),
                    "to": status_label(e.to_status),
                    "actor": e.actor,
                    "reason": e.reason,
                }
                for e in applications.history(db, application)
            ]
        return None

    @rx.event
    async def download_pdf(self):
        """打印申请表: the PDF is made in a worker thread (font subsetting takes a second or two)."""
        principal = self._current(ENTERPRISE, AGENT)
        if principal is None:
            yield self._denied()
            return
        try:
            with session_scope() as db:
                application = applications.owned(db, principal, self.application_id)
                data = printable.build(db, application) if application.number else None
        except ServiceError:
            data = None
        if data is None:
            yield rx.toast.error(describe("not_found"))
            return
        self.pdf_busy = True
        yield
        pdf = await asyncio.to_thread(printable.render, data)
        self.pdf_busy = False
        yield rx.download(data=pdf, filename=f"{data.number}.pdf")

    def _people(self, db, application, form: dict) -> None:
        from apec_app.services.review import workbench as review

        self.people = application_view.person_rows(review.people(db, application), form.get("people", []))
        self.parent_id = str(application.parent_application_id or "")
        self.parent_number = str(form.get("parent_number", ""))
        self.followup_rows = application_view.followup_lines(application, form)

    def _review_results(self, db, application) -> None:
        """Per person and economy, the decisions so far; the cards; the payments."""
        from apec_app.domain.fees import format_yuan
        from apec_app.services.applications import payments
        from apec_app.services.review import workbench as review
        from apec_app.states.staff_review import _decision_text

        deciding = review.deciding(db)
        names = {e.code: e.name_zh for e in deciding}
        table = review.decisions_of(db, application)
        persons = review.people(db, application)
        self.economy_names = [{"code": e.code, "name": e.name_zh} for e in deciding]
        self.decisions = [
            {
                "person": f"{p.surname}{p.given_name}",
                **{e.code: _decision_text(table.get(p.id, {}).get(e.code)) for e in deciding},
            }
            for p in persons
            if application.business_type == lifecycle.NEW_RENEW  # follow-ups are not sent to the economies
        ]
        self.cards = [
            {
                "person": holder,
                "valid_until": c.valid_until.isoformat(),
                "economies": "、".join(names.get(code, code) for code in c.approved_economies.split(",") if code),
                "status": CARD_STATUS_LABELS.get(c.status, c.status),
                "tracking": c.tracking_number,
            }
            for c, holder in review.cards(db, application)
        ]
        self.waits = [
            {
                "economy": w.name_zh,
                "median": _days(w.median_days),
                "p90": _days(w.p90_days),
                "usual_by": w.usual_by.isoformat() if w.usual_by else "暂无数据",
                "late_by": w.late_by.isoformat() if w.late_by else "暂无数据",
                "count": str(w.count),
            }
            for w in waiting_times.pending_estimates(db, application, today_local())
        ]
        self.payments = [
            {
                "amount": format_yuan(p.amount_fen),
                "time": local_time(p.submitted_at),
                "reason": p.reason,
                "status": {"submitted": "支付凭证确认中", "confirmed": "已确认收款", "refused": "已退回"}[p.status],
            }
            for p in payments.payments_of(db, application)
        ]

    @staticmethod
    def _in_form(document_id: int, form: dict) -> bool:
        return str(document_id) in application_view.uploaded_ids(form)

    @staticmethod
    def _doc_label(kind: str, form: dict) -> str:
        return application_view.DOC_LABELS.get(kind, "上传材料")

    @staticmethod
    def _delivery(db, delivery: dict) -> str:
        if delivery.get("method") == "pickup":
            point = db.get(PickupPoint, int(delivery.get("pickup_point_id") or 0))
            return f"自取：{point.name}（{point.address}，{point.hours}）" if point else "自取"
        if delivery.get("method") == "mail":
            address = db.get(Address, int(delivery.get("address_id") or 0))
            return f"邮寄：{addresses.describe(address)}" if address else "邮寄"
        return ""


def _days(value: float | None) -> str:
    return "暂无数据" if value is None else f"{value:g} 天"
