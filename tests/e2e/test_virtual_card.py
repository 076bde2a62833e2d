"""The virtual ABTC in Chromium: the holder opens the link mailed when the card was issued, enters the code sent
to the same address and sees the card on a 390 px phone screen; the enterprise account opens it from 我的APEC卡;
a border officer pastes a cancelled card's QR content into /verify and is told it is cancelled; /verify/offline
checks signatures in the browser, without a network once loaded."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import AXE, Audit
from tests.e2e.helpers import mail_text, sign_in, unique
from tests.e2e.seed import run_seed

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("E2E_SCREENSHOTS", "")  # a folder to keep the pages' screenshots in, when set


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture(scope="module")
def issued(base_url, request):
    """张伟's card issued by a reviewer (every economy decided, 澳大利亚 refused; 开始制卡; 已邮寄) with a fresh
    email address of their own; and the QR content of 王芳's card, since cancelled."""
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("set APEC_DATA_DIR to the --base-url instance's data directory")
    holder = f"{unique('holder')}@example.com"
    return run_seed(data_dir, "virtual_card", holder) | {"email": holder}


@pytest.fixture()
def axe():
    """axe-core on the card pages (no serious or critical violation), as tests/e2e/test_accessibility.py does."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/bootstrap.sh --dev")
    return Audit()


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_holder_opens_the_emailed_link_with_the_code_and_sees_the_card_on_a_phone(
    browser: Browser, base_url, issued, axe: Audit
):
    # The seed issued the card from its own process, whose PUBLIC_URL may not be this instance's: follow the path.
    path = mail_text(browser, base_url, issued["email"], r"打开虚拟卡：http\S+?(/abtc/[A-Za-z0-9_-]+)").group(1)
    link = f"{base_url}{path}"
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(link)
        expect(page.get_by_role("heading", name="虚拟APEC商务旅行卡")).to_be_visible()
        # Nothing of the card before the code.
        expect(page.get_by_text(issued["passport"])).to_have_count(0)
        axe.check(page, "holder code form 390")
        page.get_by_role("button", name="发送验证码").click()
        code = mail_text(browser, base_url, issued["email"], r"验证码是 (\d{6})").group(1)
        page.get_by_label("邮箱验证码").fill(code)
        page.get_by_role("button", name="查看虚拟卡").click()

        expect(page.get_by_role("status", name="卡状态")).to_have_text("有效 Valid")
        expect(page.get_by_text("张伟", exact=True)).to_be_visible()
        expect(page.get_by_text(issued["pinyin"], exact=True)).to_be_visible()
        expect(page.get_by_text(issued["passport"], exact=True)).to_be_visible()
        expect(page.get_by_text(issued["card_number"], exact=True)).to_be_visible()
        for label in ("姓名拼音", "性别", "出生日期", "国籍", "护照号码", "卡号", "有效期至"):
            expect(page.get_by_text(label, exact=True)).to_be_visible()
        economies = page.get_by_role("list", name="已获预先批准的经济体")
        expect(economies).to_contain_text("日本")
        expect(economies).to_contain_text("韩国")
        expect(economies).not_to_contain_text("澳大利亚")  # refused: never shown
        expect(page.get_by_role("img", name="边检核验二维码")).to_be_visible()
        expect(page.get_by_role("img", name="持卡人照片")).to_be_visible()
        no_sideways_scroll(page)
        shot(page, "holder-390")
        axe.check(page, "holder card 390")

        # A reload in the same tab shows the card again without a new code.
        page.reload()
        expect(page.get_by_text(issued["card_number"], exact=True)).to_be_visible()
        # Another browser with the same link sees only the code form.
        other = browser.new_context(viewport=PHONE).new_page()
        other.goto(link)
        expect(other.get_by_label("邮箱验证码")).to_be_visible()
        expect(other.get_by_text(issued["card_number"], exact=True)).to_have_count(0)
        other.context.close()
    finally:
        context.close()
    axe.assert_clean()


def test_the_enterprise_opens_the_card_from_my_cards(browser: Browser, base_url, issued):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, base_url, "demo@example.com", "Demo@2026pass")
        page.goto(f"{base_url}/user")
        page.get_by_role("tab", name="我的APEC卡").click()
        page.get_by_role("link", name="虚拟卡 张伟").click()
        expect(page.get_by_text(issued["card_number"], exact=True)).to_be_visible()
        expect(page.get_by_role("list", name="已获预先批准的经济体")).not_to_contain_text("澳大利亚")
        expect(page.get_by_role("img", name="边检核验二维码")).to_be_visible()
        shot(page, "account-1366")
    finally:
        context.close()


def test_verify_shows_a_cancelled_card_as_cancelled(browser: Browser, base_url, issued, axe: Audit):
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/verify")
        field = page.get_by_label("二维码内容 QR content")
        field.fill(issued["cancelled_token"])
        page.get_by_role("button", name="核验 Verify").click()
        expect(page.get_by_role("status", name="核验结果")).to_have_text("已注销 Cancelled")
        expect(page.get_by_text(issued["cancelled_card"], exact=True)).to_be_visible()
        no_sideways_scroll(page)
        shot(page, "verify-cancelled-390")
        axe.check(page, "verify 390")
        # The same content with one character changed is refused as altered.
        token = issued["cancelled_token"]
        field.fill(token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:])  # inside the signature: still base64
        page.get_by_role("button", name="核验 Verify").click()
        expect(page.get_by_role("alert")).to_contain_text("签名无效")
        expect(page.get_by_role("status", name="核验结果")).to_have_count(0)
    finally:
        context.close()
    axe.assert_clean()


def test_a_signed_out_visitor_opening_an_account_card_is_sent_to_sign_in(page: Page, base_url, issued):
    page.goto(f"{base_url}/user/cards/1")
    expect(page).to_have_url(re.compile(r"/login/?$"))
    expect(page.get_by_text(issued["card_number"], exact=True)).to_have_count(0)


def test_the_offline_page_checks_signatures_in_the_browser_and_asks_the_server_when_online(
    browser: Browser, base_url, issued, axe: Audit
):
    context = browser.new_context(viewport=PHONE)
    try:
        start = context.new_page()
        start.goto(f"{base_url}/verify")
        with context.expect_page() as opened:
            start.get_by_role("link", name="离线核验 Offline check").click()
        page = opened.value
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        field = page.get_by_label("二维码内容 QR content")
        result = page.get_by_role("status", name="核验结果")
        # Online: the signature in the browser, then the server says the card was cancelled.
        field.fill(issued["cancelled_token"])
        page.get_by_role("button", name="核验 Verify").click()
        expect(result).to_have_text("已注销 Cancelled")
        expect(page.get_by_text("服务器已确认")).to_be_visible()
        axe.check(page, "verify offline page 390")
        # No network: the signature is still checked, and the page says the standing was not confirmed.
        context.set_offline(True)
        field.fill(issued["valid_token"])
        page.get_by_role("button", name="核验 Verify").click()
        expect(result).to_have_text("有效 Valid")
        expect(page.get_by_text(issued["card_number"], exact=True)).to_be_visible()
        expect(page.get_by_text("未能向服务器确认")).to_be_visible()
        expect(page.get_by_role("list", name="已获预先批准的经济体 Pre-cleared economies")).to_contain_text("Japan")
        token = issued["valid_token"]
        field.fill(token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:])  # inside the signature: still base64
        page.get_by_role("button", name="核验 Verify").click()
        expect(page.get_by_role("alert")).to_contain_text("签名无效")
        expect(result).to_be_hidden()
        no_sideways_scroll(page)
        shot(page, "verify-offline-390")
    finally:
        context.close()
    axe.assert_clean()
