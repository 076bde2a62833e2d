"""Calling a state's event handler in a test as Reflex calls it: the gate's handlers are coroutines (their work
runs in the event threads), so the call is awaited on a loop of its own."""

from __future__ import annotations

import asyncio
import inspect


def call(state, handler: str, *args):
    result = type(state).event_handlers[handler].fn(state, *args)
    return asyncio.run(result) if inspect.iscoroutine(result) else result
