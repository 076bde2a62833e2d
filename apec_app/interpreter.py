"""The web worker's interpreter, tuned for the one event loop every user of the worker shares.

- The GIL's switch interval. While a worker thread computes (a page's read model, a PDF), the loop waits for
  the GIL each time it took it back after a database call or a socket: up to the switch interval, 5 ms by
  default. 1 ms cut the rise of the other users' p95 during CSV imports (then in a thread) by 14-20 ms
  (benchmarks/csv_import.py); with no thread busy it changes nothing.
- The garbage collector. A collection of the oldest generation walks every object it tracks, and stops the
  loop meanwhile. After start-up the worker holds ~440 000 objects that live as long as it does (modules, the
  compiled pages and states, SQLAlchemy's mappers), and each such collection stopped every user's events for
  190-650 ms. Once the start-up is over those are moved out of the collector's sight (`gc.freeze()`): a full
  collection then walks only what was made since, 15-40 ms.
"""

from __future__ import annotations

import asyncio
import gc
import sys

SWITCH_INTERVAL_SECONDS = 0.001
# After the pages and states are built, the database engine is up and the passport reader's process started.
FREEZE_AFTER_SECONDS = 8.0


def tune() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


async def freeze_startup_objects(delay: float = FREEZE_AFTER_SECONDS) -> None:
    """A lifespan task: once, a little after start, collect the start-up's garbage and freeze what is left."""
    await asyncio.sleep(delay)
    gc.collect()  # so that the start-up's garbage is not kept for ever
    gc.freeze()
