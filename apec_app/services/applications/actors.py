"""Who acted, for the people reading a record: a status change stores the actor's label (`UnitOfWork.actor`:
"enterprise:24", "agent:3", "staff:5" or "system"); pages show the person behind it (企业账号, 经办人 <姓名>,
<机构> 审核员 <姓名>, 系统). Here are their kinds and names; ui_text words them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from apec_app.models import Agent, Institution, StaffUser
from apec_app.services.principal import AGENT, ENTERPRISE, STAFF

SYSTEM = "system"
REVIEWER = "reviewer"
ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """kind: enterprise, agent, reviewer, admin or system; name: the agent's or staff member's name;
    institution: a reviewer's institution."""

    kind: str
    name: str = ""
    institution: str = ""


SYSTEM_ACTOR = Actor(SYSTEM)


def _parse(label: str) -> tuple[str, int] | None:
    kind, _, number = label.partition(":")
    if kind in (ENTERPRISE, AGENT, STAFF) and number.isdigit():
        return kind, int(number)
    return None


def actors(db: Session, labels: Iterable[str]) -> dict[str, Actor]:
    """Each label → its Actor, in at most three queries whatever the number of labels. A label that names no
    principal (a job, an import, the demo data) is the system; a principal deleted since still shows its kind."""
    parsed = {label: _parse(label) for label in set(labels)}
    agent_ids = {p[1] for p in parsed.values() if p and p[0] == AGENT}
    staff_ids = {p[1] for p in parsed.values() if p and p[0] == STAFF}
    agents = dict(db.exec(select(Agent.id, Agent.name).where(col(Agent.id).in_(agent_ids))).all()) if agent_ids else {}
    staff = (
        {s.id: s for s in db.exec(select(StaffUser).where(col(StaffUser.id).in_(staff_ids))).all()} if staff_ids else {}
    )
    institution_ids = {s.institution_id for s in staff.values() if s.institution_id is not None}
    institutions = (
        dict(db.exec(select(Institution.id, Institution.name).where(col(Institution.id).in_(institution_ids))).all())
        if institution_ids
        else {}
    )
    found: dict[str, Actor] = {}
    for label, parts in parsed.items():
        if parts is None:
            found[label] = SYSTEM_ACTOR
            continue
        kind, number = parts
        if kind == ENTERPRISE:
            found[label] = Actor(ENTERPRISE)
        elif kind == AGENT:
            found[label] = Actor(AGENT, agents.get(number, ""))
        else:
            member = staff.get(number)
            if member is None:
                found[label] = Actor(REVIEWER)
            elif member.role == ADMIN:
                found[label] = Actor(ADMIN, member.name)
            else:
                institution = institutions.get(member.institution_id, "") if member.institution_id else ""
                found[label] = Actor(REVIEWER, member.name, institution)
    return found
