"""申请单详情: everything the applicant's detail page shows of one of their applications."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from apec_app.domain import lifecycle
from apec_app.domain.fees import format_yuan
from apec_app.models import Institution
from apec_app.models.base import row_id
from apec_app.services.applications import filing, payments
from apec_app.services.applications.views import delivery_view, person_rows, uploaded_ids
from apec_app.services.review import cards, decisions, waiting_times
from apec_app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DocumentLine:
    id: int
    kind: str
    name: str
    is_image: bool


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    from_status: str
    to_status: str
    actor: str
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
    amount: str
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
    institution: dict[str, str]
    unit: dict[str, str]
    group: dict[str, str]
    people: list[dict]
    delivery: dict[str, str]  # method, and the pickup point's or address's text parts
    documents: list[DocumentLine]
    history: list[HistoryLine]
    economies: list[dict[str, str]]  # code, name of the deciding economies
    decisions: list[dict]  # per person: name and code -> (decision, date) or None
    cards: list[CardLine]
    payments: list[PaymentLine]
    waits: list[Wait]
    parent_id: int | None
    parent_number: str
    form: dict = field(repr=False)


def application_detail(uow: UnitOfWork, application_id: int) -> ApplicationDetail:
    application, form = filing.load_form(uow, application_id)
    db = uow.db
    institution = db.get(Institution, application.institution_id)
    assert institution is not None  # the application's own institution (a foreign key)
    wanted = uploaded_ids(form)
    persons = decisions.people(db, application)
    economies = decisions.deciding(db)
    names = {e.code: e.name_zh for e in decisions.economies(db)}
    table = decisions.decisions_of(db, application)
    decision_rows = [
        {
            "person": f"{p.surname}{p.given_name}",
            **{
                e.code: (table[row_id(p)][e.code].decision, table[row_id(p)][e.code].decided_on)
                if e.code in table.get(row_id(p), {})
                else None
                for e in economies
            },
        }
        for p in persons
        if application.business_type == lifecycle.NEW_RENEW  # follow-ups are not sent to the economies
    ]
    return ApplicationDetail(
        id=row_id(application),
        number=application.number or "",
        status=application.status,
        early_card_done=application.early_card_done,
        business_type=application.business_type,
        institution={"name": institution.name, "phone": institution.contact_phone, "address": institution.address},
        unit={k: str(v) for k, v in form.get("unit", {}).items()},
        group={k: str(v) for k, v in form.get("group", {}).items()},
        people=person_rows(persons, form.get("people", [])),
        delivery=delivery_view(db, application, form),
        documents=[
            DocumentLine(row_id(d), d.kind, d.original_name, d.content_type.startswith("image/"))
            for d in filing.documents(db, application)
            if str(d.id) in wanted
        ],
        history=[
            HistoryLine(e.created_at, e.from_status, e.to_status, e.actor, e.reason)
            for e in filing.history(db, application)
        ],
        economies=[{"code": e.code, "name": e.name_zh} for e in economies],
        decisions=decision_rows,
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
        payments=[
            PaymentLine(format_yuan(p.amount_fen), p.submitted_at, p.status, p.reason)
            for p in payments.payments_of(db, application)
        ],
        waits=[
            Wait(w.name_zh, w.median_days, w.p90_days, w.usual_by, w.late_by, w.count)
            for w in waiting_times.pending_estimates(db, application, uow.today())
        ],
        parent_id=application.parent_application_id,
        parent_number=str(form.get("parent_number", "")),
        form=json.loads(json.dumps(form)),
    )
