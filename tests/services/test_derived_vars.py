"""The app's states have no computed vars; what one would hold, a state derives in `_derive` after each handler.

Reflex keeps in a tab's stored state what it sent of each computed var, so a computed var on any page made every
tab store that page's state (Redis or the state folder) and read it back with each event's state tree.
"""

from __future__ import annotations

from reflex.state import State as RootState

import apec_app.apec_app  # noqa: F401 - registers every page and state
from apec_app.states.binding import app_state_classes
from apec_app.states.session import SessionState


def _tab() -> SessionState:
    return RootState(_reflex_internal_init=True).substates[SessionState.get_name()]


def test_no_state_of_the_app_has_a_computed_var():
    states = (SessionState, *app_state_classes())
    assert {cls.__name__: sorted(cls.computed_vars) for cls in states if cls.computed_vars} == {}


def test_a_new_tab_s_derived_vars_already_hold_what_its_other_vars_give():
    session = _tab()
    deriving = [cls for cls in app_state_classes() if cls._derive is not SessionState._derive]
    assert len(deriving) >= 9
    for cls in deriving:
        state = session.substates[cls.get_name()]
        state._derive()
        assert state.dirty_vars == set(), f"{cls.__name__}: the default of {sorted(state.dirty_vars)} is not derived"
