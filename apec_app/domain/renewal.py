"""续办 and card reminders (docs/rules.md §3): when a card may be renewed and which reminder is due about it."""

from __future__ import annotations

from datetime import date

from apec_app.domain.person import add_months

RENEWAL_MONTHS = 6
# Reminder kind → months before the card's expiry; the latest threshold reached is the one sent.
EXPIRY_REMINDERS = (("1m", 1), ("3m", 3), ("6m", 6))
PASSPORT_REMINDER = "passport"
# Cards in the holder's hands (a card still in production or cancelled cannot be renewed).
HELD = frozenset({"picked_up", "mailed"})


def renewal_opens(valid_until: date) -> date:
    return add_months(valid_until, -RENEWAL_MONTHS)


def renewable(card_status: str, valid_until: date, today: date) -> bool:
    """From 6 months before expiry (and after it: the holder still renews rather than starts afresh)."""
    return card_status in HELD and today >= renewal_opens(valid_until)


def due_expiry_reminder(valid_until: date, today: date, sent: set[str]) -> str | None:
    """The expiry reminder to send today, if any: only the most recent threshold reached, so a card first seen
    2 months before expiry gets the 3-month reminder and not three at once; none once the card has expired."""
    if today > valid_until:
        return None
    for kind, months in EXPIRY_REMINDERS:
        if today >= add_months(valid_until, -months):
            return None if kind in sent or _later_sent(kind, sent) else kind
    return None


def _later_sent(kind: str, sent: set[str]) -> bool:
    """A nearer reminder already went out (e.g. 1m): an older one (3m) is never sent after it."""
    order = [k for k, _ in EXPIRY_REMINDERS]
    return any(k in sent for k in order[: order.index(kind)])


def passport_reminder_due(passport_expiry: date | None, valid_until: date, today: date, sent: set[str]) -> bool:
    """The passport on file ends before the card: the card is useless from then on without 换卡."""
    return (
        PASSPORT_REMINDER not in sent
        and passport_expiry is not None
        and today <= valid_until
        and passport_expiry < valid_until
    )
