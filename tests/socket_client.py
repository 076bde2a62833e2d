"""A browser tab without the browser: a real Socket.IO client speaking Reflex's event protocol.

For the attack tests (tests/e2e): what an anonymous script, another user or a stolen tab token gets from the
running app. It connects to `/_event` with `?token=<tab id>`, sends `hydrate_and_load` in the CONNECT packet
(cookies the page would send go in its vars), merges every delta it receives into `state`, and sends events
by state class and handler name. It runs its own event loop in a thread, so sync tests (Playwright's) can use it.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

ROOT_STATE = "reflex___state____state"
SUFFIX = "_rx_state_"
COOKIE_VARS = {f"session_token{SUFFIX}"}


def state_name(cls) -> str:
    """The dotted path Reflex addresses a state class by (e.g. reflex___state____state.apec_app___…)."""
    return cls.get_full_name()


class Tab:
    def __init__(self, base_url: str, *, token: str | None = None, path: str = "/", cookies: dict | None = None,
                 headers: dict | None = None, timeout: float = 20.0):  # fmt: skip
        self.base_url = base_url.rstrip("/")
        self.token = token or str(uuid.uuid4())
        self.path = path
        self.timeout = timeout
        self.state: dict[str, dict[str, Any]] = {}
        self.deltas: list[dict] = []
        self.events: list[dict] = []  # server-sent events (redirects, toasts) as received
        self._cookies = cookies or {}
        self._headers = headers or {}
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._sio = None

    # --- running coroutines on the tab's own loop ----------------------------------------------------------

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(self.timeout + 5)

    def _received(self, update) -> None:
        with self._changed:
            delta = update.get("delta") or {}
            self.deltas.append(delta)
            for name, values in delta.items():
                self.state.setdefault(name, {}).update(values)
                for var, value in values.items():
                    if var in COOKIE_VARS:  # the browser keeps cookies and sends them with every hydrate
                        self._cookies[f"{name}.{var}"] = value
            self.events.extend(update.get("events") or [])
            self._changed.notify_all()

    # --- the protocol ---------------------------------------------------------------------------------------

    def router(self) -> dict:
        return {"pathname": self.path, "asPath": self.path}

    def connect(self, *, wait_hydrated: bool = True) -> Tab:
        import socketio

        async def go():
            self._sio = socketio.AsyncClient(reconnection=False)
            self._sio.on("event", self._received, namespace="/_event")
            boot = {
                "name": f"{ROOT_STATE}.hydrate_and_load",
                "payload": {"vars": dict(self._cookies)},
                "router_data": self.router(),
            }
            headers = {"Origin": self.base_url, **self._headers}
            await self._sio.connect(
                f"{self.base_url}?token={self.token}",
                socketio_path="/_event",
                transports=["websocket"],
                namespaces=["/_event"],
                auth={"event": boot},
                headers=headers,
                wait_timeout=self.timeout,
            )

        self._run(go())
        if wait_hydrated:
            self.wait_for(lambda s: s.get(ROOT_STATE, {}).get(f"is_hydrated{SUFFIX}") is True)
        return self

    def send(self, state_cls, handler: str, payload: dict | None = None, *, path: str | None = None) -> None:
        if path is not None:
            self.path = path
        event = {"name": f"{state_name(state_cls)}.{handler}", "payload": payload or {}, "router_data": self.router()}
        self._run(self._sio.emit("event", event, "/_event"))

    def navigate(self, path: str) -> None:
        """What a route change does: hydrate again with the new path (runs that page's on_load)."""
        self.path = path
        event = {"name": f"{ROOT_STATE}.hydrate_and_load", "payload": {"vars": dict(self._cookies)},
                 "router_data": self.router()}  # fmt: skip
        self._run(self._sio.emit("event", event, "/_event"))

    def wait_for(self, condition: Callable[[dict], Any], timeout: float | None = None):
        """Wait until condition(state) is truthy; returns its value (AssertionError on timeout)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._changed:
            while True:
                value = condition(self.state)
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the tab's state never met the condition")
                self._changed.wait(left)

    def settle(self, seconds: float = 1.0) -> None:
        """Let answers to what was sent arrive (for tests asserting that something does *not* come)."""
        time.sleep(seconds)

    def var(self, state_cls, name: str, default: Any = None) -> Any:
        return self.state.get(state_name(state_cls), {}).get(f"{name}{SUFFIX}", default)

    def received_text(self) -> str:
        """Everything the server sent this tab, as one string (to search for data that must not leak)."""
        return repr(self.deltas) + repr(self.events)

    def close(self) -> None:
        if self._sio is not None:
            try:
                self._run(self._sio.disconnect())
            except Exception:  # noqa: BLE001 - already gone
                pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
