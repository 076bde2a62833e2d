"""Websocket event round trips under concurrent users (a script that prints numbers, not a test).

    python benchmarks/event_latency.py [--users 10,50,200] [--duration 15] [--think-ms 0]
    python benchmarks/event_latency.py --base-url http://host:3000 --data-dir /path/to/its/APEC_DATA_DIR

Starts the app on the demo data (as tests/e2e/conftest.py does, from a private copy of the project) unless
--base-url is given. Each simulated user is a real Socket.IO client speaking the protocol of Reflex's
.web/utils/state.js: it connects to the `/_event` namespace (path `/_event`) with `?token=<tab uuid>`, carries
the `hydrate_and_load` event in the CONNECT packet's auth (the browser's cookie `apec_session` goes in its
`vars`, exactly as context.jsx's initialEvents does), waits for `is_hydrated`, then emits
`{"name": "<state path>.<handler>", "payload": {...}, "router_data": {"pathname": "/user", ...}}` on the
"event" channel in a loop and times send → first "event" message (the state delta) back.

Every user has its own session of the demo enterprise, created directly in the app's database
(auth.sign_in_enterprise once to check the demo password, then auth.create_session per user).

Two events, measured one after the other on the same connections:
  baseline  UserCenterState.ask_withdraw("1"): sets one string var, no database; Reflex still loads the
            state tree for the token, runs the handler and sends a one-var delta. A handler that changes
            nothing at all gets no reply in Reflex 0.10 (an empty delta is not sent), so this is the smallest
            event whose round trip can be timed; the app has no built-in setters (state_auto_setters is off).
  db        UserCenterState.go_page(1): the 用户中心 list reload — resolves and touches the session row (one
            write), counts and loads the page of applications and the follow-up offers of each row.
Target: p95 < 100 ms for the db event at 50 users.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _app import machine_note, percentile, running_app  # noqa: E402

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"
SESSION_STATE = f"{ROOT_STATE}.apec_app___states___session____session_state"
USER_CENTER = f"{SESSION_STATE}.apec_app___states___user_center____user_center_state"
COOKIE_VAR = f"{SESSION_STATE}.session_token_rx_state_"
PAGE = "/user"
EVENTS = {
    "baseline: ask_withdraw (no DB)": (f"{USER_CENTER}.ask_withdraw", {"application_id": "1"}),
    "db: go_page(1) list reload": (f"{USER_CENTER}.go_page", {"page": 1}),
}
TARGET_USERS, TARGET_P95_MS = 50, 100.0


def make_sessions(n: int, email: str, password: str) -> list[str]:
    from apec_app.db import session_scope
    from apec_app.services.accounts import auth
    from apec_app.services.principal import ENTERPRISE

    with session_scope() as db:
        result = auth.sign_in_enterprise(db, email, password, client_ip="127.0.0.1")
        if not result.ok:
            raise SystemExit(f"cannot sign in {email}: {result.code}")
        tokens = [result.token]
        tokens += [auth.create_session(db, ENTERPRISE, result.principal.id, "127.0.0.1") for _ in range(n - 1)]
    return tokens


def fill_page(email: str, rounds: int) -> int:
    """Give the demo enterprise more follow-up-ready applications (3 per round, as `cli demo-followups`), so
    the list page is full; returns how many rows page 1 shows."""
    from sqlmodel import select

    from apec_app.db import session_scope
    from apec_app.models import Enterprise
    from apec_app.services.applications import filing as applications
    from apec_app.services.operations import demo_followups
    from apec_app.services.principal import ENTERPRISE, Principal

    for _ in range(rounds):
        with session_scope() as db:
            demo_followups.seed(db, email)
    with session_scope() as db:
        enterprise = db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        me = Principal(ENTERPRISE, enterprise.id, enterprise.name, enterprise_id=enterprise.id)
        return len(applications.list_applications(db, me, "new_renew")[0])


def service_time(token: str, repeat: int = 50) -> float:
    """Median ms of go_page's database work alone, in this process on the same database: the session lookup
    and touch, the list, the institutions and every row's follow-up offers (what UserCenterState._load does)."""
    from sqlmodel import select

    from apec_app.db import session_scope
    from apec_app.models import Institution
    from apec_app.services.accounts import auth
    from apec_app.services.applications import filing as applications
    from apec_app.states.user_center import UserCenterState

    def once() -> None:
        with session_scope() as db:
            me = auth.resolve_session(db, token)
        with session_scope() as db:
            found, _ = applications.list_applications(db, me, "new_renew")
            {i.id: i.name for i in db.exec(select(Institution)).all()}
            UserCenterState._offers_of(db, me, found)

    once()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        once()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def revoke_sessions(tokens: list[str]) -> None:
    from apec_app.db import session_scope
    from apec_app.services.accounts import auth

    with session_scope() as db:
        for token in tokens:
            auth.revoke_session(db, token)


class User:
    """One browser tab: a Socket.IO connection with its own Reflex token and session cookie."""

    def __init__(self, base_url: str, session_token: str, timeout: float):
        import socketio

        self.base_url = base_url
        self.session_token = session_token
        self.timeout = timeout
        self.sio = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.sio.on("event", self._received, namespace=NAMESPACE)
        self.router = {"pathname": PAGE, "asPath": PAGE}

    async def _received(self, update) -> None:
        self.inbox.put_nowait((time.perf_counter(), update))

    async def connect(self) -> None:
        boot = {
            "name": f"{ROOT_STATE}.hydrate_and_load",
            "payload": {"vars": {COOKIE_VAR: self.session_token}},
            "router_data": self.router,
        }
        await self.sio.connect(
            f"{self.base_url}?token={uuid.uuid4()}",
            socketio_path="/_event",
            transports=["websocket"],
            namespaces=[NAMESPACE],
            auth={"event": boot},
            headers={"Origin": self.base_url},
            wait_timeout=self.timeout,
        )
        deadline = time.monotonic() + self.timeout
        signed_in = False
        while True:  # the snapshot, the cookie, the page's on_load (signs in), then is_hydrated = True
            _, update = await asyncio.wait_for(self.inbox.get(), max(0.1, deadline - time.monotonic()))
            delta = update.get("delta") or {}
            signed_in = delta.get(SESSION_STATE, {}).get("signed_in_rx_state_", signed_in)
            if delta.get(ROOT_STATE, {}).get("is_hydrated_rx_state_") is True:
                break
        if not signed_in:
            raise RuntimeError("the page did not accept the session")

    async def call(self, name: str, payload: dict) -> float:
        """Milliseconds from sending the event to the first state update back."""
        while not self.inbox.empty():
            self.inbox.get_nowait()
        start = time.perf_counter()
        await self.sio.emit("event", {"name": name, "payload": payload, "router_data": self.router}, NAMESPACE)
        received, _ = await asyncio.wait_for(self.inbox.get(), self.timeout)
        return (received - start) * 1000

    async def close(self) -> None:
        try:
            await self.sio.disconnect()
        except Exception:  # noqa: BLE001 - already gone
            pass


async def loop(user: User, name: str, payload: dict, until: float, think: float, out: list, errors: list) -> None:
    """Send, wait for the answer, pause (with --think-ms: a random 0.5–1.5x of it, after a random start within
    one pause, so that the users do not click in step), repeat until `until`."""
    if think:
        await asyncio.sleep(random.uniform(0, think))
    while time.monotonic() < until:
        try:
            out.append(await user.call(name, payload))
        except Exception as exc:  # noqa: BLE001 - counted and shown
            errors.append(type(exc).__name__)
            return
        if think:
            await asyncio.sleep(random.uniform(0.5, 1.5) * think)


async def run_level(args, url: str, n: int, tokens: list[str]) -> list[tuple]:
    users = [User(url, token, args.timeout) for token in tokens[:n]]
    rows = []
    try:
        started = time.perf_counter()
        for i in range(0, n, args.connect_batch):  # connect (and hydrate) in batches, as tabs opening
            await asyncio.gather(*(u.connect() for u in users[i : i + args.connect_batch]))
        connect_s = time.perf_counter() - started
        for label, (name, payload) in EVENTS.items():
            # warm-up: one call each, not counted
            await asyncio.gather(*(u.call(name, payload) for u in users))
            samples: list[float] = []
            errors: list[str] = []
            until = time.monotonic() + args.duration
            t0 = time.perf_counter()
            await asyncio.gather(*(loop(u, name, payload, until, args.think_ms / 1000, samples, errors) for u in users))
            elapsed = time.perf_counter() - t0
            rows.append((n, label, samples, errors, elapsed, connect_s))
            await asyncio.sleep(1)
    finally:
        await asyncio.gather(*(u.close() for u in users))
    return rows


def report(rows: list[tuple]) -> None:
    print(
        f"\n{'users':>5}  {'event':32} {'events':>7} {'ev/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'errors':>6}"
    )
    for n, label, samples, errors, elapsed, _ in rows:
        print(
            f"{n:5d}  {label:32} {len(samples):7d} {len(samples) / elapsed:7.1f} {percentile(samples, 50):8.1f} "
            f"{percentile(samples, 95):8.1f} {percentile(samples, 99):8.1f} {max(samples or [float('nan')]):8.1f} "
            f"{len(errors):6d}"
        )
    by_level = {}
    for n, label, samples, *_ in rows:
        by_level.setdefault(n, {})[label] = samples
    print()
    for n, kinds in by_level.items():
        base, db = (statistics.median(s) if s else float("nan") for s in kinds.values())
        print(f"{n:5d} users: db event p50 is {db / base:4.1f}x the no-DB baseline ({db - base:+.1f} ms)")
    if TARGET_USERS in by_level:
        p95 = percentile(list(by_level[TARGET_USERS].values())[1], 95)
        verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
        print(f"target p95 < {TARGET_P95_MS:.0f} ms at {TARGET_USERS} users (db event): {p95:.1f} ms -> {verdict}")


async def amain(args, url: str) -> None:
    levels = [int(x) for x in args.users.split(",")]
    rows_shown = fill_page(args.email, args.seed_rounds)
    print(f"the demo enterprise's 用户中心 page 1 shows {rows_shown} applications", flush=True)
    tokens = make_sessions(max(levels), args.email, args.password)
    rows: list[tuple] = []
    try:
        for n in levels:
            print(f"{n} users: connecting and hydrating ...", flush=True)
            level_rows = await run_level(args, url, n, tokens)
            print(f"{n} users connected and hydrated in {level_rows[0][5]:.1f}s", flush=True)
            rows += level_rows
        work = service_time(tokens[0])
    finally:
        revoke_sessions(tokens)
    report(rows)
    print(
        f"go_page's database work alone, in-process: {work:.1f} ms median (at most {1000 / work:.0f} reloads/s "
        "on one core; the backend runs one worker and handles events on one event loop)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running instance (default: start our own on the demo data)")
    parser.add_argument("--data-dir", help="APEC_DATA_DIR of the --base-url instance (or set DATABASE_URL)")
    parser.add_argument("--users", default="10,50,200", help="comma-separated concurrent users (default 10,50,200)")
    parser.add_argument("--duration", type=float, default=15, help="seconds per event kind and level (default 15)")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="mean pause between a user's events, randomised 0.5-1.5x (default 0: back to back, saturation)",
    )
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for one answer (default 60)")
    parser.add_argument("--connect-batch", type=int, default=25, help="users connecting at once (default 25)")
    parser.add_argument(
        "--seed-rounds",
        type=int,
        default=3,
        help="demo-followups rounds (3 applications each) added for the enterprise first, so page 1 is full "
        "(default 3: 3 demo + 9 = 12, page size 10; also on a --base-url instance: 0 leaves its data alone)",
    )
    parser.add_argument("--email", default="demo@example.com")
    parser.add_argument("--password", default="Demo@2026pass")
    args = parser.parse_args()
    with running_app(args.base_url, args.data_dir or os.environ.get("APEC_DATA_DIR")) as app:
        if app.data_dir is not None:
            os.environ["APEC_DATA_DIR"] = str(app.data_dir)
        elif not os.environ.get("DATABASE_URL"):
            raise SystemExit("--base-url needs --data-dir (its APEC_DATA_DIR) or DATABASE_URL to create sessions")
        print(
            f"app {app.url}; {machine_note()}; think time {args.think_ms:.0f} ms; "
            f"{args.duration:.0f} s per event kind and level",
            flush=True,
        )
        asyncio.run(amain(args, app.url))
        print(f"after the run: {machine_note()}")


if __name__ == "__main__":
    main()
