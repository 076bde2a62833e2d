"""用户中心: one page of the caller's applications of a business type, with the follow-ups each row offers, and
我的APEC卡."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from apec_app.domain import lifecycle
from apec_app.domain.validators import mask_number
from apec_app.models.base import row_id
from apec_app.services.applications import filing, renewals
from apec_app.services.followups import offers
from apec_app.services.review import decisions
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views.institutions import institution_names


@dataclass(frozen=True)
class OfferedPerson:
    id: int
    name: str
    passport: str  # masked
    approved: list[str]  # names of the economies that approved the person so far


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    number: str
    group_name: str
    people: str
    institution: str
    status: str
    early_card_done: bool
    business_type: str
    at: datetime
    actions: list[str]
    offers: dict[str, list[OfferedPerson]]


@dataclass(frozen=True)
class ApplicationPage:
    rows: list[ApplicationRow]
    total: int


@dataclass(frozen=True)
class CardRow:
    id: int
    holder: str
    passport: str  # masked
    status: str
    valid_until: date
    economies: list[str]
    renewable: bool
    renewal_opens: date


def applications_page(uow: UnitOfWork, business_type: str, *, search: str, status: str, page: int) -> ApplicationPage:
    found, total = filing.list_applications(uow, business_type, search=search, status=status, page=page)
    db = uow.db
    # Names are read only when something shows them (an empty tab: the list's own two queries and no more).
    institutions = institution_names(db) if found else {}
    offered = offers.offers_for(uow, list(found))
    names = {e.code: e.name_zh for e in decisions.economies(db)} if any(offered.values()) else {}
    rows = [
        ApplicationRow(
            id=row_id(a),
            number=a.number or "",
            group_name=a.group_name,
            people=a.person_names,
            institution=institutions.get(a.institution_id, ""),
            status=a.status,
            early_card_done=a.early_card_done,
            business_type=a.business_type,
            at=a.submitted_at or a.created_at,
            actions=lifecycle.applicant_actions(
                a.status, review_started=a.review_started_at is not None, business_type=a.business_type
            ),
            offers={
                kind: [
                    OfferedPerson(
                        row_id(o.person),
                        f"{o.person.surname}{o.person.given_name}",
                        mask_number(o.person.passport_number),
                        [names.get(c, c) for c in o.approved],
                    )
                    for o in people
                ]
                for kind, people in offered.get(row_id(a), {}).items()
            },
        )
        for a in found
    ]
    return ApplicationPage(rows, total)


def my_cards(uow: UnitOfWork) -> list[CardRow]:
    names = {e.code: e.name_zh for e in decisions.economies(uow.db)}
    return [
        CardRow(
            id=row_id(r.card),
            holder=f"{r.person.surname}{r.person.given_name}",
            passport=mask_number(r.person.passport_number),
            status=r.card.status,
            valid_until=r.card.valid_until,
            economies=[names.get(c, c) for c in r.card.approved_economies.split(",") if c],
            renewable=r.renewable,
            renewal_opens=r.renewal_opens,
        )
        for r in renewals.my_cards(uow)
    ]
