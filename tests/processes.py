"""What the test sessions that start the app (tests/e2e, tests/scale) share: a free port and Chromium's flags."""

from __future__ import annotations

import socket

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
