"""How long each stretch of work holds the asyncio event loop, per handler, in the processes that load this
(benchmarks only; Python imports `sitecustomize` at start-up from the first folder of PYTHONPATH holding one).

    LOOP_PROBE_DIR=/tmp/slices PYTHONPATH=benchmarks/loop_probe:. bash scripts/run.sh
    python benchmarks/event_latency.py --base-url http://localhost:3000 --data-dir ... --loop-probe /tmp/slices

Every callback the loop runs is timed (a task's step is one callback: its code up to its next real suspension).
While one runs, every other user of the worker waits, so the longest ones are what a trivial event queues behind,
and what "no handler runs more than 20 ms on the event loop" is about. Each process that runs a loop
writes `slices-<pid>.json` into LOOP_PROBE_DIR every second: per name (a Reflex event's state and handler, else
the coroutine's or callback's name) the number of stretches over 0.2 ms, their total, the longest and a
histogram, and the garbage collector's pauses per generation; it starts again from nothing when the file `reset`
there changes. The cost is two clock reads per callback (about 1 µs).
"""

from __future__ import annotations

import asyncio.events
import gc
import json
import os
import threading
import time

DIR = os.environ.get("LOOP_PROBE_DIR", "")
EDGES_MS = (0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 100, 200, 500, float("inf"))
FLOOR_S = 0.0002

_run = asyncio.events.Handle._run
_stats: dict[str, list] = {}  # name -> [count, total s, longest s, *bucket counts]
_collections: dict[str, list] = {}  # "gen0".."gen2" -> [count, total s, longest s, objects freed]
_writer_started = [False]  # per process: a forked worker starts its own (os.register_at_fork below)
_collecting = [0.0]


def _on_collect(phase: str, info: dict) -> None:
    """The collector stops every thread, the loop's too: its full collections are stretches of their own."""
    if phase == "start":
        _collecting[0] = time.perf_counter()
        return
    took = time.perf_counter() - _collecting[0]
    row = _collections.setdefault(f"gen{info['generation']}", [0, 0.0, 0.0, 0])
    row[0] += 1
    row[1] += took
    row[2] = max(row[2], took)
    row[3] += info["collected"]


def _name(handle: asyncio.events.Handle) -> str:
    task = getattr(handle._callback, "__self__", None)
    if isinstance(task, asyncio.Task):
        name = task.get_name()
        if name.startswith("reflex_event|"):  # reflex_event|<state path>.<handler>|<token>|<txid>
            path, _, handler = name.split("|")[1].rpartition(".")
            return f"{path.rpartition('____')[2] or path}.{handler}"
        coro = task.get_coro()
        return getattr(coro, "__qualname__", type(coro).__name__)
    return getattr(handle._callback, "__qualname__", type(handle._callback).__name__)


def _timed(self: asyncio.events.Handle) -> None:
    if not _writer_started[0]:
        _writer_started[0] = True
        threading.Thread(target=_write_every_second, name="loop-probe", daemon=True).start()
    started = time.perf_counter()
    _run(self)
    took = time.perf_counter() - started
    if took > FLOOR_S:
        row = _stats.get(name := _name(self))
        if row is None:
            row = _stats[name] = [0, 0.0, 0.0] + [0] * len(EDGES_MS)
        row[0] += 1
        row[1] += took
        row[2] = max(row[2], took)
        ms = took * 1000
        row[3 + next(i for i, edge in enumerate(EDGES_MS) if ms <= edge)] += 1


def _reset_mark() -> float:
    try:
        return os.stat(os.path.join(DIR, "reset")).st_mtime
    except OSError:
        return 0.0


def _write_every_second() -> None:
    seen = _reset_mark()
    path = os.path.join(DIR, f"slices-{os.getpid()}.json")
    while True:
        time.sleep(1)
        if (mark := _reset_mark()) != seen:
            seen = mark
            _stats.clear()
            _collections.clear()
        rows = {name: list(row) for name, row in list(_stats.items())}
        collections = {name: list(row) for name, row in list(_collections.items())}
        with open(f"{path}.tmp", "w") as out:
            json.dump(
                {"pid": os.getpid(), "reset": seen, "edges_ms": EDGES_MS[:-1], "rows": rows, "gc": collections}, out
            )
        os.replace(f"{path}.tmp", path)


if DIR:
    asyncio.events.Handle._run = _timed  # type: ignore[method-assign]
    gc.callbacks.append(_on_collect)
    os.register_at_fork(after_in_child=lambda: _writer_started.__setitem__(0, False))
