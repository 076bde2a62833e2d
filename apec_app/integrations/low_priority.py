"""Threads for work that takes seconds of CPU (reading a passport page): they run at a lower scheduling
priority (10 more nice), so that on a small server the event loop's short events get the CPU first while a reading
goes on. Linux gives each thread its own nice value, and threads and processes started from such a thread
inherit it; a thread cannot raise its priority back without privileges, so these threads do nothing else —
in particular nothing that holds a database lock others wait for."""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

NICE = 10
T = TypeVar("T")


def _lower_priority() -> None:
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + NICE))
    except (AttributeError, OSError):  # not Linux, or not allowed: the thread keeps the normal priority
        pass


def executor(workers: int, name: str) -> ThreadPoolExecutor:
    """A pool whose threads run at the lower priority."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name, initializer=_lower_priority)


_POOL = executor(2, "low-priority")


async def run(work: Callable[..., T], *args) -> T:
    """`work(*args)` in one of the low-priority threads, awaited from the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_POOL, functools.partial(work, *args))
