"""The reviewers' side: queues, the application view, status actions, economy decisions and cards.

Reviewers act only on applications of their own institution (admins on all). Every action is one transaction
that moves the status with a conditional update on the application's version: of two reviewers acting at once,
exactly one succeeds and the other gets Conflict("application_changed").
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from apec_app.domain import lifecycle
from apec_app.domain.decisions_csv import DecisionRow, ParsedImport, RowError, parse_decisions
from apec_app.domain.economies import APPROVED, DECISIONS, Economy, all_decided, approved_codes, deciding_economies
from apec_app.domain.person import card_valid_until
from apec_app.models import (
    Application,
    Card,
    EconomyDecision,
    EconomySetting,
    Enterprise,
    Payment,
    Person,
)
from apec_app.models.base import utcnow
from apec_app.services.applications.filing import record_status
from apec_app.services.errors import Conflict, InvalidInput, NotFound
from apec_app.services.followups import forms as followups
from apec_app.services.messaging import notifications
from apec_app.services.principal import STAFF, Principal, require_kind
from apec_app.services.security_log import log_event
from apec_app.time_format import today_local

PAGE_SIZE = 20
QUEUE_STATUSES = (
    lifecycle.FAO_REVIEW,
    lifecycle.MFA_REVIEW,
    lifecycle.PAYMENT_REVIEW,
    lifecycle.ECONOMY_REVIEW,
    lifecycle.ECONOMIES_DONE,
    lifecycle.APPROVED,
    lifecycle.CARD_PRODUCTION,
    lifecycle.AWAITING_PICKUP,
    lifecycle.AWAITING_PAYMENT,
    lifecycle.RETURNED,
    lifecycle.REJECTED,
    lifecycle.MAILED,
    lifecycle.PICKED_UP,
)


def _scope(principal: Principal):
    """The institution filter for this staff member (None: an admin sees every institution)."""
    require_kind(principal, STAFF)
    return None if principal.role == "admin" else principal.institution_id


def _in_scope(principal: Principal, application: Application) -> bool:
    scope = _scope(principal)
    return application.status != lifecycle.DRAFT and (scope is None or application.institution_id == scope)


def queue_counts(db: Session, principal: Principal) -> dict[str, int]:
    scope = _scope(principal)
    query = select(Application.status, func.count()).where(Application.status != lifecycle.DRAFT)
    if scope is not None:
        query = query.where(Application.institution_id == scope)
    return {status: int(n) for status, n in db.exec(query.group_by(Application.status)).all()}


def queue(
    db: Session,
    principal: Principal,
    *,
    status: str = "",
    business_type: str = "",
    institution_id: int | None = None,
    number: str = "",
    name: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
) -> tuple[list[Application], int]:
    scope = _scope(principal)
    where = [Application.status != lifecycle.DRAFT]
    if scope is not None:
        where.append(Application.institution_id == scope)
    elif institution_id:
        where.append(Application.institution_id == institution_id)
    if status:
        where.append(Application.status == status)
    if business_type:
        where.append(Application.business_type == business_type)
    text = number.strip().upper()
    if text.startswith("APEC"):
        # A number typed from its start: a range on the unique index instead of scanning every row.
        where.extend([col(Application.number) >= text, col(Application.number) < text + "~"])
    elif text:
        where.append(col(Application.number).like(f"%{text}%"))
    if name.strip():
        like = f"%{name.strip()}%"
        enterprise_ids = select(Enterprise.id).where(col(Enterprise.name).like(like))
        where.append(or_(col(Application.person_names).like(like), col(Application.enterprise_id).in_(enterprise_ids)))
    if date_from:
        where.append(func.date(Application.submitted_at) >= date_from.isoformat())
    if date_to:
        where.append(func.date(Application.submitted_at) <= date_to.isoformat())
    total = db.exec(select(func.count()).select_from(Application).where(*where)).one()
    rows = db.exec(
        select(Application)
        .options(defer(Application.form_json))  # lists never show the form; it is most of the row
        .where(*where)
        .order_by(col(Application.submitted_at).desc(), col(Application.id).desc())
        .offset((max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return list(rows), int(total)


def open_application(db: Session, principal: Principal, application_id: int) -> Application:
    """The application for the staff view; opening one under review marks the review as started."""
    require_kind(principal, STAFF)
    application = db.get(Application, application_id)
    if application is None or not _in_scope(principal, application):
        log_event(db, "access_refused", actor=principal.label, detail=f"staff application {application_id}")
        raise NotFound()
    if application.status in lifecycle.REVIEW_STATUSES and application.review_started_at is None:
        db.execute(
            update(Application)
            .where(col(Application.id) == application.id, col(Application.review_started_at).is_(None))
            .values(review_started_at=utcnow())
        )
        db.refresh(application)
    log_event(db, "staff_view", actor=principal.label, detail=f"application {application.number}")
    return application


def people(db: Session, application: Application) -> list[Person]:
    return list(db.exec(select(Person).where(Person.application_id == application.id).order_by(col(Person.seq))).all())


def economies(db: Session) -> list[Economy]:
    rows = db.exec(select(EconomySetting).where(EconomySetting.active == True).order_by(col(EconomySetting.sort))).all()  # noqa: E712
    return [Economy(r.code, r.name_zh, r.name_en, r.transitional, r.sort) for r in rows]


def deciding(db: Session) -> list[Economy]:
    return deciding_economies(economies(db))


def decisions_of(db: Session, application: Application) -> dict[int, dict[str, EconomyDecision]]:
    """person id → economy code → decision."""
    table: dict[int, dict[str, EconomyDecision]] = {}
    for row in db.exec(select(EconomyDecision).where(EconomyDecision.application_id == application.id)).all():
        table.setdefault(row.person_id, {})[row.economy_code] = row
    return table


# --- status actions -------------------------------------------------------------------------------------


def _delivery(application: Application) -> str:
    return json.loads(application.form_json or "{}").get("delivery", {}).get("method", "")


def act(
    db: Session,
    principal: Principal,
    application_id: int,
    action: str,
    *,
    version: int,
    reason: str = "",
    tracking_number: str = "",
) -> Application:
    application = open_application(db, principal, application_id)
    transition = lifecycle.TRANSITIONS.get(action)
    if action not in lifecycle.STAFF_ACTIONS or transition is None:
        raise InvalidInput("action", "transition_refused")
    reason = reason.strip()[:500]
    if transition.needs_reason and not reason:
        raise InvalidInput("reason", "reason_required")
    if action == "mail" and not tracking_number.strip():
        raise InvalidInput("tracking_number", "tracking_required")
    if application.version != version:
        raise Conflict("application_changed")  # someone else acted since this reviewer loaded the page
    old = application.status
    try:
        new = lifecycle.next_status(action, old, channel=application.channel, business_type=application.business_type)
    except lifecycle.TransitionRefused as exc:
        raise Conflict("transition_refused") from exc
    if action not in lifecycle.staff_actions(
        old, business_type=application.business_type, delivery=_delivery(application)
    ):
        raise Conflict("delivery_mismatch")  # 制卡完成 for a card to be mailed, or 已邮寄 for one to be picked up
    claimed = db.execute(
        update(Application)
        .where(
            col(Application.id) == application.id, col(Application.version) == version, col(Application.status) == old
        )
        .values(status=new, version=Application.version + 1, updated_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise Conflict("application_changed")
    db.refresh(application)
    if action in ("confirm_payment", "refuse_payment"):
        _review_payment(db, principal, application, action == "confirm_payment", reason)
    if action == "start_production" and application.business_type == lifecycle.NEW_RENEW:
        _make_cards(db, application)
        followups.close_superseded_early_cards(db, application, principal.label)
    if action in ("card_ready", "mail", "picked_up"):
        _update_cards(
            db,
            application,
            {"card_ready": "ready", "mail": "mailed", "picked_up": "picked_up"}[action],
            tracking_number.strip()[:40],
        )
    followups.after_staff_action(db, application, action)
    note = reason or (f"快递单号：{tracking_number.strip()}" if action == "mail" else "")
    record_status(db, application, old, new, principal.label, note)
    log_event(db, f"staff_{action}", actor=principal.label, detail=f"application {application.number}")
    return application


def _review_payment(db: Session, principal: Principal, application: Application, ok: bool, reason: str) -> None:
    payment = db.exec(
        select(Payment)
        .where(Payment.application_id == application.id, Payment.status == "submitted")
        .order_by(col(Payment.id).desc())
    ).first()
    if payment is None:
        raise Conflict("payment_missing")
    payment.status = "confirmed" if ok else "refused"
    payment.reviewed_by, payment.reviewed_at, payment.reason = principal.label, utcnow(), reason
    db.add(payment)


def _make_cards(db: Session, application: Application) -> None:
    """制卡: one card per person, listing the approving economies, valid 5 years or to passport expiry."""
    codes = [e.code for e in deciding(db)]
    table = decisions_of(db, application)
    today = utcnow().date()
    for person in people(db, application):
        if followups.current_card(db, person.id) is not None:
            continue  # an early card was made already; more economies mean 换卡, not a second card
        decisions = {code: d.decision for code, d in table.get(person.id, {}).items()}
        approved = approved_codes(decisions, codes, economies(db))
        valid = (
            card_valid_until(today, person.passport_expiry)
            if person.passport_expiry
            else card_valid_until(today, today.replace(year=today.year + 5))
        )
        db.add(
            Card(
                person_id=person.id,
                application_id=application.id,
                approved_economies=",".join(approved),
                valid_until=valid,
            )
        )


def _update_cards(db: Session, application: Application, status: str, tracking: str) -> None:
    for card in db.exec(select(Card).where(Card.application_id == application.id)).all():
        card.status = status
        if tracking:
            card.tracking_number = tracking
        db.add(card)


def cards(db: Session, application: Application) -> list[tuple[Card, str]]:
    """(card, holder's name): the cards this application made and, for a 新办/续办 application, every later
    card of its people (提前制卡, 换补卡), oldest first."""
    person_ids = select(Person.id).where(Person.application_id == application.id)
    rows = db.exec(
        select(Card, Person)
        .join(Person, col(Person.id) == Card.person_id)
        .where(or_(col(Card.application_id) == application.id, col(Card.person_id).in_(person_ids)))
        .order_by(col(Card.id))
    ).all()
    return [(card, f"{person.surname}{person.given_name}") for card, person in rows]


# --- economy decisions ------------------------------------------------------------------------------------


def record_decision(
    db: Session,
    principal: Principal,
    application_id: int,
    person_id: int,
    economy_code: str,
    decision: str,
    decided_on: date,
) -> EconomyDecision:
    application = open_application(db, principal, application_id)
    row = _record(db, principal, application, person_id, economy_code, decision, decided_on)
    _complete_if_all_decided(db, principal, application)
    return row


def _record(db, principal, application, person_id, economy_code, decision, decided_on) -> EconomyDecision:
    if application.status != lifecycle.ECONOMY_REVIEW:
        raise Conflict("transition_refused")
    person = db.get(Person, person_id)
    if person is None or person.application_id != application.id:
        raise NotFound()
    economy = next((e for e in deciding(db) if e.code == economy_code), None)
    if economy is None:
        raise InvalidInput("economy", "economy_not_deciding")
    if decision not in DECISIONS:
        raise InvalidInput("decision", "decision_invalid")
    if decided_on > today_local():
        raise InvalidInput("decided_on", "date_future")
    row = EconomyDecision(
        person_id=person.id,
        application_id=application.id,
        economy_code=economy.code,
        decision=decision,
        decided_on=decided_on,
        recorded_by=principal.label,
    )
    try:
        with db.begin_nested():
            db.add(row)
    except IntegrityError as exc:
        raise Conflict("decision_exists") from exc
    word = "批准" if decision == APPROVED else "拒绝"
    notifications.notify_creator(
        db,
        enterprise_id=application.enterprise_id,
        creator_agent_id=application.creator_agent_id,
        title=f"{economy.name_zh}审核结果：{word}",
        body=f"申请单 {application.number} 中 {person.surname}{person.given_name} 的 {economy.name_zh} 预审结果：{word}"
        f"（{decided_on.isoformat()}）",
        application_id=application.id,
    )
    log_event(
        db,
        "staff_economy_decision",
        actor=principal.label,
        detail=f"{application.number} person {person.id} {economy.code} {decision}",
    )
    return row


def _complete_if_all_decided(db: Session, principal: Principal, application: Application) -> None:
    codes = [e.code for e in deciding(db)]
    table = decisions_of(db, application)
    done = all(
        all_decided({c: d.decision for c, d in table.get(p.id, {}).items()}, codes) for p in people(db, application)
    )
    if not done:
        return
    old = application.status
    new = lifecycle.next_status(
        "economies_complete", old, channel=application.channel, business_type=application.business_type
    )
    db.execute(
        update(Application)
        .where(col(Application.id) == application.id, col(Application.status) == old)
        .values(status=new, version=Application.version + 1, updated_at=utcnow())
    )
    db.refresh(application)
    record_status(db, application, old, new, "system", "")


def check_import(db: Session, principal: Principal, data: bytes, today: date) -> ParsedImport:
    """Preview of a CSV of decisions: the file's own checks, then each row against the database."""
    require_kind(principal, STAFF)
    parsed = parse_decisions(data, economies=economies(db), today=today)
    rows: list[DecisionRow] = []
    errors = list(parsed.errors)
    for row in parsed.rows:
        code = _row_problem(db, principal, row)
        if code:
            errors.append(
                RowError(
                    row.line,
                    "申请单号" if code in ("not_found", "transition_refused") else "护照号码",
                    code,
                    row.number,
                )
            )
        else:
            rows.append(row)
    return ParsedImport(rows, sorted(errors, key=lambda e: e.line))


def _row_problem(db: Session, principal: Principal, row: DecisionRow) -> str | None:
    application = db.exec(select(Application).where(Application.number == row.number)).first()
    if application is None or not _in_scope(principal, application):
        return "not_found"
    if application.status != lifecycle.ECONOMY_REVIEW:
        return "transition_refused"
    person = db.exec(
        select(Person).where(Person.application_id == application.id, Person.passport_number == row.passport_number)
    ).first()
    if person is None:
        return "person_not_on_application"
    exists = db.exec(
        select(EconomyDecision.id).where(
            EconomyDecision.person_id == person.id, EconomyDecision.economy_code == row.economy_code
        )
    ).first()
    return "decision_exists" if exists else None


def apply_import(db: Session, principal: Principal, data: bytes, today: date) -> int:
    """Record every row of the file, or none: a file with any error changes nothing."""
    checked = check_import(db, principal, data, today)
    if checked.errors:
        raise InvalidInput("file", "import_has_errors")
    touched: dict[int, Application] = {}
    for row in checked.rows:
        application = db.exec(select(Application).where(Application.number == row.number)).one()
        person = db.exec(
            select(Person).where(Person.application_id == application.id, Person.passport_number == row.passport_number)
        ).one()
        _record(db, principal, application, person.id, row.economy_code, row.decision, row.decided_on)
        touched[application.id] = application
    for application in touched.values():
        _complete_if_all_decided(db, principal, application)
    return len(checked.rows)
