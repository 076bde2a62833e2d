"""Websocket events of a real user mix under concurrent users (a script that prints numbers, not a test).

    python benchmarks/event_latency.py [--users 10,50,200] [--duration 20] [--think-ms 1000]
    python benchmarks/event_latency.py --in-process-only      # statement counts and profiles, no app

Starts the app on the demo data (benchmarks/_app.py, as tests/e2e/conftest.py does) and gives every simulated
user an enterprise account of its own with its own applications (demo_followups.seed, --seed-rounds times: 3
新办/续办 applications a round, one in APEC 经济体审核中 with decisions, one 已邮寄 with cards, one old 已自取) and
its own session, put where the app reads it: the HttpOnly `apec_session` cookie in the websocket's upgrade
request (what /session/start sets; states/binding.py binds the tab's state to it). Each user is a real
Socket.IO client speaking Reflex's protocol (tests/socket_client.py's names and paths) and loops, with a
think time of --think-ms randomised 0.5–1.5x between actions, over what users of 用户中心 do:

  user_center  open 用户中心: a route change to /user (on_load_internal, as the browser sends it, then the page's
               on_load, then is_hydrated set again)
  tab          change tab: UserCenterState.set_tab (新办/续办 and 换卡/补卡 in turn)
  page         change page: UserCenterState.go_page (2 and 1 in turn)
  detail       open an application's detail page: a route change to /user/applications/<id> (its on_load)
  baseline     the framework's trivial setter: State.set_is_hydrated(False/True) — no handler of ours, no
               database; the floor of an event (state tree loaded for the token, middleware, a one-var delta)

A page visit is timed from the hydrate to the delta that sets is_hydrated again (the page is shown); an event
to its first delta. Printed per level and kind: p50/p95/p99, actions served per second, the app's CPU (its
process group, /proc, in % of one core: the backend is one worker) and the bytes of the first reply (the
total of a visit's replies too). Then, in this process without the app, the statements each kind runs and a
cProfile of the detail page and 用户中心 (the real state handlers, on a state tree built as Reflex builds it).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _app import group_cpu_seconds, machine_note, percentile, running_app  # noqa: E402

from tests.socket_client import ROOT_STATE, SUFFIX  # noqa: E402

NAMESPACE = "/_event"
IS_HYDRATED = f"is_hydrated{SUFFIX}"
ON_LOAD_INTERNAL = f"{ROOT_STATE}.reflex___state____on_load_internal_state"
KINDS = ("user_center", "tab", "page", "detail", "baseline")
PROBE_INTERVAL = 0.1  # s between the probe's setters (randomised 0.5–1.5x)
TARGETS = {50: (100.0, 250.0), 200: (300.0, None)}  # users: (p95 ms, p99 ms) over every kind but the baseline


# --- the data: an enterprise, its applications and a session per user ---------------------------------------


def seed_users(n: int, rounds: int) -> list[tuple[str, list[int]]]:
    """(session token, ids of the enterprise's applications) for n new enterprises, in the app's database."""
    from sqlmodel import select

    from apec_app.domain import lifecycle
    from apec_app.models import Application, Enterprise
    from apec_app.services.accounts import auth
    from apec_app.services.operations import demo_followups
    from apec_app.services.operations.demo_data import DEMO_ENTERPRISE
    from apec_app.services.principal import ENTERPRISE
    from apec_app.services.unit_of_work import unit_of_work
    from tests.factories import new_uscc

    users = []
    with unit_of_work() as uow:
        demo = uow.db.exec(select(Enterprise).where(Enterprise.email == DEMO_ENTERPRISE["email"])).one()
        password_hash = demo.password_hash
    stamp = int(time.time())
    for i in range(n):
        with unit_of_work(client_ip="127.0.0.1") as uow:
            email = f"bench{stamp}-{i}@example.com"
            ent = Enterprise(
                name=f"压测企业{i}有限公司", uscc=new_uscc(), legal_rep=f"法人{i}", email=email,
                password_hash=password_hash, reg_province="江苏省", reg_address="南京市玄武区1号",
                phone="025-12345678", nature="民营企业", industry="制造业",
            )  # fmt: skip
            uow.db.add(ent)
            uow.db.flush()
            for _ in range(rounds):
                demo_followups.seed(uow, email)
            token = auth.create_session(uow, ENTERPRISE, ent.id)
        with unit_of_work() as uow:
            ids = uow.db.exec(
                select(Application.id).where(
                    Application.enterprise_id == ent.id, Application.business_type == lifecycle.NEW_RENEW
                )
            ).all()
        users.append((token, list(ids)))
    return users


# --- one simulated browser tab ------------------------------------------------------------------------------


class User:
    """A Socket.IO connection with its own tab token and session cookie, on one shared event loop."""

    def __init__(self, base_url: str, token: str, application_ids: list[int], timeout: float):
        import socketio

        self.base_url = base_url
        self.cookie = f"apec_session={token}"
        self.application_ids = application_ids
        self.timeout = timeout
        self.path = "/user"
        self.sio = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.sio.on("event", self._received, namespace=NAMESPACE)
        self.hydrated = True

    async def _received(self, update) -> None:
        self.inbox.put_nowait((time.perf_counter(), len(json.dumps(update, ensure_ascii=False).encode()), update))

    def _event(self, name: str, payload: dict) -> dict:
        return {"name": name, "payload": payload, "router_data": {"pathname": self.path, "asPath": self.path}}

    async def connect(self) -> None:
        await self.sio.connect(
            f"{self.base_url}?token={os.urandom(16).hex()}",
            socketio_path="/_event",
            transports=["websocket"],
            namespaces=[NAMESPACE],
            auth={"event": self._event(f"{ROOT_STATE}.hydrate_and_load", {})},
            headers={"Origin": self.base_url, "Cookie": self.cookie},
            wait_timeout=self.timeout,
        )
        await self._until_hydrated(time.perf_counter())

    async def _until_hydrated(self, start: float) -> tuple[float, int, int]:
        first = total = 0
        while True:
            received, size, update = await asyncio.wait_for(self.inbox.get(), self.timeout)
            first, total = first or size, total + size
            if (update.get("delta") or {}).get(ROOT_STATE, {}).get(IS_HYDRATED) is True:
                return (received - start) * 1000, first, total

    def _drain(self) -> None:
        while not self.inbox.empty():
            self.inbox.get_nowait()

    async def visit(self, path: str) -> tuple[float, int, int]:
        """A route change as the browser's router makes it (state.js): `on_load_internal` with the new path,
        which runs that page's on_load and then sets is_hydrated (the whole state is sent only on connect)."""
        self._drain()
        self.path = path
        start = time.perf_counter()
        await self.sio.emit("event", self._event(f"{ON_LOAD_INTERNAL}.on_load_internal", {}), NAMESPACE)
        return await self._until_hydrated(start)

    async def call(self, name: str, payload: dict) -> tuple[float, int, int]:
        self._drain()
        start = time.perf_counter()
        await self.sio.emit("event", self._event(name, payload), NAMESPACE)
        received, size, _ = await asyncio.wait_for(self.inbox.get(), self.timeout)
        return (received - start) * 1000, size, size

    async def close(self) -> None:
        try:
            await self.sio.disconnect()
        except Exception:  # noqa: BLE001 - already gone
            pass


def actions(user: User, cycle: int) -> list[tuple[str, Callable]]:
    """One round of the mix for this user (the cycle number alternates tab, page and application)."""
    from apec_app.domain import lifecycle
    from apec_app.states.user_center import UserCenterState

    uc = UserCenterState.get_full_name()
    tab = (lifecycle.NEW_RENEW, lifecycle.REPLACE)[cycle % 2]
    app_id = user.application_ids[cycle % len(user.application_ids)]
    user.hydrated = not user.hydrated
    return [
        ("user_center", lambda: user.visit("/user")),
        ("tab", lambda: user.call(f"{uc}.set_tab", {"tab": tab})),
        ("page", lambda: user.call(f"{uc}.go_page", {"page": 2 - cycle % 2})),
        ("detail", lambda: user.visit(f"/user/applications/{app_id}")),
        ("baseline", lambda: user.call(f"{ROOT_STATE}.set_is_hydrated", {"value": False})),
        ("baseline", lambda: user.call(f"{ROOT_STATE}.set_is_hydrated", {"value": True})),
    ]


async def drive(user: User, until: float, think: float, out: dict, errors: list) -> None:
    await asyncio.sleep(random.uniform(0, think or 0.01))
    cycle = random.randrange(2)
    while time.monotonic() < until:
        for kind, act in actions(user, cycle):
            if time.monotonic() >= until:
                return
            try:
                out[kind].append(await act())
            except Exception as exc:  # noqa: BLE001 - counted and shown
                errors.append(f"{kind}: {type(exc).__name__}")
                return
            if think and kind != "baseline":
                await asyncio.sleep(random.uniform(0.5, 1.5) * think)
        cycle += 1


def probe(url: str, user: tuple[str, list[int]], seconds: float, timeout: float, out) -> None:
    """The trivial setter every ~PROBE_INTERVAL s from a process of its own, so that its figure is the server's
    queueing alone: the mix's own baseline events also wait behind this generator's other clients, whose
    replies the same event loop decodes."""

    async def go() -> list[float]:
        tab = User(url, user[0], user[1], timeout)
        await tab.connect()
        ms, until = [], time.monotonic() + seconds
        try:
            while time.monotonic() < until:
                ms.append((await tab.call(f"{ROOT_STATE}.set_is_hydrated", {"value": len(ms) % 2 == 1}))[0])
                await asyncio.sleep(random.uniform(0.5, 1.5) * PROBE_INTERVAL)
        finally:
            await tab.close()
        return ms

    out.send(asyncio.run(go()))


async def reset_loop_probe(folder: str | None) -> float:
    """Start the app's loop probe (benchmarks/loop_probe) afresh; its writers see the reset within a second."""
    if not folder:
        return 0.0
    mark = Path(folder, "reset")
    mark.touch()  # a new modification time, also when the file is there
    await asyncio.sleep(1.2)
    return mark.stat().st_mtime


async def read_loop_probe(folder: str | None, mark: float, pgid: int) -> dict:
    """The app's stretches on the loop since the reset, merged over its processes (those of its process group
    when known: this script's own probe process loads the probe too)."""
    if not folder:
        return {"edges": [], "rows": {}, "gc": {}}
    await asyncio.sleep(1.2)  # the writers' next second
    merged: dict[str, list] = {}
    collections: dict[str, list] = {}
    edges: list[float] = []
    for path in Path(folder).glob("slices-*.json"):
        data = json.loads(path.read_text())
        try:
            alive_in_group = os.getpgid(data["pid"]) == pgid
        except ProcessLookupError:
            alive_in_group = False
        if data["reset"] != mark or (pgid and not alive_in_group):
            continue
        edges = data["edges_ms"]
        for name, row in data["rows"].items():
            into = merged.setdefault(name, [0, 0.0, 0.0] + [0] * (len(row) - 3))
            into[0] += row[0]
            into[1] += row[1]
            into[2] = max(into[2], row[2])
            into[3:] = [a + b for a, b in zip(into[3:], row[3:], strict=True)]
        for name, row in data["gc"].items():
            into = collections.setdefault(name, [0, 0.0, 0.0, 0])
            into[:] = [into[0] + row[0], into[1] + row[1], max(into[2], row[2]), into[3] + row[3]]
    return {"edges": edges, "rows": merged, "gc": collections}


def slice_bound(row: list, edges: list[float], q: float) -> str:
    """The histogram edge (ms) at or below which q % of the stretches fall."""
    seen = 0
    for count, edge in zip(row[3:], [*edges, None], strict=True):
        seen += count
        if seen >= row[0] * q / 100:
            return f"{edge:g}" if edge is not None else f">{edges[-1]:g}"
    return "?"


def report_slices(level: dict) -> None:
    rows, edges = level["slices"]["rows"], level["slices"]["edges"]
    if not rows:
        return
    busy = sum(r[1] for r in rows.values())
    over = sum(n for r in rows.values() for n, low in zip(r[4:], edges, strict=True) if low >= 20)  # past 20 ms
    print(
        f"{'':5} the app's event loop: stretches over 0.2 ms held it {busy / level['elapsed'] * 100:.0f} % of the "
        f"time; the longest {max(r[2] for r in rows.values()) * 1000:.1f} ms; {over} over 20 ms. By name "
        "(p50/p95: histogram edges, ms):"
    )
    for name, row in sorted(rows.items(), key=lambda kv: -kv[1][1])[:8]:
        p50, p95 = slice_bound(row, edges, 50), slice_bound(row, edges, 95)
        print(f"{'':7} {row[1]:6.2f} s {row[0]:6d}x  p50 ≤{p50:>4}  p95 ≤{p95:>4}  max {row[2] * 1000:6.1f}  {name}")
    pauses = level["slices"]["gc"]
    print(
        f"{'':7} the collector (inside those stretches): "
        + ", ".join(f"{g} {r[0]}x max {r[2] * 1000:.1f} ms, {r[3]} freed" for g, r in sorted(pauses.items()))
    )


async def run_level(args, url: str, n: int, users_data: list, pgid: int) -> dict:
    users = [User(url, token, ids, args.timeout) for token, ids in users_data[:n]]
    receiver, sender = multiprocessing.get_context("spawn").Pipe(duplex=False)
    prober = multiprocessing.get_context("spawn").Process(
        target=probe, args=(url, users_data[-1], args.duration, args.timeout, sender), daemon=True
    )
    try:
        started = time.perf_counter()
        for i in range(0, n, args.connect_batch):
            await asyncio.gather(*(u.connect() for u in users[i : i + args.connect_batch]))
        connect_s = time.perf_counter() - started
        samples: dict[str, list] = defaultdict(list)
        errors: list[str] = []
        mark = await reset_loop_probe(args.loop_probe)
        load_before = os.getloadavg()[0]
        prober.start()
        cpu0, t0 = group_cpu_seconds(pgid), time.perf_counter()
        until = time.monotonic() + args.duration
        await asyncio.gather(*(drive(u, until, args.think_ms / 1000, samples, errors) for u in users))
        elapsed = time.perf_counter() - t0
        cpu = (group_cpu_seconds(pgid) - cpu0) / elapsed * 100 if pgid else float("nan")
        probed = await asyncio.to_thread(lambda: receiver.recv() if receiver.poll(args.timeout + 30) else [])
        slices = await read_loop_probe(args.loop_probe, mark, pgid)
    finally:
        await asyncio.gather(*(u.close() for u in users))
        prober.join(5)
    return {
        "users": n, "samples": samples, "errors": errors, "elapsed": elapsed, "cpu": cpu,
        "connect_s": connect_s, "load": (load_before, os.getloadavg()[0]), "probe": probed,
        "slices": slices,
    }  # fmt: skip


def report(levels: list[dict]) -> None:
    print(
        f"\n{'users':>5} {'event':12} {'n':>6} {'/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'first B':>8} {'all B':>8}"
    )
    for level in levels:
        n, samples = level["users"], level["samples"]
        for kind in KINDS:
            rows = samples.get(kind, [])
            ms = [r[0] for r in rows]
            first = statistics.median([r[1] for r in rows]) if rows else 0
            total = statistics.median([r[2] for r in rows]) if rows else 0
            print(
                f"{n:5d} {kind:12} {len(rows):6d} {len(rows) / level['elapsed']:6.1f} {percentile(ms, 50):8.1f} "
                f"{percentile(ms, 95):8.1f} {percentile(ms, 99):8.1f} {first:8.0f} {total:8.0f}"
            )
        mix = [r[0] for kind in KINDS[:-1] for r in samples.get(kind, [])]
        served = sum(len(samples.get(k, [])) for k in KINDS[:-1]) / level["elapsed"]
        base = [r[0] for r in samples.get("baseline", [])]
        print(
            f"{n:5d} {'ALL (mix)':12} {len(mix):6d} {served:6.1f} {percentile(mix, 50):8.1f} "
            f"{percentile(mix, 95):8.1f} {percentile(mix, 99):8.1f}   app CPU {level['cpu']:.0f} % of a core "
            f"({level['cpu'] * 10 / max(served + len(base) / level['elapsed'], 1e-9):.1f} ms per event); "
            f"load {level['load'][0]:.1f}->{level['load'][1]:.1f}; connected in {level['connect_s']:.1f}s; "
            f"errors {len(level['errors'])} {sorted(set(level['errors']))[:3]}"
        )
        if base:
            p95 = percentile(base, 95)
            print(f"{'':5} baseline p95 {p95:.1f} ms = {p95 / IDLE_BASE[0]:.1f}x idle")
        report_slices(level)
        if probed := level["probe"][5:]:  # after its first five (the new tab's first events)
            p95 = percentile(probed, 95)
            print(
                f"{'':5} probe (the setter from a process of its own, {len(probed)} events): p50 "
                f"{percentile(probed, 50):.1f} / p95 {p95:.1f} / p99 {percentile(probed, 99):.1f} ms = "
                f"{p95 / IDLE_BASE[0]:.1f}x idle"
            )
    print()
    for level in levels:
        target = TARGETS.get(level["users"])
        if target is None:
            continue
        mix = [r[0] for kind in KINDS[:-1] for r in level["samples"].get(kind, [])]
        p95, p99 = percentile(mix, 95), percentile(mix, 99)
        ok = p95 < target[0] and (target[1] is None or p99 < target[1])
        wanted = f"p95 < {target[0]:.0f} ms" + (f", p99 < {target[1]:.0f} ms" if target[1] else "")
        verdict = "met" if ok else "NOT met"
        print(f"target at {level['users']} users ({wanted}): p95 {p95:.0f}, p99 {p99:.0f} -> {verdict}")


IDLE_BASE = [float("nan")]


async def idle_baseline(url: str, users_data: list, timeout: float, pgid: int) -> tuple[float, float]:
    """The trivial setter's p95 with one user and nothing else running (the "idle" the targets compare to), and
    the app's CPU per such event: the framework's own cost of an event, below which no handler of ours goes."""
    token, ids = users_data[0]
    user = User(url, token, ids, timeout)
    await user.connect()
    try:
        ms = []
        for i in range(10):
            await user.call(f"{ROOT_STATE}.set_is_hydrated", {"value": i % 2 == 1})
        cpu0 = group_cpu_seconds(pgid)
        for i in range(300):
            ms.append((await user.call(f"{ROOT_STATE}.set_is_hydrated", {"value": i % 2 == 1}))[0])
        cpu = (group_cpu_seconds(pgid) - cpu0) * 1000 / len(ms) if pgid else float("nan")
    finally:
        await user.close()
    return percentile(ms, 95), cpu


async def amain(args, app) -> list[dict]:
    levels = [int(x) for x in args.users.split(",")]
    t = time.perf_counter()
    users_data = seed_users(max(levels) + 1, args.seed_rounds)  # the last one is the probe's
    print(
        f"{max(levels)} enterprises with {len(users_data[0][1])} 新办/续办 applications each, a session each "
        f"({time.perf_counter() - t:.0f}s)",
        flush=True,
    )
    IDLE_BASE[0], cpu = await idle_baseline(app.url, users_data, args.timeout, app.pid or args.app_pgid)
    print(
        f"idle: the trivial setter's p95 alone is {IDLE_BASE[0]:.1f} ms, {cpu:.2f} ms of the app's CPU each", flush=True
    )
    out = []
    for n in levels:
        print(f"{n} users: connecting, then {args.duration:.0f}s of the mix ... ({machine_note()})", flush=True)
        out.append(await run_level(args, app.url, n, users_data, app.pid or args.app_pgid))
        await asyncio.sleep(2)
    return out


# --- in-process: statements and profiles of the real handlers -----------------------------------------------


def in_process(seed_rounds: int, profile_top: int, database_url: str | None) -> None:
    """The same events on a state tree built as Reflex builds it for a token, without the app or the socket:
    statements executed (SQLAlchemy before_cursor_execute) and where the time goes (cProfile). On SQLite, or on
    `database_url` (an empty database), where the events' time includes the waits for the server's answers."""
    data = tempfile.mkdtemp(prefix="apec-bench-inproc-")
    try:
        _in_process(data, seed_rounds, profile_top, database_url)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _in_process(data: str, seed_rounds: int, profile_top: int, database_url: str | None) -> None:
    os.environ["APEC_DATA_DIR"] = data
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import subprocess

    subprocess.run([sys.executable, "-m", "apec_app.cli", "load-demo"], check=True, stdout=subprocess.DEVNULL)
    from reflex.istate.data import RouterData
    from reflex.state import State
    from sqlalchemy import event
    from sqlmodel import select

    import apec_app.apec_app as web
    from apec_app.db import get_engine
    from apec_app.domain import lifecycle
    from apec_app.models import Application
    from apec_app.settings import get_settings

    get_settings.cache_clear()  # the app's run (if any) had its own data directory
    get_engine.cache_clear()

    (token, ids), *_ = seed_users(1, seed_rounds)
    from apec_app.services.unit_of_work import unit_of_work

    with unit_of_work() as uow:
        waiting = uow.db.exec(
            select(Application.id).where(col_in(Application.id, ids), Application.status == lifecycle.ECONOMY_REVIEW)
        ).first()
    root = State(_reflex_internal_init=True)

    def route(path: str) -> None:
        data = {
            "pathname": path, "asPath": path, "headers": {"cookie": f"apec_session={token}"},
            "ip": "127.0.0.1", "query": {},
        }  # fmt: skip
        root.router_data = data
        root.router = RouterData.from_router_data(data)

    def state_of(cls):
        s = root
        for part in cls.get_full_name().split(".")[1:]:
            s = s.substates[part]
        return s

    def delta() -> None:
        """What the server does after a handler: the changed vars (computed ones too), serialised."""
        json.dumps(asyncio.run(root._get_resolved_delta()), default=str)
        root._clean()

    def visit(path: str) -> Callable:
        def go():
            route(path)
            for handler in web.app.get_load_events(path):
                spec = handler() if callable(handler) and not hasattr(handler, "fn") else handler
                fn = getattr(spec, "fn", None) or spec.handler.fn
                owner = getattr(spec, "handler", spec).state
                fn(state_of(owner))
            delta()

        return go

    from apec_app.states.user_center import UserCenterState

    uc = state_of(UserCenterState)

    def call(handler: str, *args) -> Callable:
        def go():
            route("/user")
            UserCenterState.event_handlers[handler].fn(uc, *args)
            delta()

        return go

    kinds = {
        "user_center": visit("/user"),
        "tab": call("set_tab", lifecycle.REPLACE),
        "tab back": call("set_tab", lifecycle.NEW_RENEW),
        "page": call("go_page", 2),
        "detail": visit(f"/user/applications/{waiting}"),
        "ask_withdraw": call("ask_withdraw", str(ids[0])),  # gated, no work of its own
    }
    counted = [0]
    shown = os.environ.get("BENCH_SHOW_SQL", "")

    def count(_conn, _cursor, statement, *_):
        counted[0] += 1
        if shown and current[0] == shown:
            print("   ", " ".join(statement.split())[:150])

    current = [""]
    event.listen(get_engine(), "before_cursor_execute", count)
    print("\nstatements per event (in-process, the real handlers; the detail page: an application in 经济体审核中)")
    print(f"{'event':12} {'statements':>10} {'ms (median of 60)':>18}")
    for kind, go in kinds.items():
        go()  # warm (and the session's last-seen write, at most once a minute, out of the way)
        counted[0] = 0
        current[0] = kind
        go()
        current[0] = ""
        statements = counted[0]
        times = []
        for _ in range(60):
            t = time.perf_counter()
            go()
            times.append((time.perf_counter() - t) * 1000)
        print(f"{kind:12} {statements:10d} {statistics.median(times):18.2f}")
    for kind in ("detail", "user_center"):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            kinds[kind]()
        profiler.disable()
        for order, only_ours in (("cumulative", True), ("tottime", False)):
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).sort_stats(order).print_stats(profile_top * 6)
            what = "our functions" if only_ours else "all functions"
            print(f"\ncProfile, {kind} x20, {what} by {order} time:")
            lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
            start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
            shown = [line for line in lines[start + 1 :] if not only_ours or "apec_app/" in line]
            root_dir = str(Path(__file__).resolve().parents[1]) + "/"
            print(lines[start])
            print("\n".join(line.replace(root_dir, "") for line in shown[:profile_top]))


def col_in(column, values):
    from sqlmodel import col

    return col(column).in_(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running instance (default: start our own on the demo data)")
    parser.add_argument("--data-dir", help="APEC_DATA_DIR of the --base-url instance (or set DATABASE_URL)")
    parser.add_argument("--app-pgid", type=int, default=0, help="the --base-url instance's process group (its CPU)")
    parser.add_argument("--users", default="10,50,200", help="comma-separated concurrent users (default 10,50,200)")
    parser.add_argument("--duration", type=float, default=20, help="seconds of the mix per level (default 20)")
    parser.add_argument("--think-ms", type=float, default=1000, help="mean pause between actions (default 1000)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for one answer (default 60)")
    parser.add_argument("--connect-batch", type=int, default=25, help="users connecting at once (default 25)")
    parser.add_argument("--seed-rounds", type=int, default=4, help="demo_followups rounds per enterprise (default 4)")
    parser.add_argument("--profile-top", type=int, default=10, help="cProfile lines shown (default 10)")
    parser.add_argument(
        "--loop-probe",
        metavar="DIR",
        help="time the app's event loop (benchmarks/loop_probe; with --base-url, the "
        "app must have been started with LOOP_PROBE_DIR=DIR and that folder first on PYTHONPATH)",
    )
    parser.add_argument("--in-process-only", action="store_true", help="only the statement counts and profiles")
    parser.add_argument("--no-in-process", action="store_true", help="skip the statement counts and profiles")
    parser.add_argument(
        "--in-process-database-url", help="the statement counts and profiles on this empty database (default SQLite)"
    )
    args = parser.parse_args()
    import apec_app.apec_app  # noqa: F401 - every state registered here, not inside the event loop's context

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # end the app we started (running_app's finally)
    if not args.in_process_only:
        if args.loop_probe:
            Path(args.loop_probe).mkdir(parents=True, exist_ok=True)
            if not args.base_url:
                os.environ["LOOP_PROBE_DIR"] = args.loop_probe  # the app we start loads the probe (_app.tool_env)
        with running_app(args.base_url, args.data_dir or os.environ.get("APEC_DATA_DIR")) as app:
            if app.data_dir is not None:
                os.environ["APEC_DATA_DIR"] = str(app.data_dir)
            elif not os.environ.get("DATABASE_URL"):
                raise SystemExit("--base-url needs --data-dir (its APEC_DATA_DIR) or DATABASE_URL")
            from apec_app.db import get_engine
            from apec_app.settings import get_settings

            get_settings.cache_clear()  # read before the app's data directory was known
            get_engine.cache_clear()
            print(f"app {app.url}; {machine_note()}; think time {args.think_ms:.0f} ms", flush=True)
            levels = asyncio.run(amain(args, app))
            print(f"after the run: {machine_note()}")
        report(levels)
    if not args.no_in_process:
        in_process(args.seed_rounds, args.profile_top, args.in_process_database_url)


if __name__ == "__main__":
    main()
