"""Wire the event handlers to the message bus, once per process (the app, the CLI, the tests, the benchmarks).

Services publish events and never import the modules that react to them; this is the one place that knows
who reacts to what.
"""

from __future__ import annotations

from apec_app.domain.events import CardsMade, EconomyDecided, StatusChanged
from apec_app.notices import applications as application_notices
from apec_app.notices import cards as card_notices
from apec_app.services import messagebus
from apec_app.services.followups import effects as followup_effects
from apec_app.services.review import prechecks


def wire() -> None:
    # Effects first: a follow-up that ends because of this change gets its own message in the next round.
    messagebus.subscribe(StatusChanged, followup_effects.on_status_changed)
    messagebus.subscribe(CardsMade, followup_effects.close_superseded_early_cards)
    # Each 【提交】 asks for the automatic pre-checks; a background job computes them (apec_app.py).
    messagebus.subscribe(StatusChanged, prechecks.on_status_changed)
    messagebus.subscribe_all((StatusChanged, EconomyDecided), application_notices.application_events)
    messagebus.subscribe(StatusChanged, card_notices.cards_issued)
    messagebus.mark_wired()
