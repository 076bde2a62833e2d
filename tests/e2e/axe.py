"""axe-core run in a page under test: the blocking (serious, critical) violations kept for one assertion.

axe-core is the npm package bootstrap.sh installs into .tools (its axe.min.js is injected into the page).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / ".tools" / "node_modules" / "axe-core" / "axe.min.js"

BLOCKING = ("serious", "critical")

# Finite CSS animations and transitions still running (infinite ones, e.g. a spinner, never end).
SETTLING = """() => document.getAnimations().every(
    a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""

RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')).slice(0, 8),
        count: v.nodes.length,
    }));
}"""


class Audit:
    """Runs axe on each page state it is shown and keeps the blocking violations for one assertion at the end,
    so one run reports every page."""

    def __init__(self) -> None:
        self.blocking: list[str] = []
        self.pages: list[str] = []

    def check(self, page: Page, where: str) -> None:
        page.wait_for_function(SETTLING, timeout=5000)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        self.pages.append(where)
        for v in violations:
            line = f"[{where}] {v['impact']} {v['id']} ({v['count']}×): {v['help']}"
            details = "".join(f"\n      {n}" for n in v["nodes"])
            print(line + details)
            if v["impact"] in BLOCKING:
                self.blocking.append(line + details)

    def assert_clean(self) -> None:
        print(f"axe checked {len(self.pages)} page states: {', '.join(self.pages)}")
        assert not self.blocking, "serious/critical accessibility violations:\n" + "\n".join(self.blocking)
