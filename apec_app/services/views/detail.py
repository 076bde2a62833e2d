"""申请单详情: everything the applicant's detail page shows of one of their applications.

The 申请单信息 block (manual 1.2.6: 企业名称, 申请人数, 办理业务, 办理机构, 申请单号, 申请时间, 制卡费, 外办代办费), the
institution's contact, each material by its configured name, each person's documents under that person, the
history with the people who acted, and the economies' decisions as a matrix. Codes, names, fen and dates:
ui_text words them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from apec_app.domain import lifecycle
from apec_app.domain.fees import FeeLine
from apec_app.models import Enterprise
from apec_app.models.base import row_id
from apec_app.services.applications import filing, payments
from apec_app.services.applications.actors import Actor, actors
from apec_app.services.applications.views import DocumentLine, delivery_view, document_groups, person_rows
from apec_app.services.review import cards, decisions, waiting_times
from apec_app.services.review.matrix import PersonDecisions, decision_rows
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views.institutions import institution_card

__all__ = ["ApplicationDetail", "DocumentLine", "HistoryLine", "application_detail"]


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    from_status: str
    to_status: str
    actor: Actor
    reason: str


@dataclass(frozen=True)
class CardLine:
    holder: str
    valid_until: date
    economies: list[str]  # economy names
    status: str
    tracking: str


@dataclass(frozen=True)
class PaymentLine:
    amount_fen: int
    at: datetime
    status: str
    reason: str


@dataclass(frozen=True)
class Wait:
    economy: str
    median_days: float | None
    p90_days: float | None
    usual_by: date | None
    late_by: date | None
    count: int


@dataclass(frozen=True)
class ApplicationDetail:
    id: int
    number: str
    status: str
    early_card_done: bool
    business_type: str
    enterprise_name: str
    person_count: int
    submitted_at: datetime | None  # 申请时间: the (last) submission
    fees: list[FeeLine]  # 制卡费, 外办代办费 (per person × people); none for a business without fees
    institution: dict[str, str]  # name, kind, phone, address
    unit: dict[str, str]
    group: dict[str, str]
    people: list[dict]
    person_documents: list[list[DocumentLine]]  # aligned with people
    materials: list[DocumentLine]  # each with its material's configured name
    other_documents: list[DocumentLine]  # a follow-up's own uploads (情况说明, the new passport page)
    delivery: dict[str, str]  # method, and the pickup point's or address's text parts
    history: list[HistoryLine]
    economies: list[tuple[str, str]]  # (code, name) of the deciding economies
    decisions: list[PersonDecisions]  # per person, aligned with `economies`
    cards: list[CardLine]
    payments: list[PaymentLine]
    waits: list[Wait]
    parent_id: int | None
    parent_number: str
    form: dict = field(repr=False)


def application_detail(uow: UnitOfWork, application_id: int) -> ApplicationDetail:
    application, form = filing.load_form(uow, application_id)
    db = uow.db
    enterprise_name = str(form.get("unit", {}).get("name", ""))
    if not enterprise_name:  # the enterprise's own name only when the form has none (one query fewer)
        enterprise = db.get(Enterprise, application.enterprise_id)
        assert enterprise is not None  # the application's own enterprise (a foreign key)
        enterprise_name = enterprise.name
    persons = decisions.people(db, application)
    all_economies = decisions.economies(db)
    deciding = decisions.deciding_of(all_economies)
    names = {e.code: e.name_zh for e in all_economies}
    paid = payments.payments_of(db, application)
    people = person_rows(persons, form.get("people", []))
    documents = document_groups(db, application, form, people)
    events = filing.history(db, application)
    who = actors(db, (e.actor for e in events))
    # The applicant hears of the economies once the people were sent to them (payment confirmed).
    sent = application.business_type == lifecycle.NEW_RENEW and application.status in lifecycle.WITH_ECONOMIES
    # Read once for the decision table and the waiting estimates.
    decided = decisions.decisions_of(db, application) if sent else None
    return ApplicationDetail(
        id=row_id(application),
        number=application.number or "",
        status=application.status,
        early_card_done=application.early_card_done,
        business_type=application.business_type,
        enterprise_name=enterprise_name,
        person_count=application.person_count or len(people),
        submitted_at=application.submitted_at,
        fees=payments.fee_lines(db, application, paid=paid),
        institution=institution_card(db, application.institution_id or 0),
        unit={k: str(v) for k, v in form.get("unit", {}).items()},
        group={k: str(v) for k, v in form.get("group", {}).items()},
        people=people,
        person_documents=documents.people,
        materials=documents.materials,
        other_documents=documents.others,
        delivery=delivery_view(db, application, form),
        history=[HistoryLine(e.created_at, e.from_status, e.to_status, who[e.actor], e.reason) for e in events],
        economies=[(e.code, e.name_zh) for e in deciding] if sent else [],
        decisions=decision_rows(db, application, persons, deciding, decided) if sent else [],
        cards=[
            CardLine(
                holder,
                c.valid_until,
                [names.get(code, code) for code in c.approved_economies.split(",") if code],
                c.status,
                c.tracking_number,
            )
            for c, holder in cards.cards_of(db, application)
        ],
        payments=[PaymentLine(p.amount_fen, p.submitted_at, p.status, p.reason) for p in paid],
        waits=[
            Wait(w.name_zh, w.median_days, w.p90_days, w.usual_by, w.late_by, w.count)
            for w in waiting_times.pending_estimates(
                db, application, uow.today(), persons=persons, deciding=deciding, decided=decided, history=events
            )
        ],
        parent_id=application.parent_application_id,
        parent_number=str(form.get("parent_number", "")),
        form=json.loads(json.dumps(form)),
    )
