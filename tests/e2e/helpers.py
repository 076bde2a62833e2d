"""Small helpers shared by the end-to-end tests."""

from __future__ import annotations

import json
import os
import random
import re
import string
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from stdnum.cn import ric, uscc

ROOT = Path(__file__).resolve().parents[2]
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


def staff_sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("Review@2026pass")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="审核工作台")).to_be_visible()



def id_number(birth: date, male: bool, salt: int) -> str:
    """A valid number, different on every run so re-runs against one instance meet no open application."""
    body = f"320102{birth:%Y%m%d}{salt:02d}{random.choice('13579' if male else '02468')}"
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character



def upload(page: Page, upload_id: str, path) -> None:
    page.locator(f"#{upload_id} input[type=file]").set_input_files(str(path))



def fill_person(
    page: Page,
    i: int,
    files: dict,
    *,
    surname: str,
    given: str,
    male: bool,
    salt: int,
    birth: date,
    passport: str | None,
) -> None:
    def field(key: str):
        return page.locator(f"#p{i}-{key}")

    field("surname").fill(surname)
    field("given_name").fill(given)
    field("given_name").blur()
    field("id_number").fill(id_number(birth, male, salt))
    page.locator(f"#p{i}-sex").get_by_text("男" if male else "女", exact=True).click()
    field("birth_date").fill(birth.isoformat())
    field("birth_province").select_option("江苏省")
    field("birth_city").select_option("南京市")
    field("home_address").fill("南京市玄武区中山路1号")
    field("mobile").fill("13912345678")
    field("email").fill(f"p{i}@example.com")
    field("insured_place").select_option("江苏省")
    field("position").fill("销售经理")
    field("months_employed").fill("36")
    if passport:
        # A page the OCR cannot read: the applicant is told and types the passport data.
        upload(page, f"up-passport_page-{i}", files["plain_passport"])
        expect(page.get_by_text("未能识别护照信息，请手工填写").first).to_be_visible(timeout=15000)
        field("passport_number").fill(passport)
        field("issue_date").fill((date.today() - timedelta(days=400)).isoformat())
        field("expiry_date").fill((date.today() + timedelta(days=3250)).isoformat())
    field("issuing_authority").fill("公安部出入境管理局")
    field("issue_place").select_option("JIANGSU")
    field("apec_visa").select_option("否")
    field("residence").fill("中国")
    field("old_card").select_option("否")
    field("old_card").blur()
    for kind in ("photo", "signature", "social_security", "no_criminal_record"):
        upload(page, f"up-{kind}-{i}", files[kind])
        expect(page.locator(f"#up-{kind}-{i}").locator("xpath=..")).to_contain_text("已上传")


WAITING = "赴日韩商务考察团"  # 张伟 (日本, 韩国 approved) and 李娜 (澳大利亚 approved)


MAILED = "赴东盟市场拓展团"  # 王芳 and 刘洋, cards mailed



def registered(page: Page, base_url: str, mailbox, seed_followups, name: str) -> None:
    email = f"{unique('fu')}@example.com"
    quick_register(page, base_url, mailbox, name, new_uscc(), email)
    seed_followups(email)


def seed_payable(data_dir: str, email: str) -> list[dict]:
    """Two applications of `email` in 待缴费 (2 people, ¥1540; 1 person, ¥770), written by tests/e2e/seed.py."""
    env = {**os.environ, "APEC_DATA_DIR": data_dir}
    out = subprocess.run([sys.executable, "-m", "tests.e2e.seed", "payable", email], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def registered_enterprise(browser, base_url: str, prefix: str, name: str) -> str:
    """A new enterprise registered through the UI (in a browser context of its own, its codes read from the
    development mailbox); its email."""
    context = browser.new_context()
    try:
        page = context.new_page()
        email = f"{unique(prefix)}@example.com"
        codes = lambda address: mail_text(browser, base_url, address, r"验证码是 (\d{6})").group(1)  # noqa: E731
        quick_register(page, base_url, codes, name, new_uscc(), email)
    finally:
        context.close()
    return email


def open_when_checked(page: Page, url: str, seconds: float = 60) -> None:
    """The job computes the checks within seconds of the submission; the page shows them, person by person,
    once stored."""
    deadline = time.monotonic() + seconds
    page.goto(url)
    lists = page.get_by_role("list", name="自动预审")
    while time.monotonic() < deadline:
        expect(page.get_by_text("人员信息", exact=True)).to_be_visible()
        if lists.count() and all(lists.nth(i).get_by_role("listitem").count() for i in range(lists.count())):
            return
        time.sleep(1)
        page.reload()
    raise AssertionError("the pre-checks were not shown within a minute")
