"""What the test sessions that start the app (tests/e2e, tests/scale) share: a free port, Chromium's flags, and
a private Reflex work area, so that a test run never touches the `.web/`, `.states/` or uploads of an app that
`bash scripts/run.sh` serves from the same checkout."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Debian's Chromium in a container: no sandbox, GPU or background traffic (never `playwright install`).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def private_web_dir(work: Path) -> Path:
    """A copy of .web (old build left out) for this session's build, so that it neither waits for nor overwrites
    the build of another app instance started from this checkout. The frontend packages are hard-linked (quick;
    the build only adds files), or copied when work is on another file system. Without .web, Reflex sets up a
    new one there (installing the packages)."""
    source = ROOT / ".web"
    target = work / "web"
    if not (source / "node_modules").is_dir():
        return target
    from reflex.utils.path_ops import file_lock

    with file_lock(source):  # Reflex's own lock: no copy of a half-written .web
        shutil.copytree(
            source,
            target,
            symlinks=True,
            ignore=lambda folder, names: ["build", "node_modules"] if Path(folder) == source else [],
        )
        modules = [str(source / "node_modules"), str(target / "node_modules")]
        if subprocess.run(["cp", "-al", *modules], capture_output=True).returncode != 0:
            shutil.rmtree(modules[1], ignore_errors=True)
            subprocess.run(["cp", "-a", *modules], check=True)
    return target


def private_reflex_env(work: Path) -> dict[str, str]:
    """Where a test instance keeps Reflex's build, state files and uploads: all under `work`."""
    return {
        "REFLEX_WEB_WORKDIR": str(private_web_dir(work)),
        "REFLEX_STATES_WORKDIR": str(work / "states"),
        "REFLEX_UPLOADED_FILES_DIR": str(work / "uploaded_files"),
    }
