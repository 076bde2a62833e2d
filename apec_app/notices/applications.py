"""Messages (and emails) to the account that created an application (manual 1.1.7): one per status change, and
one per application for all the economy decisions recorded together (with the status change they caused)."""

from __future__ import annotations

from sqlmodel import col, select

from apec_app.domain.economies import APPROVED
from apec_app.domain.events import EconomyDecided, Event, StatusChanged
from apec_app.models import Application, EconomySetting, Person
from apec_app.models.base import row_id
from apec_app.services.messaging.notifications import notify_creator
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.ui_text import status_label


def application_name(application: Application) -> str:
    """How a message names an application: its group and number (e.g. 赴日韩商务考察团（APEC20261126000001）)."""
    number = application.number or "草稿"
    return f"{application.group_name}（{number}）" if application.group_name else f"申请单 {number}"


def application_events(uow: UnitOfWork, events: list[Event]) -> None:
    """Per application of this round: the economy decisions recorded together (one entry, a CSV, a bulk
    approval) and the status change they caused make one message; other status changes one message each."""
    by_application: dict[int, list[Event]] = {}
    for event in events:
        if isinstance(event, StatusChanged | EconomyDecided):
            by_application.setdefault(event.application_id, []).append(event)
    for application_id, mine in by_application.items():
        application = uow.db.get(Application, application_id)
        if application is None:
            continue
        changes = [e for e in mine if isinstance(e, StatusChanged)]
        decided = [e for e in mine if isinstance(e, EconomyDecided)]
        if decided:
            _decisions_message(uow, application, decided, changes)
        else:
            for change in changes:
                _status_message(uow, application, change)


def _status_message(uow: UnitOfWork, application: Application, event: StatusChanged) -> None:
    label = status_label(event.to_status)
    body = f"申请单 {application.number} 状态变更为：{label}"
    if event.reason:
        body += f"。原因：{event.reason}"
    _send(uow, application, f"{application_name(application)}：{label}", body)


def _send(uow: UnitOfWork, application: Application, title: str, body: str) -> None:
    notify_creator(
        uow.db,
        enterprise_id=application.enterprise_id,
        creator_agent_id=application.creator_agent_id,
        title=title,
        body=body,
        application_id=application.id,
        now=uow.now(),
    )


# A message stays readable (and within Message.body) at 30 people × 18 economies: people with the same outcome
# share a line, and long lists are shortened to their first names and a count.
NAMES_SHOWN = 5
ECONOMIES_SHOWN = 8
BODY_LIMIT = 1900


def _listed(items: list[str], shown: int, unit: str) -> str:
    if len(items) <= shown + 1:
        return "、".join(items)
    return f"{'、'.join(items[:shown])}等{len(items)}{unit}"


def decision_lines(outcomes: list[tuple[str, list[str], list[str]]]) -> list[str]:
    """Per person (in form order) the economies that approved and refused them → the message's lines, people
    with the same outcome together: "黄子涵、李明 获日本、韩国批准，未获美国批准"."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for person, approved, refused in outcomes:
        groups.setdefault((tuple(approved), tuple(refused)), []).append(person)
    lines = []
    for (approved, refused), people in groups.items():
        parts = [f"获{_listed(list(approved), ECONOMIES_SHOWN, '个经济体')}批准"] if approved else []
        parts += [f"未获{_listed(list(refused), ECONOMIES_SHOWN, '个经济体')}批准"] if refused else []
        lines.append(f"{_listed(people, NAMES_SHOWN, '人')} {'，'.join(parts)}")
    return lines


def _within_limit(head: str, lines: list[str], tail: str = "") -> str:
    body = head + "；".join(lines) + tail
    while len(body) > BODY_LIMIT and len(lines) > 1:
        lines = lines[:-1]
        body = head + "；".join(lines) + "；其余人员详见申请单" + tail
    return body[:BODY_LIMIT]


def _decisions_message(
    uow: UnitOfWork, application: Application, decided: list[EconomyDecided], changes: list[StatusChanged]
) -> None:
    settings = uow.db.exec(
        select(EconomySetting.code, EconomySetting.name_zh).order_by(col(EconomySetting.sort), col(EconomySetting.code))
    ).all()
    names = dict(settings)
    order = {code: n for n, (code, _) in enumerate(settings)}
    people = uow.db.exec(
        select(Person).where(col(Person.id).in_({e.person_id for e in decided})).order_by(col(Person.seq))
    ).all()
    by_person: dict[int, list[EconomyDecided]] = {}
    for e in decided:
        by_person.setdefault(e.person_id, []).append(e)
    outcomes = []
    for person in people:
        mine = sorted(by_person.get(row_id(person), []), key=lambda e: order.get(e.economy_code, 99))
        outcomes.append(
            (
                f"{person.surname}{person.given_name}",
                [names.get(e.economy_code, e.economy_code) for e in mine if e.decision == APPROVED],
                [names.get(e.economy_code, e.economy_code) for e in mine if e.decision != APPROVED],
            )
        )
    name = application_name(application)
    status = "".join(f"。申请单状态变更为：{status_label(c.to_status)}" for c in changes)
    body = _within_limit(f"{name}：", decision_lines(outcomes), status)
    _send(uow, application, f"{name}：APEC经济体审核结果", body)
