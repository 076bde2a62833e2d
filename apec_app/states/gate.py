"""The one gate every event handler of a protected state goes through.

Any client can call any handler by name with any arguments, so who may call a handler is declared on the
handler itself, and the declaration does the checking:

    @requires(APPLICANT)
    def submit(self, uow: UnitOfWork): ...

resolves the caller once for the event, refuses a caller of the wrong kind or role (logged, and sent to the
sign-in page that fits the handler, or to their own home page), runs a plain handler inside one unit of work
(one transaction with the caller and the clock), and maps a ServiceError it raises to the field messages or a
toast. Generator and async handlers (uploads, OCR, PDFs) get a unit of work without a transaction and open
short ones with `uow.begin()`, so no transaction stays open while they wait. After each step of a handler the
state's derived vars are assigned (SessionState._derive: the app's states have no computed vars).

Handlers anyone may call (sign-in, registration, recovery) say so with `@public("why")`.
tests/services/test_handler_gate.py reads every handler of every state and fails for one that has neither.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from apec_app.services.principal import AGENT, ECONOMY, ENTERPRISE, STAFF, Principal


@dataclass(frozen=True)
class Need:
    """Who may call: principal kinds, and for staff optionally a role."""

    kinds: tuple[str, ...]
    role: str | None = None

    def admits(self, principal: Principal | None) -> bool:
        if principal is None or principal.kind not in self.kinds:
            return False
        return self.role is None or principal.role == self.role

    def at_least(self, other: Need) -> bool:
        """Whether everyone this admits, `other` admits too (a handler may be stricter than its page)."""
        return set(self.kinds) <= set(other.kinds) and (other.role is None or self.role == other.role)

    @property
    def sign_in_page(self) -> str:
        return "/staff/login" if STAFF in self.kinds or ECONOMY in self.kinds else "/login"

    def __str__(self) -> str:
        return "/".join(self.kinds) + (f"({self.role})" if self.role else "")


APPLICANT = Need((ENTERPRISE, AGENT))
ENTERPRISE_ONLY = Need((ENTERPRISE,))
STAFF_ANY = Need((STAFF,))
ADMIN = Need((STAFF,), "admin")
# An APEC economy's officer (staff role "economy", signed in as a principal of kind ECONOMY): its economy is the
# principal's own, so a handler behind this need acts for that economy only, never for one the browser names.
ECONOMY_OFFICER = Need((ECONOMY,), "economy")


@dataclass(frozen=True)
class Public:
    """A handler anyone may call; it checks its own credential (password, code, QR nonce, one-time link)."""

    reason: str


def gate_of(fn: Callable) -> Need | Public | None:
    return getattr(fn, "__gate__", None)


def _without_uow(fn: Callable) -> inspect.Signature:
    params = list(inspect.signature(fn).parameters.values())
    if len(params) < 2 or params[1].name != "uow":
        raise TypeError(f"{fn.__qualname__}: a gated handler takes (self, uow, ...)")
    return inspect.Signature([params[0], *params[2:]])


def _deriving(handler: Callable) -> Callable:
    """`handler`, with the state's derived vars (SessionState._derive) assigned before each delta it sends."""
    if inspect.isasyncgenfunction(handler):

        async def wrapped(self, *args, **kwargs):
            try:
                async for event in handler(self, *args, **kwargs):
                    self._derive()
                    yield event
            finally:
                self._derive()

    elif inspect.iscoroutinefunction(handler):

        async def wrapped(self, *args, **kwargs):
            try:
                return await handler(self, *args, **kwargs)
            finally:
                self._derive()

    elif inspect.isgeneratorfunction(handler):

        def wrapped(self, *args, **kwargs):
            try:
                for event in handler(self, *args, **kwargs):
                    self._derive()
                    yield event
            finally:
                self._derive()

    else:

        def wrapped(self, *args, **kwargs):
            try:
                return handler(self, *args, **kwargs)
            finally:
                self._derive()

    functools.update_wrapper(wrapped, handler)  # its __dict__ too: __gate__ and the signature Reflex reads
    return wrapped


def _event(handler: Callable, event_options: dict[str, Any]):
    if not event_options.get("background"):
        # A background handler's state is read-only outside `async with self`; those (the QR and countdown
        # timers) change only their own vars, which nothing derives from.
        handler = _deriving(handler)
    return rx.event(handler, **event_options) if event_options else rx.event(handler)


def requires(need: Need, **event_options: Any):
    """Declare who may call the handler; see the module docstring."""

    def decorate(fn: Callable) -> Callable:
        name = fn.__qualname__
        if inspect.isasyncgenfunction(fn):

            async def handler(self, *args, **kwargs):
                uow, refusal = self._admit_detached(need, name)
                if refusal is not None:
                    yield refusal
                    return
                try:
                    async for event in fn(self, uow, *args, **kwargs):
                        yield event
                except Exception as exc:  # noqa: BLE001 - ServiceErrors are mapped, others re-raised
                    yield self._handler_failed(exc)

        elif inspect.iscoroutinefunction(fn):

            async def handler(self, *args, **kwargs):
                uow, refusal = self._admit_detached(need, name)
                if refusal is not None:
                    return refusal
                try:
                    return await fn(self, uow, *args, **kwargs)
                except Exception as exc:  # noqa: BLE001
                    return self._handler_failed(exc)

        elif inspect.isgeneratorfunction(fn):

            def handler(self, *args, **kwargs):
                uow, refusal = self._admit_detached(need, name)
                if refusal is not None:
                    yield refusal
                    return
                try:
                    yield from fn(self, uow, *args, **kwargs)
                except Exception as exc:  # noqa: BLE001
                    yield self._handler_failed(exc)

        else:
            # On the event loop: a few milliseconds of queries. Run in a thread, the handlers of one SQLite worker
            # served half the user actions under load (the loop and the thread take turns at the GIL); what takes
            # longer is an async handler that awaits a thread of its own.
            def handler(self, *args, **kwargs):
                return self._run_gated(need, name, lambda uow: fn(self, uow, *args, **kwargs))

        functools.update_wrapper(handler, fn)
        handler.__signature__ = _without_uow(fn)  # what Reflex reads to map the payload
        handler.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "uow"}
        handler.__gate__ = need
        return _event(handler, event_options)

    return decorate


def public(reason: str, **event_options: Any):
    """Declare a handler anyone may call, and why that is safe."""

    def decorate(fn: Callable) -> Callable:
        handler = fn
        if not (inspect.iscoroutinefunction(fn) or inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn)):
            # A plain one runs in a worker thread: a password's hash takes ~50 ms, and argon2 lets the loop go
            # on meanwhile.
            async def handler(self, *args, **kwargs):
                return await asyncio.to_thread(fn, self, *args, **kwargs)

            functools.update_wrapper(handler, fn)
        handler.__gate__ = Public(reason)
        return _event(handler, event_options)

    return decorate


def page_load(need: Need):
    """A page's on_load: the gate, then the page's previous record forgotten, the header's unread count, the
    page's own data, and `loaded_path` set to this path (until then `scoped` shows the page as loading).
    An async `fn` gets a unit of work without a transaction, as async handlers do."""

    def decorate(fn: Callable) -> Callable:
        if not callable(fn) or inspect.isgeneratorfunction(fn):
            raise TypeError(f"{fn.__qualname__}: a page load is a plain or an async handler")

        if inspect.iscoroutinefunction(fn):
            # A page whose data takes long to read: the handler awaits a worker thread (`uow.begin()` there),
            # so the event loop keeps serving other users meanwhile; the page stays "loading" until it is done.

            async def on_load(self, uow):
                self._clear_page()
                with uow.begin() as tx:
                    self._count_unread(tx)
                result = await fn(self, uow)
                self.loaded_path = self._current_path()
                return result

        else:

            def on_load(self, uow):
                self._clear_page()
                self._count_unread(uow)
                result = fn(self, uow)
                self.loaded_path = self._current_path()
                return result

        on_load.__name__, on_load.__qualname__, on_load.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
        on_load.__module__ = fn.__module__
        return requires(need)(on_load)

    return decorate
