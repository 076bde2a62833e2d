"""Where a single worker without Redis keeps its tabs' states: Reflex's disk store, with its housekeeping paced.

Reflex's `StateManagerDisk` keeps every tab's state in memory and writes a changed one to `.states/` two seconds
later. Its write loop wakes for each state that comes due, and on every pass it also lists the whole folder and
stats every file to delete the expired ones, in a thread that takes the interpreter from the event loop. With
users active all the time a pass ran every few milliseconds: at 50 users on 1 300 state files that listing was a
quarter of the worker's CPU (py-spy, benchmarks/README.md). Here a pass waits at least `PASS_SECONDS`, so the
states that came due meanwhile are written together (2-3 s after their change instead of 2 s), and the folder
is swept at most once every `SWEEP_SECONDS`: a closed tab's file, which expires 35 minutes after the tab's last
event (rxconfig.py), is deleted within a minute of that instead of within seconds.
"""

from __future__ import annotations

import asyncio
import time

from reflex.istate.manager import StateManager
from reflex.istate.manager.disk import StateManagerDisk

PASS_SECONDS = 1.0
SWEEP_SECONDS = 60.0


class PacedDiskStateManager(StateManagerDisk):
    """`StateManagerDisk` whose write loop passes at most once a second and sweeps its folder once a minute."""

    def __post_init__(self) -> None:
        self._next_sweep = 0.0  # the first sweep (Reflex's, at start) runs at once
        super().__post_init__()

    def _purge_expired_states(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_SECONDS
        super()._purge_expired_states()

    async def _process_write_queue_delay(self) -> None:
        await asyncio.sleep(PASS_SECONDS)
        await super()._process_write_queue_delay()


def paced(manager: StateManager) -> StateManager:
    """The store a worker should use: Reflex's disk store paced; any other (memory, Redis) as it is."""
    if type(manager) is StateManagerDisk:
        return PacedDiskStateManager()
    return manager
