"""One application for the reviewer (/staff/applications/[app_id]): every field, people, documents, payments,
history, the economy matrix, and the actions the status allows; economy decisions one at a time or from a CSV
file (预览, then 确认导入), and the printable form.

Every action answers with the application as it is now: after an action that failed (someone else acted
first), the page reloads it, so the reviewer sees why.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import reflex as rx

from apec_app.components.documents import ZOOM_MAX, ZOOM_MIN
from apec_app.components.economy_matrix import MatrixLine, matrix_lines
from apec_app.domain import lifecycle
from apec_app.domain.application_form import parse_date
from apec_app.domain.decisions_csv import ParsedImport, template_csv
from apec_app.jobs import decisions_csv, process
from apec_app.printouts import application_form
from apec_app.services.errors import ServiceError
from apec_app.services.review import actions, decisions, queue, views
from apec_app.services.review.prechecks import DONE, NONE, Checklist
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import STAFF_ANY, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time
from apec_app.ui_text import (
    BUSINESS_TYPE_LABELS,
    DECISION_LABELS,
    PAYMENT_STATUS_LABELS,
    actor_label,
    describe,
    forms,
    status_label,
)
from apec_app.ui_text.labels import delivery_text
from apec_app.ui_text.prechecks import (
    PRECHECK_ITEM_LABELS,
    PRECHECK_NONE,
    PRECHECK_PENDING,
    PRECHECK_STATUS_LABELS,
)
from apec_app.ui_text.review_actions import CONFIRMED_ACTIONS
from apec_app.ui_text.review_actions import confirm_text as confirm_description
from apec_app.ui_text.review_actions import confirm_title as confirm_heading

CSV_LIMIT = 2 * 1024 * 1024  # the parser refuses a bigger file; one byte more tells it so
CSV_CHECKING = "检查中…"
PROGRESS_SECONDS = 0.25  # how often the page hears how far an import is


def csv_progress_text(done: int, total: int) -> str:
    return f"已处理 {done} / {total} 行"


@dataclass
class PersonCard:
    """A person's card: the heading (人员信息N：姓名（拼音）), every field of 团组信息 as [label, value] lines, that
    person's documents (dicts as the page's `documents`) and the automatic pre-checks: item, status
    (通过/警告/不通过), its code (pass/warn/fail) and the reason."""

    title: str = ""
    lines: list[list[str]] = field(default_factory=list)
    checks: list[dict[str, str]] = field(default_factory=list)
    checks_note: str = ""  # why there is no checklist (still running, or submitted before the checks existed)
    heading: str = ""
    documents: list[dict[str, str]] = field(default_factory=list)


def _person_card(row: dict, seq: int, checklist: Checklist, documents: list[dict[str, str]]) -> PersonCard:
    title = f"{row.get('surname', '')}{row.get('given_name', '')}（{row.get('pinyin', '')}）"
    checks = [
        {
            "item": PRECHECK_ITEM_LABELS.get(c.item, c.item),
            "status": PRECHECK_STATUS_LABELS.get(c.status, c.status),
            "code": c.status,
            "reason": c.reason,
        }
        for c in checklist.people.get(seq, [])
    ]
    note = "" if checklist.state == DONE else PRECHECK_NONE if checklist.state == NONE else PRECHECK_PENDING
    return PersonCard(title, forms.person_field_lines(row), checks, note, f"人员信息{seq}：{title}", documents)


def _document_label(d: views.DocumentLink) -> str:
    """完税证明 (a material by its configured name), 申请人照片（张伟） (a person's, with whose it is), 支付凭证 …"""
    label = d.material or forms.DOC_LABELS.get(d.kind, "") or d.name
    return f"{label}（{d.person}）" if d.person else label


def _document(d: views.DocumentLink) -> dict[str, str]:
    """What components/documents shows of one document; "kind" lets a card show the passport page large."""
    return {
        "label": _document_label(d),
        "name": d.name,
        "url": d.url,
        "kind": d.kind,
        "image": "1" if d.is_image and not d.purged else "",
        "purged": "1" if d.purged else "",
    }


def _as_int(value) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() else 0


class StaffReviewState(PageMixin, SessionState):
    found: bool = False
    application_id: int = 0
    version: int = 0
    number: str = ""
    status: str = ""
    status_code: str = ""
    business_type: str = ""
    institution: str = ""
    enterprise: dict[str, str] = {}
    unit_lines: list[list[str]] = []
    group_lines: list[list[str]] = []
    delivery_text: str = ""
    delivery_lines: list[list[str]] = []
    people: list[PersonCard] = []
    documents: list[dict[str, str]] = []  # the application's own (materials, follow-up uploads, vouchers)
    history: list[dict[str, str]] = []
    payments: list[dict[str, str]] = []
    economy_names: list[dict[str, str]] = []  # code, name: the 录入 form's choice of economy
    economy_headers: list[str] = []
    matrix: list[MatrixLine] = []
    # The 录入 form's choice of person: [person id, name].
    decision_people: list[list[str]] = []
    allowed: list[str] = []
    rule_misses: list[str] = []
    parent_number: str = ""
    followup_rows: list[list[str]] = []
    pdf_busy: bool = False
    action_error: str = ""
    zoom_url: str = ""
    zoom_scale: int = 100  # 材料大图 in percent of the image's own size; 0: as wide as the dialog
    csv_preview: list[dict[str, str]] = []
    csv_errors: list[dict[str, str]] = []
    # While a file is checked or applied in the job process: 预览 and 确认导入 wait, and the page says how far.
    csv_busy: bool = False
    csv_applying: bool = False  # 确认导入 reads 导入中…
    csv_progress: str = ""
    # The confirmation dialog of 通过 / 退回修改 / 不通过 / 确认收款 / 退回支付凭证 / 已邮寄, naming the application.
    confirm_open: bool = False
    confirm_title: str = ""
    confirm_text: str = ""
    # After an action: the next application of the queue this one was in (0: none), for 【下一个】.
    acted: bool = False
    next_id: int = 0
    _csv: bytes = b""
    _pending: dict[str, str] = {}

    # --- showing the application -----------------------------------------------------------------------------

    @page_load(STAFF_ANY)
    async def on_load(self, uow: UnitOfWork):
        await self._open(uow, self._route_id())

    @requires(STAFF_ANY)
    async def reload(self, uow: UnitOfWork):
        """The application as it is now (after an action was refused, e.g. someone else acted first)."""
        if self.found:
            await self._open(uow, self.application_id)

    async def _open(self, uow: UnitOfWork, application_id: int) -> None:
        """Reading only, in a worker thread: 30 people's documents, checks and decisions take tens of
        milliseconds, which on the event loop every other user would wait for. A refusal (not found, another
        institution's) changed nothing but its log line."""
        self._pending = {}
        try:
            view = await uow.in_thread(lambda tx: views.application_view(tx, application_id))
        except ServiceError:  # the page says 未找到申请单
            self.found = False
            return
        self._show(view)

    def _reshow(self, uow: UnitOfWork) -> None:
        """After a change: its follow-up effects first, so the page shows what will be committed."""
        uow.complete()
        self._show(views.application_view(uow, self.application_id))

    def _show(self, view: views.ApplicationView) -> None:
        self.found = True
        self.application_id, self.version, self.number = view.id, view.version, view.number
        self.status_code = view.status
        self.status = status_label(view.status, view.early_card_done)
        self.business_type = BUSINESS_TYPE_LABELS.get(view.business_type, "")
        self.institution = view.institution
        self.enterprise = {"name": view.enterprise["name"], "uscc": view.enterprise["uscc"]}
        self.unit_lines = forms.unit_field_lines(view.unit)
        self.group_lines = forms.group_field_lines(view.group, len(view.people))
        self.delivery_text = delivery_text(view.delivery)
        self.delivery_lines = forms.delivery_lines(view.delivery)
        by_person: dict[int, list[dict[str, str]]] = {}
        for d in view.documents:
            by_person.setdefault(d.person_seq, []).append(_document(d))
        self.people = [
            _person_card(row, seq, view.prechecks, by_person.get(seq, []))
            for seq, row in enumerate(view.people, start=1)
        ]
        self.documents = by_person.get(0, [])
        self.history = [
            {
                "time": local_time(e.at, "%Y-%m-%d %H:%M"),
                "from": status_label(e.from_status),
                "to": status_label(e.to_status),
                "actor": actor_label(e.actor.kind, e.actor.name, e.actor.institution),
                "reason": e.reason,
            }
            for e in view.history
        ]
        self.payments = [
            {
                "amount": p.amount,
                "status": PAYMENT_STATUS_LABELS.get(p.status, p.status),
                "time": local_time(p.at),
                "reason": p.reason,
            }
            for p in view.payments
        ]
        self.economy_names = [{"code": code, "name": name} for code, name in view.economies]
        self.economy_headers = [name for _, name in view.economies]
        self.matrix = matrix_lines(view.decisions)
        self.decision_people = [[str(row.person_id), row.name] for row in view.decisions]
        self.allowed = view.allowed
        self.rule_misses = view.rule_misses
        self.parent_number = view.parent_number
        self.followup_rows = forms.followup_lines(view.business_type, view.form)

    def _service_error(self, exc: ServiceError):
        """A refused action changed nothing: say why, then show the application as it is now."""
        return [rx.toast.error(next(iter(self._errors(exc).values()))), StaffReviewState.reload]

    # --- actions ---------------------------------------------------------------------------------------------

    @requires(STAFF_ANY)
    def act(self, uow: UnitOfWork, form: dict):
        """通过 / 退回修改 / 不通过, 确认收款 / 退回支付凭证, 已邮寄 ask first (the dialog names the application);
        开始制卡, 制卡完成, 已自取 act at once."""
        self.action_error = ""
        action = str(form.get("action", ""))
        reason = str(form.get("reason", "")).strip()[:500]
        tracking = str(form.get("tracking_number", "")).strip()[:40]
        if action not in CONFIRMED_ACTIONS:
            return self._perform(uow, action, reason, tracking)
        rule = lifecycle.TRANSITIONS.get(action)
        missing = ("reason_required" if rule is not None and rule.needs_reason and not reason
                   else "tracking_required" if action == "mail" and not tracking else "")  # fmt: skip
        if missing:
            self.action_error = describe(missing)
            return None
        self._pending = {"action": action, "reason": reason, "tracking": tracking}
        self.confirm_title = confirm_heading(action)
        self.confirm_text = confirm_description(action, self.number, self.enterprise.get("name", ""), reason, tracking)
        self.confirm_open = True
        return None

    @requires(STAFF_ANY)
    def confirm_act(self, uow: UnitOfWork):
        """【确定】 in the dialog: the action it named."""
        pending, self._pending, self.confirm_open = self._pending, {}, False
        if not pending:
            return None
        return self._perform(uow, pending["action"], pending["reason"], pending["tracking"])

    @requires(STAFF_ANY)
    def cancel_act(self, uow: UnitOfWork):
        self._pending, self.confirm_open = {}, False

    def _perform(self, uow: UnitOfWork, action: str, reason: str, tracking: str):
        queue_status = self.status_code  # 【下一个】 stays in the queue this application was in
        try:
            actions.act(uow, self.application_id, action, version=self.version, reason=reason,
                        tracking_number=tracking)  # fmt: skip
        except ServiceError as exc:
            self.action_error = next(iter(self._errors(exc).values()))
            raise  # the gate rolls the action back and calls _service_error
        self._reshow(uow)
        self.acted = True
        self.next_id = queue.next_in_queue(uow, queue_status, self.application_id) or 0
        return rx.toast.success("操作成功")

    @requires(STAFF_ANY)
    def open_next(self, uow: UnitOfWork):
        """【下一个】: the next application of the same queue (the page checks it is the caller's to see)."""
        if self.next_id:
            return rx.redirect(f"/staff/applications/{self.next_id}")
        return None

    @requires(STAFF_ANY)
    def decide(self, uow: UnitOfWork, form: dict):
        """One economy's decision for one person (录入)."""
        decided_on = parse_date(str(form.get("decided_on", "")))
        if decided_on is None:
            return rx.toast.error("请填写正确的日期")
        decisions.record_decision(
            uow,
            self.application_id,
            _as_int(form.get("person_id")),
            str(form.get("economy", "")),
            str(form.get("decision", "")),
            decided_on,
        )
        self._reshow(uow)
        return rx.toast.success("已录入")

    # --- the CSV file of decisions -----------------------------------------------------------------------------

    @requires(STAFF_ANY)
    async def preview_csv(self, uow: UnitOfWork, files: list[rx.UploadFile]):
        """预览: the file checked row by row against the database; nothing is recorded yet. The page says 检查中…
        while the job process parses and checks it (apec_app/jobs: no GIL shared with the other users' events)."""
        if not files or self.csv_busy:
            return
        data = await files[0].read(CSV_LIMIT + 1)
        self.csv_busy, self.csv_progress = True, CSV_CHECKING
        yield
        try:
            parsed = await process.run(decisions_csv.check, uow.me, uow.clock, uow.client_ip, data)
        except ServiceError as exc:
            self.csv_busy, self.csv_progress = False, ""
            yield rx.toast.error(describe(exc.code))
            return
        self.csv_busy, self.csv_progress = False, ""
        self._csv = data
        self._show_preview(parsed)

    def _show_preview(self, parsed: ParsedImport) -> None:
        self.csv_preview = [
            {
                "line": str(r.line),
                "number": r.number,
                "passport": r.passport_number,
                "economy": r.economy_code,
                "decision": DECISION_LABELS.get(r.decision, ""),
                "date": r.decided_on.isoformat(),
            }
            for r in parsed.rows
        ]
        self.csv_errors = [
            {"line": str(e.line), "column": e.column, "message": describe(e.code), "value": e.value}
            for e in parsed.errors
        ]

    @requires(STAFF_ANY)
    async def apply_csv(self, uow: UnitOfWork):
        """确认导入: every row of the previewed file, or none. The job process records them (with the message to
        the applicant) and reads the application afresh; meanwhile the button reads 导入中… and the page counts
        the rows done (已处理 N / M 行)."""
        if not self._csv or self.csv_busy:
            return
        total = len(self.csv_preview)
        done = [0]  # written by the progress relay thread, read here between waits
        self.csv_busy, self.csv_applying, self.csv_progress = True, True, csv_progress_text(0, total)
        yield
        work = asyncio.ensure_future(
            process.run(
                decisions_csv.apply,
                *(uow.me, uow.clock, uow.client_ip, self._csv, self.application_id),
                progress=lambda n: done.__setitem__(0, n),
            )
        )
        try:
            while not work.done():
                await asyncio.wait({work}, timeout=PROGRESS_SECONDS)
                if not work.done() and self.csv_progress != csv_progress_text(done[0], total):
                    self.csv_progress = csv_progress_text(done[0], total)
                    yield
            count, view = work.result()
        except ServiceError as exc:
            self.csv_busy, self.csv_applying, self.csv_progress = False, False, ""
            yield self._service_error(exc)
            return
        except BaseException:
            self.csv_busy, self.csv_applying, self.csv_progress = False, False, ""
            raise
        self.csv_busy, self.csv_applying, self.csv_progress = False, False, ""
        self._csv, self.csv_preview, self.csv_errors = b"", [], []
        self._show(view)
        yield rx.toast.success(f"已导入 {count} 条审核结果")

    @requires(STAFF_ANY)
    def download_template(self, uow: UnitOfWork):
        return rx.download(data=template_csv().encode("utf-8-sig"), filename="经济体审核结果模板.csv")

    # --- the printable form and the documents -------------------------------------------------------------------

    @requires(STAFF_ANY)
    async def download_pdf(self, uow: UnitOfWork):
        """打印申请表 (the same form as the applicant's), rendered in a worker thread outside any transaction."""
        try:
            with uow.begin() as tx:
                data = application_form.build(tx.db, queue.open_application(tx, self.application_id))
        except ServiceError as exc:
            yield rx.toast.error(describe(exc.code))
            return
        self.pdf_busy = True
        yield
        try:
            pdf = await asyncio.to_thread(application_form.render, data)
        finally:
            self.pdf_busy = False
        yield rx.download(data=pdf, filename=f"{data.number}.pdf")

    @requires(STAFF_ANY)
    def zoom(self, uow: UnitOfWork, url: str):
        """材料大图, at the image's own size, for a document of this page only."""
        shown = [*self.documents, *(d for p in self.people for d in p.documents)]
        if url and any(d["url"] == url for d in shown):
            self.zoom_url, self.zoom_scale = url, 100

    @requires(STAFF_ANY)
    def zoom_in(self, uow: UnitOfWork):
        self.zoom_scale = min(ZOOM_MAX, self.zoom_scale * 3 // 2) if self.zoom_scale else 100

    @requires(STAFF_ANY)
    def zoom_out(self, uow: UnitOfWork):
        self.zoom_scale = max(ZOOM_MIN, self.zoom_scale * 2 // 3) if self.zoom_scale else 50

    @requires(STAFF_ANY)
    def zoom_fit(self, uow: UnitOfWork):
        """适合窗口: as wide as the dialog (on a phone the page's own size shows only a corner)."""
        self.zoom_scale = 0

    @requires(STAFF_ANY)
    def zoom_reset(self, uow: UnitOfWork):
        self.zoom_scale = 100

    @requires(STAFF_ANY)
    def close_zoom(self, uow: UnitOfWork):
        self.zoom_url, self.zoom_scale = "", 100
