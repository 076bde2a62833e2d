"""Every status change of every application goes through `transition`: the lifecycle says which status follows,
a conditional update on the version claims it (of two reviewers acting at once exactly one wins), the history
row is written and StatusChanged is published. What follows (messages, follow-up effects) subscribes to that
event, so the modules that act never import the ones that react."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from apec_app.domain import lifecycle
from apec_app.domain.events import StatusChanged
from apec_app.models import Application, StatusEvent
from apec_app.models.base import row_id
from apec_app.services.errors import Conflict
from apec_app.services.unit_of_work import UnitOfWork


def transition(
    uow: UnitOfWork,
    application: Application,
    action: str,
    *,
    reason: str = "",
    version: int | None = None,
    also_set: dict | None = None,
    only_if: tuple = (),
    by_system: bool = False,
) -> str:
    """Move `application` by `action`; returns the new status.

    `version`: the version the actor saw (default: the one loaded now); `also_set`: more columns to write in the
    same update (the number and submission time); `only_if`: more conditions the row must still meet;
    `by_system`: the change follows from the data (all economies decided), not from the caller's choice.
    Raises Conflict("transition_refused") when the action is not allowed now, Conflict("application_changed")
    when someone else moved the application first.
    """
    old = application.status
    try:
        new = lifecycle.next_status(action, old, channel=application.channel, business_type=application.business_type)
    except lifecycle.TransitionRefused as exc:
        raise Conflict("transition_refused") from exc
    seen = application.version if version is None else version
    now = uow.now()
    claimed = uow.db.exec(
        update(Application)
        .where(
            col(Application.id) == application.id,
            col(Application.version) == seen,
            col(Application.status) == old,
            *only_if,
        )
        .values(status=new, version=Application.version + 1, updated_at=now, **(also_set or {}))
    )
    if claimed.rowcount != 1:
        raise Conflict("application_changed")
    uow.db.refresh(application)
    actor = "system" if by_system else uow.actor
    uow.db.add(
        StatusEvent(
            application_id=row_id(application),
            from_status=old,
            to_status=new,
            actor=actor,
            reason=reason,
            created_at=now,
        )
    )
    uow.publish(StatusChanged(row_id(application), old, new, action, actor, reason))
    return new
