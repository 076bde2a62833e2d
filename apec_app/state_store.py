"""Where a single worker without Redis keeps its tabs' states: Reflex's disk store, with its housekeeping paced.

Reflex's `StateManagerDisk` keeps every tab's state in memory and writes a changed one to `.states/` two seconds
later. Its write loop wakes for each state that comes due, and on every pass it also lists the whole folder and
stats every file to delete the expired ones, in a thread that takes the interpreter from the event loop. With
users active all the time a pass ran every few milliseconds: at 50 users on 1 300 state files that listing was a
quarter of the worker's CPU (py-spy, benchmarks/README.md). Here a pass waits at least `PASS_SECONDS`, so the
states that came due meanwhile are written together (2-3 s after their change instead of 2 s), and the folder
is swept at most once every `SWEEP_SECONDS`: a closed tab's file, which expires 35 minutes after the tab's last
event (rxconfig.py), is deleted within a minute of that instead of within seconds.

Reflex also kept every tab's state in memory until that expiry, a closed tab's too, and each full collection of
the garbage collector walked them all while the event loop waited. Here a tab without events for `IDLE_SECONDS`
whose changes are on disk leaves memory; its next event reads its files again, as after a restart.
"""

from __future__ import annotations

import asyncio
import time

from reflex.istate.manager import StateManager
from reflex.istate.manager.disk import StateManagerDisk

PASS_SECONDS = 1.0
SWEEP_SECONDS = 60.0
IDLE_SECONDS = 120.0  # a tab without events this long leaves memory (its files stay until it expires)
EVICT_EVERY_SECONDS = 10.0


class PacedDiskStateManager(StateManagerDisk):
    """`StateManagerDisk` whose write loop passes at most once a second, sweeps its folder once a minute and keeps
    only the recently active tabs in memory."""

    def __post_init__(self) -> None:
        self._next_sweep = 0.0  # the first sweep (Reflex's, at start) runs at once
        self._next_eviction = 0.0
        super().__post_init__()

    def _purge_expired_states(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_SECONDS
        super()._purge_expired_states()

    async def _process_write_queue_delay(self) -> None:
        now = time.time()  # the clock of Reflex's `_token_last_touched`
        if now >= self._next_eviction:
            self._next_eviction = now + EVICT_EVERY_SECONDS
            self._evict_idle(now)
        await asyncio.sleep(PASS_SECONDS)
        await super()._process_write_queue_delay()

    def _evict_idle(self, now: float) -> None:
        """Drop the state trees of tabs idle for IDLE_SECONDS, unless a write of theirs is pending or an event of
        theirs holds the lock (nothing is awaited here, so neither can start meanwhile)."""
        pending = {token.cache_key for token in self._write_queue}
        for key, (touched, token) in list(self._token_last_touched.items()):
            if (
                now - touched > IDLE_SECONDS
                and key in self.states
                and key not in pending
                and not self._is_locked(token)
            ):
                del self.states[key]


def paced(manager: StateManager) -> StateManager:
    """The store a worker should use: Reflex's disk store paced; any other (memory, Redis) as it is."""
    if type(manager) is StateManagerDisk:
        return PacedDiskStateManager()
    return manager
