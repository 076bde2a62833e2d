"""Where the gate runs a plain handler's work: in a thread, so that one user's queries never hold up the other
users' events on the event loop they all share (a PostgreSQL round trip leaves the loop free meanwhile).

SQLite gets one thread: its writers take turns anyway, and two transactions that each read and then write would
meet mid-way (one of them would fail with "database is locked"). A server database gets as many threads as its
connection pool serves at once (db.POOL_SIZE)."""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from apec_app.db import POOL_SIZE, get_engine

T = TypeVar("T")


@functools.lru_cache(maxsize=1)
def executor() -> ThreadPoolExecutor:
    threads = 1 if get_engine().dialect.name == "sqlite" else POOL_SIZE
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="apec-event")


async def off_loop(fn: Callable[..., T], *args, **kwargs) -> T:
    """`fn(*args, **kwargs)` in the event threads, with the caller's context variables."""
    context = contextvars.copy_context()
    call = functools.partial(context.run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(executor(), call)
