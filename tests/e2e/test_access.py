"""Signed-out and wrong-kind callers are sent to sign in; hiding a button is not the check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect


@pytest.mark.parametrize("path", ["/account/settings", "/messages"])
def test_signed_out_visitor_is_sent_to_sign_in(page: Page, base_url: str, path: str):
    page.goto(f"{base_url}{path}")
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_staff_page_needs_a_staff_session(page: Page, base_url: str):
    page.goto(f"{base_url}/login")
    page.get_by_placeholder("请输入邮箱账号").fill("demo@example.com")
    page.get_by_placeholder("请输入密码").fill("Demo@2026pass")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()
    page.goto(f"{base_url}/staff")
    # An enterprise session is not a staff session: back to its own home page, still signed in.
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", name="审核工作台")).to_have_count(0)
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()


def test_messages_page_shows_the_demo_welcome_and_marks_it_read(page: Page, base_url: str):
    page.goto(f"{base_url}/login")
    page.get_by_role("tab", name="经办人登录").click()
    page.get_by_placeholder("请输入用户名").fill("jingban01")
    page.get_by_placeholder("请输入密码").fill("Agent@2026pass")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()
    page.goto(f"{base_url}/messages")
    # The demo welcome message belongs to the enterprise account, not to the agent.
    expect(page.get_by_text("暂无消息")).to_be_visible()


def test_enterprise_reads_its_messages_and_the_unread_badge_goes(page: Page, base_url: str):
    page.goto(f"{base_url}/login")
    page.get_by_placeholder("请输入邮箱账号").fill("demo@example.com")
    page.get_by_placeholder("请输入密码").fill("Demo@2026pass")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()
    page.goto(f"{base_url}/messages")
    expect(page.get_by_text("欢迎使用APEC商务旅行卡申请管理系统")).to_be_visible()
    mark_all = page.get_by_role("button", name="全部标为已读")
    if mark_all.is_enabled():
        expect(page.get_by_label("未读消息数")).to_be_visible()
        mark_all.click()
    expect(page.get_by_label("未读消息数")).to_have_count(0)
    expect(page.get_by_text("未读 0 条")).to_be_visible()


def test_audit_log_is_for_admins_only(page: Page, base_url: str):
    page.goto(f"{base_url}/staff/login")
    page.get_by_label("用户名").fill("reviewer_js")
    page.get_by_label("密码").fill("Review@2026pass")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="审核工作台")).to_be_visible()
    page.goto(f"{base_url}/admin/audit")
    # The reviewer stays signed in but lands on its own dashboard.
    expect(page).to_have_url(re.compile(r"/staff/?$"))
    expect(page.get_by_role("heading", name="审核工作台")).to_be_visible()

    admin = page.context.browser.new_context().new_page()
    admin.goto(f"{base_url}/staff/login")
    admin.get_by_label("用户名").fill("admin")
    admin.get_by_label("密码").fill("Admin@2026pass")
    admin.get_by_role("button", name="登录").click()
    admin.get_by_role("link", name="审计日志").click()
    admin.get_by_label("关键字").fill("staff:")
    admin.get_by_label("类型").select_option(label="拒绝访问")
    admin.get_by_role("button", name="查询").click()
    expect(admin.get_by_role("row").filter(has_text="access_refused").first).to_be_visible()
