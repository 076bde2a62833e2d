"""End-to-end fixtures: one app instance per test session (or an instance given with --base-url)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.helpers import mail_text
from tests.processes import free_port, private_reflex_env

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(url: str, seconds: float, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"app did not answer at {url} within {seconds}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def base_url(request):
    """--base-url points the suite at a running instance (it needs DEV_MAILBOX=1 and the demo data);
    otherwise start our own on a fresh SQLite database, once for the whole session."""
    given = request.config.getoption("base_url", default=None)
    if given:
        request.config.apec_data_dir = os.environ.get("APEC_DATA_DIR", "")
        yield given.rstrip("/")
        return
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="apec-e2e-"))
    data_dir = work / "data"
    request.config.apec_data_dir = str(data_dir)
    url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "APEC_DATA_DIR": str(data_dir),
        "PUBLIC_URL": url,
        "API_URL": url,
        "FRONTEND_PORT": str(port),
        "BACKEND_PORT": str(port),
        "DEV_MAILBOX": "1",
        "CLIENT_LIMIT_SCALE": "50",  # every test's requests come from 127.0.0.1
        "ELICENSE_PROVIDER": "simulated",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        **private_reflex_env(work),
    }
    env.pop("SMTP_HOST", None)
    subprocess.run([sys.executable, "-m", "apec_app.cli", "load-demo"], cwd=ROOT, env=env, check=True)
    log = work / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(f"{url}/", 600, proc, log)
        yield url
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture()
def mailbox(base_url, browser):
    """Read the newest verification code sent to an address from the development mailbox (as the admin)."""

    def latest_code(email: str, after_count: int = 0, timeout: float = 20) -> str:
        return mail_text(browser, base_url, email, r"验证码是 (\d{6})", timeout).group(1)

    return latest_code


@pytest.fixture()
def seed_followups(base_url, request):
    """Give an enterprise the demo applications the follow-up businesses start from (the same data directory
    as the app: ours, or APEC_DATA_DIR of the instance given with --base-url)."""

    def seed(email: str) -> None:
        data_dir = request.config.apec_data_dir
        if not data_dir:
            pytest.skip("set APEC_DATA_DIR to the --base-url instance's data directory")
        env = {**os.environ, "APEC_DATA_DIR": data_dir}
        subprocess.run(
            [sys.executable, "-m", "apec_app.cli", "demo-followups", "--email", email], cwd=ROOT, env=env, check=True
        )

    return seed
