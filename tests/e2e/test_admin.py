"""Admin settings: a fee change shows on new cashier pages; reviewers are refused the page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


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
    fee.fill("750")
    page.get_by_role("button", name="保存收费标准").click()
    expect(page.get_by_text(re.compile(r"当前.*¥750\.00"))).to_be_visible()

    reviewer = browser.new_context().new_page()
    staff_sign_in(reviewer, base_url, "reviewer_js", "Review@2026pass")
    reviewer.goto(f"{base_url}/admin/settings")
    expect(reviewer).to_have_url(re.compile(r"/staff/?$"))
    expect(reviewer.get_by_role("tab", name="机构信息")).to_have_count(0)
