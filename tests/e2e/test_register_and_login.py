"""Flows 1 and 2: register with the e-licence QR, then sign in by password, as an agent and by QR."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import STRONG_PASSWORD, authorize_on_platform, new_uscc, sign_in, unique


def register(page: Page, base_url: str, mailbox, name: str, number: str, email: str) -> None:
    page.goto(f"{base_url}/register")
    authorize_on_platform(page, name, number, "张法人")
    # The waiting page notices the authorisation by itself and moves on to 企业信息.
    expect(page.get_by_label("企业名称")).to_have_value(name, timeout=5000)
    expect(page.get_by_label("统一社会信用代码")).to_have_value(number)
    page.get_by_label("注册地").select_option("江苏省")
    page.get_by_label("详细地址").fill("南京市雨花台区软件大道1号")
    page.get_by_label("联系电话").fill("12345")
    page.get_by_label("性质").select_option("民营企业")
    page.get_by_label("所属行业").select_option("制造业")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("联系电话格式不正确")).to_be_visible()
    # What was typed is still there after the error.
    expect(page.get_by_label("详细地址")).to_have_value("南京市雨花台区软件大道1号")
    page.get_by_label("联系电话").fill("025-52345678")
    page.get_by_role("button", name="下一步").click()

    page.get_by_label("邮箱账号").fill(email)
    page.get_by_label("密码", exact=True).fill("password1")
    page.get_by_label("确认密码").fill("password2")
    page.get_by_role("button", name="发送验证码").click()
    expect(page.get_by_role("button", name=re.compile(r"\d+秒后重新发送"))).to_be_visible()
    code = mailbox(email)
    page.get_by_label("邮箱验证码").fill(code)
    page.get_by_role("button", name="立即注册").click()
    expect(page.get_by_text("密码须包含大写字母、小写字母、数字、特殊符号中的至少三种")).to_be_visible()
    expect(page.get_by_text("两次输入的密码不一致")).to_be_visible()
    expect(page.get_by_text("请阅读并同意《中国领事用户协议》和《隐私政策》")).to_be_visible()
    page.get_by_label("密码", exact=True).fill(STRONG_PASSWORD)
    page.get_by_label("确认密码").fill(STRONG_PASSWORD)
    page.get_by_label("我已阅读并同意《中国领事用户协议》和《隐私政策》").check()
    page.get_by_role("button", name="立即注册").click()
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()
    expect(page).to_have_url(f"{base_url}/")


def test_register_by_qr_then_sign_in_by_password_and_by_qr(page: Page, base_url: str, mailbox):
    name, number, email = "苏州测试贸易有限公司", new_uscc(), f"{unique('ent')}@example.com"
    register(page, base_url, mailbox, name, number, email)

    page.get_by_role("button", name="账户菜单").click()
    page.get_by_role("menuitem", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))

    page.get_by_placeholder("请输入邮箱账号").fill(email)
    page.get_by_placeholder("请输入密码").fill("Wrong-pass-123")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("alert")).to_contain_text("账号或密码错误")
    sign_in(page, base_url, email, STRONG_PASSWORD)
    expect(page.get_by_text(f"欢迎，{name}")).to_be_visible()

    # 电子营业执照扫码登录 in a fresh browser context.
    other = page.context.browser.new_context()
    qr_page = other.new_page()
    qr_page.goto(f"{base_url}/login")
    qr_page.get_by_role("button", name="电子营业执照扫码登录").click()
    authorize_on_platform(qr_page, name, number, "张法人")
    expect(qr_page.get_by_role("button", name="账户菜单")).to_be_visible(timeout=5000)
    other.close()


def test_registering_the_same_enterprise_twice_is_refused(page: Page, base_url: str):
    # The demo enterprise already has an account.
    page.goto(f"{base_url}/register")
    taken = "该统一社会信用代码已注册，请直接登录或找回密码"
    authorize_on_platform(page, "江苏示例科技有限公司", "91320100MA1MXXYC1G", "王建国", refused=taken)
    expect(page.get_by_text(taken)).to_be_visible(timeout=5000)


def test_qr_nonce_is_single_use(page: Page, base_url: str):
    page.goto(f"{base_url}/register")
    link = page.get_by_role("link", name="手机无法扫码？在浏览器中打开授权页")
    expect(link).to_have_attribute("href", re.compile("nonce="))
    href = link.get_attribute("href")
    authorize_on_platform(page, "重复扫码测试有限公司", new_uscc(), "李四")
    again = page.context.new_page()
    again.goto(href)
    expect(again.get_by_role("alert")).to_have_text("二维码已使用，请刷新后重新扫码")


def test_platform_refuses_an_invalid_credit_code(page: Page, base_url: str):
    page.goto(f"{base_url}/register")
    link = page.get_by_role("link", name="手机无法扫码？在浏览器中打开授权页")
    expect(link).to_have_attribute("href", re.compile("nonce="))
    platform = page.context.new_page()
    platform.goto(link.get_attribute("href"))
    platform.get_by_label("企业名称").fill("测试单位")
    platform.get_by_label("统一社会信用代码").fill("91370104MA3N1HWCFM")  # the manual's sample: bad check character
    platform.get_by_label("法定代表人").fill("王五")
    platform.get_by_role("button", name="授权").click()
    expect(platform.get_by_role("alert")).to_have_text("统一社会信用代码校验位不正确，请核对")
    # Nothing moved on: the registration page still waits.
    expect(page.get_by_role("status")).to_have_text("等待授权…")


def test_agent_and_staff_sign_in(page: Page, base_url: str):
    page.goto(f"{base_url}/login")
    page.get_by_role("tab", name="经办人登录").click()
    page.get_by_placeholder("请输入用户名").fill("jingban01")
    page.get_by_placeholder("请输入密码").fill("Agent@2026pass")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()
    expect(page.get_by_text("欢迎，李经办")).to_be_visible()

    staff = page.context.browser.new_context().new_page()
    staff.goto(f"{base_url}/staff/login")
    staff.get_by_label("用户名").fill("reviewer_js")
    staff.get_by_label("密码").fill("Review@2026pass")
    staff.get_by_role("button", name="登录").click()
    expect(staff.get_by_role("heading", name="审核工作台")).to_be_visible()
    expect(staff.get_by_text("江苏外办审核员（江苏省人民政府外事办公室）")).to_be_visible()
