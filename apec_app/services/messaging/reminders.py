"""The scheduled reminders about cards: 6, 3 and 1 month before expiry, and when the passport on file ends
before the card. Each reminder is a Reminder row inserted with its message in one savepoint; the unique
(card, kind) key means a second worker running the same job at the same moment sends nothing twice."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from apec_app.domain import renewal
from apec_app.models import Application, Card, Person, Reminder
from apec_app.models.base import row_id
from apec_app.services.messaging import notifications
from apec_app.services.unit_of_work import UnitOfWork


def _texts(kind: str, card: Card, person: Person) -> tuple[str, str]:
    name = f"{person.surname}{person.given_name}"
    if kind == renewal.PASSPORT_REMINDER:
        # Messages and emails are not encrypted: only the passport number's last four characters go in them.
        passport = f"尾号{person.passport_number[-4:]}"
        return (
            "护照有效期短于APEC商务旅行卡",
            f"{name} 的护照（{passport}）将于 {person.passport_expiry} 到期，早于APEC商务旅行卡的有效期"
            f"（{card.valid_until}）。换发新护照后，请在用户中心办理换补卡（持卡人信息变更）。",
        )
    return (
        "APEC商务旅行卡即将到期",
        f"{name} 的APEC商务旅行卡将于 {card.valid_until} 到期。可在用户中心【我的APEC卡】办理续办，"
        "人员信息将自动带出。",
    )


def send_due(uow: UnitOfWork) -> int:
    """Send every reminder due today that was not sent before; returns how many were sent."""
    db, today = uow.db, uow.today()
    rows = db.exec(
        select(Card, Person, Application)
        .join(Person, col(Person.id) == Card.person_id)
        .join(Application, col(Application.id) == Person.application_id)
        .where(col(Card.status).in_(renewal.HELD), Card.valid_until >= today)
    ).all()
    sent_kinds: dict[int, set[str]] = {}
    for card_id, kind in db.exec(select(Reminder.card_id, Reminder.kind)).all():
        sent_kinds.setdefault(card_id, set()).add(kind)
    count = 0
    for card, person, application in rows:
        sent = sent_kinds.get(row_id(card), set())
        due = [renewal.due_expiry_reminder(card.valid_until, today, sent)]
        if renewal.passport_reminder_due(person.passport_expiry, card.valid_until, today, sent):
            due.append(renewal.PASSPORT_REMINDER)
        for kind in filter(None, due):
            count += _send_once(uow, card, person, application, kind)
    return count


def _send_once(uow: UnitOfWork, card: Card, person: Person, application: Application, kind: str) -> int:
    title, body = _texts(kind, card, person)
    db = uow.db
    try:
        with db.begin_nested():
            db.add(Reminder(card_id=row_id(card), kind=kind, sent_at=uow.now()))
            db.flush()
            notifications.notify_creator(
                db,
                enterprise_id=application.enterprise_id,
                creator_agent_id=application.creator_agent_id,
                title=title,
                body=body,
                now=uow.now(),
                application_id=application.id,
            )
    except IntegrityError:
        return 0  # another worker sent it a moment ago
    return 1
