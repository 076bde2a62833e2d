"""The reviewer's CSV of economy decisions (导入审核结果: 预览, 确认导入) at 30 people × 18 economies = 540 rows
(a script that prints numbers, not a test).

    python benchmarks/csv_import.py                 # (a) in-process, then (b) against an app of our own
    python benchmarks/csv_import.py --skip-app      # (a) only (~20 s)
    python benchmarks/csv_import.py --others 10 --rounds 6

(a) In-process, on a migrated SQLite database of its own built with the test factories: 预览
(decisions.check_import) and 确认导入 (decisions.apply_import, its message and emails, commit), then the page's
application read afresh (views.application_view) — each as SQL statements (counted on the engine's
before_cursor_execute) and milliseconds, for a 1 × 1 file and the 30 × 18 file, with a `SELECT 1` round trip as
the floor, all in the same run.

(b) Against a running app (started on the demo data from a private copy, see _app.py): `--others` clients (the
demo enterprise's tabs on 用户中心, as event_latency.py) send UserCenterState.go_page(1) with a short pause
between events, first while nothing else runs, then while a reviewer's tab imports `--rounds` files of 540 rows
one after the other (预览 by the upload endpoint, 确认导入 over the websocket, as the page does) and `--readers`
applicants' wizard tabs have their passport page read (自动识别护照信息, OCR) back to back. It prints the
others' p50/p95 in both phases, and the rise.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from _app import machine_note, percentile, running_app  # noqa: E402

PEOPLE, ECONOMIES = 30, 18
DECIDED_ON = "2026-11-01"
BENCH_REVIEWER = "bench_rev_js"

# --- building the data (both parts) ---------------------------------------------------------------------------

# Nanjing's districts: 9 × 500 numbers per birth day and sex, taken in turn from the number of people already
# stored, so that runs on one instance do not repeat each other's.
_DISTRICTS = ("320102", "320104", "320105", "320106", "320111", "320113", "320114", "320115", "320116")
_ids = itertools.count()


def unique_id_number(birth: date, male: bool) -> str:
    """The factories' 身份证号 repeat after 90 people (fine for a test, not for 150 people in open applications,
    which 提交 refuses as duplicates)."""
    from stdnum.cn import ric

    n = next(_ids) % (len(_DISTRICTS) * 500)
    district, n = _DISTRICTS[n // 500], n % 500
    body = f"{district}{birth:%Y%m%d}{n // 5:02d}{('13579' if male else '02468')[n % 5]}"
    return body + ric.calc_check_digit(body + "0")


def use_unique_id_numbers(db) -> None:
    from sqlalchemy import func
    from sqlmodel import select

    import tests.factories
    from apec_app.models import Person

    global _ids
    _ids = itertools.count(db.exec(select(func.count()).select_from(Person)).one())
    tests.factories.new_id_number = unique_id_number


def reviewer_of(db):
    """A reviewer of 江苏外办 (created once), and a signed-in session token for it."""
    from sqlmodel import select

    from apec_app.models import StaffUser
    from apec_app.models.base import utcnow
    from apec_app.services.accounts import auth, staff
    from tests.factories import STAFF_PASSWORD, uow_for

    if db.exec(select(StaffUser).where(StaffUser.username == BENCH_REVIEWER)).first() is None:
        staff.create_staff(db, username=BENCH_REVIEWER, name="基准审核员", password=STAFF_PASSWORD,
                           role="reviewer", institution_code="JS")  # fmt: skip
        db.commit()
    result = auth.sign_in_staff(uow_for(db), BENCH_REVIEWER, STAFF_PASSWORD)
    db.commit()
    return auth.resolve_session(db, result.token, now=utcnow()), result.token


def awaiting_decisions(db, reviewer, people: int):
    """An application of `people` people of a new enterprise, at 外交部审核通过待经济体审核 (economy_review)."""
    from sqlmodel import select

    from apec_app.models import Application, Institution
    from apec_app.services.applications import filing
    from apec_app.services.review import actions
    from tests.factories import TODAY, filled, make_enterprise, pay, principal_for_enterprise, uow_for

    js = db.exec(select(Institution).where(Institution.code == "JS")).one()
    me = principal_for_enterprise(db, make_enterprise(db, email=f"bench-{uuid.uuid4().hex[:12]}@example.com"))
    application = filled(db, me, js.id, people=people)

    def run(who, use_case, *args, **kwargs):
        uow = uow_for(db, who, today=TODAY)
        result = use_case(uow, *args, **kwargs)
        uow.complete()
        db.commit()
        return result

    def act(action):
        db.expire_all()
        run(reviewer, actions.act, application.id, action, version=db.get(Application, application.id).version)

    run(me, filing.submit, application.id)
    act("approve")
    pay(db, me, application.id)
    db.commit()
    act("confirm_payment")
    db.refresh(application)
    assert application.status == "economy_review", application.status
    return application


def csv_of(db, application, economies: int) -> bytes:
    from apec_app.domain.decisions_csv import template_csv
    from apec_app.domain.economies import deciding_economies
    from apec_app.services.review import decisions

    header = template_csv().splitlines()[0]
    lines = [
        f"{application.number},{p.passport_number},{e.name_zh},批准,{DECIDED_ON}"
        for p in decisions.people(db, application)
        for e in deciding_economies()[:economies]
    ]
    return ("\r\n".join([header, *lines]) + "\r\n").encode("utf-8-sig")


# --- (a) in-process -------------------------------------------------------------------------------------------


def timed(engine, call) -> tuple[float, Counter[str]]:
    from tests.services.test_decisions_import_scale import counted  # the statement counter the test asserts with

    with counted(engine) as seen:
        start = time.perf_counter()
        call()
        ms = (time.perf_counter() - start) * 1000
    return ms, seen


def in_process(repeat: int) -> None:
    from alembic.config import Config
    from sqlalchemy import text
    from sqlmodel import Session

    from alembic import command
    from apec_app import bootstrap
    from apec_app.db import make_engine
    from apec_app.domain.clock import FixedClock
    from apec_app.services.operations import demo_data
    from apec_app.services.review import decisions, views
    from apec_app.services.unit_of_work import UnitOfWork, unit_of_work
    from tests.factories import TODAY

    bootstrap.wire()
    path = Path(os.environ["APEC_DATA_DIR"]) / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with Session(engine, expire_on_commit=False) as db:
        demo_data.load(UnitOfWork(db))  # institutions, economies, settings, the demo accounts
        db.commit()
        use_unique_id_numbers(db)
        reviewer, _ = reviewer_of(db)
        print(f"building {repeat} applications of {PEOPLE} people and one of 1 ...", flush=True)
        large = [awaiting_decisions(db, reviewer, PEOPLE) for _ in range(repeat)]
        small = [awaiting_decisions(db, reviewer, 1) for _ in range(repeat)]
        files = {
            "1 × 1": [csv_of(db, a, 1) for a in small],
            f"{PEOPLE} × {ECONOMIES}": [csv_of(db, a, ECONOMIES) for a in large],
        }
        apps = {"1 × 1": small, f"{PEOPLE} × {ECONOMIES}": large}

    clock = FixedClock.on(TODAY)

    def in_uow(fn, *args):
        def call():
            with unit_of_work(reviewer, clock=clock, engine=engine) as uow:
                fn(uow, *args)

        return call

    floor = []
    with engine.connect() as connection:
        for _ in range(200):
            start = time.perf_counter()
            connection.execute(text("SELECT 1")).all()
            floor.append((time.perf_counter() - start) * 1000)
    print(f"\nin-process, SQLite ({machine_note()})")
    print(f"baseline: one `SELECT 1` round trip {statistics.median(floor):.3f} ms median")
    print(f"\n{'file':9} {'step':34} {'statements':>10} {'SELECT':>6} {'INSERT':>6} {'UPDATE':>6} {'SAVEPT':>6} "
          f"{'ms p50':>8} {'ms max':>8}")  # fmt: skip
    for label, datas in files.items():
        steps = {
            "预览 check_import": [in_uow(decisions.check_import, d) for d in datas],
            "确认导入 apply_import (+message, commit)": [in_uow(decisions.apply_import, d) for d in datas],
            "page after: application_view": [in_uow(views.application_view, a.id) for a in apps[label]],
        }
        for step, calls in steps.items():
            results = [timed(engine, call) for call in calls]
            ms = [r[0] for r in results]
            seen = results[-1][1]
            counts = " ".join(f"{seen[kind]:6d}" for kind in ("SELECT", "INSERT", "UPDATE", "SAVEPOINT"))
            print(f"{label:9} {step:34} {sum(seen.values()):10d} {counts} {statistics.median(ms):8.1f} {max(ms):8.1f}")
    engine.dispose()


# --- (b) against a running app ----------------------------------------------------------------------------------


def passport_drafts(db, principal, count: int) -> list[tuple[int, int]]:
    """`count` drafts of one person at 团组信息, each with a photographed passport page uploaded (a generated one,
    as the OCR benchmark's): (application id, document id) each."""
    from apec_app.models import Enterprise
    from apec_app.services.applications import documents, filing
    from tests.factories import uow_for
    from tests.ocr_samples import make_passport_image

    enterprise = db.get(Enterprise, principal.id)
    made = []
    for seed in range(count):
        uow = uow_for(db, principal)
        app = filing.start(uow, filing.local_institutions(db)[0].id)
        filing.save_draft(uow, app.id, {**filing.prefill(enterprise), "step": 2})
        page, _ = make_passport_image(seed)
        made.append((app.id, documents.upload(uow, app.id, "passport_page", "passport.jpg", page).id))
    return made


def seed_app(rounds: int, others: int, readers: int, email: str, password: str):
    """In the app's own database (APEC_DATA_DIR is the app's): the reviewer, `rounds` applications of 30 people
    awaiting decisions with their files, `others` sessions of the demo enterprise, and `readers` drafts with a
    passport page for the OCR readers."""
    from sqlmodel import Session

    from apec_app import bootstrap
    from apec_app.db import get_engine
    from apec_app.services.accounts import auth
    from apec_app.services.principal import ENTERPRISE
    from tests.factories import uow_for

    bootstrap.wire()
    with Session(get_engine(), expire_on_commit=False) as db:
        use_unique_id_numbers(db)
        reviewer, token = reviewer_of(db)
        apps = [awaiting_decisions(db, reviewer, PEOPLE) for _ in range(rounds)]
        files = [csv_of(db, a, ECONOMIES) for a in apps]
        first = auth.sign_in_enterprise(uow_for(db), email, password)
        if not first.ok:
            raise SystemExit(f"cannot sign in {email}: {first.code}")
        uow = uow_for(db)
        tokens = [first.token] + [auth.create_session(uow, ENTERPRISE, first.principal.id) for _ in range(others - 1)]
        drafts = passport_drafts(db, first.principal, readers)
        db.commit()
    return token, [a.id for a in apps], files, tokens, drafts


class Other:
    """A 用户中心 tab of the demo enterprise, timing send → first state update back."""

    def __init__(self, url: str, session_token: str, timeout: float):
        import socketio

        from apec_app.states.user_center import UserCenterState
        from tests.socket_client import ROOT_STATE

        self.url, self.session_token, self.timeout = url, session_token, timeout
        self.name = f"{UserCenterState.get_full_name()}.go_page"
        self.boot = f"{ROOT_STATE}.hydrate_and_load"
        self.sio = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.sio.on("event", self._received, namespace="/_event")
        self.router = {"pathname": "/user", "asPath": "/user"}

    async def _received(self, update) -> None:
        self.inbox.put_nowait((time.perf_counter(), update))

    async def connect(self) -> None:
        await self.sio.connect(
            f"{self.url}?token={uuid.uuid4()}",
            socketio_path="/_event",
            transports=["websocket"],
            namespaces=["/_event"],
            auth={"event": {"name": self.boot, "payload": {}, "router_data": self.router}},
            headers={"Origin": self.url, "Cookie": f"apec_session={self.session_token}"},
            wait_timeout=self.timeout,
        )
        deadline = time.monotonic() + self.timeout
        while True:
            _, update = await asyncio.wait_for(self.inbox.get(), max(0.1, deadline - time.monotonic()))
            if (update.get("delta") or {}).get("reflex___state____state", {}).get("is_hydrated_rx_state_") is True:
                return

    async def call(self) -> float:
        while not self.inbox.empty():
            self.inbox.get_nowait()
        start = time.perf_counter()
        await self.sio.emit("event", {"name": self.name, "payload": {"page": 1}, "router_data": self.router}, "/_event")
        received, _ = await asyncio.wait_for(self.inbox.get(), self.timeout)
        return (received - start) * 1000

    async def close(self) -> None:
        try:
            await self.sio.disconnect()
        except Exception:  # noqa: BLE001 - already gone
            pass


async def others_while(others: list[Other], busy, think: float) -> list[float]:
    """The others' latencies while `busy()` (a coroutine) runs."""
    samples: list[float] = []
    running = True

    async def loop(user: Other) -> None:
        await asyncio.sleep(think * (0.5 + (hash(user) % 100) / 100))
        while running:
            samples.append(await user.call())
            await asyncio.sleep(think)

    tasks = [asyncio.create_task(loop(u)) for u in others]
    try:
        await busy()
    finally:
        running = False
        await asyncio.gather(*tasks, return_exceptions=True)
    return samples


def reviewer_imports(
    url: str, token: str, app_ids: list[int], files: list[bytes], progress: list[list[str]]
) -> list[tuple[float, float]]:
    """The reviewer's tab, file after file: 预览 (POST /_upload, as the page's upload zone) then 确认导入 over
    the websocket until the page shows the application as 全部经济体审核完成; (preview s, apply s) each, and in
    `progress` the progress lines the page was sent during each 确认导入."""
    import httpx

    from apec_app.pages.staff_review.application_state import StaffReviewState
    from tests.socket_client import Tab

    times = []
    for app_id, data in zip(app_ids, files, strict=True):
        path = f"/staff/applications/{app_id}"
        with Tab(url, path=path, cookies={"apec_session": token}, timeout=120).connect() as tab:
            tab.wait_for(lambda s: tab.var(StaffReviewState, "status_code") == "economy_review")
            start = time.perf_counter()
            answer = httpx.post(
                f"{url}/_upload",
                headers={
                    "Reflex-Client-Token": tab.token,
                    "Reflex-Event-Handler": f"{StaffReviewState.get_full_name()}.preview_csv",
                    "Cookie": f"apec_session={token}",
                    "Origin": url,
                },
                files={"files": ("decisions.csv", data, "text/csv")},
                timeout=120,
            )
            answer.raise_for_status()
            previewed = time.perf_counter()
            if "csv_preview" not in answer.text:
                raise RuntimeError(f"preview answered: {answer.text[:500]}")
            seen = len(tab.deltas)
            tab.send(StaffReviewState, "apply_csv")
            tab.wait_for(lambda s: tab.var(StaffReviewState, "status_code") == "economies_done", 120)
            applied = time.perf_counter()
            times.append((previewed - start, applied - previewed))
            key = StaffReviewState.get_full_name()
            shown = [d[key].get("csv_progress_rx_state_") for d in tab.deltas[seen:] if key in d]
            progress.append([text for text in shown if text])
    return times


def applicant_reads(url: str, session_token: str, app_id: int, doc_id: int, stop: threading.Event) -> list[float]:
    """An applicant's wizard tab reading its passport page (自动识别护照信息, the event an upload of the page sends)
    again and again until `stop`: seconds from the event sent to the confirmation dialog open, each."""
    from apec_app.pages.wizard.state import WizardState
    from tests.socket_client import Tab

    seconds = []
    with Tab(url, path=f"/apply/{app_id}", cookies={"apec_session": session_token}, timeout=120).connect() as tab:
        tab.wait_for(lambda s: tab.var(WizardState, "loaded") is True)
        while not stop.is_set():
            tab.send(WizardState, "close_ocr")
            tab.wait_for(lambda s: not tab.var(WizardState, "ocr_open"))
            start = time.perf_counter()
            tab.send(WizardState, "read_passport", {"index": 0, "document_id": doc_id})
            tab.wait_for(lambda s: tab.var(WizardState, "ocr_open") is True, 60)
            seconds.append(time.perf_counter() - start)
    return seconds


def prechecks_drained(timeout: float = 300) -> None:
    """Wait until the app's pre-check job has run the checks the seeded applications' 【提交】 asked for: it runs
    in the background, and must not fall into either phase."""
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from apec_app.db import get_engine
    from apec_app.models import PrecheckRun

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(get_engine()) as db:
            pending = db.exec(select(func.count()).select_from(PrecheckRun).where(col(PrecheckRun.done_at).is_(None)))
            if pending.one() == 0:
                return
        time.sleep(0.5)
    raise SystemExit("the pre-check job did not finish the seeded applications' checks")


async def with_app(args, url: str) -> None:
    token, app_ids, files, tokens, drafts = seed_app(args.rounds, args.others, args.readers, args.email, args.password)
    await asyncio.to_thread(prechecks_drained)
    others = [Other(url, t, 60) for t in tokens]
    for user in others:
        await user.connect()
    for user in others:  # warm-up
        await user.call()
    think = args.think_ms / 1000
    idle = await others_while(others, lambda: asyncio.sleep(args.idle_seconds), think)
    imports: list[tuple[float, float]] = []
    progress: list[list[str]] = []

    reads: list[float] = []

    async def importing() -> None:
        stop = threading.Event()
        readers = [asyncio.to_thread(applicant_reads, url, tokens[0], a, d, stop) for a, d in drafts]
        running = asyncio.gather(*readers)
        try:
            imports.extend(await asyncio.to_thread(reviewer_imports, url, token, app_ids, files, progress))
        finally:
            stop.set()
            reads.extend(itertools.chain.from_iterable(await running))

    busy = await others_while(others, importing, think)
    for user in others:
        await user.close()
    print(
        f"\nagainst the app ({machine_note()}): {args.others} other clients, go_page(1) every ~{args.think_ms:.0f} ms"
    )
    print(f"{'phase':70} {'events':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, samples in (
        ("idle (nothing else running)", idle),
        (f"while {args.rounds} files of 540 rows are imported and {args.readers} passports read", busy),
    ):
        print(f"{label:70} {len(samples):7d} {percentile(samples, 50):8.1f} {percentile(samples, 95):8.1f} "
              f"{max(samples or [float('nan')]):8.1f}")  # fmt: skip
    print(
        f"rise: p50 {percentile(busy, 50) - percentile(idle, 50):+.1f} ms, "
        f"p95 {percentile(busy, 95) - percentile(idle, 95):+.1f} ms"
    )
    preview = [p * 1000 for p, _ in imports]
    apply = [a * 1000 for _, a in imports]
    print(
        f"reviewer, per file of 540 rows: 预览 {statistics.median(preview):.0f} ms, 确认导入 (until the page shows "
        f"全部经济体审核完成) {statistics.median(apply):.0f} ms median of {len(imports)}"
    )
    print(f"the page's progress lines during 确认导入, per file: {progress}")
    if reads:
        print(f"passport readings meanwhile: {len(reads)} by {args.readers} applicants, event → dialog p50 "
              f"{statistics.median(reads):.2f} s, max {max(reads):.2f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)  # (a), in a child process
    parser.add_argument("--repeat", type=int, default=5, help="(a): files of each size timed (default 5)")
    parser.add_argument("--skip-app", action="store_true", help="(a) only")
    parser.add_argument("--app-only", action="store_true", help="(b) only")
    parser.add_argument("--base-url", help="(b): a running instance (default: start our own on the demo data)")
    parser.add_argument("--data-dir", help="(b): APEC_DATA_DIR of the --base-url instance")
    parser.add_argument("--others", type=int, default=10, help="(b): other clients (default 10)")
    parser.add_argument("--rounds", type=int, default=5, help="(b): files of 540 rows imported (default 5)")
    parser.add_argument("--think-ms", type=float, default=50, help="(b): pause between an other's events (default 50)")
    parser.add_argument("--readers", type=int, default=2, help="(b): applicants reading a passport page over and "
                        "over during the imports (default 2)")  # fmt: skip
    parser.add_argument("--idle-seconds", type=float, default=10, help="(b): length of the idle phase (default 10)")
    parser.add_argument("--email", default="demo@example.com")
    parser.add_argument("--password", default="Demo@2026pass")
    args = parser.parse_args()
    if args.in_process:
        in_process(args.repeat)
        return
    data = tempfile.mkdtemp(prefix="apec-bench-csv-")
    env = {**os.environ, "APEC_DATA_DIR": data, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    if not args.app_only:
        subprocess.run([sys.executable, __file__, "--in-process", "--repeat", str(args.repeat)], env=env, check=True)
    if args.skip_app:
        return
    with running_app(args.base_url, args.data_dir) as app:
        if app.data_dir is None:
            raise SystemExit("--base-url needs --data-dir (its APEC_DATA_DIR)")
        os.environ["APEC_DATA_DIR"] = str(app.data_dir)
        os.environ["PUBLIC_URL"] = app.url
        asyncio.run(with_app(args, app.url))
        print(f"after the run: {machine_note()}")


if __name__ == "__main__":
    main()
