"""On a phone (390×844), as applicants open links from emails: 用户中心 → 申请单详情 → 收银台 without sideways
scrolling, lists as cards, every link and button of the page's content at least 44 px tall."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import seed_payable, sign_in

PHONE = {"width": 390, "height": 844}

SMALL_TARGETS = """main => [...main.querySelectorAll('a, button, summary, [role=tab]')]
    .filter(e => e.offsetParent !== null && !e.disabled)
    .map(e => [e.textContent.trim().slice(0, 20), Math.round(e.getBoundingClientRect().height)])
    .filter(([, h]) => h < 44)"""


def fits(page: Page, where: str) -> None:
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{where}: the page is {width} px wide in a {PHONE['width']} px screen"
    small = page.locator("main").evaluate(SMALL_TARGETS)
    assert small == [], f"{where}: targets under 44 px: {small}"


def test_user_center_detail_and_cashier_on_a_phone(browser, base_url: str, request):
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("needs the instance's data directory")
    _, one = seed_payable(data_dir, "demo@example.com")  # the 1-person application: ¥ 770
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, base_url, "demo@example.com", "Demo@2026pass")
        page.goto(f"{base_url}/user")
        row = page.get_by_role("row").filter(has_text=one["number"])
        expect(row).to_be_visible()
        # A card, not a table row: each value under its column's name, the columns' header hidden.
        expect(page.get_by_role("columnheader", name="团组名称/申请人")).to_be_hidden()
        box = row.bounding_box()
        assert box and box["width"] <= PHONE["width"] - 20 and box["height"] > 150
        fits(page, "用户中心")

        row.get_by_role("link", name="查看详情").click()
        expect(page.get_by_role("heading", name="申请单详情")).to_be_visible()
        expect(page.get_by_text(f"申请单号：{one['number']}")).to_be_visible()
        fits(page, "申请单详情")

        page.get_by_role("link", name="上传支付凭证").click()
        expect(page.get_by_text("应付金额：¥ 770 (制卡费¥720+外办代办费¥50)")).to_be_visible()
        expect(page.get_by_text("支持jpg、jpeg格式，文件大小需小于5M")).to_be_visible()
        fits(page, "收银台")
    finally:
        context.close()
