"""APEC economies' pre-clearance decisions: recorded one at a time or from a CSV file, per person and economy.

When every deciding economy has decided for every person, the application moves on to 全部经济体审核完成 by
itself. Each decision is published (EconomyDecided), so the applicant gets one message per application for
everything recorded together. A CSV file is checked and applied with a fixed number of queries, whatever its
number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from apec_app.domain import lifecycle
from apec_app.domain.decisions_csv import DecisionRow, ParsedImport, RowError, parse_decisions
from apec_app.domain.economies import DECISIONS, Economy, all_decided, deciding_economies
from apec_app.domain.events import EconomyDecided
from apec_app.models import Application, EconomyDecision, EconomySetting, Person
from apec_app.models.base import row_id
from apec_app.services import reference_rows
from apec_app.services.applications.filing import visible_to_staff
from apec_app.services.applications.transitions import transition
from apec_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ServiceError
from apec_app.services.principal import ECONOMY, ECONOMY_API, STAFF, require_kind
from apec_app.services.review.queue import open_application
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork

_PEOPLE = select(Person).where(col(Person.application_id) == bindparam("application_id")).order_by(col(Person.seq))
# Columns, not EconomyDecision objects: the detail page reads 18 per person.
_DECISIONS = select(
    EconomyDecision.person_id, EconomyDecision.economy_code, EconomyDecision.decision, col(EconomyDecision.decided_on)
).where(col(EconomyDecision.application_id) == bindparam("application_id"))
_PERSON_IDS = select(Person.id).where(col(Person.application_id) == bindparam("application_id"))


def people(db: Session, application: Application) -> list[Person]:
    return list(db.exec(_PEOPLE, params={"application_id": application.id}).all())


# Built once: most pages name economies, and building the statement costs more than running it.
_ACTIVE_ECONOMIES = select(EconomySetting).where(EconomySetting.active == True).order_by(col(EconomySetting.sort))  # noqa: E712


def _read_economies(db: Session) -> tuple[Economy, ...]:
    return tuple(Economy(r.code, r.name_zh, r.name_en, r.transitional, r.sort) for r in db.exec(_ACTIVE_ECONOMIES))


def economies(db: Session) -> list[Economy]:
    """The active economies in their order (kept in memory for a few seconds: services/reference_rows.py)."""
    return list(reference_rows.kept(db, "active economies", EconomySetting, _read_economies))


def deciding_of(all_economies: list[Economy]) -> list[Economy]:
    return deciding_economies(all_economies)


def deciding(db: Session) -> list[Economy]:
    return deciding_economies(economies(db))


class Decided(NamedTuple):
    decision: str
    decided_on: date


Table = dict[int, dict[str, Decided]]  # person id → economy code → what it decided, and when


def decisions_of(db: Session, application: Application) -> Table:
    """Every decision recorded for the application's people."""
    table: Table = {}
    for person_id, code, decision, decided_on in db.exec(_DECISIONS, params={"application_id": application.id}):
        table.setdefault(person_id, {})[code] = Decided(decision, decided_on)
    return table


def record_decision(
    uow: UnitOfWork, application_id: int, person_id: int, economy_code: str, decision: str, decided_on: date
) -> EconomyDecision:
    application = open_application(uow, application_id)
    person = uow.db.get(Person, person_id)
    if person is None or person.application_id != application.id:
        raise NotFound()
    row = _decision(uow, application, person, economy_code, decision, decided_on, deciding(uow.db))
    try:
        with uow.db.begin_nested():
            uow.db.add(row)
    except IntegrityError as exc:
        raise Conflict("decision_exists") from exc
    log_event(
        uow.db,
        "staff_economy_decision",
        actor=uow.actor,
        detail=f"{application.number} person {person.id} {economy_code} {decision}",
    )
    complete_if_all_decided(uow, application)
    return row


def _decision(
    uow: UnitOfWork,
    application: Application,
    person: Person,
    economy_code: str,
    decision: str,
    decided_on: date,
    deciding_now: list[Economy],
) -> EconomyDecision:
    """The checked, not yet added decision; its event is published."""
    row, event = _checked(uow, application, person, economy_code, decision, decided_on, deciding_now)
    uow.publish(event)
    return row


def _checked(
    uow: UnitOfWork,
    application: Application,
    person: Person,
    economy_code: str,
    decision: str,
    decided_on: date,
    deciding_now: list[Economy],
) -> tuple[EconomyDecision, EconomyDecided]:
    """The decision and its event, checked (a ServiceError otherwise), neither added nor published."""
    values, event = _checked_values(uow, application, row_id(person), economy_code, decision, decided_on, deciding_now)
    return EconomyDecision(**values), event


def _checked_values(
    uow: UnitOfWork,
    application: Application,
    person_id: int,
    economy_code: str,
    decision: str,
    decided_on: date,
    deciding_now: list[Economy],
) -> tuple[dict, EconomyDecided]:
    """As _checked, the decision as the column values of its row (a file's rows go in one executemany)."""
    if application.status != lifecycle.ECONOMY_REVIEW:
        raise Conflict("transition_refused")
    economy = next((e for e in deciding_now if e.code == economy_code), None)
    if economy is None:
        raise InvalidInput("economy", "economy_not_deciding")
    if decision not in DECISIONS:
        raise InvalidInput("decision", "decision_invalid")
    if decided_on > uow.today():
        raise InvalidInput("decided_on", "date_future")
    event = EconomyDecided(row_id(application), person_id, economy.code, decision, decided_on, uow.actor)
    values = {
        "person_id": person_id,
        "application_id": row_id(application),
        "economy_code": economy.code,
        "decision": decision,
        "decided_on": decided_on,
        "recorded_by": uow.actor,
        "recorded_at": uow.now(),
    }
    return values, event


def complete_if_all_decided(uow: UnitOfWork, application: Application) -> None:
    """全部经济体审核完成 once every person has every deciding economy's approval or refusal. The decisions are read
    as plain rows, not objects: after a 30-person file they are 540."""
    codes = [e.code for e in deciding(uow.db)]
    table: dict[int | None, dict[str, str]] = {
        pid: {code: d.decision for code, d in row.items()} for pid, row in decisions_of(uow.db, application).items()
    }
    ids = uow.db.exec(_PERSON_IDS, params={"application_id": application.id}).all()
    if all(all_decided(table.get(pid, {}), codes) for pid in ids):
        transition(uow, application, "economies_complete", by_system=True)


# --- the CSV file --------------------------------------------------------------------------------------------

PROGRESS_EVERY = 100  # rows between two progress reports of a file being applied


def _lookups(uow: UnitOfWork, rows: list[DecisionRow]):
    """Everything the rows refer to, in three queries: applications by number, people by (application, passport),
    and the decisions already recorded for those people."""
    db = uow.db
    numbers = {r.number for r in rows}
    applications = (
        {a.number: a for a in db.exec(select(Application).where(col(Application.number).in_(numbers))).all()}
        if numbers
        else {}
    )
    ids = [a.id for a in applications.values()]
    # Person ids by (application, passport number), from these three columns only: a whole Person would decrypt
    # every personal field of every person.
    persons: dict[tuple[int, str], int] = (
        {
            (application_id, passport): person_id
            for person_id, application_id, passport in db.exec(
                select(Person.id, Person.application_id, Person.passport_number).where(
                    col(Person.application_id).in_(ids)
                )
            ).all()
            if person_id is not None  # always, once stored
        }
        if ids
        else {}
    )
    person_ids = list(persons.values())
    existing = (
        set(
            db.exec(
                select(EconomyDecision.person_id, EconomyDecision.economy_code).where(
                    col(EconomyDecision.person_id).in_(person_ids)
                )
            ).all()
        )
        if person_ids
        else set()
    )
    return applications, persons, existing


def check_import(uow: UnitOfWork, data: bytes) -> ParsedImport:
    """Preview of a CSV of decisions: the file's own checks, then each row against the database."""
    principal = require_kind(uow.principal, STAFF)
    parsed = parse_decisions(data, economies=economies(uow.db), today=uow.today())
    applications, persons, existing = _lookups(uow, parsed.rows)
    rows: list[DecisionRow] = []
    errors = list(parsed.errors)
    for row in parsed.rows:
        application = applications.get(row.number)
        person_id = persons.get((row_id(application), row.passport_number)) if application else None
        if application is None or not visible_to_staff(principal, application):
            code, column = "not_found", "申请单号"
        elif application.status != lifecycle.ECONOMY_REVIEW:
            code, column = "transition_refused", "申请单号"
        elif person_id is None:
            code, column = "person_not_on_application", "护照号码"
        elif (person_id, row.economy_code) in existing:
            code, column = "decision_exists", "护照号码"
        else:
            rows.append(row)
            continue
        errors.append(RowError(row.line, column, code, row.number))
    return ParsedImport(rows, sorted(errors, key=lambda e: e.line))


def apply_import(uow: UnitOfWork, data: bytes, progress: Callable[[int], None] | None = None) -> int:
    """Record every row of the file, or none: a file with any error changes nothing.

    `progress` hears how many rows are done so far (in the job process the page runs this in)."""
    checked = check_import(uow, data)
    if checked.errors:
        raise InvalidInput("file", "import_has_errors")
    applications, persons, _ = _lookups(uow, checked.rows)
    deciding_now = deciding(uow.db)
    touched: dict[int, Application] = {}
    values: list[dict] = []
    for row in checked.rows:
        application = applications[row.number]
        person_id = persons[(row_id(application), row.passport_number)]
        row_values, event = _checked_values(
            uow, application, person_id, row.economy_code, row.decision, row.decided_on, deciding_now
        )
        uow.publish(event)
        values.append(row_values)
        touched[row_id(application)] = application
        if progress is not None and len(values) % PROGRESS_EVERY == 0:
            progress(len(values))
    if values:
        try:
            # One executemany, not an ORM flush (one INSERT per row); a decision recorded meanwhile by someone
            # else breaks the unique (person, economy) and fails the whole file.
            uow.db.execute(insert(EconomyDecision), values)
        except IntegrityError as exc:
            raise Conflict("decision_exists") from exc
    if progress is not None:
        progress(len(values))
    numbers = ", ".join(sorted(a.number or "" for a in touched.values()))
    log_event(uow.db, "staff_economy_import", actor=uow.actor, detail=f"{len(checked.rows)} decisions: {numbers}")
    for application in touched.values():
        complete_if_all_decided(uow, application)
    return len(checked.rows)


# --- an economy deciding itself (its officers' portal and its API) --------------------------------------------


@dataclass(frozen=True)
class EconomyItem:
    """One decision an economy takes on one person."""

    person_id: int
    decision: str
    decided_on: date


def pending_for(db: Session, economy_code: str, person_ids: list[int]) -> dict[int, tuple[Person, Application]]:
    """Of these people, the ones submitted to this economy and still waiting for its decision."""
    if not person_ids:
        return {}
    rows = db.exec(
        select(Person, Application)
        .join(Application, col(Application.id) == Person.application_id)
        .where(
            col(Person.id).in_(person_ids),
            Application.status == lifecycle.ECONOMY_REVIEW,
            Application.business_type == lifecycle.NEW_RENEW,
        )
    ).all()
    decided = set(
        db.exec(
            select(EconomyDecision.person_id).where(
                col(EconomyDecision.person_id).in_(person_ids), EconomyDecision.economy_code == economy_code
            )
        ).all()
    )
    return {row_id(p): (p, a) for p, a in rows if row_id(p) not in decided}


def record_economy_decisions(uow: UnitOfWork, items: list[EconomyItem], channel: str) -> list[str]:
    """The caller's economy decides on its own people: each item checked and recorded on its own (one that
    fails leaves the others), through the same checks, events (one message per application for the batch),
    completion of the application and audit as a reviewer's decision. Per item: "" when recorded, else the
    error code (not_found for anyone not waiting for this economy, decision_exists, date_future …).

    `channel` ("portal" or "api") is written into the audit entry, which names the economy."""
    principal = require_kind(uow.principal, ECONOMY, ECONOMY_API)
    code = principal.economy_code or ""
    deciding_now = deciding(uow.db)
    if code not in {e.code for e in deciding_now}:
        raise PermissionDenied("economy_not_deciding")
    waiting = pending_for(uow.db, code, list({i.person_id for i in items}))
    outcomes: list[str] = []
    done: set[int] = set()
    touched: dict[int, Application] = {}
    for item in items:
        found = waiting.get(item.person_id)
        if found is None:
            outcomes.append("not_found")
            continue
        if item.person_id in done:
            outcomes.append("decision_exists")
            continue
        person, application = found
        try:
            row, event = _checked(uow, application, person, code, item.decision, item.decided_on, deciding_now)
            with uow.savepoint():
                uow.db.add(row)
                uow.db.flush()
        except IntegrityError:  # decided meanwhile (another officer, the API, a reviewer)
            outcomes.append("decision_exists")
            continue
        except ServiceError as exc:
            outcomes.append(exc.code)
            continue
        uow.publish(event)
        done.add(item.person_id)
        touched[row_id(application)] = application
        outcomes.append("")
        log_event(
            uow.db,
            "economy_decision",
            actor=uow.actor,
            detail=f"{code} ({channel}): {application.number} person {person.id} {item.decision} {item.decided_on}",
            client_ip=uow.client_ip,
        )
    for application in touched.values():
        complete_if_all_decided(uow, application)
    return outcomes
