"""A process of its own for database work that computes for a long time in Python (a CSV file of 540 economy
decisions: ~150 ms), 10 nice lower than the web worker.

In a thread of the web worker such work shares the worker's GIL: each time the event loop lets the GIL go (a
statement, a socket) it waits up to the switch interval to get it back, so every other user's event took
longer and, at 50 users, the loop queued (benchmarks/csv_import.py). The process has its own interpreter: it
wires the message bus and opens its own database engine from the same settings (the environment it inherits),
so the use case, its events' handlers and its commit all run there. What it is given and what it returns are
pickled: the caller, the clock, plain values, read models and ServiceErrors.

Progress (rows done) comes back through a queue the process was started with, relayed to the caller's
callback by a thread here. One process (started on first use) serves the jobs one after another.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from apec_app.integrations import low_priority
from apec_app.integrations.spawn_pool import SpawnPool

T = TypeVar("T")
LAST_REPORT_SECONDS = 5.0  # how long a finished job's caller waits for its last progress report
Progress = Callable[[int], None]

_reports: Any = None  # the queue the current job process reports on
_listeners: dict[int, tuple[Progress, threading.Event]] = {}  # a job's callback, and its last report heard
_ids = itertools.count(1)
_queue: Any = None  # in the job process: where its progress goes


def _start(queue) -> None:
    """In the new process, before any job: 10 nice lower, so that the worker's event loop gets the CPU first
    (at the worker's own priority the two took turns on a core, and the others' p95 rose as much as with a
    thread); the message bus wired."""
    global _queue
    from apec_app import bootstrap

    low_priority.lower_priority()
    _queue = queue
    bootstrap.wire()


def _relay(queue) -> None:
    """Here: each (job, rows done) the process sends, to that job's callback; (job, None) is the job's last,
    and None the process's (stopped)."""
    while (item := queue.get()) is not None:
        job, done = item
        listener = _listeners.get(job)
        if listener is None:
            continue
        if done is None:
            listener[1].set()
        else:
            listener[0](done)


def _reporting() -> tuple[Callable[..., None], tuple]:
    """For each new job process: a queue to report on and the thread relaying it (the previous one's ends)."""
    global _reports
    if _reports is not None:
        _reports.put(None)
    _reports = multiprocessing.get_context("spawn").SimpleQueue()
    threading.Thread(target=_relay, args=(_reports,), name="job-progress", daemon=True).start()
    return _start, (_reports,)


_POOL = SpawnPool(1, _reporting)


def _call(job: int, work: Callable[..., T], args: tuple) -> T:
    """In the job process: `work(*args, progress)`, its progress sent back under this job's number, then the
    end of its reports (the result comes back by another channel, possibly first)."""
    try:
        return work(*args, lambda done: _queue.put((job, done)))
    finally:
        _queue.put((job, None))


def shutdown() -> None:
    """Stop the job process (the next job starts a new one, with the environment as it is then)."""
    global _reports
    _POOL.shutdown()
    if _reports is not None:
        _reports.put(None)
        _reports = None


async def run(work: Callable[..., T], *args, progress: Progress | None = None) -> T:
    """`work(*args, progress)` in the job process (`work` a module-level function of a module that imports no
    Reflex), awaited from the event loop; `progress(rows)` is called here, from the relay thread."""
    job = next(_ids)
    heard = threading.Event()
    if progress is not None:
        _listeners[job] = (progress, heard)
    try:
        future = await asyncio.to_thread(_POOL.submit, _call, job, work, args)
        result = await asyncio.wrap_future(future)
        if progress is not None:
            await asyncio.to_thread(heard.wait, LAST_REPORT_SECONDS)
        return result
    finally:
        _listeners.pop(job, None)
