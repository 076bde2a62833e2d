"""Applicant submits → reviewer approves → applicant pays → reviewer confirms → economy decisions by CSV →
applicant sees 全部经济体审核完成 and the messages → card mailed; another institution's reviewer is refused."""

from __future__ import annotations

import json
import random
import re
from datetime import date

import httpx
import pytest
from playwright.sync_api import Page, expect

from apec_app.pages.staff_review.application_state import StaffReviewState
from apec_app.states.session import SessionState
from apec_app.states.staff import StaffLoginState
from tests.e2e.files import jpeg, png
from tests.e2e.helpers import (
    fill_address,
    fill_person,
    fill_unit_step,
    new_uscc,
    quick_register,
    registered_enterprise,
    staff_sign_in,
    start_new_renew,
    unique,
)
from tests.e2e.seed import run_seed
from tests.socket_client import Tab

ECONOMIES = [
    "澳大利亚",
    "文莱",
    "智利",
    "中国香港",
    "印度尼西亚",
    "日本",
    "韩国",
    "马来西亚",
    "墨西哥",
    "新西兰",
    "巴布亚新几内亚",
    "秘鲁",
    "菲律宾",
    "俄罗斯",
    "新加坡",
    "中国台北",
    "泰国",
    "越南",
]


def confirm(reviewer: Page, number: str, *also: str) -> None:
    """The reviewer's action asks first, naming the application (and the reason or tracking number given)."""
    dialog = reviewer.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"申请单 {number}")
    for text in also:
        expect(dialog).to_contain_text(text)
    dialog.get_by_role("button", name="确定").click()
    expect(dialog).to_be_hidden()


def submit_one_person_application(page: Page, base_url: str, tmp_path) -> str:
    files = {
        "photo": jpeg(tmp_path / "photo.jpg", (300, 400)),
        "signature": jpeg(tmp_path / "sign.jpg", (400, 150)),
        "social_security": jpeg(tmp_path / "ss.jpg", (800, 1000)),
        "no_criminal_record": jpeg(tmp_path / "ncr.jpg", (800, 1000)),
        "plain_passport": jpeg(tmp_path / "pp.jpg", (1200, 850), "PASSPORT"),
    }
    start_new_renew(page, base_url)
    fill_unit_step(page, png(tmp_path / "m.png"))
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("团组名称").fill("赴日本商务团")
    page.get_by_label("联系人姓名").fill("赵六")
    page.get_by_label("联系人电话").fill("15412341234")
    page.get_by_label("申请事由").fill("商务洽谈")
    passport = f"E{random.randint(10_000_000, 99_999_999)}"
    fill_person(
        page,
        0,
        files,
        surname="王",
        given="磊",
        male=True,
        salt=random.randint(10, 99),
        birth=date(1985, 6, 15),
        passport=passport,
    )
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("radio", name="邮寄").click()
    page.get_by_role("button", name="选择地址").click()
    dialog = page.get_by_role("dialog", name="选择地址")
    fill_address(dialog, "王磊", "13900000001", "玄武区", "中山路1号")
    dialog.get_by_role("button", name="保存并使用").click()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="申请单详情")).to_be_visible(timeout=15000)
    # 申请单信息 shows 申请单号 as a label beside its value.
    number = page.get_by_text(re.compile(r"^APEC\d{14}$")).first.inner_text()
    return number + "|" + passport


def test_from_submission_to_mailed_card(page: Page, base_url: str, mailbox, browser, tmp_path):
    quick_register(page, base_url, mailbox, "闭环测试有限公司", new_uscc(), f"{unique('loop')}@example.com")
    number, passport = submit_one_person_application(page, base_url, tmp_path).split("|")
    applicant_url = page.url

    reviewer = browser.new_context().new_page()
    staff_sign_in(reviewer, base_url, "reviewer_js")
    reviewer.get_by_label("申请单号").fill(number)
    reviewer.get_by_role("button", name="查询").click()
    reviewer.get_by_role("link", name=number).click()
    expect(reviewer).to_have_url(re.compile(r"/staff/applications/\d+$"))
    expect(reviewer.get_by_role("heading", name=f"申请单 {number}")).to_be_visible()
    review_url = reviewer.url

    # Another institution's reviewer gets the not-found page for the same application.
    outsider = browser.new_context().new_page()
    staff_sign_in(outsider, base_url, "reviewer_mfa")
    outsider.goto(review_url)
    expect(outsider.get_by_role("heading", name="未找到申请单")).to_be_visible()

    reviewer.get_by_role("button", name="通过", exact=True).click()
    confirm(reviewer, number)
    expect(reviewer.get_by_text("待缴费").first).to_be_visible()

    # 收银台: 制卡费 ¥720 + 外办代办费 ¥50 for one person.
    page.goto(applicant_url)
    page.get_by_role("link", name="上传支付凭证").click()
    expect(page.get_by_text("¥ 770 (制卡费¥720+外办代办费¥50)").first).to_be_visible()
    page.locator("#voucher input[type=file]").set_input_files(str(jpeg(tmp_path / "voucher.jpg", (600, 800))))
    expect(page.get_by_text("已上传：voucher.jpg")).to_be_visible()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("提交支付凭证成功")).to_be_visible()
    expect(page.get_by_text("支付凭证确认中").first).to_be_visible()

    reviewer.reload()
    reviewer.get_by_role("button", name="确认收款").click()
    confirm(reviewer, number)
    expect(reviewer.get_by_text("APEC 经济体审核中").first).to_be_visible()

    # A CSV with one bad row is refused whole, with the row reported; the corrected file is imported.
    header = "申请单号,护照号码,经济体,审核结果,审核日期\n"
    rows = "".join(f"{number},{passport},{name},批准,2026-11-20\n" for name in ECONOMIES)
    bad = tmp_path / "bad.csv"
    bad.write_text(header + rows + f"{number},{passport},火星,批准,2026-11-20\n", encoding="utf-8-sig")
    reviewer.locator("#decisions-csv input[type=file]").set_input_files(str(bad))
    expect(reviewer.get_by_text(re.compile("第20行 经济体"))).to_be_visible()
    good = tmp_path / "good.csv"
    good.write_text(header + rows, encoding="utf-8-sig")
    reviewer.locator("#decisions-csv input[type=file]").set_input_files(str(good))
    reviewer.get_by_role("button", name="确认导入").click()
    expect(reviewer.get_by_text("已导入 18 条审核结果")).to_be_visible()
    expect(reviewer.get_by_text("全部经济体审核完成").first).to_be_visible()

    page.goto(applicant_url)
    expect(page.get_by_text("全部经济体审核完成").first).to_be_visible()
    page.goto(f"{base_url}/messages")
    name = f"赴日本商务团（{number}）"
    # The 18 decisions of the file and the status change they caused are one message, naming the person and the
    # economies that approved (a long list shortened to a count).
    expect(page.get_by_text(f"{name}：APEC经济体审核结果")).to_have_count(1)
    approved = f"{name}：王磊 获{'、'.join(ECONOMIES[:8])}等18个经济体批准。申请单状态变更为：全部经济体审核完成"
    expect(page.get_by_text(approved)).to_be_visible()

    reviewer.get_by_role("button", name="开始制卡").click()
    expect(reviewer.get_by_text("制卡中").first).to_be_visible()
    reviewer.get_by_label("快递单号").fill("SF1234567890")
    reviewer.get_by_role("button", name="已邮寄").click()
    confirm(reviewer, number, "快递单号：SF1234567890")
    expect(reviewer.get_by_text("已邮寄").first).to_be_visible()

    page.goto(applicant_url)
    expect(page.get_by_text("已邮寄").first).to_be_visible()
    expect(page.get_by_text(re.compile("快递单号 SF1234567890"))).to_be_visible()


# --- the CSV import's progress, as the reviewer's tab receives it -------------------------------------------


def test_the_import_says_how_far_it_is_while_it_runs(browser, base_url, request):
    """预览 answers 检查中… before the rows; 确认导入 first turns the button into 导入中… (disabled) with
    已处理 0 / 36 行, and only then the rows are recorded, in a worker thread; at the end the page is as before."""
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("needs the instance's data directory")
    email = registered_enterprise(browser, base_url, "csvprogress", "导入进度测试有限公司")
    seeded = run_seed(data_dir, "economy", email)
    header = "申请单号,护照号码,经济体,审核结果,审核日期\r\n"
    rows = "".join(f"{seeded['number']},{p},{e},批准,2026-11-20\r\n" for p in seeded["passports"] for e in ECONOMIES)
    tab = Tab(base_url, path="/staff/login").connect()
    try:
        tab.send(StaffLoginState, "sign_in", {"form": {"username": "reviewer_js", "password": "Review@2026pass"}})
        tab.follow()
        tab.wait_for(lambda s: tab.var(SessionState, "signed_in"))
        tab.navigate(f"/staff/applications/{seeded['id']}")
        tab.wait_for(lambda s: tab.var(StaffReviewState, "status_code") == "economy_review")
        key = StaffReviewState.get_full_name()
        answer = httpx.post(
            f"{base_url}/_upload",
            headers={"Reflex-Client-Token": tab.token, "Reflex-Event-Handler": f"{key}.preview_csv",
                     "Cookie": f"apec_session={tab.cookie('apec_session')}", "Origin": base_url},
            files={"files": ("decisions.csv", (header + rows).encode("utf-8-sig"), "text/csv")},
            timeout=60,
        )  # fmt: skip
        answer.raise_for_status()
        previewed = [json.loads(line)["delta"].get(key, {}) for line in answer.text.splitlines() if line.strip()]
        assert previewed[0]["csv_busy_rx_state_"] is True and previewed[0]["csv_progress_rx_state_"] == "检查中…"
        assert len(previewed[-1]["csv_preview_rx_state_"]) == 36 and previewed[-1]["csv_busy_rx_state_"] is False
        seen = len(tab.deltas)
        tab.send(StaffReviewState, "apply_csv")
        tab.wait_for(lambda s: tab.var(StaffReviewState, "status_code") == "economies_done")
        tab.wait_for(lambda s: tab.var(StaffReviewState, "csv_busy") is False)
        mine = [d[key] for d in tab.deltas[seen:] if key in d]
        first = mine[0]
        assert first["csv_busy_rx_state_"] is True and first["csv_applying_rx_state_"] is True
        assert first["csv_progress_rx_state_"] == "已处理 0 / 36 行"
        assert "status_code_rx_state_" not in first  # sent before anything was recorded
        assert tab.var(StaffReviewState, "csv_applying") is False and tab.var(StaffReviewState, "csv_progress") == ""
        assert tab.var(StaffReviewState, "csv_preview") == []  # the page as before, the matrix full
        assert all(cell.startswith("a") for line in tab.var(StaffReviewState, "matrix") for cell in line["cells"])
    finally:
        tab.close()
