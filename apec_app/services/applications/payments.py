"""上传支付凭证 (manual 1.2.6): the cashier page's amount and the voucher that moves 待缴费 to 支付凭证确认中."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from apec_app.domain import lifecycle
from apec_app.domain.fees import DEFAULT_AGENCY_FEE_FEN, DEFAULT_CARD_FEE_FEN, FeeBreakdown, FeeLine, fee_breakdown
from apec_app.models import Application, Document, Fee, Institution, Payment
from apec_app.models.base import row_id
from apec_app.services.applications import filing
from apec_app.services.applications.transitions import transition
from apec_app.services.errors import Conflict, InvalidInput
from apec_app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Cashier:
    application: Application
    institution: Institution
    breakdown: FeeBreakdown


# Built once (every detail page and cashier reads them): the values are parameters.
_FEE = select(Fee).where(
    col(Fee.institution_id) == bindparam("institution_id"), col(Fee.business_type) == bindparam("business_type")
)


def current_fees(db: Session, institution_id: int, business_type: str) -> tuple[int, int]:
    fee = db.exec(_FEE, params={"institution_id": institution_id, "business_type": business_type}).first()
    return (fee.card_fee_fen, fee.agency_fee_fen) if fee else (DEFAULT_CARD_FEE_FEN, DEFAULT_AGENCY_FEE_FEN)


def cashier(uow: UnitOfWork, application_id: int) -> Cashier:
    """收银台: today's fees of the institution, for an application of the caller waiting for payment."""
    db = uow.db
    application = filing.owned(uow, application_id)
    if application.status != lifecycle.AWAITING_PAYMENT or application.business_type not in lifecycle.PAID_TYPES:
        raise Conflict("not_payable")
    institution = db.get(Institution, application.institution_id)
    assert institution is not None  # the application's own institution (a foreign key)
    card_fee, agency_fee = current_fees(db, row_id(institution), application.business_type)
    breakdown = fee_breakdown(
        application.business_type, application.channel, max(application.person_count, 1), card_fee, agency_fee
    )
    return Cashier(application, institution, breakdown)


@dataclass(frozen=True)
class CashierView:
    """What the 收银台 shows: codes, names and fen (the page words them). `stage` is "pay" while 待缴费 (the
    amount due and the bank account) and "confirming" once the voucher is in (支付凭证确认中)."""

    application_id: int
    number: str
    business_type: str
    institution_kind: str  # "fao" (a 外办) or "ministry" (外交部, 直办)
    institution_name: str
    stage: str
    total_fen: int
    lines: list[FeeLine]
    bank: dict[str, str]  # bank, account_name, account_number


PAY, CONFIRMING = "pay", "confirming"


def cashier_view(uow: UnitOfWork, application_id: int) -> CashierView:
    """收银台 of an application of the caller: waiting for payment, or its voucher being checked (the page
    then says so). Anything else is Conflict("not_payable"), someone else's NotFound."""
    application = filing.owned(uow, application_id)
    if application.status == lifecycle.PAYMENT_REVIEW and application.business_type in lifecycle.PAID_TYPES:
        institution = uow.db.get(Institution, application.institution_id)
        assert institution is not None  # the application's own institution (a foreign key)
        paid = payments_of(uow.db, application)
        return _view(
            application, institution, CONFIRMING, paid[-1].amount_fen if paid else 0, fee_lines(uow.db, application)
        )
    desk = cashier(uow, application_id)
    return _view(desk.application, desk.institution, PAY, desk.breakdown.total_fen, desk.breakdown.lines)


def _view(application: Application, i: Institution, stage: str, total_fen: int, lines: list[FeeLine]) -> CashierView:
    return CashierView(
        application_id=row_id(application),
        number=application.number or "",
        business_type=application.business_type,
        institution_kind=i.kind,
        institution_name=i.name,
        stage=stage,
        total_fen=total_fen,
        lines=list(lines),
        bank={"bank": i.bank_name, "account_name": i.bank_account_name, "account_number": i.bank_account_number},
    )


def fee_lines(db: Session, application: Application, *, paid: list[Payment] | None = None) -> list[FeeLine]:
    """The fees of an application as its 申请单信息 shows them: what the last voucher was submitted for, else what
    the institution charges today; none for a business without fees. `paid`: its payments, when the caller has
    read them already."""
    if application.business_type not in lifecycle.PAID_TYPES:
        return []
    paid = payments_of(db, application) if paid is None else paid
    if paid:
        return [
            FeeLine(str(line["label"]), int(line["per_person_fen"]), int(line["people"]))
            for line in json.loads(paid[-1].breakdown_json or "[]")
        ]
    card_fee, agency_fee = current_fees(db, application.institution_id or 0, application.business_type)
    people = max(application.person_count, 1)
    return fee_breakdown(application.business_type, application.channel, people, card_fee, agency_fee).lines


def submit_voucher(uow: UnitOfWork, application_id: int, document_id: int) -> Application:
    """【提交】 on the cashier page: the amount shown is stored with the payment, then 支付凭证确认中."""
    desk = cashier(uow, application_id)
    application = desk.application
    document = uow.db.get(Document, document_id)
    if document is None or document.application_id != application.id or document.kind != "payment_voucher":
        raise InvalidInput("voucher", "upload_required")
    transition(uow, application, "pay")
    lines = [
        {"label": line.label, "per_person_fen": line.per_person_fen, "people": line.people}
        for line in desk.breakdown.lines
    ]
    uow.db.add(
        Payment(
            application_id=row_id(application),
            amount_fen=desk.breakdown.total_fen,
            breakdown_json=json.dumps(lines, ensure_ascii=False),
            voucher_document_id=row_id(document),
            submitted_by=uow.actor,
            submitted_at=uow.now(),
        )
    )
    return application


_PAYMENTS = select(Payment).where(col(Payment.application_id) == bindparam("application_id")).order_by(col(Payment.id))


def payments_of(db: Session, application: Application) -> list[Payment]:
    return list(db.exec(_PAYMENTS, params={"application_id": application.id}).all())
