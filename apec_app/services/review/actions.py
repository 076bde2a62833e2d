"""A reviewer's status actions: 通过 / 退回修改 / 不通过, 确认收款 / 退回支付凭证, 开始制卡, 制卡完成, 已邮寄, 已自取.

Reviewers act only on applications of their own institution (admins on all). Every action claims the version
the reviewer saw: of two reviewers acting at once, exactly one succeeds and the other gets
Conflict("application_changed"). What follows for follow-ups and early cards subscribes to the events.
"""

from __future__ import annotations

import json

from sqlmodel import col, select

from apec_app.domain import lifecycle
from apec_app.domain.events import CardsMade
from apec_app.models import Application, Payment
from apec_app.models.base import row_id
from apec_app.services.applications.transitions import transition
from apec_app.services.errors import Conflict, InvalidInput
from apec_app.services.review import cards
from apec_app.services.review.queue import open_application
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork

CARD_STATUS_AFTER = {"card_ready": "ready", "mail": "mailed", "picked_up": "picked_up"}


def delivery_of(application: Application) -> str:
    return json.loads(application.form_json or "{}").get("delivery", {}).get("method", "")


def act(
    uow: UnitOfWork,
    application_id: int,
    action: str,
    *,
    version: int,
    reason: str = "",
    tracking_number: str = "",
) -> Application:
    application = open_application(uow, application_id)
    rule = lifecycle.TRANSITIONS.get(action)
    if action not in lifecycle.STAFF_ACTIONS or rule is None:
        raise InvalidInput("action", "transition_refused")
    reason = reason.strip()[:500]
    tracking = tracking_number.strip()[:40]
    if rule.needs_reason and not reason:
        raise InvalidInput("reason", "reason_required")
    if action == "mail" and not tracking:
        raise InvalidInput("tracking_number", "tracking_required")
    if application.version != version:
        raise Conflict("application_changed")  # someone else acted since this reviewer loaded the page
    try:
        lifecycle.next_status(
            action, application.status, channel=application.channel, business_type=application.business_type
        )
    except lifecycle.TransitionRefused as exc:
        raise Conflict("transition_refused") from exc
    allowed = lifecycle.staff_actions(
        application.status, business_type=application.business_type, delivery=delivery_of(application)
    )
    if action not in allowed:
        raise Conflict("delivery_mismatch")  # 制卡完成 for a card to be mailed, or 已邮寄 for one to be picked up
    note = reason or (f"快递单号：{tracking}" if action == "mail" else "")
    transition(uow, application, action, reason=note, version=version)
    if action in ("confirm_payment", "refuse_payment"):
        _review_payment(uow, application, action == "confirm_payment", reason)
    if action == "start_production" and application.business_type == lifecycle.NEW_RENEW:
        cards.make_cards(uow, application)
        uow.publish(CardsMade(row_id(application), uow.actor))
    if action in CARD_STATUS_AFTER:
        cards.update_cards(uow.db, application, CARD_STATUS_AFTER[action], tracking)
    log_event(uow.db, f"staff_{action}", actor=uow.actor, detail=f"application {application.number}")
    return application


def _review_payment(uow: UnitOfWork, application: Application, ok: bool, reason: str) -> None:
    payment = uow.db.exec(
        select(Payment)
        .where(Payment.application_id == application.id, Payment.status == "submitted")
        .order_by(col(Payment.id).desc())
    ).first()
    if payment is None:
        raise Conflict("payment_missing")
    payment.status = "confirmed" if ok else "refused"
    payment.reviewed_by, payment.reviewed_at, payment.reason = uow.actor, uow.now(), reason
    uow.db.add(payment)
