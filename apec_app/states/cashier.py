"""收银台 (manual 1.2.6): the business and who approved it, 申请单号, 应付金额 with its breakdown, the institution's
bank account, the voucher upload (jpg/jpeg under 5 MB), 【取消】 and 【提交】; once submitted, 支付凭证确认中."""

from __future__ import annotations

import reflex as rx

from apec_app.integrations import storage
from apec_app.services.applications import documents, payments
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import BUSINESS_TYPE_LABELS, describe, describe_upload_error
from apec_app.ui_text import payments as text

MAX_BYTES = documents.VOUCHER_RULE.max_bytes
PREVIEW_TTL = 1800


class CashierState(PageMixin, SessionState):
    found: bool = False
    stage: str = ""  # "pay" (待缴费) or "confirming" (支付凭证确认中)
    application_id: int = 0
    number: str = ""
    intro: str = ""
    amount: str = ""
    bank: dict[str, str] = {}
    voucher_id: int = 0
    voucher_name: str = ""
    voucher_url: str = ""
    # The voucher's refusal, shown at the upload (a wrong file, none chosen): what was there before stays.
    error: str = ""

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        try:
            desk = payments.cashier_view(uow, self._route_id(from_end=2))
        except ServiceError:  # not the caller's, or nothing to pay: the page says so
            return None
        self.found = True
        self.stage = desk.stage
        self.application_id, self.number = desk.application_id, desk.number
        self.intro = text.cashier_intro(BUSINESS_TYPE_LABELS.get(desk.business_type, ""), desk.institution_kind)
        self.amount = text.amount_due(desk.total_fen, desk.lines)
        self.bank = desk.bank
        return None

    @requires(APPLICANT)
    async def upload_voucher(self, uow: UnitOfWork, files: list[rx.UploadFile]):
        """A bad file is refused at the field and changes nothing: an earlier good voucher stays the one sent."""
        if not files:
            return None
        data = await files[0].read(MAX_BYTES + 1)
        application_id, name = self.application_id, files[0].name or "voucher.jpg"
        try:
            document = await uow.in_thread(
                lambda tx: documents.upload(tx, application_id, "payment_voucher", name, data)
            )
        except InvalidInput as exc:
            self.error = describe_upload_error(exc.code, documents.VOUCHER_RULE)
            return None
        except ServiceError as exc:
            self.error = describe(exc.code)
            return None
        self.voucher_id, self.voucher_name, self.error = document.id, document.original_name, ""
        self.voucher_url = f"/files/{storage.sign_download(document.id, uow.actor, PREVIEW_TTL)}"
        return None

    @requires(APPLICANT)
    def voucher_refused(self, uow: UnitOfWork, rejected: list[dict]):
        """The browser refused the file (not jpg/jpeg, or 5 MB or more) before sending it: say so at the field."""
        self.error = text.VOUCHER_REFUSED

    def _service_error(self, exc: ServiceError):
        self.error = next(iter(self._errors(exc).values()))

    @requires(APPLICANT)
    def submit(self, uow: UnitOfWork):
        if not self.voucher_id:
            self.error = text.VOUCHER_REQUIRED
            return None
        payments.submit_voucher(uow, self.application_id, self.voucher_id)
        return [rx.toast.success(text.VOUCHER_SUBMITTED), rx.redirect(f"/user/applications/{self.application_id}")]
