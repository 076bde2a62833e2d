"""Time to interactive of the main pages in Chromium (a script that prints numbers, not a test).

    python benchmarks/page_speed.py [--runs 3]
    python benchmarks/page_speed.py --base-url http://host:3000 [--data-dir its APEC_DATA_DIR]

Starts the app on the demo data (as tests/e2e/conftest.py does, from a private copy of the project) unless
--base-url is given, signs in through the pages (/login as the demo enterprise, /staff/login as reviewer_js and
as admin) and opens each page --runs times in a new tab of the signed-in browser context (so the HTTP cache is
cold on the first run and warm after), printing the median and the slowest run.

Measured in the page, in ms from navigationStart (performance.now()), by a script added before the page's own:
  ttfb      the document's first byte (Navigation Timing responseStart)
  dcl       DOMContentLoaded finished
  heading   the page's main heading (an h1 starting with the text below) first rendered and visible
  ws        the Socket.IO websocket open
  hydrated  the websocket message that sets Reflex's is_hydrated to true: sent after the hydrate event and the
            page's on_load handlers (which load its data from the database) have run
  tti       max(heading, hydrated): the page shows its heading and its data and reacts to events
  built     for a page built in parts after it is usable (团组信息 of 30 people: the cards after the first two),
            its last part (the heading in BUILT) rendered and visible
  task      the longest main-thread task (longtask entries, > 50 ms; 0 when none) starting after tti: how long
            a keystroke may wait while the page goes on building
Baseline: a static file served by the same server (/app.css, from assets/), opened the same way: its load
event (loadEventEnd), the floor for any page from this server in this browser.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _app import CHROMIUM_ARGS, machine_note, running_app  # noqa: E402

HEADINGS = {  # path pattern → the main heading's first characters
    r"^/$": "APEC商务旅行卡业务在线办理",
    r"^/login$": "账号登录",
    r"^/user$": "我的申请单",
    r"^/apply/new-renew$": "新办/续办 申办须知",
    r"^/apply/\d+$": "人员信息1",  # the 30-person draft at 团组信息: its first person's card
    r"^/user/applications/\d+/pay$": "收银台",
    r"^/messages$": "消息中心",
    r"^/user/addresses$": "地址管理",
    r"^/account/settings$": "账号设置",
    r"^/user/applications/\d+$": "申请单详情",
    r"^/staff$": "审核工作台",
    r"^/staff/applications/\d+$": "申请单 APEC",  # rendered only once the application is loaded
    r"^/admin/settings$": "后台设置",
    r"^/admin/enterprises$": "企业账号开通",
    r"^/admin/audit$": "安全与审计日志",
}
# Pages built in parts after they are usable: the heading of the last part (`built`).
BUILT = {r"^/apply/\d+$": "人员信息30"}
INIT_SCRIPT = """
(() => {
  const marks = (window.__bench = { heading: null, ws: null, hydrated: null, built: null, tasks: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) marks.tasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => { if (marks.ws === null) marks.ws = performance.now(); });
      this.addEventListener("message", (e) => {
        const text = typeof e.data === "string" ? e.data : "";
        if (marks.hydrated === null && /"is_hydrated_rx_state_"\\s*:\\s*true/.test(text)) {
          marks.hydrated = performance.now();
        }
      });
    }
  };
  const path = location.pathname.replace(/\\/$/, "") || "/";
  const find = (table) => Object.entries(table).find(([pattern]) => new RegExp(pattern).test(path));
  const wanted = find(HEADINGS_JSON);
  const last = find(BUILT_JSON);
  marks.wantsBuilt = !!last;
  const shown = (text) => {
    for (const h of document.querySelectorAll("h1")) {
      const t = h.innerText.trim();
      const box = h.getBoundingClientRect();
      // "人员信息1" is not "人员信息10"; other headings may go on ("申请单 APEC…").
      if ((/\\d$/.test(text) ? t === text : t.startsWith(text)) && box.width > 0 && box.height > 0) return true;
    }
    return false;
  };
  const check = () => {
    if (!wanted) return;
    if (marks.heading === null && shown(wanted[1])) marks.heading = performance.now();
    if (last && marks.built === null && shown(last[1])) marks.built = performance.now();
    if (marks.heading === null || (last && marks.built === null)) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""
READ_MARKS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return { ...window.__bench, ttfb: nav.responseStart, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
}"""
COLUMNS = ("ttfb", "dcl", "heading", "ws", "hydrated", "tti", "built", "task")


def page_ids(data_dir: Path | None, email: str, reviewer: str) -> dict[str, int]:
    """An application of the demo enterprise, one in the reviewer's queue, one awaiting payment, and a draft of 30
    people at 团组信息 (tests/e2e/seed.py); 1 for each without the database."""
    if data_dir is None:
        return {"mine": 1, "queued": 1, "payable": 1, "crowd": 1}
    from tests.e2e.seed import run_seed

    os.environ["APEC_DATA_DIR"] = str(data_dir)
    from sqlmodel import select

    from apec_app import bootstrap
    from apec_app.models import Enterprise, StaffUser
    from apec_app.services.applications import filing
    from apec_app.services.principal import ENTERPRISE, STAFF, Principal
    from apec_app.services.review import queue as review_queue
    from apec_app.services.unit_of_work import unit_of_work

    bootstrap.wire()
    with unit_of_work() as uow:
        ent = uow.db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        staff = uow.db.exec(select(StaffUser).where(StaffUser.username == reviewer)).one()
    with unit_of_work(Principal(ENTERPRISE, ent.id, ent.name, enterprise_id=ent.id)) as uow:
        mine, _ = filing.list_applications(uow, "new_renew")
    staff_principal = Principal(STAFF, staff.id, staff.name, role=staff.role, institution_id=staff.institution_id)
    with unit_of_work(staff_principal) as uow:
        queued, _ = review_queue.queue(uow)
    payable = run_seed(str(data_dir), "payable", email)
    crowd = run_seed(str(data_dir), "drafts", email)
    return {"mine": mine[0].id, "queued": queued[0].id, "payable": payable[0]["id"], "crowd": crowd["30"]}


def sign_in_enterprise(page, url: str, email: str, password: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/login")
    page.get_by_placeholder("请输入邮箱账号").fill(email)
    page.get_by_placeholder("请输入密码").fill(password)
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible(timeout=30_000)


def sign_in_staff(page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/staff/login")
    page.get_by_placeholder("请输入用户名").fill(username)
    page.get_by_placeholder("请输入密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff/?$"), timeout=30_000)


def open_page(context, url: str) -> dict:
    page = context.new_page()
    try:
        page.goto(url, wait_until="load", timeout=60_000)
        page.wait_for_function(
            "() => window.__bench && window.__bench.heading !== null && window.__bench.hydrated !== null"
            " && (!window.__bench.wantsBuilt || window.__bench.built !== null)",
            timeout=60_000,
        )
        page.wait_for_timeout(100)  # the long task that ends at the last part's paint is reported after it
        marks = page.evaluate(READ_MARKS)
    finally:
        page.close()
    marks["tti"] = max(marks["heading"], marks["hydrated"])
    # The longest main-thread task once the page is usable: how long an input may wait while the rest is built.
    marks["task"] = max((d for start, d in marks.pop("tasks") if start >= marks["tti"]), default=0.0)
    return marks


def open_static(context, url: str) -> float:
    page = context.new_page()
    try:
        page.goto(url, wait_until="load", timeout=60_000)
        return page.evaluate('() => performance.getEntriesByType("navigation")[0].loadEventEnd')
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running instance (default: start our own on the demo data)")
    parser.add_argument("--data-dir", help="APEC_DATA_DIR of the --base-url instance (to find application ids)")
    parser.add_argument("--runs", type=int, default=3, help="opens of each page (default 3)")
    parser.add_argument("--only", help="open only the pages whose path matches this regular expression")
    parser.add_argument("--static", default="/app.css", help="the static file of the baseline (default /app.css)")
    parser.add_argument("--email", default="demo@example.com")
    parser.add_argument("--password", default="Demo@2026pass")
    parser.add_argument("--reviewer", default="reviewer_js")
    parser.add_argument("--admin", default="admin")
    parser.add_argument("--staff-password", default="Review@2026pass")
    parser.add_argument("--admin-password", default="Admin@2026pass")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with running_app(args.base_url, args.data_dir or os.environ.get("APEC_DATA_DIR")) as app:
        url = app.url
        ids = page_ids(app.data_dir, args.email, args.reviewer)
        print(f"app {url}; {machine_note()}; {args.runs} runs per page", flush=True)
        init = INIT_SCRIPT.replace("HEADINGS_JSON", json.dumps(HEADINGS, ensure_ascii=False)).replace(
            "BUILT_JSON", json.dumps(BUILT, ensure_ascii=False)
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                         args=CHROMIUM_ARGS)  # fmt: skip
            contexts = {}
            for who in ("anonymous", "applicant", "reviewer", "admin"):
                contexts[who] = browser.new_context()
                contexts[who].add_init_script(init)
            page = contexts["applicant"].new_page()
            sign_in_enterprise(page, url, args.email, args.password)
            page.close()
            page = contexts["reviewer"].new_page()
            sign_in_staff(page, url, args.reviewer, args.staff_password)
            page.close()
            page = contexts["admin"].new_page()
            sign_in_staff(page, url, args.admin, args.admin_password)
            page.close()
            plan = [
                ("anonymous", "/"),
                ("anonymous", "/login"),
                ("applicant", "/user"),
                ("applicant", "/apply/new-renew"),
                ("applicant", f"/apply/{ids['crowd']}"),
                ("applicant", f"/user/applications/{ids['mine']}"),
                ("applicant", f"/user/applications/{ids['payable']}/pay"),
                ("applicant", "/messages"),
                ("applicant", "/user/addresses"),
                ("applicant", "/account/settings"),
                ("reviewer", "/staff"),
                ("reviewer", f"/staff/applications/{ids['queued']}"),
                ("admin", "/admin/settings"),
                ("admin", "/admin/enterprises"),
                ("admin", "/admin/audit"),
            ]
            static = [open_static(contexts["anonymous"], url + args.static) for _ in range(args.runs)]
            rows = []
            for who, path in plan:
                if args.only and not re.search(args.only, path):
                    continue
                runs = [open_page(contexts[who], url + path) for _ in range(args.runs)]
                rows.append((who, path, runs))
                print(f"  {path} done", flush=True)
            browser.close()

    print(f"\nmedian of {args.runs} runs, ms from navigationStart; max tti: the slowest run; x static: tti / baseline")
    print(f"{'page':28} {'as':10}" + "".join(f"{c:>9}" for c in COLUMNS) + f"{'max tti':>10}{'x static':>10}")
    base = statistics.median(static)
    for who, path, runs in rows:
        medians = {c: statistics.median(r[c] for r in runs) if runs[0][c] is not None else None for c in COLUMNS}
        print(
            f"{path:28} {who:10}"
            + "".join(f"{medians[c]:9.0f}" if medians[c] is not None else f"{'-':>9}" for c in COLUMNS)
            + f"{max(r['tti'] for r in runs):10.0f}{medians['tti'] / base:10.1f}"
        )
    print(f"{'baseline ' + args.static:28} {'anonymous':10} static file, load event: {base:.0f} ms (median)")
    print(f"after the run: {machine_note()}")


if __name__ == "__main__":
    main()
