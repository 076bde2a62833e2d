"""申办须知: the institutions an enterprise may choose, the chosen one's notice and 申办条件, and the self-check."""

from __future__ import annotations

from dataclasses import dataclass

from apec_app.domain import eligibility
from apec_app.domain.enterprise import DIRECT
from apec_app.domain.lifecycle import NEW_RENEW
from apec_app.models import Institution
from apec_app.models.base import row_id
from apec_app.services.applications import eligibility_rules, filing
from apec_app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Fact:
    key: str
    ask: str
    kind: str


@dataclass(frozen=True)
class Notice:
    institution_id: int
    institution_name: str
    text: str
    rule_texts: list[str]
    facts: list[Fact]


@dataclass(frozen=True)
class StartPage:
    direct: bool
    institutions: list[tuple[int, str]]
    notice: Notice | None  # 直办: the Ministry's, at once


def _notice(uow: UnitOfWork, institution: Institution) -> Notice:
    wanted = eligibility.requirements(eligibility_rules.rules_of(uow.db, institution.id))
    return Notice(
        row_id(institution),
        institution.name,
        filing.notice_text(uow.db, NEW_RENEW, institution),
        [text for _, text in wanted],
        [Fact(kind.fact, kind.ask, kind.fact_type) for kind, _ in wanted],
    )


def start_page(uow: UnitOfWork) -> StartPage:
    direct = filing.channel_of(uow) == DIRECT
    return StartPage(
        direct,
        [(row_id(i), i.name) for i in filing.local_institutions(uow.db)],
        _notice(uow, filing.ministry(uow.db)) if direct else None,
    )


def local_notice(uow: UnitOfWork, institution_id: int) -> Notice | None:
    institution = uow.db.get(Institution, institution_id) if institution_id else None
    if institution is None or institution.kind != "fao":
        return None
    return _notice(uow, institution)


def self_check(uow: UnitOfWork, institution_id: int, facts: dict[str, object]) -> list[eligibility.Result]:
    _, results = eligibility_rules.self_check(uow.db, institution_id, facts, uow.today())
    return results
