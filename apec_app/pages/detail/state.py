"""申请单详情 (/user/applications/[app_id]): the state of the page beside it (apec_app/pages/detail/page.py).

It copies the read model (services/views/detail.py) into what the page draws: the 申请单信息 lines and the
barcode, the institution's contact, every field, each material by name and each person's documents under that
person, the economy matrix (compact: components/economy_matrix.py), cards, payments and the history with the
people who acted.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import reflex as rx

from apec_app.components.economy_matrix import MatrixLine, matrix_lines
from apec_app.integrations import storage
from apec_app.integrations.barcodes import code128
from apec_app.printouts import application_form
from apec_app.services.applications import filing
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views.detail import ApplicationDetail, DocumentLine, application_detail
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time
from apec_app.ui_text import (
    BUSINESS_TYPE_LABELS,
    CARD_STATUS_LABELS,
    PAYMENT_STATUS_LABELS,
    actor_label,
    describe,
    forms,
    status_label,
)
from apec_app.ui_text import payments as pay_text
from apec_app.ui_text.labels import delivery_text

DOWNLOAD_TTL = 1800
# The barcode's CSS pixels per module: 2 on a wide screen, 1 on a phone (3 device pixels there).
MODULE_PX_WIDE, MODULE_PX_NARROW = 2, 1


@dataclass
class DocLink:
    label: str = ""
    name: str = ""
    url: str = ""  # "" once the retention period deleted the file
    image: bool = False
    purged: bool = False


@dataclass
class PersonBlock:
    """A person: the name line, [label, value] lines (empty ones left out) and their documents."""

    title: str = ""
    id_number: str = ""
    lines: list[list[str]] = field(default_factory=list)
    documents: list[DocLink] = field(default_factory=list)


def _days(value: float | None) -> str:
    return "暂无数据" if value is None else f"{value:g} 天"


def info_lines(view: ApplicationDetail) -> list[list[str]]:
    """申请单信息 as the manual lists it (1.2.6), the fees last."""
    lines = [
        ["企业名称", view.enterprise_name],
        ["申请人数", str(view.person_count)],
        ["办理业务", BUSINESS_TYPE_LABELS.get(view.business_type, "")],
        ["办理机构", view.institution["name"]],
        ["申请单号", view.number],
        ["申请时间", local_time(view.submitted_at, "%Y-%m-%d %H:%M:%S")],
    ]
    lines += [[fee.label, pay_text.fee_amount(fee)] for fee in view.fees]
    if not view.fees:
        lines.append(["费用", pay_text.NO_FEE])
    return lines


class DetailState(PageMixin, SessionState):
    found: bool = False
    application_id: int = 0
    number: str = ""
    barcode: str = ""
    barcode_width: str = ""  # on a wide screen; barcode_width_narrow on a phone
    barcode_width_narrow: str = ""
    status: str = ""
    status_code: str = ""
    business_type: str = ""
    info: list[list[str]] = []
    institution_name: str = ""
    institution_lines: list[list[str]] = []
    unit: dict[str, str] = {}
    unit_lines: list[list[str]] = []
    group_lines: list[list[str]] = []
    people: list[PersonBlock] = []
    materials: list[DocLink] = []
    other_documents: list[DocLink] = []
    delivery_text: str = ""
    history: list[dict[str, str]] = []
    economy_names: list[str] = []
    matrix: list[MatrixLine] = []
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

        def link(d: DocumentLine, label: str) -> DocLink:
            if d.purged:
                return DocLink(label or d.name, d.name, "", False, True)
            url = f"/files/{storage.sign_download(d.id, signer, DOWNLOAD_TTL)}"
            return DocLink(label or d.name, d.name, url, d.is_image)

        self.found = True
        self.application_id, self.number = view.id, view.number
        if view.number:
            code = code128(view.number)
            self.barcode = code.data_url
            self.barcode_width = f"{code.width_px(MODULE_PX_WIDE)}px"
            self.barcode_width_narrow = f"{code.width_px(MODULE_PX_NARROW)}px"
        self.status = status_label(view.status, view.early_card_done)
        self.status_code = view.status
        self.business_type = BUSINESS_TYPE_LABELS.get(view.business_type, "")
        self.info = info_lines(view)
        self.institution_name = view.institution["name"]
        self.institution_lines = [
            [label, value]
            for label, value in (("联系电话", view.institution["phone"]), ("地址", view.institution["address"]))
            if value
        ]
        self.unit = view.unit
        self.unit_lines = [[label, view.unit.get(key, "")] for label, key in forms.UNIT_LINES if view.unit.get(key)]
        self.group_lines = [[label, view.group.get(key, "")] for label, key in forms.GROUP_LINES if view.group.get(key)]
        self.people = [
            PersonBlock(
                f"{p.get('surname', '')}{p.get('given_name', '')}（{p.get('pinyin', '')}）",
                p.get("id_number", ""),
                [[label, value] for label, value in forms.person_lines(forms.with_history_text(p))],
                [link(d, forms.DOC_LABELS.get(d.kind, "")) for d in docs],
            )
            for p, docs in zip(view.people, view.person_documents, strict=True)
        ]
        self.materials = [link(d, d.material) for d in view.materials]
        self.other_documents = [link(d, forms.DOC_LABELS.get(d.kind, "")) for d in view.other_documents]
        self.delivery_text = delivery_text(view.delivery)
        self.history = [
            {
                "time": local_time(e.at, "%Y-%m-%d %H:%M:%S"),
                "from": status_label(e.from_status),
                "to": status_label(e.to_status),
                "actor": actor_label(e.actor.kind, e.actor.name, e.actor.institution),
                "reason": e.reason,
            }
            for e in view.history
        ]
        self.economy_names = [name for _, name in view.economies]
        self.matrix = matrix_lines(view.decisions)
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
                "amount": pay_text.yuan(p.amount_fen),
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
