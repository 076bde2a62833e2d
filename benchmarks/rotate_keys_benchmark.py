"""How long `cli rotate-keys` takes: the list benchmark's data set (applications with their forms, people with
their numbers) written under one data key, then rotated to a new one, then run again with nothing to do, and
once more after INDEX_KEY changed (a script that prints numbers, not a test).

    python benchmarks/rotate_keys_benchmark.py --applications 20000 --people 100000
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import list_benchmark  # noqa: E402 - sets APEC_DATA_DIR before the app's settings are read
from sqlmodel import SQLModel  # noqa: E402

import apec_app.models  # noqa: E402, F401 - every table, for their encrypted columns
from apec_app.db import make_engine  # noqa: E402
from apec_app.services.operations import key_rotation  # noqa: E402
from apec_app.settings import get_settings, new_key  # noqa: E402


def _keys(data: str, index: str) -> None:
    os.environ["DATA_KEYS"], os.environ["INDEX_KEY"] = data, index
    get_settings.cache_clear()


def _timed(engine, label: str) -> None:
    started = time.monotonic()
    done = key_rotation.rotate(engine, SQLModel.metadata, reindex=True)
    print(f"  {label:<34} {time.monotonic() - started:7.1f} s   {done}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="apec-bench-rotate-"))
    try:
        key1, key2, index1 = new_key(), new_key(), new_key()
        _keys(key1, index1)
        engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
        list_benchmark.migrate(engine)
        started = time.monotonic()
        info = list_benchmark.build(engine, args.applications, args.people, 0.2)
        print(f"sqlite: {args.applications} applications, {info['people']} people under key 1 in "
              f"{time.monotonic() - started:.0f} s; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")  # fmt: skip
        _keys(f"{key2},{key1}", index1)
        _timed(engine, "rotate to key 2")
        _timed(engine, "again (nothing to do)")
        _keys(key2, new_key())
        _timed(engine, "new INDEX_KEY (blind indexes)")
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
