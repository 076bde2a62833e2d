"""The reviewer sees the automatic pre-checks: on a seeded application whose passport page holds another 护照号码
than the form, the app's background job reads the page again, and the reviewer finds 不通过 with the reason
beside that person's data, and the queue's 预审不通过 flag on the application."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_when_checked, staff_sign_in
from tests.e2e.seed import run_seed


@pytest.fixture()
def seeded(base_url, request) -> dict:
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("set APEC_DATA_DIR to the --base-url instance's data directory")
    return run_seed(data_dir, "prechecked", "demo@example.com")


def test_reviewer_sees_a_failed_precheck_and_its_reason(page: Page, base_url, seeded):
    staff_sign_in(page, base_url, "reviewer_js")
    open_when_checked(page, f"{base_url}/staff/applications/{seeded['id']}")
    checklist = page.get_by_role("list", name="自动预审")
    mrz = checklist.get_by_role("listitem").filter(has_text="护照机读区核对")
    expect(mrz.get_by_text("不通过", exact=True)).to_be_visible()
    expect(mrz).to_contain_text(f"护照号码不一致：填写为 {seeded['typed']}，机读区为 {seeded['mrz']}")
    # The rest of the list: the photo's one face, the signature and the 身份证号 pass.
    for item in ("照片", "签名", "身份证号核对"):
        line = checklist.get_by_role("listitem").filter(has_text=item)
        expect(line.get_by_text("通过", exact=True)).to_be_visible()
    expect(checklist.get_by_role("listitem").filter(has_text="照片")).to_contain_text("检测到一张居中的人脸")

    page.get_by_role("link", name="返回审核工作台").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=seeded["number"]))
    expect(row).to_contain_text("预审不通过")


def test_reviewer_confirms_an_action_naming_the_application_and_opens_the_next_one(page: Page, base_url, request):
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("set APEC_DATA_DIR to the --base-url instance's data directory")
    older = run_seed(data_dir, "prechecked", "demo@example.com")
    newer = run_seed(data_dir, "prechecked", "demo@example.com")  # first in the 外办审核中 queue, older next
    staff_sign_in(page, base_url, "reviewer_js")
    page.goto(f"{base_url}/staff/applications/{newer['id']}")
    expect(page.get_by_role("heading", name=f"申请单 {newer['number']}")).to_be_visible()

    # A reason is asked for before the dialog opens; 取消 changes nothing.
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_role("alert")).to_contain_text("请填写原因")
    page.get_by_label("退回修改原因").fill("护照号码与资料页不符")
    page.get_by_role("button", name="退回修改").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"申请单 {newer['number']}（江苏示例科技有限公司）将退回申请人修改")
    expect(dialog).to_contain_text("原因：护照号码与资料页不符")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("外办审核中").first).to_be_visible()

    page.get_by_role("button", name="通过", exact=True).click()
    expect(dialog).to_contain_text(f"申请单 {newer['number']}（江苏示例科技有限公司）将审核通过")
    dialog.get_by_role("button", name="确定").click()
    expect(page.get_by_text("待缴费").first).to_be_visible()
    page.get_by_role("button", name="下一个").click()
    expect(page.get_by_role("heading", name=f"申请单 {older['number']}")).to_be_visible()
    expect(page.get_by_text("外办审核中").first).to_be_visible()
