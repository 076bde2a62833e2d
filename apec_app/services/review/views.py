"""Read models of the reviewers' pages: what 审核工作台 and the application view show, as plain data.

They check access through the review services (queue scope, open_application), gather each page in a fixed
number of queries and change nothing but what opening an application records (the review started, the view
logged). Labels are the states' business (ui_text); here are codes, numbers and dates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from apec_app.domain import lifecycle
from apec_app.domain.fees import format_yuan
from apec_app.integrations import storage
from apec_app.models import Application, Enterprise, Institution
from apec_app.models.base import row_id
from apec_app.services.accounts import staff
from apec_app.services.applications import eligibility_rules, filing, payments
from apec_app.services.applications.actors import Actor, actors
from apec_app.services.applications.views import delivery_view, document_groups, person_rows
from apec_app.services.review import decisions, prechecks, queue, statistics, waiting_times
from apec_app.services.review.actions import delivery_of
from apec_app.services.review.matrix import PersonDecisions, decision_rows
from apec_app.services.unit_of_work import UnitOfWork

DOWNLOAD_TTL = 1800  # seconds a document link of the application view stays valid


# --- 审核工作台 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workbench:
    """What the queue page shows once per visit: whose queue, the institutions to filter by, the charts."""

    is_admin: bool
    scope_name: str
    institutions: list[tuple[int, str]]
    per_month: list[dict]
    stage_days: list[dict]
    economy_waits: list[waiting_times.EconomyWait]


@dataclass(frozen=True)
class QueueRow:
    id: int
    number: str
    enterprise: str
    people: str
    business_type: str
    institution: str
    status: str
    early_card_done: bool
    submitted_at: datetime | None
    precheck_failed: bool = False  # the automatic pre-checks found a 不通过


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    counts: dict[str, int]  # status -> applications in the caller's scope
    statuses: tuple[str, ...] = ()  # the queues the caller's institution can hold, in display order


def workbench(uow: UnitOfWork) -> Workbench:
    me = uow.me
    scope = filing.staff_scope(me)
    institutions = uow.db.exec(select(Institution).order_by(col(Institution.id))).all()
    held = queue.queue_statuses(uow)
    return Workbench(
        is_admin=scope is None,
        scope_name=staff.institution_name(uow.db, me.institution_id),
        institutions=[(row_id(i), i.name) for i in institutions],
        per_month=statistics.per_month(uow),
        # Only the stages the caller's institution has: a 外办 never holds 外交部审核, nor the Ministry 外办审核.
        stage_days=[s for s in statistics.days_per_stage(uow) if s["status"] in held],
        economy_waits=[w for w in waiting_times.economy_waits(uow.db, uow.today(), scope) if w.count],
    )


def queue_page(uow: UnitOfWork, *, page: int = 1, **filters) -> QueuePage:
    """One page of the queue (filters as `queue.queue` takes them) with the names it shows and the pre-checks'
    flags, in four queries."""
    found, total = queue.queue(uow, page=page, **filters)
    enterprise_ids = {a.enterprise_id for a in found}
    enterprises = (
        dict(uow.db.exec(select(Enterprise.id, Enterprise.name).where(col(Enterprise.id).in_(enterprise_ids))).all())
        if enterprise_ids
        else {}
    )
    institutions = dict(uow.db.exec(select(Institution.id, Institution.name)).all())
    failed = prechecks.failing(uow.db, (row_id(a) for a in found))
    rows = [
        QueueRow(
            id=row_id(a),
            number=a.number or "",
            enterprise=enterprises.get(a.enterprise_id, ""),
            people=a.person_names,
            business_type=a.business_type,
            institution=institutions.get(a.institution_id, ""),
            status=a.status,
            early_card_done=a.early_card_done,
            submitted_at=a.submitted_at,
            precheck_failed=row_id(a) in failed,
        )
        for a in found
    ]
    return QueuePage(rows, total, queue.queue_counts(uow), queue.queue_statuses(uow))


# --- one application ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentLink:
    kind: str
    name: str
    url: str  # signed for the caller, valid DOWNLOAD_TTL seconds; "" once the file was purged
    is_image: bool
    material: str = ""  # the configured material's name, for kind "material:<id>"
    person: str = ""  # whose document it is, for a person's documents
    purged: bool = False  # deleted by the retention period (services/operations/retention.py)
    person_seq: int = 0  # whose card it goes in: 1, 2, … by position (names may repeat); 0: the application


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    from_status: str
    to_status: str
    actor: Actor
    reason: str


@dataclass(frozen=True)
class PaymentLine:
    amount: str
    at: datetime | None
    status: str
    reason: str


@dataclass(frozen=True)
class ApplicationView:
    id: int
    version: int  # what the reviewer saw: their action claims it
    number: str
    status: str
    early_card_done: bool
    business_type: str
    institution: str
    enterprise: dict[str, str]  # name, uscc, email, phone
    unit: dict[str, str]
    group: dict[str, str]
    people: list[dict]  # services/applications/views.person_rows
    delivery: dict[str, str]  # method, and the pickup point's or the address's parts
    documents: list[DocumentLink]
    history: list[HistoryLine]
    payments: list[PaymentLine]
    economies: list[tuple[str, str]]  # (code, name) of the deciding economies
    decisions: list[PersonDecisions]  # 新办/续办 only: follow-ups are not sent to the economies
    allowed: list[str]  # the reviewer's actions now (lifecycle.staff_actions)
    rule_misses: list[str]  # the institution's 申办条件 a 新办/续办 misses
    parent_number: str
    form: dict = field(repr=False)
    prechecks: prechecks.Checklist = field(default_factory=lambda: prechecks.Checklist(prechecks.NONE, {}))


def _documents(
    db: Session, application: Application, form: dict, people: list[dict], signer: str
) -> list[DocumentLink]:
    """Materials by name, then each person's documents (named by person, with their place in the group), the
    follow-ups' own uploads and the payment vouchers, each with a link signed for the reviewer (none for a purged
    one). Only documents of this application that its form points at: document_groups reads no other."""

    def url(document_id: int, purged: bool) -> str:
        return "" if purged else f"/files/{storage.sign_download(document_id, signer, DOWNLOAD_TTL)}"

    def link(d, person: str = "", seq: int = 0) -> DocumentLink:
        return DocumentLink(d.kind, d.name, url(d.id, d.purged), d.is_image, d.material, person, d.purged, seq)

    groups = document_groups(db, application, form, people)
    names = [f"{p.get('surname', '')}{p.get('given_name', '')}" for p in people]
    vouchers = [d for d in filing.documents(db, application) if d.kind == "payment_voucher"]
    return (
        [link(d) for d in groups.materials]
        + [
            link(d, name, seq)
            for seq, (name, docs) in enumerate(zip(names, groups.people, strict=True), start=1)
            for d in docs
        ]
        + [link(d) for d in groups.others]
        + [
            DocumentLink(
                d.kind,
                d.original_name,
                url(row_id(d), d.purged_at is not None),
                d.content_type.startswith("image/"),
                purged=d.purged_at is not None,
            )
            for d in vouchers
        ]
    )


def application_view(uow: UnitOfWork, application_id: int) -> ApplicationView:
    """Everything the reviewer's application page shows; NotFound outside the caller's scope."""
    application = queue.open_application(uow, application_id)
    db, signer = uow.db, uow.me.label
    form = json.loads(application.form_json or "{}")
    persons = decisions.people(db, application)
    deciding = decisions.deciding(db)
    institution = db.get(Institution, application.institution_id)
    enterprise = db.get(Enterprise, application.enterprise_id)
    assert enterprise is not None  # the application's own enterprise (a foreign key)
    people = person_rows(persons, form.get("people", []))
    events = filing.history(db, application)
    who = actors(db, (e.actor for e in events))
    new_renew = application.business_type == lifecycle.NEW_RENEW
    return ApplicationView(
        id=row_id(application),
        version=application.version,
        number=application.number or "",
        status=application.status,
        early_card_done=application.early_card_done,
        business_type=application.business_type,
        institution=institution.name if institution else "",
        enterprise={
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "email": enterprise.email,
            "phone": enterprise.phone,
        },  # fmt: skip
        unit={k: str(v) for k, v in form.get("unit", {}).items()},
        group={k: str(v) for k, v in form.get("group", {}).items()},
        people=people,
        delivery=delivery_view(db, application, form),
        documents=_documents(db, application, form, people, signer),
        history=[HistoryLine(e.created_at, e.from_status, e.to_status, who[e.actor], e.reason) for e in events],
        payments=[
            PaymentLine(format_yuan(p.amount_fen), p.submitted_at, p.status, p.reason)
            for p in payments.payments_of(db, application)
        ],
        economies=[(e.code, e.name_zh) for e in deciding],
        decisions=decision_rows(db, application, persons, deciding),
        allowed=lifecycle.staff_actions(
            application.status, business_type=application.business_type, delivery=delivery_of(application)
        ),
        rule_misses=[m.message for m in eligibility_rules.misses(db, application, form, uow.today())]
        if new_renew
        else [],
        parent_number=str(form.get("parent_number", "")),
        form=form,
        prechecks=prechecks.checklist(db, row_id(application)),
    )
