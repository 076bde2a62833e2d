"""上传支付凭证 (manual 1.2.6): the cashier page's amount and the voucher that moves 待缴费 to 支付凭证确认中."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from apec_app.domain import lifecycle
from apec_app.domain.fees import DEFAULT_AGENCY_FEE_FEN, DEFAULT_CARD_FEE_FEN, FeeBreakdown, fee_breakdown
from apec_app.models import Application, Document, Fee, Institution, Payment
from apec_app.models.base import utcnow
from apec_app.services.applications import filing as applications
from apec_app.services.applications.filing import record_status
from apec_app.services.errors import Conflict, InvalidInput
from apec_app.services.principal import Principal


@dataclass(frozen=True)
class Cashier:
    application: Application
    institution: Institution
    breakdown: FeeBreakdown


def current_fees(db: Session, institution_id: int, business_type: str) -> tuple[int, int]:
    fee = db.exec(select(Fee).where(Fee.institution_id == institution_id, Fee.business_type == business_type)).first()
    return (fee.card_fee_fen, fee.agency_fee_fen) if fee else (DEFAULT_CARD_FEE_FEN, DEFAULT_AGENCY_FEE_FEN)


def cashier(db: Session, principal: Principal, application_id: int) -> Cashier:
    """收银台: today's fees of the institution, for an application of the caller waiting for payment."""
    application = applications.owned(db, principal, application_id)
    if application.status != lifecycle.AWAITING_PAYMENT or application.business_type not in lifecycle.PAID_TYPES:
        raise Conflict("not_payable")
    institution = db.get(Institution, application.institution_id)
    card_fee, agency_fee = current_fees(db, institution.id, application.business_type)
    breakdown = fee_breakdown(
        application.business_type, application.channel, max(application.person_count, 1), card_fee, agency_fee
    )
    return Cashier(application, institution, breakdown)


def submit_voucher(db: Session, principal: Principal, application_id: int, document_id: int) -> Application:
    """【提交】 on the cashier page: the amount shown is stored with the payment, then 支付凭证确认中."""
    desk = cashier(db, principal, application_id)
    application = desk.application
    document = db.get(Document, document_id)
    if document is None or document.application_id != application.id or document.kind != "payment_voucher":
        raise InvalidInput("voucher", "upload_required")
    old = application.status
    new = lifecycle.next_status("pay", old, channel=application.channel, business_type=application.business_type)
    claimed = db.execute(
        update(Application)
        .where(col(Application.id) == application.id, col(Application.status) == old)
        .values(status=new, version=Application.version + 1, updated_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise Conflict("application_changed")
    db.refresh(application)
    lines = [
        {"label": line.label, "per_person_fen": line.per_person_fen, "people": line.people}
        for line in desk.breakdown.lines
    ]
    db.add(
        Payment(
            application_id=application.id,
            amount_fen=desk.breakdown.total_fen,
            breakdown_json=json.dumps(lines, ensure_ascii=False),
            voucher_document_id=document.id,
            submitted_by=principal.label,
        )
    )
    record_status(db, application, old, new, principal.label, "")
    return application


def payments_of(db: Session, application: Application) -> list[Payment]:
    return list(
        db.exec(select(Payment).where(Payment.application_id == application.id).order_by(col(Payment.id))).all()
    )
