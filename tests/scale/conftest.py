"""Scale-out fixtures: the app as docs/deployment.md runs it in production, once per session.

`bash scripts/run_scaled.sh` with WORKERS=2 on a free port: Reflex's production build served by granian with two
backend worker processes behind one port, REDIS_URL (Reflex's Redis state manager, on a dedicated Redis db
number that is flushed before and after) and DATABASE_URL (a uniquely named PostgreSQL database created here,
filled by `python -m apec_app.cli load-demo`, dropped at the end).

Which worker served what is read from granian's access log, which run_scaled.sh writes with the worker's pid:
`[pid 123] 127.0.0.1 "- /_event/ HTTP/1.1" 101 0.0ms "<user agent>"` is a websocket (all events of one page go
over it) and `"POST /_upload ..."` an upload event. Each test's browser context has its own user agent, so the
lines of its own user are told apart.

The tests need PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth, database "test") and Redis on
127.0.0.1:6379, as `bash scripts/services.sh` provides; they are skipped, with the reason, when either does not
answer. APEC_SCALE_REDIS_DB picks the Redis db number (default 15).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from apec_app.integrations import crypto
from apec_app.settings import new_key
from tests.processes import free_port, private_reflex_env

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = int(os.environ.get("APEC_SCALE_REDIS_DB", "15"))
START_TIMEOUT = 600  # a first build on a fresh machine installs the frontend packages

# [pid 123] 127.0.0.1 "- /_event/ HTTP/1.1" 101 0.0ms "Mozilla/5.0 ..."
ACCESS_LINE = re.compile(r'^\[pid (\d+)\] \S+ "(\S+) (\S+) [^"]*" (\d+) [\d.]+ms "(.*)"$')
SPAWNED = re.compile(r"Spawning worker-(\d+) with PID: (\d+)")
TIMINGS: dict[str, float] = {}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "scale: scale-out tests (several backend workers, Redis, PostgreSQL); need scripts/services.sh"
    )


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        parts = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in TIMINGS.items())
        terminalreporter.write_line(f"scale-out app: {parts}")


@dataclass(frozen=True)
class Access:
    pid: int
    method: str
    path: str
    status: int
    user_agent: str


@dataclass
class ScaledApp:
    url: str
    main_pid: int
    log: Path
    database_url: str
    redis_url: str
    data_key: str  # the workers' DATA_KEYS: the test reads what they stored

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self, n: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-n:])

    def access(self, user_agent: str) -> list[Access]:
        """The access-log lines of one browser context, oldest first."""
        lines = []
        for line in self.log_text().splitlines():
            m = ACCESS_LINE.match(line)
            if m and m.group(5) == user_agent:
                lines.append(Access(int(m.group(1)), m.group(2), m.group(3), int(m.group(4)), m.group(5)))
        return lines

    def sockets(self, user_agent: str) -> list[int]:
        """Worker pids that accepted this context's websockets (the event connections), oldest first."""
        return [a.pid for a in self.access(user_agent) if a.path.startswith("/_event") and a.status == 101]

    def uploads(self, user_agent: str) -> list[int]:
        return [a.pid for a in self.access(user_agent) if a.method == "POST" and a.path.startswith("/_upload")]

    def wait_for_socket(self, user_agent: str, count: int, timeout: float = 30) -> int:
        """The pid of this context's `count`-th websocket, once it is in the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.sockets(user_agent)
            if len(pids) >= count:
                return pids[count - 1]
            time.sleep(0.2)
        raise AssertionError(f"no websocket #{count} for {user_agent!r} within {timeout}s:\n{self.tail()}")

    def spawned_workers(self) -> list[int]:
        """Every worker pid granian has spawned so far (respawned ones included), in order."""
        return [int(m.group(2)) for m in SPAWNED.finditer(self.log_text())]

    def live_workers(self) -> set[int]:
        """The worker processes running now: the granian main process's children."""
        children: set[int] = set()
        for task in Path(f"/proc/{self.main_pid}/task").glob("*"):
            try:
                children |= {int(p) for p in (task / "children").read_text().split()}
            except OSError:
                continue
        return children

    def wait_for_workers(self, n: int, timeout: float = 60) -> set[int]:
        """Wait until n workers run and have each logged 'Started worker'."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            live = self.live_workers()
            started = {int(p) for p in re.findall(r"\[pid (\d+)\] Started worker-", self.log_text())}
            if len(live) == n and live <= started:
                return live
            if not Path(f"/proc/{self.main_pid}").exists():
                raise AssertionError(f"the server exited:\n{self.tail()}")
            time.sleep(0.3)
        raise AssertionError(f"{n} workers not running within {timeout}s (live {self.live_workers()}):\n{self.tail()}")

    def query(self, sql: str, *params) -> list[tuple]:
        """Rows from the app's PostgreSQL database (what every worker shares)."""
        import psycopg

        with psycopg.connect(self.database_url.replace("postgresql+psycopg", "postgresql")) as conn:
            return conn.execute(sql, params).fetchall()

    def draft_form(self, application_id: int) -> str:
        """The draft's saved form (JSON text) as the shared database holds it."""
        rows = self.query("select form_json from application where id = %s", application_id)
        return crypto.decrypt_text(rows[0][0], (self.data_key,)) if rows else ""  # stored encrypted

    def redis_state_names(self, token: str) -> list[str]:
        """The states stored for one browser tab: the last part of each key's state path."""
        import redis

        client = redis.Redis.from_url(self.redis_url)
        return sorted(k.decode().rsplit(".", 1)[-1] for k in client.scan_iter(match=f"{token}_*"))

    def redis_state(self, token: str, state_suffix: str, *holding: str, timeout: float = 15) -> bytes:
        """The pickled state of one browser tab (Reflex client token) in the shared Redis, once it holds every
        text of `holding`. With Reflex's opportunistic lock (run_scaled.sh's default) the worker that served
        the tab's last event writes its state back when its hold time (3 s) has passed since that event, or at
        once when another worker asks for the tab."""
        import redis

        client = redis.Redis.from_url(self.redis_url)
        deadline = time.monotonic() + timeout
        while True:
            keys = [k for k in client.scan_iter(match=f"{token}_*") if k.decode().endswith(state_suffix)]
            state = (client.get(keys[0]) or b"") if keys else b""
            if all(text.encode() in state for text in holding) or time.monotonic() > deadline:
                return state
            time.sleep(0.2)


def _admin_connection():
    import psycopg

    return psycopg.connect(dbname="test", connect_timeout=3, autocommit=True, **PG)


def _services_missing() -> str | None:
    """Why the scale-out tests cannot run here, or None when PostgreSQL and Redis both answer."""
    try:
        _admin_connection().close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL not reachable at {PG['host']}:{PG['port']} (run `bash scripts/services.sh`): {exc}"
    try:
        import redis

        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis not reachable at {REDIS_HOST}:{REDIS_PORT} (run `bash scripts/services.sh`): {exc}"
    return None


def _wait_until_serving(app: ScaledApp, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"run_scaled.sh exited early ({proc.returncode}):\n{app.tail(80)}")
        try:
            with urllib.request.urlopen(f"{app.url}/", timeout=2) as response:
                if response.status == 200:
                    app.wait_for_workers(WORKERS)
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not answer at {app.url} within {START_TIMEOUT}s:\n{app.tail(80)}")


@pytest.fixture(scope="session")
def scaled_app():
    reason = _services_missing()
    if reason:
        pytest.skip(reason)
    import redis

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="apec-scale-"))
    db_name = f"apec_scale_{os.getpid()}_{secrets.token_hex(3)}"
    database_url = f"postgresql+psycopg://{PG['user']}@{PG['host']}:{PG['port']}/{db_name}"
    redis_url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
    flush = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    port = free_port()
    data_key = new_key()
    url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "APEC_DATA_DIR": str(work / "data"),
        "SECRET_KEY": "scale-test-secret-key-not-for-production",
        "DATA_KEYS": data_key,
        "WORKERS": str(WORKERS),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PUBLIC_URL": url,
        "API_URL": url,
        "DEV_MAILBOX": "1",
        "CLIENT_LIMIT_SCALE": "50",  # every test's requests come from 127.0.0.1
        "ELICENSE_PROVIDER": "simulated",
        "PYTHONUNBUFFERED": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
    }
    for name in ("SMTP_HOST", "UPLOAD_DIR", "CORS_ORIGINS", "BUILD", "MIGRATE", "ACCESS_LOG"):
        env.pop(name, None)
    env = {k: v for k, v in env.items() if not k.startswith("GRANIAN_")}

    admin = _admin_connection()
    proc = None
    log = work / "app.log"
    try:
        with admin.cursor() as cur:
            cur.execute(f'create database "{db_name}"')
        flush.flushdb()
        env.update(private_reflex_env(work))
        subprocess.run(
            [sys.executable, "-m", "apec_app.cli", "load-demo", "--quiet"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        TIMINGS["setup (web copy, database, demo data)"] = time.monotonic() - started
        with log.open("w") as out:
            proc = subprocess.Popen(
                ["bash", str(ROOT / "scripts" / "run_scaled.sh")],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        app = ScaledApp(
            url=url, main_pid=proc.pid, log=log, database_url=database_url, redis_url=redis_url, data_key=data_key
        )
        build_started = time.monotonic()
        _wait_until_serving(app, proc)
        TIMINGS["production build and start"] = time.monotonic() - build_started
        yield app
    finally:
        if proc is not None:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(10)
            shutil.copy(log, Path(tempfile.gettempdir()) / "apec-scale-app.log")
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{db_name}" with (force)')
        admin.close()
        flush.flushdb()
        shutil.rmtree(work, ignore_errors=True)
        TIMINGS["session total"] = time.monotonic() - started
