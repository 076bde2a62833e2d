"""What happened, as plain facts a unit of work collects while a use case runs.

Services publish these instead of calling each other: the status changed, an economy decided. When the unit of
work completes, the message bus hands each kind of event, all of this unit's at once, to the handlers wired in
apec_app/bootstrap.py (messages for the applicant, effects of follow-ups), in the same transaction. Handlers
get a whole batch so that a CSV of 540 decisions is one message per application, not 540.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class Event:
    """Base of every event."""


@dataclass(frozen=True)
class StatusChanged(Event):
    """An application moved from one status to another (`action` is the lifecycle action that moved it)."""

    application_id: int
    from_status: str
    to_status: str
    action: str
    actor: str  # the principal's label, or "system"
    reason: str = ""


@dataclass(frozen=True)
class EconomyDecided(Event):
    """One APEC economy's pre-clearance decision for one person."""

    application_id: int
    person_id: int
    economy_code: str
    decision: str  # "approved" or "refused"
    decided_on: date
    actor: str


@dataclass(frozen=True)
class CardsMade(Event):
    """The 新办/续办 cards of an application went into production (early cards still pending are superseded)."""

    application_id: int
    actor: str
