"""Work that takes a second of CPU (reading a passport page, finding the face in a photo) runs in a process of
its own at a lower scheduling priority (10 more nice), not in a thread of the web worker.

A thread at a lower priority still shares the worker's GIL: each time the event loop lets go of the GIL (for a
database call, a socket) it may wait up to Python's switch interval (5 ms) to get it back, so an event of a
dozen statements took tens of milliseconds longer while a passport was read. A process shares nothing; at the
lower priority the loop's short events get the CPU first, and the threads it starts inherit that priority.

The process is started on first use (or early, with `run(warm_up)`), WORKERS of them at most: one on a
2-core machine, so the other core stays the loop's. It only computes: what it is given and what it returns are
pickled (bytes and plain values), and it reads no database, file store or settings — the caller reads those."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from apec_app.integrations.spawn_pool import SpawnPool

NICE = 10
WORKERS = max(1, (os.cpu_count() or 2) // 2)
T = TypeVar("T")


def lower_priority() -> None:
    """In a new process, before any work: its main thread (and so every thread it starts) 10 nice lower."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, min(19, os.getpriority(os.PRIO_PROCESS, 0) + NICE))
    except (AttributeError, OSError):  # not Linux, or not allowed: the process keeps the normal priority
        pass


_POOL = SpawnPool(WORKERS, lambda: (lower_priority, ()))


def submit(work: Callable[..., T], *args) -> Future[T]:
    """`work(*args)` in the low-priority process (`work` a module-level function); a process that died is
    replaced by the next call."""
    return _POOL.submit(work, *args)


def call(work: Callable[..., T], *args) -> T:
    """`work(*args)` in the low-priority process, waited for: from a worker thread, never on the event loop."""
    return submit(work, *args).result()


async def run(work: Callable[..., T], *args) -> T:
    """`work(*args)` in the low-priority process, awaited from the event loop (starting the process, the first
    time, happens in a thread)."""
    future = await asyncio.to_thread(submit, work, *args)
    return await asyncio.wrap_future(future)
