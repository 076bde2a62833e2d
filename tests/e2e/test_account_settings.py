"""Flow 4: 账号设置 — 账号信息, 修改邮箱, 修改密码, 经办人管理 (add, edit, 取消授权, 授权, delete)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    STRONG_PASSWORD,
    authorize_on_platform,
    new_uscc,
    quick_register,
    sign_in,
    sign_out,
    unique,
)


def open_settings(page: Page, base_url: str, tab: str) -> None:
    page.goto(f"{base_url}/account/settings")
    page.get_by_role("tab", name=tab).click()


def test_account_settings_tabs(page: Page, base_url: str, mailbox):
    name, number, email = "账号设置测试有限公司", new_uscc(), f"{unique('as')}@example.com"
    quick_register(page, base_url, mailbox, name, number, email)

    # 账号信息: 三要素 read-only, others editable.
    open_settings(page, base_url, "账号信息")
    expect(page.get_by_label("统一社会信用代码")).to_have_value(number)
    expect(page.get_by_label("企业名称")).to_have_attribute("readonly", "")
    page.get_by_label("联系电话").fill("abc")
    page.get_by_role("button", name="提交修改").click()
    expect(page.get_by_text("联系电话格式不正确")).to_be_visible()
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_role("button", name="提交修改").click()
    expect(page.get_by_text("修改成功")).to_be_visible()
    page.reload()
    expect(page.get_by_label("联系电话")).to_have_value("13800138000")

    # 【更新企业三要素信息】 by QR: a licence of another enterprise is refused, the same one updates.
    page.get_by_role("button", name="更新企业三要素信息").click()
    mismatch = "扫码企业的统一社会信用代码与本账号不一致"
    authorize_on_platform(page, "别家公司", new_uscc(), "别人", refused=mismatch)
    expect(page.get_by_text(mismatch)).to_be_visible(timeout=5000)
    link = page.get_by_role("link", name="手机无法扫码？在浏览器中打开授权页")
    used = link.get_attribute("href")
    page.get_by_role("button", name="刷新二维码").click()
    expect(link).not_to_have_attribute("href", used)
    authorize_on_platform(page, "账号设置测试（更名）有限公司", number, "新法人")
    expect(page.get_by_text("企业三要素信息已更新")).to_be_visible(timeout=5000)
    expect(page.get_by_label("企业名称")).to_have_value("账号设置测试（更名）有限公司")
    expect(page.get_by_label("法定代表人")).to_have_value("新法人")

    # 修改密码
    open_settings(page, base_url, "修改密码")
    new_password = "Changed#Pass42x"
    page.get_by_label("原密码").fill("not-the-password")
    page.get_by_label("新密码", exact=True).fill(new_password)
    page.get_by_label("确认新密码").fill(new_password)
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_text("原密码不正确")).to_be_visible()
    page.get_by_label("原密码").fill(STRONG_PASSWORD)
    page.get_by_label("新密码", exact=True).fill(new_password)
    page.get_by_label("确认新密码").fill(new_password)
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_text("密码修改成功")).to_be_visible()

    # 修改邮箱
    new_email = f"{unique('new')}@example.com"
    open_settings(page, base_url, "修改邮箱")
    page.get_by_label("新邮箱").fill(new_email)
    page.get_by_role("button", name="发送验证码").click()
    page.get_by_label("邮箱验证码").fill(mailbox(new_email))
    page.get_by_label("我已阅读并同意《中国领事用户协议》和《隐私政策》").check()
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_text("邮箱修改成功")).to_be_visible()
    sign_out(page)
    sign_in(page, base_url, new_email, new_password)


def test_agent_management_and_deauthorisation_ends_sessions(page: Page, base_url: str, mailbox):
    name, number, email = "经办人管理测试有限公司", new_uscc(), f"{unique('ag')}@example.com"
    quick_register(page, base_url, mailbox, name, number, email)
    open_settings(page, base_url, "经办人管理")
    username = unique("agent")
    page.get_by_role("button", name="添加经办人").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("姓名").fill("周经办")
    dialog.get_by_label("用户名").fill(username)
    dialog.get_by_label("密码").fill("weak")
    dialog.get_by_label("手机号码").fill("13912345678")
    dialog.get_by_label("电子邮箱").fill(f"{username}@example.com")
    dialog.get_by_role("button", name="确定").click()
    expect(dialog.get_by_text("密码长度须为8-64位")).to_be_visible()
    expect(dialog.get_by_label("姓名")).to_have_value("周经办")
    dialog.get_by_label("密码").fill("Agent#Pass2026")
    dialog.get_by_role("button", name="确定").click()
    row = page.get_by_role("row", name=username)
    expect(row).to_contain_text("已授权")

    # Edit the agent's mobile number.
    row.get_by_role("button", name="编辑").click()
    page.get_by_role("dialog").get_by_label("手机号码").fill("13700000000")
    page.get_by_role("dialog").get_by_role("button", name="确定").click()
    expect(page.get_by_role("row", name=username)).to_contain_text("13700000000")

    # The agent signs in elsewhere.
    agent_page = page.context.browser.new_context().new_page()
    agent_page.goto(f"{base_url}/login")
    agent_page.get_by_role("tab", name="经办人登录").click()
    agent_page.get_by_placeholder("请输入用户名").fill(username)
    agent_page.get_by_placeholder("请输入密码").fill("Agent#Pass2026")
    agent_page.get_by_role("button", name="确认").click()
    expect(agent_page.get_by_role("button", name="账户菜单")).to_be_visible()

    # 取消授权 with its confirmation dialog.
    page.get_by_role("row", name=username).get_by_role("button", name="取消授权").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("取消授权后，该经办人账号不可以登录")
    confirm.get_by_role("button", name="确定").click()
    expect(page.get_by_role("row", name=username)).to_contain_text("已取消授权")

    # Its live session has ended: the page it has open says why (once, not 登录已过期) within the idle check's
    # 30 s and lands on the sign-in page; it cannot sign in again.
    expect(agent_page.get_by_text("该经办人账号已被取消授权")).to_have_count(1, timeout=40_000)
    expect(agent_page.get_by_placeholder("请输入密码")).to_be_visible()
    expect(agent_page.get_by_text("登录已过期")).to_have_count(0)
    expect(agent_page).to_have_url(re.compile(r"/login/?$"))  # the reason was told once, not kept in the address
    agent_page.get_by_role("tab", name="经办人登录").click()
    agent_page.get_by_placeholder("请输入用户名").fill(username)
    agent_page.get_by_placeholder("请输入密码").fill("Agent#Pass2026")
    agent_page.get_by_role("button", name="确认").click()
    expect(agent_page.get_by_role("alert")).to_contain_text("该经办人账号已被取消授权")

    # 授权 restores it.
    page.get_by_role("row", name=username).get_by_role("button", name="授权").click()
    expect(page.get_by_role("row", name=username)).to_contain_text("已授权")
    agent_page.get_by_role("button", name="确认").click()
    expect(agent_page.get_by_role("button", name="账户菜单")).to_be_visible()

    # Delete.
    page.get_by_role("row", name=username).get_by_role("button", name="删除").click()
    page.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(page.get_by_role("row", name=username)).to_have_count(0)
    sign_out(page)
