"""The APEC economies' decisions of one application as a matrix: a row per person, a cell per deciding economy,
and per person how many approved, refused and are still deciding. Read by the applicant's detail page and the
reviewer's application view alike (one shape, one component: apec_app/components/economy_matrix.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from apec_app.domain import lifecycle
from apec_app.domain.economies import APPROVED, REFUSED, Economy
from apec_app.models import Application, Person
from apec_app.models.base import row_id
from apec_app.services.review import decisions


@dataclass(frozen=True)
class PersonDecisions:
    """One person's row: economy code → (decision, decided_on), None while pending, in the economies' order."""

    person_id: int
    name: str
    passport_number: str
    decisions: dict[str, tuple[str, date] | None]

    def _count(self, decision: str) -> int:
        return sum(1 for cell in self.decisions.values() if cell is not None and cell[0] == decision)

    @property
    def approved(self) -> int:
        return self._count(APPROVED)

    @property
    def refused(self) -> int:
        return self._count(REFUSED)

    @property
    def pending(self) -> int:
        return sum(1 for cell in self.decisions.values() if cell is None)


def decision_rows(
    db: Session,
    application: Application,
    persons: list[Person],
    deciding: list[Economy],
    table: decisions.Table | None = None,
) -> list[PersonDecisions]:
    """新办/续办 only: the follow-ups are never sent to the economies. One query (people and economies are
    given, and the decisions too when `table` is) whatever the number of people."""
    if application.business_type != lifecycle.NEW_RENEW:
        return []
    if table is None:
        table = decisions.decisions_of(db, application)
    rows = []
    for person in persons:
        mine = table.get(row_id(person), {})
        cells = {e.code: (mine[e.code].decision, mine[e.code].decided_on) if e.code in mine else None for e in deciding}
        rows.append(
            PersonDecisions(row_id(person), f"{person.surname}{person.given_name}", person.passport_number, cells)
        )
    return rows
