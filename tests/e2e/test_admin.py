"""Admin settings: fees, materials, notices, economies and staff are edited (what is typed survives a reload until
it is saved); reviewers are refused the page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.files import png
from tests.e2e.helpers import unique


def staff_sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="审核工作台")).to_be_visible()


def test_admin_edits_fees_and_reviewers_cannot_open_settings(page: Page, base_url: str, browser):
    staff_sign_in(page, base_url, "admin", "Admin@2026pass")
    page.get_by_role("link", name="后台设置").click()
    page.get_by_role("tab", name="机构信息").click()
    page.get_by_label("机构", exact=True).select_option(label="北京市人民政府外事办公室")
    # The form shows the chosen institution once its settings have loaded.
    expect(page.get_by_label("机构名称")).to_have_value("北京市人民政府外事办公室")
    fee = page.get_by_label("新办/续办制卡费")
    fee.fill("-5")
    page.get_by_role("button", name="保存收费标准").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    # What is typed is kept across a reload, even before the field is left, until it is saved.
    fee.fill("760")
    page.wait_for_timeout(1200)
    page.reload()
    expect(page.get_by_label("机构名称")).to_have_value("北京市人民政府外事办公室")
    expect(fee).to_have_value("760")
    fee.fill("750")
    page.get_by_role("button", name="保存收费标准").click()
    expect(page.get_by_text(re.compile(r"当前.*¥750\.00"))).to_be_visible()
    page.reload()
    expect(fee).to_have_value("750.00")  # the saved fee: the draft went with the save

    reviewer = browser.new_context().new_page()
    staff_sign_in(reviewer, base_url, "reviewer_js", "Review@2026pass")
    reviewer.goto(f"{base_url}/admin/settings")
    expect(reviewer).to_have_url(re.compile(r"/staff/?$"))
    expect(reviewer.get_by_role("tab", name="机构信息")).to_have_count(0)


def reloads(field, choose) -> None:
    """Make a choice that loads another record into the form, and wait until the form shows it (a field typed
    into before would be replaced)."""
    shown = field.element_handle()
    choose()
    shown.wait_for_element_state("hidden")  # the form re-mounts with the record's values


def test_admin_keeps_materials_notices_economies_and_staff(page: Page, base_url: str, tmp_path):
    staff_sign_in(page, base_url, "admin", "Admin@2026pass")
    page.goto(f"{base_url}/admin/settings")
    name = unique("示例材料")

    # 材料设置: added, given an example image, deleted.
    page.get_by_role("tab", name="材料设置").click()
    page.get_by_role("button", name="新增材料").click()
    dialog = page.get_by_role("dialog", name="新增材料")
    dialog.get_by_label("材料名称").fill(name)
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_text("材料已添加，可继续上传示例图片")).to_be_visible()
    expect(page.get_by_role("dialog", name="编辑材料")).to_be_visible()
    page.locator("#material_example input[type=file]").set_input_files(str(png(tmp_path / "example.png")))
    expect(page.get_by_text("示例图片已上传")).to_be_visible()
    expect(page.get_by_role("img", name="示例图片")).to_be_visible()
    page.get_by_role("dialog").get_by_role("button", name="取消").click()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row.get_by_role("link", name="查看示例")).to_be_visible()
    row.get_by_role("button", name="删除").click()
    page.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(page.get_by_text("材料已删除")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=name)).to_have_count(0)

    # 申办须知: an institution's own text, kept across a reload before it is saved, then removed again.
    page.get_by_role("tab", name="申办须知").click()
    notice = page.get_by_label("申办须知", exact=True)
    reloads(notice, lambda: page.get_by_label("业务类型").select_option(label="注销卡"))
    reloads(notice, lambda: page.get_by_label("适用机构").select_option(label="北京市人民政府外事办公室"))
    notice.fill(f"{name}须知")
    page.wait_for_timeout(1200)
    page.reload()
    expect(page.get_by_role("tab", name="申办须知")).to_have_attribute("aria-selected", "true")
    expect(notice).to_have_value(f"{name}须知")
    page.get_by_role("button", name="保存申办须知").click()
    expect(page.get_by_text("申办须知已保存")).to_be_visible()
    notice.fill("")
    page.get_by_role("button", name="保存申办须知").click()
    expect(notice).to_have_value("")

    # APEC经济体: a name saved as typed.
    page.get_by_role("tab", name="APEC经济体").click()
    page.get_by_role("row").filter(has_text="Japan").get_by_role("button", name="修改名称").click()
    page.get_by_role("dialog").get_by_label("中文名称").fill("日本")
    page.get_by_role("dialog").get_by_role("button", name="保存").click()
    expect(page.get_by_text("经济体名称已保存")).to_be_visible()

    # 工作人员: created, 停用 after confirmation, 启用 again.
    username = unique("rev").lower()
    page.get_by_role("tab", name="工作人员").click()
    page.get_by_role("button", name="新增工作人员").click()
    dialog = page.get_by_role("dialog", name="新增工作人员")
    dialog.get_by_label("用户名").fill(username)
    dialog.get_by_label("姓名").fill("临时审核员")
    dialog.get_by_label("密码").fill("Review@2026pass")
    dialog.get_by_label("所属机构").select_option(label="北京市人民政府外事办公室")
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_text("工作人员账号已创建")).to_be_visible()
    # The toasts stand over the list's last rows (the new one among them): the list as it reads after a reload.
    page.reload()
    page.get_by_role("tab", name="工作人员").click()
    row = page.get_by_role("row").filter(has_text=username)
    row.get_by_role("button", name="停用").click()
    page.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(row).to_contain_text("已停用")
    page.reload()  # kept after a reload, and out from under the new toast
    page.get_by_role("tab", name="工作人员").click()
    expect(row).to_contain_text("已停用")
    row.get_by_role("button", name="启用").click()
    expect(row).to_contain_text("正常")
