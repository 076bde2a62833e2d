"""Scale-out: two backend worker processes behind one port, Reflex state in Redis, data in PostgreSQL.

a. A signed-in user's session and wizard survive their events landing on another worker process.
b. When the worker process serving a user is killed (SIGKILL) mid-wizard, the page reconnects by itself to a
   worker that is alive, what was typed is still there, the next event works, and the server replaces the
   worker.

Which worker process served which of the user's connections is read from the access log (see conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.files import png
from tests.e2e.helpers import sign_in
from tests.scale.conftest import WORKERS, ScaledApp

pytestmark = pytest.mark.scale

DEMO_EMAIL, DEMO_PASSWORD = "demo@example.com", "Demo@2026pass"
UNIT = {
    "员工人数": "120",
    "注册资金（人民币万元）": "1223",
    "上年度资产总额（人民币万元）": "23",
    "上年度营业额（人民币万元）": "34",
    "上年度应纳税额（人民币万元）": "45",
    "上年度负债率（%）": "20",
    "上年度进出口贸易额（人民币万元）": "22222",
    "经营范围": "通讯设备",
    "与APEC经济体来往情况": "经常往来",
}
WIZARD_STATE = "wizard___state____wizard_state"  # apec_app/pages/wizard/state.py WizardState


def new_user_page(browser: Browser, name: str) -> tuple[Page, str]:
    """A browser context of its own; its user agent marks its lines in the access log."""
    user_agent = f"Mozilla/5.0 (X11; Linux x86_64) apec-scale-test/{name}-{secrets.token_hex(4)}"
    context = browser.new_context(user_agent=user_agent)
    return context.new_page(), user_agent


def current_step(page: Page):
    return page.get_by_role("list", name="办理进度").locator("[aria-current=step]")


def wait_saved(app: ScaledApp, application_id: int, section: str, key: str, value: str, timeout: float = 15) -> None:
    """Wait until the shared database holds the typed value in the draft (every change is saved at once)."""
    deadline = time.monotonic() + timeout
    form: dict = {}
    while time.monotonic() < deadline:
        form = json.loads(app.draft_form(application_id) or "{}")
        if form.get(section, {}).get(key) == value:
            return
        time.sleep(0.2)
    raise AssertionError(
        f"draft {application_id} has {section}.{key}={form.get(section, {}).get(key)!r}, not {value!r}"
    )


def wizard_at_group_step(page: Page, app: ScaledApp, tmp_path, group_name: str) -> int:
    """Sign in as the demo enterprise, start a 新办/续办 application, fill 单位信息 with its materials, go on to
    团组信息 and type the 团组名称. Returns the application id."""
    sign_in(page, app.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(f"{app.url}/apply/new-renew")
    page.get_by_label("办理机构").select_option(label="江苏省人民政府外事办公室")
    page.get_by_role("checkbox", name="我已阅读并知晓").click()
    page.get_by_role("button", name="立即办理").click()
    expect(page).to_have_url(re.compile(r"/apply/\d+$"))
    application_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(current_step(page)).to_contain_text("单位信息")
    for label, value in UNIT.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("成立日期").fill("2010-03-13")
    page.get_by_label("成立日期").blur()
    material = png(tmp_path / "material.png")
    for upload_id in ("material-1", "material-2"):
        page.locator(f"#{upload_id} input[type=file]").set_input_files(str(material))
    expect(page.get_by_text("已上传：material.png")).to_have_count(2)
    page.get_by_role("button", name="下一步").click()
    expect(current_step(page)).to_contain_text("团组信息")
    page.get_by_label("团组名称").fill(group_name)
    page.get_by_label("团组名称").blur()
    wait_saved(app, application_id, "group", "group_name", group_name)
    return application_id


def test_session_and_wizard_survive_events_on_another_worker(scaled_app: ScaledApp, browser: Browser, tmp_path):
    page, agent = new_user_page(browser, "switch")
    group_name = f"赴新加坡商务考察团{secrets.token_hex(2)}"
    application_id = wizard_at_group_step(page, scaled_app, tmp_path, group_name)
    worker = scaled_app.sockets(agent)[-1]
    token = page.evaluate("window.sessionStorage.getItem('token')")

    # Reload until the page's new websocket (its events) is accepted by another worker process while the tab
    # keeps its Reflex client token (so the very same tab state is now served by the other worker): each new
    # connection goes to one of the workers' listening sockets, so a few reloads reach the other one. Once the
    # reloaded page shows the draft (hydrated and loaded over its websocket), its websocket is the newest one.
    for _ in range(15):
        count = len(scaled_app.sockets(agent))
        page.reload()
        scaled_app.wait_for_socket(agent, count + 1)
        expect(page.get_by_label("团组名称")).to_have_value(group_name)
        now, now_token = scaled_app.sockets(agent)[-1], page.evaluate("window.sessionStorage.getItem('token')")
        if now != worker and now_token == token:
            break
        worker, token = now, now_token
    else:
        pytest.fail(f"15 reloads did not move the tab to another worker:\n{scaled_app.tail()}")
    sockets = len(scaled_app.sockets(agent))

    # On the other worker: still signed in, still on 团组信息, with the typed value.
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()
    expect(current_step(page)).to_contain_text("团组信息")
    expect(page.get_by_label("团组名称")).to_have_value(group_name)
    # And the next event, handled by that worker (over the same websocket: no new one was opened), works.
    page.get_by_label("联系人姓名").fill("王跨进")
    page.get_by_label("联系人姓名").blur()
    wait_saved(scaled_app, application_id, "group", "contact_name", "王跨进")
    expect(page.get_by_role("status").filter(has_text="草稿已自动保存")).to_be_visible()
    assert len(scaled_app.sockets(agent)) == sockets and scaled_app.sockets(agent)[-1] == now

    # The same tab state was served by both workers: it lives in the shared Redis, not in a worker, with what
    # was typed in it.
    assert page.evaluate("window.sessionStorage.getItem('token')") == token
    state = scaled_app.redis_state(token, WIZARD_STATE, group_name, "王跨进")
    assert group_name.encode() in state and "王跨进".encode() in state
    # Only the states of the pages this tab used are stored for it: no admin's, reviewer's or officer's page.
    stored = scaled_app.redis_state_names(token)
    assert any(name.endswith(WIZARD_STATE) for name in stored)
    assert not [name for name in stored if re.search("admin|staff|economy_portal|followup|account_settings", name)]

    # At least two distinct worker processes served this user's events (websockets and uploads).
    served = set(scaled_app.sockets(agent)) | set(scaled_app.uploads(agent))
    assert {worker, now} <= served and len(served) >= 2
    assert served <= set(scaled_app.spawned_workers()), "every connection was served by a worker process"
    page.context.close()


def test_user_continues_when_their_worker_is_killed(scaled_app: ScaledApp, browser: Browser, tmp_path):
    workers = scaled_app.wait_for_workers(WORKERS)
    page, agent = new_user_page(browser, "kill")
    group_name = f"赴东盟市场拓展团{secrets.token_hex(2)}"
    application_id = wizard_at_group_step(page, scaled_app, tmp_path, group_name)
    page.get_by_label("联系人姓名").fill("李继续")
    page.get_by_label("联系人姓名").blur()
    wait_saved(scaled_app, application_id, "group", "contact_name", "李继续")

    victim = scaled_app.sockets(agent)[-1]
    assert victim in workers, f"the page's websocket is served by worker {victim} (workers {workers})"
    count = len(scaled_app.sockets(agent))
    seen = len(scaled_app.access(agent))
    os.kill(victim, signal.SIGKILL)

    # The same page, not reloaded, reconnects by itself to a worker that is alive.
    scaled_app.wait_for_socket(agent, count + 1)
    expect(page.get_by_label("团组名称")).to_have_value(group_name)
    survivor = scaled_app.sockets(agent)[-1]
    assert survivor != victim and survivor in scaled_app.spawned_workers()
    assert not [a for a in scaled_app.access(agent)[seen:] if a.method == "GET"], "no page was loaded again"
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()
    expect(current_step(page)).to_contain_text("团组信息")
    expect(page.get_by_label("联系人姓名")).to_have_value("李继续")
    # The next event works (over that new websocket).
    sockets = len(scaled_app.sockets(agent))
    page.get_by_label("联系人电话").fill("15412341234")
    page.get_by_label("联系人电话").blur()
    wait_saved(scaled_app, application_id, "group", "contact_phone", "15412341234")
    assert len(scaled_app.sockets(agent)) == sockets
    # Reflex 0.10.1 gives the tab a new client token on this reconnect (the killed worker could not remove its
    # record of the old one, so it looks like a duplicate tab): the tab's Reflex state starts again and its
    # on_load fills it from the draft in PostgreSQL and the session cookie. That is what carries the user on.
    token = page.evaluate("window.sessionStorage.getItem('token')")
    assert group_name.encode() in scaled_app.redis_state(token, WIZARD_STATE, group_name)

    # The server kept running and replaced the killed worker.
    live = scaled_app.wait_for_workers(WORKERS)
    assert victim not in live and len(live) == WORKERS
    log = scaled_app.log_text()
    assert "Unexpected exit from worker" in log and "Respawning worker" in log
    assert scaled_app.spawned_workers()[-1] in live

    # A reload (on whichever worker) shows everything typed.
    page.reload()
    expect(page.get_by_label("团组名称")).to_have_value(group_name)
    expect(page.get_by_label("联系人姓名")).to_have_value("李继续")
    expect(page.get_by_label("联系人电话")).to_have_value("15412341234")
    page.context.close()


def test_background_jobs_run_in_every_worker_without_doubling(scaled_app: ScaledApp):
    """Every worker runs the card reminder job (at start, then hourly) and the outbox sender; the demo data has a
    card reminder due. However many workers ran them (respawned ones included), each reminder and each email
    exists once and was delivered once."""
    assert len(scaled_app.spawned_workers()) >= WORKERS
    deadline = time.monotonic() + 20
    while True:
        reminders = scaled_app.query("select card_id, kind from reminder")
        # Without SMTP (as here) a delivered email is "kept" for the development mailbox.
        pending = scaled_app.query("select id, subject from outbox_email where sent_at is null and not kept")
        mails = scaled_app.query("select to_address, subject, count(*) from outbox_email group by 1, 2")
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert reminders, "the demo data has a card reminder due"
    assert len(set(reminders)) == len(reminders)
    assert not pending, f"mail not delivered: {pending}"
    assert [m for m in mails if m[2] != 1] == [], "each email queued once"
    log = scaled_app.log_text()
    assert sum(int(n) for n in re.findall(r"sent (\d+) card reminders", log)) == len(reminders)
    for to_address, subject, _ in mails:
        assert log.count(f"mail kept (no SMTP configured) to={to_address} subject={subject}") == 1, subject
