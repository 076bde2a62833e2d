"""收银台 (manual 1.2.6): amount, breakdown, the institution's bank account, the voucher upload and 【提交】."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.domain.fees import format_yuan
from apec_app.services.applications import documents, payments
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE, Principal
from apec_app.states.session import SessionState
from apec_app.ui_text import describe
from apec_app.ui_text.uploads import describe_upload_error

MAX_BYTES = 5 * 1024 * 1024


class CashierState(SessionState):
    found: bool = False
    application_id: int = 0
    number: str = ""
    amount: str = ""
    lines: list[dict[str, str]] = []
    bank: dict[str, str] = {}
    voucher_id: int = 0
    voucher_name: str = ""
    error: str = ""

    def _me(self) -> Principal | None:
        return self._current(ENTERPRISE, AGENT)

    @rx.event
    def on_load(self):
        principal = self._enter(ENTERPRISE, AGENT)
        if principal is None:
            return self._denied()
        self.voucher_id, self.voucher_name, self.error = 0, "", ""
        try:
            app_id = self._route_id(from_end=2)
            with session_scope() as db:
                desk = payments.cashier(db, principal, app_id)
                self.application_id, self.number = desk.application.id, desk.application.number or ""
                self.amount = format_yuan(desk.breakdown.total_fen)
                self.lines = [
                    {
                        "label": line.label,
                        "per": format_yuan(line.per_person_fen),
                        "people": str(line.people),
                        "total": format_yuan(line.total_fen),
                    }
                    for line in desk.breakdown.lines
                ]
                i = desk.institution
                self.bank = {
                    "institution": i.name,
                    "bank": i.bank_name,
                    "account_name": i.bank_account_name,
                    "account_number": i.bank_account_number,
                }
            self.found = True
        except (ServiceError, ValueError):
            self.found = False
        return None

    @rx.event
    async def upload_voucher(self, files: list[rx.UploadFile]):
        principal = self._me()
        if principal is None:
            return self._denied()
        if not files:
            return None
        data = await files[0].read(MAX_BYTES + 1)
        try:
            with session_scope() as db:
                document = documents.upload(
                    db, principal, self.application_id, "payment_voucher", files[0].name or "voucher", data
                )
                self.voucher_id, self.voucher_name = document.id, document.original_name
        except InvalidInput as exc:
            self.error = describe_upload_error(exc.code, documents.PAPER_RULE)
            return None
        except ServiceError as exc:
            self.error = describe(exc.code)
            return None
        self.error = ""
        return None

    @rx.event
    def submit(self):
        principal = self._me()
        if principal is None:
            return self._denied()
        if not self.voucher_id:
            self.error = "请上传支付凭证"
            return None
        try:
            with session_scope() as db:
                payments.submit_voucher(db, principal, self.application_id, self.voucher_id)
        except ServiceError as exc:
            self.error = describe(exc.code)
            return None
        return [rx.toast.success("提交支付凭证成功"), rx.redirect(f"/user/applications/{self.application_id}")]
