"""续办 from a card near expiry (the person comes prefilled, fresh documents are asked again), and an account
opened by an admin for an enterprise without an e-licence, activated through the emailed one-time link."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from apec_app.domain.validators import mask_number
from tests.e2e.files import jpeg, png
from tests.e2e.helpers import STRONG_PASSWORD, mail_text, new_uscc, registered, sign_in, sign_in_staff, unique, upload


def test_renewal_from_a_card_near_expiry(page: Page, base_url: str, mailbox, seed_followups, tmp_path):
    registered(page, base_url, mailbox, seed_followups, "续办测试有限公司")
    page.goto(f"{base_url}/user")
    page.get_by_role("tab", name="我的APEC卡").click()
    expect(page.get_by_role("columnheader", name="持卡人")).to_be_visible()
    chen = page.get_by_role("row").filter(has_text="陈静")
    masked = chen.get_by_role("cell").nth(1).inner_text()
    assert "*" in masked  # personal numbers are masked in lists
    # Cards with years left are not renewable yet: they say from when.
    expect(page.get_by_role("row").filter(has_text="王芳")).to_contain_text("起可续办")
    chen.get_by_role("button", name="续办 陈静").click()
    expect(page).to_have_url(re.compile(r"/apply/\d+$"))

    # 1 单位信息: carried over from the last application; the materials are fresh.
    expect(page.get_by_label("员工人数")).to_have_value("120")
    material = png(tmp_path / "material.png")
    upload(page, "material-1", material)
    upload(page, "material-2", material)
    expect(page.get_by_text("已上传：material.png")).to_have_count(2)
    page.get_by_role("button", name="下一步").click()

    # 2 团组信息: the person as last time, 是否有旧APEC卡 = 是, and no photo or proofs carried over.
    expect(page.locator("#p0-surname")).to_have_value("陈")
    expect(page.locator("#p0-given_name")).to_have_value("静")
    passport = page.locator("#p0-passport_number").input_value()
    assert mask_number(passport) == masked
    expect(page.locator("#p0-old_card")).to_have_value("是")
    expect(page.locator("#up-photo-0").locator("xpath=..")).not_to_contain_text("已上传")
    page.get_by_label("团组名称").fill("赴澳新商务考察团（续办）")
    page.get_by_label("申请事由").fill("续办APEC商务旅行卡")
    files = {
        "photo": jpeg(tmp_path / "photo.jpg", (300, 400)),
        "signature": jpeg(tmp_path / "sign.jpg", (400, 150)),
        "social_security": jpeg(tmp_path / "ss.jpg", (800, 1000)),
        "no_criminal_record": jpeg(tmp_path / "ncr.jpg", (800, 1000)),
        "passport_page": jpeg(tmp_path / "pp.jpg", (1200, 850), "PASSPORT"),
    }
    for kind, path in files.items():
        upload(page, f"up-{kind}-0", path)
        expect(page.locator(f"#up-{kind}-0").locator("xpath=..")).to_contain_text("已上传")
    expect(page.get_by_text("未能识别护照信息，请手工填写").first).to_be_visible(timeout=15000)
    page.get_by_role("button", name="下一步").click()

    page.get_by_role("radio", name="自取").click()
    page.get_by_label("代办点").select_option(index=1)
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="申请单详情")).to_be_visible(timeout=15000)
    expect(page.get_by_text("外办审核中").first).to_be_visible()

    # The holder is now in an open 新办/续办 application: no second 续办.
    page.goto(f"{base_url}/user")
    page.get_by_role("tab", name="我的APEC卡").click()
    expect(page.get_by_role("row").filter(has_text="陈静")).to_be_visible()
    expect(page.get_by_role("button", name="续办 陈静")).to_have_count(0)


def test_admin_opens_an_account_and_the_enterprise_activates_it(page: Page, base_url: str, browser):
    admin = browser.new_context().new_page()
    sign_in_staff(admin, base_url)
    admin.get_by_role("link", name="企业账号开通").click()
    expect(admin.get_by_role("heading", name="企业账号开通")).to_be_visible()
    email = f"{unique('hk')}@example.com"
    admin.get_by_label("企业名称").fill("香港示例贸易有限公司")
    admin.get_by_label("统一社会信用代码").fill("bad")
    admin.get_by_label("法定代表人").fill("陈大文")
    admin.get_by_label("注册地").select_option("广东省")
    admin.get_by_label("详细地址").fill("深圳市福田区福华路1号")
    admin.get_by_label("联系电话").fill("0755-83331234")
    admin.get_by_label("性质").select_option("港澳台资企业")
    admin.get_by_label("所属行业").select_option("批发和零售业")
    admin.get_by_label("邮箱账号").fill(email)
    admin.get_by_role("button", name="开通账号").click()
    # A bad number is reported at the field and nothing typed is lost, not even by a reload.
    expect(admin.get_by_role("alert").first).to_be_visible()
    expect(admin.get_by_label("法定代表人")).to_have_value("陈大文")
    admin.reload()
    expect(admin.get_by_label("法定代表人")).to_have_value("陈大文")
    expect(admin.get_by_label("注册地")).to_have_value("广东省")
    admin.get_by_label("统一社会信用代码").fill(new_uscc())
    admin.get_by_role("button", name="开通账号").click()
    expect(admin.get_by_text("账号已开通，设置密码链接已发送至企业邮箱")).to_be_visible()
    expect(admin.get_by_role("row").filter(has_text=email)).to_contain_text("待设置密码")

    link = mail_text(browser, base_url, email, r"(https?://\S+/set-password/\S+)").group(1)
    page.goto(link)
    expect(page.get_by_text("香港示例贸易有限公司")).to_be_visible()
    page.get_by_label("密码", exact=True).fill(STRONG_PASSWORD)
    page.get_by_label("确认密码").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="设置密码").click()
    expect(page.get_by_role("status")).to_contain_text("密码已设置")
    sign_in(page, base_url, email, STRONG_PASSWORD)

    # The link worked once.
    other = browser.new_context().new_page()
    other.goto(link)
    expect(other.get_by_text("链接无效、已使用或已过期")).to_be_visible()
    admin.reload()
    expect(admin.get_by_role("row").filter(has_text=email)).to_contain_text("已设置密码")
