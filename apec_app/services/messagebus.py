"""Who handles which event. Handlers are registered by apec_app/bootstrap.py at start-up, so that services
publish events without importing the modules that react to them (review never imports follow-ups)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from apec_app.domain.events import Event

if TYPE_CHECKING:
    from apec_app.services.unit_of_work import UnitOfWork

Handler = Callable[["UnitOfWork", list], None]
HANDLERS: dict[type[Event], list[Handler]] = {}
# Handlers of several kinds at once (one message for the decisions and the status change they caused).
COMBINED: list[tuple[tuple[type[Event], ...], Handler]] = []
_wired = False
MAX_ROUNDS = 10  # handlers publishing events that publish events…: a cycle is a bug, not a workload


def subscribe(event_type: type[Event], handler: Handler) -> None:
    if handler not in HANDLERS.setdefault(event_type, []):
        HANDLERS[event_type].append(handler)


def subscribe_all(event_types: tuple[type[Event], ...], handler: Handler) -> None:
    """`handler` gets the events of all these kinds of one round together, in publishing order."""
    if (event_types, handler) not in COMBINED:
        COMBINED.append((event_types, handler))


def mark_wired() -> None:
    global _wired
    _wired = True


def dispatch(uow: UnitOfWork) -> None:
    """Each round takes every pending event; each handler gets all events of its type, in publishing order."""
    if uow.events and not _wired:
        raise RuntimeError("events published but no handlers wired: call apec_app.bootstrap.wire() at start-up")
    for _ in range(MAX_ROUNDS):
        if not uow.events:
            return
        batch, uow.events = uow.events, []
        by_type: dict[type[Event], list[Event]] = {}
        for event in batch:
            by_type.setdefault(type(event), []).append(event)
        for event_type, events in by_type.items():
            for handler in HANDLERS.get(event_type, []):
                handler(uow, events)
        for event_types, handler in COMBINED:
            if together := [event for event in batch if isinstance(event, event_types)]:
                handler(uow, together)
    raise RuntimeError("events kept publishing events: a handler cycle")
