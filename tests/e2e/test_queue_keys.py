"""审核工作台 on the demo data: each reviewer sees only the queues their institution can hold, as readable chips
with counts (the chosen one pressed); J / K move through the queue and Enter opens the chosen application;
every chart's labels are readable at 1366 and at 390 px (no label over another, over the legend, or cut off),
and 各环节平均用时 has bars.

With SCREENSHOTS=<folder> the dashboard's screenshots at both widths are saved there (docs/screenshots)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.helpers import sign_in_staff, staff_sign_in

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

CHIP_SIZE = """el => {
    const box = el.getBoundingClientRect();
    return [parseFloat(getComputedStyle(el.querySelector('span') || el).fontSize), box.height];
}"""

# Every text of a chart (axis ticks, legend items) as boxes, and the figure's own box, to find overlaps and cuts.
CHART_TEXTS = """figure => {
    const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const ticks = [...figure.querySelectorAll('text.recharts-cartesian-axis-tick-value')]
        .filter((t) => t.textContent.trim() !== '')
        .map((t) => [t.textContent.trim(), box(t), t.closest('[class*=xAxis]') ? 'x' : 'y']);
    const legend = [...figure.querySelectorAll('.recharts-legend-item')].map((e) => [e.textContent.trim(), box(e)]);
    const svg = figure.querySelector(".recharts-wrapper > svg.recharts-surface");
    return {ticks, legend, figure: box(figure), svg: svg ? box(svg) : null,
            bars: figure.querySelectorAll('.recharts-bar-rectangle path, .recharts-bar-rectangle rect').length};
}"""


def queues(page: Page) -> Locator:
    return page.get_by_role("group", name="审核队列")


def overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def inside(inner, outer) -> bool:
    return inner[0] >= outer[0] - 0.5 and inner[2] <= outer[2] + 0.5 and inner[1] >= outer[1] - 0.5


def check_charts(page: Page, where: str) -> dict[str, dict]:
    """Every chart drawn, every label inside its chart and clear of the others; returns what was measured."""
    figures = page.get_by_role("figure")
    expect(figures).to_have_count(4)
    found = {}
    for i in range(figures.count()):
        figure = figures.nth(i)
        name = figure.get_attribute("aria-label") or ""
        expect(figure.locator(".recharts-wrapper > svg.recharts-surface")).to_be_visible()
        texts = figure.evaluate(CHART_TEXTS)
        found[name] = texts
        assert texts["ticks"], f"{where} {name}: no axis labels"
        for label, box, _ in texts["ticks"]:
            assert inside(box, texts["svg"]), f"{where} {name}: label {label!r} cut off ({box} vs {texts['svg']})"
        for j, (a, box_a, axis_a) in enumerate(texts["ticks"]):
            for b, box_b, axis_b in texts["ticks"][j + 1 :]:
                if axis_a == axis_b:
                    assert not overlap(box_a, box_b), f"{where} {name}: labels {a!r} and {b!r} overlap"
            for item, legend_box in texts["legend"]:
                assert not overlap(box_a, legend_box), f"{where} {name}: legend {item!r} over label {a!r}"
    return found


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_a_jiangsu_reviewer_sees_only_the_queues_of_a_fao_as_readable_chips(page: Page, base_url: str, browser):
    page.set_viewport_size(DESKTOP)
    staff_sign_in(page, base_url, "reviewer_js")
    chips = queues(page)
    expect(chips.get_by_role("button", name=re.compile("^外办审核中"))).to_be_visible()
    expect(chips.get_by_role("button", name=re.compile("外交部审核中"))).to_have_count(0)
    # Nor in the 状态 filter.
    expect(page.get_by_label("状态").locator("option", has_text="外交部审核中")).to_have_count(0)
    expect(page.get_by_label("状态").locator("option", has_text="外办审核中")).to_have_count(1)

    everything = chips.get_by_role("button", name=re.compile(r"^全部\s*\d+$"))
    mailed = chips.get_by_role("button", name=re.compile(r"^已邮寄\s*\d+$"))
    expect(everything).to_have_attribute("aria-pressed", "true")
    expect(mailed).to_have_attribute("aria-pressed", "false")
    for chip in (everything, mailed):
        font, height = chip.evaluate(CHIP_SIZE)
        assert font >= 14 and height >= 32, f"chip {chip.inner_text()!r}: {font} px text, {height} px tall"
    count = int(re.sub(r"\D", "", mailed.inner_text()))
    assert count > 0  # the demo history has mailed cards
    mailed.click()
    expect(mailed).to_have_attribute("aria-pressed", "true")
    expect(everything).to_have_attribute("aria-pressed", "false")
    rows = page.get_by_role("grid", name="申请单列表").get_by_role("row").filter(has=page.get_by_role("link"))
    expect(rows).to_have_count(min(count, 20))
    for i in range(rows.count()):
        expect(rows.nth(i)).to_contain_text("已邮寄")
    mailed.click()  # again: the whole list
    expect(everything).to_have_attribute("aria-pressed", "true")

    # The Ministry's reviewer: 外交部审核中, and no 外办 queue.
    ministry = browser.new_context(viewport=DESKTOP).new_page()
    staff_sign_in(ministry, base_url, "reviewer_mfa")
    expect(queues(ministry).get_by_role("button", name=re.compile("^外交部审核中"))).to_be_visible()
    expect(queues(ministry).get_by_role("button", name=re.compile("外办审核中"))).to_have_count(0)
    ministry.context.close()


def test_queue_chips_are_touch_targets_on_a_phone(browser: Browser, base_url: str):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        staff_sign_in(page, base_url, "reviewer_js")
        chips = queues(page).get_by_role("button")
        expect(chips.first).to_be_visible()
        for i in range(chips.count()):
            font, height = chips.nth(i).evaluate(CHIP_SIZE)
            assert font >= 14 and height >= 44, f"chip {chips.nth(i).inner_text()!r}: {font} px, {height} px tall"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_j_and_k_move_through_the_queue_and_enter_opens_the_chosen_application(page: Page, base_url: str):
    page.set_viewport_size(DESKTOP)
    staff_sign_in(page, base_url, "reviewer_js")
    rows = page.get_by_role("grid", name="申请单列表").get_by_role("row").filter(has=page.get_by_role("link"))
    expect(rows.nth(2)).to_be_visible()
    page.locator("body").click(position={"x": 5, "y": 5})  # nothing focused

    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "true")
    expect(rows.nth(0)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(2)).to_have_attribute("aria-selected", "true")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("k")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    expect(rows.nth(2)).to_have_attribute("aria-selected", "false")
    # The chosen row is marked by an outline, not by colour alone.
    assert rows.nth(1).evaluate("el => getComputedStyle(el).outlineStyle") == "solid"

    # Typing a j into a field types it: the selection stays.
    number_field = page.get_by_label("申请单号")
    number_field.click()
    page.keyboard.type("jk")
    expect(number_field).to_have_value("jk")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    number_field.fill("")

    number = rows.nth(1).get_by_role("link").inner_text()
    rows.nth(1).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/applications/\d+$"))
    expect(page.get_by_role("heading", name=f"申请单 {number}")).to_be_visible()


def test_every_chart_is_readable_at_1366_and_390_px(browser: Browser, base_url: str):
    for viewport, name in ((DESKTOP, "staff-1366.png"), (PHONE, "staff-390.png")):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            sign_in_staff(page, base_url)
            expect(page.get_by_role("heading", name="审核工作台")).to_be_visible()
            page.wait_for_load_state("networkidle")
            found = check_charts(page, f"{viewport['width']} px")
            # 各环节平均用时 has data on the demo set: a bar per stage the demo history went through.
            assert found["各环节平均用时（中位数，天）"]["bars"] >= 5
            assert found["各经济体审核用时（近12个月，天）"]["bars"] > 0
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            screenshot(page, name)
        finally:
            context.close()
