"""Messages (and emails) to the account that created an application (manual 1.1.7): one per status change, and
one per application for all the economy decisions recorded together."""

from __future__ import annotations

from sqlmodel import col, select

from apec_app.domain.economies import APPROVED
from apec_app.domain.events import EconomyDecided, StatusChanged
from apec_app.models import Application, EconomySetting, Person
from apec_app.services.messaging.notifications import notify_creator
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.ui_text import status_label


def application_name(application: Application) -> str:
    """How a message names an application: its group and number (e.g. 赴日韩商务考察团（APEC20261126000001）)."""
    number = application.number or "草稿"
    return f"{application.group_name}（{number}）" if application.group_name else f"申请单 {number}"


def status_changed(uow: UnitOfWork, events: list[StatusChanged]) -> None:
    for event in events:
        application = uow.db.get(Application, event.application_id)
        label = status_label(event.to_status)
        body = f"申请单 {application.number} 状态变更为：{label}"
        if event.reason:
            body += f"。原因：{event.reason}"
        notify_creator(
            uow.db,
            enterprise_id=application.enterprise_id,
            creator_agent_id=application.creator_agent_id,
            title=f"{application_name(application)}：{label}",
            body=body,
            application_id=application.id,
            now=uow.now(),
        )


def economies_decided(uow: UnitOfWork, events: list[EconomyDecided]) -> None:
    """One message per application for every decision of this unit of work (one entry, a CSV, a bulk approval),
    naming each person and the economies that approved or refused them."""
    by_application: dict[int, list[EconomyDecided]] = {}
    for event in events:
        by_application.setdefault(event.application_id, []).append(event)
    names = dict(uow.db.exec(select(EconomySetting.code, EconomySetting.name_zh)).all())
    for application_id, decided in by_application.items():
        application = uow.db.get(Application, application_id)
        people = {
            p.id: f"{p.surname}{p.given_name}"
            for p in uow.db.exec(
                select(Person).where(col(Person.id).in_({e.person_id for e in decided})).order_by(col(Person.seq))
            ).all()
        }
        lines = []
        for person_id, person in people.items():
            mine = [e for e in decided if e.person_id == person_id]
            approved = "、".join(names.get(e.economy_code, e.economy_code) for e in mine if e.decision == APPROVED)
            refused = "、".join(names.get(e.economy_code, e.economy_code) for e in mine if e.decision != APPROVED)
            parts = ([f"获{approved}批准"] if approved else []) + ([f"未获{refused}批准"] if refused else [])
            lines.append(f"{person} {'，'.join(parts)}")
        notify_creator(
            uow.db,
            enterprise_id=application.enterprise_id,
            creator_agent_id=application.creator_agent_id,
            title=f"{application_name(application)}：APEC经济体审核结果",
            body=f"{application_name(application)}：" + "；".join(lines),
            application_id=application.id,
            now=uow.now(),
        )
