"""A tab's state belongs to the session that loaded it.

Reflex sends a tab's whole state on every hydrate and keeps it under a client token that travels in the
websocket URL. Before every event, the hydrate first of all, this middleware compares the session cookie of the
connection with the session the state was loaded under; when they differ (signed out, someone else signed in on
this tab, or a stolen tab token presented without the cookie), every state of the app is reset before anything
is sent, so no one receives data loaded for another session.
"""

from __future__ import annotations

import hashlib

from reflex.middleware import Middleware

from apec_app.states.session import SessionState


def fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32] if token else ""


def app_state_classes() -> list[type]:
    found, todo = [], [SessionState]
    while todo:
        cls = todo.pop()
        for sub in cls.get_substates():
            found.append(sub)
            todo.append(sub)
    return found


class SessionBinding(Middleware):
    async def preprocess(self, app, state, event):
        session = await state.get_state(SessionState)
        current = fingerprint(session._session_token())
        bound = session._bound_session
        if bound and bound != current:
            for cls in app_state_classes():
                (await state.get_state(cls)).reset()
            session._forget_session()
        if bound != current:
            session._bound_session = current
        return None
