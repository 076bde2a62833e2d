"""A process pool of the `spawn` kind, started on first use and replaced when one of its processes died: the
passport reader's (integrations/low_priority.py) and the job process's (apec_app/jobs/process.py)."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")


class SpawnPool:
    def __init__(self, workers: int, starting: Callable[[], tuple[Callable[..., None], tuple]]):
        """`starting()` is called each time a pool is made and gives its processes' initializer and its args."""
        self._workers, self._starting = workers, starting
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self, broken: ProcessPoolExecutor | None = None) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None or self._pool is broken:
                initializer, initargs = self._starting()
                # spawn, not fork: the web worker has threads and an event loop a forked child must not inherit.
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    self._workers, mp_context=context, initializer=initializer, initargs=initargs
                )
            return self._pool

    def submit(self, work: Callable[..., T], *args) -> Future[T]:
        """`work(*args)` in a process of the pool (`work` a module-level function). A process that died (killed,
        out of memory) breaks its pool: the next call starts a new one."""
        pool = self._executor()
        try:
            return pool.submit(work, *args)
        except BrokenProcessPool:
            return self._executor(broken=pool).submit(work, *args)

    def shutdown(self) -> None:
        """Stop the processes (the next call starts new ones, with the environment as it is then)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown()
