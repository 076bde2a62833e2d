"""团组信息 with 30 people: what one keystroke costs, in Chromium (a script that prints numbers, not a test).

    python benchmarks/wizard_keystroke.py [--keys 20]

Starts the app on the demo data (benchmarks/_app.py), gives the demo enterprise two drafts at step 2 — one with 30
people, one with a single person (the baseline, measured in the same run) — signs in at /login and
opens each draft's 团组信息. Then it types `--keys` characters, one every 700 ms (longer than the 500 ms autosave
debounce, so every key is saved while typing), into two fields of the last person:

  家庭住址   an uncontrolled input: each key is saved by a debounced set_person event
  姓名拼音   the controlled input that follows the Chinese name (the server's upper-cased value comes back)

Measured in the page (a script added before the page's own wraps WebSocket):
  rtt      the event's frame sent → the first frame received after it (the server's reply, the state delta)
  painted  the frame sent → the first animation frame after the reply was handled (what the applicant sees)
  bytes    the reply frame's size
  blocked  main-thread long tasks (> 50 ms, PerformanceObserver) per key, summed
Target: painted p95 < 100 ms with 30 people, the draft saved while typing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _app import CHROMIUM_ARGS, machine_note, percentile, running_app  # noqa: E402

DEMO_EMAIL, DEMO_PASSWORD = "demo@example.com", "Demo@2026pass"

INIT_SCRIPT = """
(() => {
  const log = (window.__keys = { sent: [], received: [], painted: [], long: [] });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const send = this.send.bind(this);
      this.send = (data) => {
        const text = typeof data === "string" ? data : "";
        const m = text.match(/\\.(set_person|type_pinyin|leave_person)"/);
        if (m) log.sent.push({ t: performance.now(), name: m[1] });
        return send(data);
      };
      this.addEventListener("message", (e) => {
        const size = typeof e.data === "string" ? e.data.length : (e.data.byteLength || 0);
        if (size < 8) return;  // engine.io pings
        const t = performance.now();
        log.received.push({ t, size });
        setTimeout(() => requestAnimationFrame(() => log.painted.push({ of: t, t: performance.now() })), 0);
      });
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) log.long.push({ t: e.startTime, d: e.duration });
  }).observe({ entryTypes: ["longtask"] });
})();
"""


def seed_drafts(data_dir: Path) -> dict[str, int]:
    """The demo enterprise's two drafts at 团组信息 (tests/e2e/seed.py `drafts`, against the app's data)."""
    from tests.e2e.seed import run_seed

    return run_seed(str(data_dir), "drafts", DEMO_EMAIL)


def measure(page, url: str, app_id: int, people: int, field: str, keys: int) -> dict[str, list[float]]:
    page.goto(f"{url}/apply/{app_id}", wait_until="load")
    heading = page.get_by_role("heading", name=f"人员信息{people}", exact=True)
    heading.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    target = page.locator(f"#p{people - 1}-{field}")
    target.scroll_into_view_if_needed()
    target.click()
    target.press("End")
    page.evaluate("() => { const l = window.__keys; l.sent.length = l.received.length = l.painted.length = 0;"
                  " l.long.length = 0; }")
    for k in range(keys):
        page.keyboard.type("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[k % 26])
        page.wait_for_timeout(700)
    page.wait_for_timeout(1000)
    log = page.evaluate("() => window.__keys")
    rtt, painted, size = [], [], []
    for sent in log["sent"]:
        reply = next((r for r in log["received"] if r["t"] > sent["t"]), None)
        if reply is None:
            continue
        rtt.append(reply["t"] - sent["t"])
        size.append(reply["size"])
        paint = next((p for p in log["painted"] if p["of"] == reply["t"]), None)
        if paint:
            painted.append(paint["t"] - sent["t"])
    blocked = sum(e["d"] for e in log["long"])
    return {"rtt": rtt, "painted": painted, "bytes": size, "blocked": [blocked / max(keys, 1)],
            "events": [len(log["sent"])], "replies": [len(rtt)]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(machine_note(), flush=True)
    with running_app() as app:
        assert app.data_dir is not None
        drafts = seed_drafts(app.data_dir)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            context.add_init_script(INIT_SCRIPT)
            page = context.new_page()
            page.goto(f"{app.url}/login")
            page.get_by_placeholder("请输入邮箱账号").fill(DEMO_EMAIL)
            page.get_by_placeholder("请输入密码").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="确认").click()
            page.get_by_role("button", name="账户菜单").wait_for(timeout=30_000)
            print(f"\n{'draft':<12}{'field':<12}{'events':>7}{'replies':>8}{'rtt p50/p95 ms':>18}"
                  f"{'painted p50/p95 ms':>22}{'reply bytes p50':>17}{'long tasks ms/key':>19}")  # fmt: skip
            for people in (1, 30):
                for field in ("home_address", "pinyin"):
                    r = measure(page, app.url, drafts[str(people)], people, field, args.keys)

                    def pair(xs):
                        return f"{percentile(xs, 50):.0f} / {percentile(xs, 95):.0f}" if xs else "-"

                    print(f"{str(people) + ' people':<12}{field:<12}{r['events'][0]:>7}{r['replies'][0]:>8}"
                          f"{pair(r['rtt']):>18}{pair(r['painted']):>22}"
                          f"{percentile(r['bytes'], 50) if r['bytes'] else 0:>17.0f}{r['blocked'][0]:>19.1f}",
                          flush=True)  # fmt: skip
            browser.close()
    print("\n" + machine_note())


if __name__ == "__main__":
    main()
