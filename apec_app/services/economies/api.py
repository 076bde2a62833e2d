"""The economies' machine API as use cases: the queue for a cursor, and decisions idempotent by the client's
own id (the same id again is answered from the record, a different decision under a used id is refused), each
item succeeding or failing on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from apec_app.domain.economies import DECISIONS
from apec_app.models import EconomyApiDecision
from apec_app.services.economies import queue
from apec_app.services.errors import Conflict, InvalidInput
from apec_app.services.review.decisions import EconomyItem
from apec_app.services.unit_of_work import UnitOfWork

MAX_ITEMS = 200
CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

RECORDED = "recorded"
REPLAYED = "replayed"
REJECTED = "rejected"


@dataclass(frozen=True)
class Submitted:
    """One item as the client sent it (already parsed from JSON; `problem` when its shape is wrong)."""

    client_id: str
    person: str
    decision: str
    decided_on: date | None
    problem: str = ""


@dataclass(frozen=True)
class Outcome:
    client_id: str
    status: str  # recorded, replayed or rejected
    error: str = ""  # the error code of a rejected item


def _same(stored: EconomyApiDecision, person_id: int | None, item: Submitted) -> bool:
    return stored.person_id == person_id and stored.decision == item.decision and stored.decided_on == item.decided_on


def submit(uow: UnitOfWork, items: list[Submitted]) -> list[Outcome]:
    """Record what is new, answer what was sent before, reject the rest; one outcome per item, in order."""
    code = queue.economy_of(uow.principal)
    if not 0 < len(items) <= MAX_ITEMS:
        raise InvalidInput("decisions", "api_body")
    token_id = uow.me.id
    ids = [i.client_id for i in items if not i.problem]
    known = {
        r.client_id: r
        for r in uow.db.exec(
            select(EconomyApiDecision).where(
                EconomyApiDecision.economy_code == code, col(EconomyApiDecision.client_id).in_(ids)
            )
        ).all()
    }
    outcomes: dict[int, Outcome] = {}
    new: list[tuple[int, Submitted, int]] = []
    seen: set[str] = set()
    for n, item in enumerate(items):
        person_id = queue.person_of(code, item.person)
        if item.problem:
            outcomes[n] = Outcome(item.client_id, REJECTED, item.problem)
        elif item.client_id in seen:
            outcomes[n] = Outcome(item.client_id, REJECTED, "api_duplicate_id")
        elif item.client_id in known:
            same = _same(known[item.client_id], person_id, item)
            reused = Outcome(item.client_id, REJECTED, "api_id_reused")
            outcomes[n] = Outcome(item.client_id, REPLAYED) if same else reused
        elif person_id is None:
            outcomes[n] = Outcome(item.client_id, REJECTED, "not_found")
        else:
            new.append((n, item, person_id))
        seen.add(item.client_id)
    results = queue.decide(
        uow, [EconomyItem(pid, item.decision, item.decided_on or date.min) for _, item, pid in new], channel="api"
    )
    for (n, item, person_id), error in zip(new, results, strict=True):
        if error:
            outcomes[n] = Outcome(item.client_id, REJECTED, error)
            continue
        uow.db.add(
            EconomyApiDecision(
                economy_code=code,
                client_id=item.client_id,
                token_id=token_id,
                person_id=person_id,
                decision=item.decision,
                decided_on=item.decided_on or date.min,
                created_at=uow.now(),
            )
        )
        outcomes[n] = Outcome(item.client_id, RECORDED)
    try:
        uow.db.flush()
    except IntegrityError as exc:
        # The same client id recorded meanwhile by a parallel request: refuse the whole request (nothing of it
        # stays), so that its retry is answered from what the other one recorded.
        raise Conflict("api_id_reused") from exc
    return [outcomes[n] for n in range(len(items))]


def parse_item(raw: object) -> Submitted:
    """An item of the request body → Submitted, with the reason when it is not what the schema says."""
    if not isinstance(raw, dict):
        return Submitted("", "", "", None, "api_item_shape")
    client_id = raw.get("id")
    client = client_id if isinstance(client_id, str) and CLIENT_ID.fullmatch(client_id) else ""
    person, decision, day = raw.get("person"), raw.get("decision"), raw.get("decided_on")
    if not client:
        return Submitted("", str(person or ""), "", None, "api_client_id")
    if not isinstance(person, str) or not person:
        return Submitted(client, "", "", None, "api_item_shape")
    if decision not in DECISIONS:
        return Submitted(client, person, "", None, "decision_invalid")
    try:
        decided_on = date.fromisoformat(day) if isinstance(day, str) and len(day) == 10 else None
    except ValueError:
        decided_on = None
    if decided_on is None:
        return Submitted(client, person, str(decision), None, "api_date")
    return Submitted(client, person, str(decision), decided_on)

