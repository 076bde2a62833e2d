"""Flow 3: 忘记密码 by 手动输入信息 and by 扫描二维码找回 → 安全验证 → 修改密码."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.helpers import authorize_on_platform, new_uscc, quick_register, sign_in, sign_out, unique

NEW_PASSWORD = "Nw8$recover-Pass"
# What 安全验证 says whether or not the 三要素 matched an account.
NEUTRAL = "如所填信息与已注册企业一致，验证码将发送至该企业的账号邮箱；未收到邮件请核对所填信息后重试。"


def _verify_and_reset(page: Page, mailbox, email: str, new_password: str) -> None:
    expect(page.get_by_text(NEUTRAL)).to_be_visible(timeout=5000)
    page.get_by_role("button", name="发送验证码").click()
    code = mailbox(email)
    wrong = "000000" if code != "000000" else "111111"
    page.get_by_label("邮箱验证码").fill(wrong)
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("验证码错误，还可尝试4次")).to_be_visible()
    page.get_by_label("邮箱验证码").fill(code)
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("新密码", exact=True).fill(new_password)
    page.get_by_label("确认新密码").fill(new_password)
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_text("密码修改成功，请使用新密码登录。")).to_be_visible()


def test_forgot_password_manually_and_by_qr(page: Page, base_url: str, mailbox):
    name, number, email = "忘记密码测试有限公司", new_uscc(), f"{unique('fp')}@example.com"
    quick_register(page, base_url, mailbox, name, number, email, legal_rep="钱法人")
    sign_out(page)

    page.goto(f"{base_url}/forgot-password")
    page.get_by_role("tab", name="手动输入信息").click()
    page.get_by_label("企业名称").fill(name)
    page.get_by_label("统一社会信用代码").fill(number)
    page.get_by_label("法定代表人").fill("别人")
    page.get_by_role("button", name="下一步").click()
    # A wrong 法定代表人 goes on like a right one (the page tells no one which enterprises have accounts) …
    expect(page.get_by_text(NEUTRAL)).to_be_visible(timeout=5000)
    page.get_by_role("button", name="发送验证码").click()
    expect(page.get_by_text("验证码已发送，请查收邮件")).to_be_visible()
    page.get_by_label("邮箱验证码").fill("123456")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("验证码错误，还可尝试4次")).to_be_visible()  # … and no code gets through
    page.goto(f"{base_url}/forgot-password")
    page.get_by_role("tab", name="手动输入信息").click()
    page.get_by_label("企业名称").fill(name)
    page.get_by_label("统一社会信用代码").fill(number)
    page.get_by_label("法定代表人").fill("钱法人")
    page.get_by_role("button", name="下一步").click()
    _verify_and_reset(page, mailbox, email, NEW_PASSWORD)
    sign_in(page, base_url, email, NEW_PASSWORD)
    sign_out(page)

    page.goto(f"{base_url}/forgot-password")
    authorize_on_platform(page, name, number, "钱法人")
    # The resend gap of 60 s applies per address: wait it out through the page's own countdown is too slow,
    # so this part checks that the QR path reaches 安全验证.
    expect(page.get_by_text(NEUTRAL)).to_be_visible(timeout=5000)
