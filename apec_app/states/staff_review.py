"""审核工作台: the queue with counts and filters, and one application with every field, documents and actions."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import reflex as rx
from sqlmodel import select

from apec_app.db import session_scope
from apec_app.domain import lifecycle
from apec_app.domain.application_form import parse_date
from apec_app.domain.decisions_csv import template_csv
from apec_app.domain.fees import format_yuan
from apec_app.integrations import storage
from apec_app.models import Enterprise, Institution
from apec_app.services.accounts import staff
from apec_app.services.applications import eligibility_rules, payments, printable
from apec_app.services.applications import filing as applications
from apec_app.services.applications import views as application_view
from apec_app.services.errors import ServiceError
from apec_app.services.principal import STAFF, Principal
from apec_app.services.review import statistics, waiting_times
from apec_app.services.review import workbench as review
from apec_app.states.session import SessionState
from apec_app.time_format import local_time, today_local
from apec_app.ui_text import BUSINESS_TYPE_LABELS, describe, status_label


class StaffQueueState(SessionState):
    counts: list[dict[str, str]] = []
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    filters: dict[str, str] = {}
    institutions: list[dict[str, str]] = []
    is_admin: bool = False
    scope_name: str = ""
    per_month: list[dict[str, int | str]] = []
    per_status: list[dict[str, int | str]] = []
    stage_days: list[dict[str, float | str]] = []
    economy_days: list[dict[str, float | str]] = []

    def _me(self) -> Principal | None:
        return self._current(STAFF)

    @rx.event
    def on_load(self):
        with session_scope() as db:
            principal = self._require(db, STAFF)
            self._show_principal(db, principal)
            if principal is None:
                return self._denied()
            self.is_admin = principal.role == "admin"
            self.scope_name = staff.institution_name(db, principal.institution_id)
            self.institutions = [{"id": str(i.id), "name": i.name} for i in db.exec(select(Institution)).all()]
        self.page = 1
        self._load(principal)
        self._load_charts(principal)
        return None

    def _load_charts(self, principal: Principal) -> None:
        """The charts, once per visit: paging and filtering the queue does not recompute them."""
        with session_scope() as db:
            self.per_month = statistics.per_month(db, principal)
            self.stage_days = statistics.days_per_stage(db, principal)
            scope = None if principal.role == "admin" else principal.institution_id
            self.economy_days = [
                {"economy": w.name_zh, "median": w.median_days, "p90": w.p90_days, "count": w.count}
                for w in waiting_times.economy_waits(db, today_local(), scope)
                if w.count
            ]

    def _load(self, principal: Principal) -> None:
        f = self.filters
        with session_scope() as db:
            counts = review.queue_counts(db, principal)
            found, self.total = review.queue(
                db,
                principal,
                status=f.get("status", ""),
                business_type=f.get("business_type", ""),
                institution_id=int(f["institution_id"]) if f.get("institution_id", "").isdigit() else None,
                number=f.get("number", ""),
                name=f.get("name", ""),
                date_from=parse_date(f.get("date_from", "")),
                date_to=parse_date(f.get("date_to", "")),
                page=self.page,
            )
            names = {
                e.id: e.name
                for e in db.exec(
                    select(Enterprise).where(Enterprise.id.in_({a.enterprise_id for a in found} or {0}))
                ).all()
            }
            inst = {i.id: i.name for i in db.exec(select(Institution)).all()}
        self.counts = [
            {"status": s, "label": status_label(s), "count": str(counts.get(s, 0))} for s in review.QUEUE_STATUSES
        ]
        self.per_status = [
            {"status": status_label(st), "count": counts.get(st, 0)} for st in review.QUEUE_STATUSES if counts.get(st)
        ]
        self.rows = [
            {
                "id": str(a.id),
                "number": a.number or "",
                "enterprise": names.get(a.enterprise_id, ""),
                "people": a.person_names,
                "type": BUSINESS_TYPE_LABELS.get(a.business_type, ""),
                "institution": inst.get(a.institution_id, ""),
                "status": status_label(a.status, a.early_card_done),
                "time": local_time(a.submitted_at),
            }
            for a in found
        ]

    @rx.event
    def show_status(self, status: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        self.filters = {**self.filters, "status": status}
        self.page = 1
        self._load(principal)
        return None

    @rx.event
    def apply_filters(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        keys = ("status", "business_type", "institution_id", "number", "name", "date_from", "date_to")
        self.filters = {k: str(form.get(k, "")).strip()[:50] for k in keys}
        self.page = 1
        self._load(principal)
        return None

    @rx.event
    def go_page(self, page: int):
        principal = self._me()
        if principal is None:
            return self._denied()
        self.page = max(1, int(page))
        self._load(principal)
        return None


class StaffReviewState(SessionState):
    found: bool = False
    application_id: int = 0
    version: int = 0
    number: str = ""
    status: str = ""
    status_code: str = ""
    business_type: str = ""
    delivery: str = ""
    institution: str = ""
    enterprise: dict[str, str] = {}
    unit: dict[str, str] = {}
    group: dict[str, str] = {}
    people: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    payments: list[dict[str, str]] = []
    economy_names: list[dict[str, str]] = []
    decisions: list[dict[str, str]] = []
    # The reviewer's buttons now (lifecycle.staff_actions) and, for a follow-up, where it came from.
    allowed: list[str] = []
    # The institution's 申办条件 this application misses (a 新办/续办 only), for the reviewer to weigh.
    rule_misses: list[str] = []
    pdf_busy: bool = False
    parent_number: str = ""
    followup_rows: list[list[str]] = []
    action_error: str = ""
    zoom_url: str = ""
    csv_preview: list[dict[str, str]] = []
    csv_errors: list[dict[str, str]] = []
    _csv: bytes = b""

    def _me(self) -> Principal | None:
        return self._current(STAFF)

    @rx.event
    def on_load(self):
        principal = self._enter(STAFF)
        if principal is None:
            return self._denied()
        self.action_error, self.csv_preview, self.csv_errors, self._csv = "", [], [], b""
        self._load(principal, self._route_id())
        return None

    def _load(self, principal: Principal, application_id: int) -> None:
        try:
            with session_scope() as db:
                application = review.open_application(db, principal, application_id)
                self._fill(db, principal, application)
        except ServiceError:
            self.found = False

    def _fill(self, db, principal: Principal, application) -> None:
        form = json.loads(application.form_json or "{}")
        self.found = True
        self.application_id, self.version = application.id, application.version
        self.number, self.status_code = application.number or "", application.status
        self.status = status_label(application.status, application.early_card_done)
        self.business_type = BUSINESS_TYPE_LABELS.get(application.business_type, "")
        self.delivery = form.get("delivery", {}).get("method", "")
        self.allowed = lifecycle.staff_actions(
            application.status, business_type=application.business_type, delivery=self.delivery
        )
        self.parent_number = str(form.get("parent_number", ""))
        self.followup_rows = application_view.followup_lines(application, form)
        self.rule_misses = (
            [m.message for m in eligibility_rules.misses(db, application, form, today_local())]
            if application.business_type == lifecycle.NEW_RENEW
            else []
        )
        self.institution = db.get(Institution, application.institution_id).name
        ent = db.get(Enterprise, application.enterprise_id)
        self.enterprise = {"name": ent.name, "uscc": ent.uscc, "email": ent.email, "phone": ent.phone}
        self.unit = {k: str(v) for k, v in form.get("unit", {}).items()}
        self.group = {k: str(v) for k, v in form.get("group", {}).items()}
        persons = review.people(db, application)
        self.people = application_view.person_rows(persons, [])
        wanted = application_view.uploaded_ids(form)
        self.documents = [
            {
                "label": application_view.DOC_LABELS.get(d.kind, "上传材料"),
                "name": d.original_name,
                "url": f"/files/{storage.sign_download(d.id, principal.label, 1800)}",
                "image": "1" if d.content_type.startswith("image/") else "",
            }
            for d in applications.documents(db, application)
            if str(d.id) in wanted or d.kind == "payment_voucher"
        ]
        self.history = [
            {
                "time": local_time(e.created_at, "%Y-%m-%d %H:%M"),
                "from": status_label(e.from_status),
                "to": status_label(e.to_status),
                "actor": e.actor,
                "reason": e.reason,
            }
            for e in applications.history(db, application)
        ]
        self.payments = [
            {
                "amount": format_yuan(p.amount_fen),
                "status": {"submitted": "待确认", "confirmed": "已确认", "refused": "已退回"}[p.status],
                "time": local_time(p.submitted_at),
                "reason": p.reason,
            }
            for p in payments.payments_of(db, application)
        ]
        deciding = review.deciding(db)
        self.economy_names = [{"code": e.code, "name": e.name_zh} for e in deciding]
        table = review.decisions_of(db, application)
        self.decisions = [
            {
                "person_id": str(p.id),
                "person": f"{p.surname}{p.given_name}",
                "passport": p.passport_number,
                **{e.code: _decision_text(table.get(p.id, {}).get(e.code)) for e in deciding},
            }
            for p in persons
            if application.business_type == lifecycle.NEW_RENEW  # follow-ups are not sent to the economies
        ]

    def _reload(self, principal: Principal):
        self._load(principal, self.application_id)

    @rx.event
    def act(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        action = str(form.get("action", ""))
        try:
            with session_scope() as db:
                review.act(
                    db,
                    principal,
                    self.application_id,
                    action,
                    version=self.version,
                    reason=str(form.get("reason", "")),
                    tracking_number=str(form.get("tracking_number", "")),
                )
        except ServiceError as exc:
            self.action_error = next(iter(self._errors(exc).values()))
            self._reload(principal)
            return rx.toast.error(self.action_error)
        self.action_error = ""
        self._reload(principal)
        return rx.toast.success("操作成功")

    @rx.event
    def decide(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                review.record_decision(
                    db,
                    principal,
                    self.application_id,
                    int(form.get("person_id", "0")),
                    str(form.get("economy", "")),
                    str(form.get("decision", "")),
                    date.fromisoformat(str(form.get("decided_on", ""))),
                )
        except (ServiceError, ValueError) as exc:
            message = next(iter(self._errors(exc).values())) if isinstance(exc, ServiceError) else "请填写正确的日期"
            return rx.toast.error(message)
        self._reload(principal)
        return rx.toast.success("已录入")

    @rx.event
    async def preview_csv(self, files: list[rx.UploadFile]):
        principal = self._me()
        if principal is None:
            return self._denied()
        if not files:
            return None
        data = await files[0].read(2 * 1024 * 1024 + 1)
        with session_scope() as db:
            parsed = review.check_import(db, principal, data, today_local())
        self._csv = data
        self.csv_preview = [
            {
                "line": str(r.line),
                "number": r.number,
                "passport": r.passport_number,
                "economy": r.economy_code,
                "decision": _decision_word(r.decision),
                "date": r.decided_on.isoformat(),
            }
            for r in parsed.rows
        ]
        self.csv_errors = [
            {"line": str(e.line), "column": e.column, "message": describe(e.code), "value": e.value}
            for e in parsed.errors
        ]
        return None

    @rx.event
    def apply_csv(self):
        principal = self._me()
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                count = review.apply_import(db, principal, self._csv, today_local())
        except ServiceError as exc:
            return rx.toast.error(next(iter(self._errors(exc).values())))
        self._csv, self.csv_preview, self.csv_errors = b"", [], []
        self._reload(principal)
        return rx.toast.success(f"已导入 {count} 条审核结果")

    @rx.event
    def download_template(self):
        return rx.download(data=template_csv().encode("utf-8-sig"), filename="经济体审核结果模板.csv")

    @rx.event
    async def download_pdf(self):
        """打印申请表, for the reviewer (same form as the applicant's)."""
        principal = self._me()
        if principal is None:
            yield self._denied()
            return
        try:
            with session_scope() as db:
                data = printable.build(db, review.open_application(db, principal, self.application_id))
        except ServiceError as exc:
            yield rx.toast.error(describe(exc.code))
            return
        self.pdf_busy = True
        yield
        pdf = await asyncio.to_thread(printable.render, data)
        self.pdf_busy = False
        yield rx.download(data=pdf, filename=f"{data.number}.pdf")

    @rx.event
    def zoom(self, url: str):
        self.zoom_url = url

    @rx.event
    def close_zoom(self):
        self.zoom_url = ""


def _decision_word(decision: str) -> str:
    return {"approved": "批准", "refused": "拒绝"}.get(decision, "")


def _decision_text(row) -> str:
    return f"{_decision_word(row.decision)} {row.decided_on.isoformat()}" if row else "待审核"
