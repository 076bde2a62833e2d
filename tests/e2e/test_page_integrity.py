"""What a page shows is its own, from the first frame, and nothing typed is lost.

The server's answers are held back (each websocket message from the server is delivered 1.2 s late, through
Playwright's websocket routing) while the test samples the page every ~25 ms:
- moving from application A's detail and 收银台 to B's 收银台 and B's detail, A's number, names and amount never
  appear on B's pages;
- reloading a signed-in page never shows 【登录】, and 【立即办理】 never points to the sign-in form;
and, with the normal connection, what is typed into three fields (the last one never left) is all there after a
reload 1.5 s later.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from pathlib import Path

import pytest
from playwright.async_api import async_playwright
from playwright.sync_api import Page, expect

from tests.e2e.helpers import seed_payable, sign_in
from tests.processes import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
DELAY = 1.2


def run_async(coro):
    """An async Playwright session in a thread of its own (the sync fixtures own this thread's loop)."""
    result: dict = {}

    def target():
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(300)
    if "error" in result:
        raise result["error"]
    return result.get("value")


class SlowLine:
    """Routes the app's websocket through the test and delivers each server message `delay` seconds late."""

    def __init__(self) -> None:
        self.delay = 0.0

    async def attach(self, page) -> None:
        async def route(ws):
            server = ws.connect_to_server()
            queue: asyncio.Queue = asyncio.Queue()

            async def pump():
                while True:
                    due, message = await queue.get()
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                    ws.send(message)

            task = asyncio.get_running_loop().create_task(pump())
            ws.on_close(lambda *_: task.cancel())
            server.on_message(lambda message: queue.put_nowait((time.monotonic() + self.delay, message)))
            ws.on_message(lambda message: server.send(message))

        await page.route_web_socket(re.compile(r".*/_event.*"), route)


async def sample_until(page, done_text: str, seconds: float = 20) -> list[str]:
    """The page's text every ~25 ms until `done_text` shows (then once more)."""
    samples, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = await page.evaluate("document.body ? document.body.innerText : ''")
        samples.append(text)
        if done_text in text:
            return samples
        await asyncio.sleep(0.025)
    raise AssertionError(f"{done_text!r} never appeared")


async def signed_in_page(base_url: str, line: SlowLine):
    pw = await async_playwright().start()
    browser = await pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                       args=CHROMIUM_ARGS)  # fmt: skip
    page = await (await browser.new_context()).new_page()
    await line.attach(page)
    await page.goto(f"{base_url}/login")
    await page.get_by_placeholder("请输入邮箱账号").fill("demo@example.com")
    await page.get_by_placeholder("请输入密码").fill("Demo@2026pass")
    await page.get_by_role("button", name="确认").click()
    await page.get_by_role("button", name="账户菜单").wait_for()
    return pw, browser, page


def test_a_page_never_shows_another_applications_data(base_url, request):
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("needs the instance's data directory")
    a, b = seed_payable(data_dir, "demo@example.com")  # A: 2 people (¥1540), B: 1 person (¥770)
    a_marks = [a["number"], *a["names"], "1540", "1,540"]

    async def scenario():
        line = SlowLine()
        pw, browser, page = await signed_in_page(base_url, line)
        try:
            await page.goto(f"{base_url}/user/applications/{a['id']}")
            await page.get_by_text(a["number"]).first.wait_for()
            await page.goto(f"{base_url}/user/applications/{a['id']}/pay")
            await page.get_by_text("¥ 1540").first.wait_for()
            line.delay = DELAY
            seen = {}
            # B's 收银台 by a link of the list (a client-side navigation) and by address; then B's detail.
            await page.get_by_role("link", name="用户中心").click()
            await page.get_by_role("link", name="上传支付凭证").first.wait_for(timeout=20_000)
            await page.locator(f'a[href="/user/applications/{b["id"]}/pay"]').click()
            seen["B 收银台 (link)"] = await sample_until(page, b["number"])
            await page.goto(f"{base_url}/user/applications/{a['id']}/pay")
            await page.get_by_text("¥ 1540").first.wait_for(timeout=20_000)
            await page.goto(f"{base_url}/user/applications/{b['id']}/pay")
            seen["B 收银台 (address)"] = await sample_until(page, b["number"])
            await page.goto(f"{base_url}/user/applications/{b['id']}")
            seen["B 申请单详情"] = await sample_until(page, b["number"])
            return seen
        finally:
            await browser.close()
            await pw.stop()

    seen = run_async(scenario())
    for where, samples in seen.items():
        leaked = sorted({mark for text in samples for mark in a_marks if mark in text})
        assert leaked == [], f"{where}: A's {leaked} shown while B's page loaded ({len(samples)} samples)"
        assert len(samples) > 5  # the page really was sampled while it loaded


def test_a_signed_in_user_never_sees_the_sign_in_link(base_url):
    async def scenario():
        line = SlowLine()
        pw, browser, page = await signed_in_page(base_url, line)
        try:
            line.delay = DELAY
            headers, targets = [], set()
            await page.goto(f"{base_url}/")
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                headers.append(await page.evaluate("document.querySelector('header')?.innerText || ''"))
                hrefs = await page.evaluate(
                    "[...document.querySelectorAll('a')].filter(a => a.innerText.includes('立即办理'))"
                    ".map(a => a.getAttribute('href'))"
                )
                targets.update(hrefs)
                if "用户中心" in headers[-1]:
                    break
                await asyncio.sleep(0.02)
            return headers, targets
        finally:
            await browser.close()
            await pw.stop()

    headers, targets = run_async(scenario())
    assert "用户中心" in headers[-1] and len(headers) > 5
    assert [h for h in headers if "登录" in h] == []
    assert targets and "/login" not in targets


def test_typing_survives_a_reload_without_leaving_the_field(page: Page, base_url: str):
    sign_in(page, base_url, "demo@example.com", "Demo@2026pass")
    page.goto(f"{base_url}/apply/new-renew")
    page.get_by_label("办理机构").select_option(label="江苏省人民政府外事办公室")
    page.get_by_role("checkbox", name="我已阅读并知晓").click()
    page.get_by_role("button", name="立即办理").click()
    expect(page).to_have_url(re.compile(r"/apply/\d+$"))
    typed = {"员工人数": "321", "经营范围": "跨境电子商务与物流", "与APEC经济体来往情况": "长期对日贸易"}
    for label, value in typed.items():
        field = page.get_by_label(label, exact=True)
        field.click()
        field.press_sequentially(value, delay=30)
    # The last field is still focused: nothing but typing has happened.
    page.wait_for_timeout(1500)
    page.reload()
    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
