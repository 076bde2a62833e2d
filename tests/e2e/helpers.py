"""Small helpers shared by the end-to-end tests."""

from __future__ import annotations

import random
import re
import string

from playwright.sync_api import Page, expect
from stdnum.cn import uscc

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
STRONG_PASSWORD = "Kx7!mQ2#vLp9"


def new_uscc() -> str:
    body = "91320100" + "".join(random.choice(USCC_CHARS) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def unique(prefix: str) -> str:
    return prefix + "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(8))


def authorize_on_platform(page: Page, name: str, number: str, legal_rep: str, refused: str = "") -> None:
    """Open the QR's URL in a second tab, as a phone would, and press 授权 (expecting `refused` when given)."""
    link = page.get_by_role("link", name="手机无法扫码？在浏览器中打开授权页")
    expect(link).to_have_attribute("href", re.compile("nonce="))
    href = link.get_attribute("href")
    assert href and "nonce=" in href
    platform = page.context.new_page()
    platform.goto(href)
    platform.get_by_label("企业名称").fill(name)
    platform.get_by_label("统一社会信用代码").fill(number)
    platform.get_by_label("法定代表人").fill(legal_rep)
    platform.get_by_role("button", name="授权").click()
    if refused:
        expect(platform.get_by_role("alert")).to_have_text(refused)
    else:
        expect(platform.get_by_role("status")).to_have_text("授权成功")
    platform.close()


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_placeholder("请输入邮箱账号").fill(email)
    page.get_by_placeholder("请输入密码").fill(password)
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()


def quick_register(
    page: Page, base_url: str, mailbox, name: str, number: str, email: str, legal_rep: str = "赵法人"
) -> None:
    """Register through the UI without the error detours (the full flow is its own test)."""
    page.goto(f"{base_url}/register")
    authorize_on_platform(page, name, number, legal_rep)
    expect(page.get_by_label("企业名称")).to_have_value(name, timeout=5000)
    page.get_by_label("注册地").select_option("北京市")
    page.get_by_label("详细地址").fill("朝阳区建国路1号")
    page.get_by_label("联系电话").fill("010-65551234")
    page.get_by_label("性质").select_option("民营企业")
    page.get_by_label("所属行业").select_option("金融业")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("邮箱账号").fill(email)
    page.get_by_role("button", name="发送验证码").click()
    page.get_by_label("邮箱验证码").fill(mailbox(email))
    page.get_by_label("密码", exact=True).fill(STRONG_PASSWORD)
    page.get_by_label("确认密码").fill(STRONG_PASSWORD)
    page.get_by_label("我已阅读并同意《中国领事用户协议》和《隐私政策》").check()
    page.get_by_role("button", name="立即注册").click()
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="账户菜单").click()
    page.get_by_role("menuitem", name="退出").click()
    expect(page.get_by_placeholder("请输入密码")).to_be_visible()


UNIT_VALUES = {
    "员工人数": "50",
    "注册资金（人民币万元）": "500",
    "上年度资产总额（人民币万元）": "800",
    "上年度营业额（人民币万元）": "900",
    "上年度应纳税额（人民币万元）": "40",
    "上年度负债率（%）": "30",
    "上年度进出口贸易额（人民币万元）": "600",
    "经营范围": "进出口贸易",
    "与APEC经济体来往情况": "常年往来",
}


def start_new_renew(page: Page, base_url: str) -> None:
    """申办须知 for the Jiangsu 外办 → 【立即办理】: the wizard's first step."""
    page.goto(f"{base_url}/apply/new-renew")
    page.get_by_label("办理机构").select_option(label="江苏省人民政府外事办公室")
    page.get_by_role("checkbox", name="我已阅读并知晓").click()
    page.get_by_role("button", name="立即办理").click()


def fill_unit_step(page: Page, material_path) -> None:
    """单位信息 filled and both required materials uploaded (the next click moves to 团组信息)."""
    for label, value in UNIT_VALUES.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("成立日期").fill("2012-05-01")
    for upload_id in ("material-1", "material-2"):
        page.locator(f"#{upload_id} input[type=file]").set_input_files(str(material_path))
    expect(page.get_by_text(f"已上传：{material_path.name}")).to_have_count(2)


def fill_address(dialog, recipient: str, phone: str, district: str, detail: str, city: str = "南京市") -> None:
    """The address form (地址管理 or 【选择地址】): 省/市/区 in Jiangsu, 详细地址, 收件人, 联系电话."""
    dialog.get_by_label("省", exact=True).select_option("江苏省")
    dialog.get_by_label("市", exact=True).select_option(city)
    dialog.get_by_label("区", exact=True).select_option(district)
    dialog.get_by_label("详细地址").fill(detail)
    dialog.get_by_label("收件人").fill(recipient)
    dialog.get_by_label("联系电话").fill(phone)


def sign_in_staff(page: Page, base_url: str, username: str = "admin", password: str = "Admin@2026pass") -> None:
    page.goto(f"{base_url}/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/staff/?$"))


def mail_text(browser, base_url: str, email: str, pattern: str, timeout: float = 20) -> re.Match:
    """The first match of `pattern` in the newest email to `email`, read from the development mailbox as the
    demo admin (the mailbox answers nobody else), in a browser context of its own."""
    import time

    context = browser.new_context()
    try:
        box = context.new_page()
        sign_in_staff(box, base_url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            box.goto(f"{base_url}/dev/mailbox")
            item = box.locator(f"[data-to='{email}']").first
            try:
                item.wait_for(timeout=3000)
            except Exception:  # noqa: BLE001 - not there yet
                continue
            found = re.search(pattern, item.inner_text())
            if found:
                return found
        raise AssertionError(f"no mail matching {pattern!r} for {email} in the development mailbox")
    finally:
        context.close()
