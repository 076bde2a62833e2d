"""A browser tab without the browser: a real Socket.IO client speaking Reflex's event protocol.

For the attack tests (tests/e2e): what an anonymous script, another user or a stolen tab token gets from the
running app. It connects to `/_event` with `?token=<tab id>` and the cookies a browser would send in the
upgrade request, sends `hydrate_and_load` in the CONNECT packet, merges every delta it receives into `state`,
and sends events by state class and handler name. `follow()` does what a browser does with a handler's
`window.location.assign(...)` (the sign-in's trip through /session/start): the GET, its cookies kept, and a new
connection for the page it lands on. It runs its own event loop in a thread, so sync tests (Playwright's) can
use it.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

import httpx

ROOT_STATE = "reflex___state____state"
SUFFIX = "_rx_state_"
ASSIGN = re.compile(r'window\.location\.assign\(("(?:[^"\\]|\\.)*")\)')


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
                "payload": {},
                "router_data": self.router(),
            }
            headers = {"Origin": self.base_url, **self._headers}
            if self._cookies:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self._cookies.items())
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
        event = {"name": f"{ROOT_STATE}.hydrate_and_load", "payload": {}, "router_data": self.router()}
        self._run(self._sio.emit("event", event, "/_event"))

    def navigation(self, timeout: float | None = None) -> str:
        """The URL the last `window.location.assign` sent by the server goes to (waits for one)."""

        def found(_state):
            for event in reversed(self.events):
                for value in (event.get("payload") or {}).values():
                    match = ASSIGN.search(value) if isinstance(value, str) else None
                    if match:
                        return json.loads(match.group(1))
            return None

        return self.wait_for(found, timeout)

    def follow(self, timeout: float | None = None) -> httpx.Response:
        """Follow that navigation like a browser: GET it (cookies it sets kept, one redirect within the site), then
        reconnect this tab (same tab id) on the page it ends on."""
        url = self.navigation(timeout)
        self.events.clear()
        cookie_header = "; ".join(f"{name}={value}" for name, value in self._cookies.items())
        answer = httpx.get(url, headers={"Cookie": cookie_header} if cookie_header else {}, timeout=self.timeout)
        for line in answer.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(line).items():
                if morsel.value and morsel["max-age"] != "0":
                    self._cookies[name] = morsel.value
                else:
                    self._cookies.pop(name, None)
        location = answer.headers.get("location", "")
        if location:
            self.path = httpx.URL(location).path or "/"
        self._disconnect()
        self.state.clear()
        self.connect()
        return answer

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

    def cookie(self, name: str) -> str:
        return self._cookies.get(name, "")

    def _disconnect(self) -> None:
        if self._sio is not None:
            try:
                self._run(self._sio.disconnect())
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._sio = None

    def close(self) -> None:
        self._disconnect()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
