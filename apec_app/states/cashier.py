"""收银台 (manual 1.2.6): amount, breakdown, the institution's bank account, the voucher upload and 【提交】."""

from __future__ import annotations

import reflex as rx

from apec_app.services.applications import documents, payments
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import describe, describe_upload_error

MAX_BYTES = 5 * 1024 * 1024


class CashierState(PageMixin, SessionState):
    found: bool = False
    application_id: int = 0
    number: str = ""
    amount: str = ""
    lines: list[dict[str, str]] = []
    bank: dict[str, str] = {}
    voucher_id: int = 0
    voucher_name: str = ""
    error: str = ""

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        try:
            desk = payments.cashier_view(uow, self._route_id(from_end=2))
        except ServiceError:  # not the caller's, or not waiting for payment: the page says it was not found
            return None
        self.found = True
        self.application_id, self.number, self.amount = desk.application_id, desk.number, desk.amount
        self.lines = desk.lines
        self.bank = desk.bank
        return None

    @requires(APPLICANT)
    async def upload_voucher(self, uow: UnitOfWork, files: list[rx.UploadFile]):
        if not files:
            return None
        data = await files[0].read(MAX_BYTES + 1)
        try:
            with uow.begin() as tx:
                document = documents.upload(
                    tx, self.application_id, "payment_voucher", files[0].name or "voucher", data
                )
        except InvalidInput as exc:
            self.error = describe_upload_error(exc.code, documents.PAPER_RULE)
            return None
        except ServiceError as exc:
            self.error = describe(exc.code)
            return None
        self.voucher_id, self.voucher_name, self.error = document.id, document.original_name, ""
        return None

    def _service_error(self, exc: ServiceError):
        self.error = next(iter(self._errors(exc).values()))

    @requires(APPLICANT)
    def submit(self, uow: UnitOfWork):
        if not self.voucher_id:
            self.error = "请上传支付凭证"
            return None
        payments.submit_voucher(uow, self.application_id, self.voucher_id)
        return [rx.toast.success("提交支付凭证成功"), rx.redirect(f"/user/applications/{self.application_id}")]
