"""Which follow-up businesses each person of a 新办/续办 application may start now (the user centre's buttons),
from the person's situation: the parent's status, the economies that approved them, their card, and the
follow-ups already open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import bindparam, func
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from apec_app.domain import followups as rules
from apec_app.domain import lifecycle
from apec_app.domain.economies import APPROVED
from apec_app.models import Application, Card, EconomyDecision, Person
from apec_app.models.base import row_id
from apec_app.services.applications import filing
from apec_app.services.unit_of_work import UnitOfWork

# A parent in these statuses may have a person who can start something (economies deciding, or a card made).
OFFER_STATUSES = frozenset(
    {
        lifecycle.ECONOMY_REVIEW,
        lifecycle.ECONOMIES_DONE,
        lifecycle.CARD_PRODUCTION,
        lifecycle.AWAITING_PICKUP,
        lifecycle.PICKED_UP,
        lifecycle.MAILED,
    }
)


# The statements of a user centre page, built once (building one costs more than SQLite takes to run it); the
# ids are an expanding parameter.
_IDS: Any = bindparam("ids", expanding=True)


def _newest_card(column: Any) -> Any:
    return (
        select(column)
        .where(col(Card.person_id) == col(Person.id), Card.status != "replaced")
        .order_by(col(Card.id).desc())
        .limit(1)
        .scalar_subquery()
    )


_APPROVED_BY = (
    select(func.aggregate_strings(col(EconomyDecision.economy_code), ","))
    .where(col(EconomyDecision.person_id) == col(Person.id), EconomyDecision.decision == APPROVED)
    .scalar_subquery()
)
# Each person's newest card that is not replaced, and the economies that approved them joined in one string: in
# the person's row, so that a page's people and their situations are one statement (one round trip), and columns,
# not objects (building an ORM object per card or decision was most of this module's time).
_SITUATION_COLUMNS = (
    _newest_card(col(Card.status)).label("card_status"),
    _newest_card(col(Card.valid_until)).label("card_valid_until"),
    _APPROVED_BY.label("approved_by"),
)
_FOLLOWUPS = select(Application.id, Application.source_person_id, Application.business_type, Application.status).where(
    col(Application.source_person_id).in_(_IDS)
)
# The buttons show the name and the masked passport number: those columns only, not Person objects (the
# person's data and 身份证号 are not decrypted for them).
_PEOPLE: Any = (
    select_columns(
        col(Person.id),
        col(Person.application_id),
        col(Person.surname),
        col(Person.given_name),
        col(Person.passport_number),
        *_SITUATION_COLUMNS,
    )
    .where(col(Person.application_id).in_(_IDS))
    .order_by(col(Person.application_id), col(Person.seq))
)
_SITUATIONS: Any = select_columns(col(Person.id), col(Person.application_id), *_SITUATION_COLUMNS).where(
    col(Person.id).in_(_IDS)
)


class Named(Protocol):
    """What the offers read of a person: a Person, or a row of `_PEOPLE`."""

    @property
    def id(self) -> int | None: ...
    @property
    def application_id(self) -> int: ...
    @property
    def surname(self) -> str: ...
    @property
    def given_name(self) -> str: ...
    @property
    def passport_number(self) -> str: ...


@dataclass(frozen=True)
class Offer:
    person: Named
    approved: list[str]  # economy codes that approved this person so far


def situations(
    uow: UnitOfWork, parents: dict[int, Application], persons: Sequence[Any], *, excluding: int | None = None
) -> dict[int, tuple[rules.PersonSituation, list[str]]]:
    """Person id → (what the follow-up rules look at, the economies that approved the person), for rows of
    `_PEOPLE` or `_SITUATIONS`, with one more query however many people: one page of the user centre, or the one
    person a request is about. `excluding` leaves out a follow-up checking itself at submission."""
    ids = [p.id for p in persons]
    open_kinds: dict[int | None, set[str]] = {}
    for app_id, source_id, kind, status in uow.db.exec(_FOLLOWUPS, params={"ids": ids}).all():
        if app_id != excluding and lifecycle.is_open(kind, status):
            open_kinds.setdefault(source_id, set()).add(kind)
    today = uow.today()
    found: dict[int, tuple[rules.PersonSituation, list[str]]] = {}
    for person in persons:
        approved = person.approved_by.split(",") if person.approved_by else []
        parent = parents[person.application_id]
        found[person.id] = (
            rules.PersonSituation(
                parent_type=parent.business_type,
                parent_status=parent.status,
                approved_economies=len(approved),
                card=person.card_status or "",
                card_expired=bool(person.card_status and person.card_valid_until < today),
                open_followups=frozenset(open_kinds.get(person.id, set())),
            ),
            approved,
        )
    return found


def situation(uow: UnitOfWork, parent: Application, person: Person, *, excluding: int | None = None):
    rows = uow.db.exec(_SITUATIONS, params={"ids": [row_id(person)]}).all()
    return situations(uow, {row_id(parent): parent}, rows, excluding=excluding)[row_id(person)][0]


def offers_for(uow: UnitOfWork, parents: list[Application]) -> dict[int, dict[str, list[Offer]]]:
    """Per 新办/续办 application: business type → the people it can be started for (the user centre's buttons).

    Two queries for a whole page of applications, whatever the number of people."""
    principal = uow.me
    for parent in parents:
        if not filing.visible_to(principal, parent):
            filing.owned(uow, row_id(parent))  # refuses, and logs it
    wanted = {row_id(p): p for p in parents if p.business_type == lifecycle.NEW_RENEW and p.status in OFFER_STATUSES}
    found: dict[int, dict[str, list[Offer]]] = {row_id(p): {} for p in parents}
    if not wanted:
        return found
    persons = uow.db.exec(_PEOPLE, params={"ids": list(wanted)}).all()
    known = situations(uow, wanted, persons)
    for person in persons:
        situation_now, approved = known[row_id(person)]
        for kind in rules.offered(situation_now):
            found[person.application_id].setdefault(kind, []).append(Offer(person, approved))
    return found


def offers(uow: UnitOfWork, parent: Application) -> dict[str, list[Named]]:
    """Business type → the people of one application it can be started for."""
    return {kind: [o.person for o in found] for kind, found in offers_for(uow, [parent])[row_id(parent)].items()}
