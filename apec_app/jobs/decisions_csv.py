"""The reviewer's CSV file of economy decisions, checked (预览) and recorded (确认导入) in the job process
(apec_app/jobs/process.py): 540 rows are ~150 ms of Python that would otherwise share the web worker's GIL."""

from __future__ import annotations

from collections.abc import Callable

from apec_app.domain.clock import Clock
from apec_app.domain.decisions_csv import ParsedImport
from apec_app.services.principal import Principal
from apec_app.services.review import decisions, views
from apec_app.services.unit_of_work import unit_of_work


def check(principal: Principal, clock: Clock, client_ip: str, data: bytes, progress: Callable) -> ParsedImport:
    """The file parsed and checked row by row in a transaction of its own; nothing is recorded (and no progress
    reported: the page says 检查中…)."""
    with unit_of_work(principal, clock=clock, client_ip=client_ip) as tx:
        return decisions.check_import(tx, data)


def apply(
    principal: Principal, clock: Clock, client_ip: str, data: bytes, application_id: int, progress: Callable
) -> tuple[int, views.ApplicationView]:
    """Every row in one transaction (its message and emails written as it commits), then the page's application
    read afresh."""
    with unit_of_work(principal, clock=clock, client_ip=client_ip) as tx:
        count = decisions.apply_import(tx, data, progress)
    with unit_of_work(principal, clock=clock, client_ip=client_ip) as tx:
        return count, views.application_view(tx, application_id)
