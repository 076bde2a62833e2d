"""The four follow-up businesses, each from its user-centre button to the reviewer's decision and the applicant's
message: 提前制卡 and 未制卡仅更换护照 on a 新办/续办 application in 'APEC 经济体审核中', 换补卡 and 注销卡 on one whose
cards were mailed (demo-followups gives a freshly registered enterprise both)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.files import jpeg, png
from tests.e2e.helpers import MAILED, WAITING, registered, staff_sign_in, upload
from tests.ocr_samples import make_passport_image


def new_renew_list(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/user")
    page.get_by_role("tab", name="新办/续办").click()


def start(page: Page, base_url: str, group: str, business: str, person: str) -> None:
    """The button on the 新办/续办 row, the person in the dialog, 【确定】."""
    new_renew_list(page, base_url)
    row = page.get_by_role("row").filter(has_text=group)
    row.get_by_role("button", name=re.compile(f"^{business} APEC")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name=re.compile(person)).click()
    if business == "提前制卡":
        expect(dialog.get_by_role("note")).to_contain_text(
            "当前获批经济体为日本、韩国，未包含全部 APEC 经济体，提前制卡后如获更多经济体批准，可以申请换卡或补卡"
        )
    dialog.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(r"/followup/\d+$"))
    expect(page.get_by_label("申请人")).to_have_value(person)
    expect(page.get_by_label("申请人")).to_have_attribute("readonly", "")


def contact_and_materials(page: Page, tmp_path) -> None:
    page.get_by_label("联系人姓名").fill("赵联系")
    page.get_by_label("联系人电话").fill("13812345678")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="线上材料")).to_be_visible()
    page.locator("[id^=material-] input[type=file]").first.set_input_files(str(png(tmp_path / "letter.png")))
    expect(page.get_by_text("已上传：letter.png")).to_be_visible()
    page.get_by_role("button", name="下一步").click()


def pickup(page: Page) -> None:
    page.get_by_role("radio", name="自取").click()
    page.get_by_label("代办点").select_option(index=1)
    page.get_by_role("button", name="下一步").click()


def submit(page: Page) -> str:
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="申请单详情")).to_be_visible(timeout=15000)
    return page.get_by_text(re.compile(r"^APEC\d{14}$")).first.inner_text()


def reviewer_opens(browser, base_url: str, number: str) -> Page:
    reviewer = browser.new_context().new_page()
    staff_sign_in(reviewer, base_url, "reviewer_js")
    reviewer.get_by_label("申请单号").fill(number)
    reviewer.get_by_role("button", name="查询").click()
    reviewer.get_by_role("link", name=number).click()
    expect(reviewer.get_by_role("heading", name=f"申请单 {number}")).to_be_visible()
    return reviewer


CONFIRMED = ("通过", "退回修改", "不通过", "确认收款", "退回支付凭证", "已邮寄")  # these ask first


def act(reviewer: Page, button: str, status: str) -> None:
    reviewer.get_by_role("button", name=button, exact=True).click()
    if button in CONFIRMED:
        reviewer.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(reviewer.get_by_text(status, exact=True).first).to_be_visible()


def has_message(page: Page, base_url: str, text: str) -> None:
    page.goto(f"{base_url}/messages")
    expect(page.get_by_text(text).first).to_be_visible()


def test_early_card_from_button_to_picked_up(page: Page, base_url: str, mailbox, seed_followups, browser, tmp_path):
    registered(page, base_url, mailbox, seed_followups, "提前制卡测试有限公司")
    # 刘洋's card was mailed: the mailed application offers no 提前制卡.
    new_renew_list(page, base_url)
    expect(
        page.get_by_role("row").filter(has_text=MAILED).get_by_role("button", name=re.compile("^提前制卡"))
    ).to_have_count(0)
    start(page, base_url, WAITING, "提前制卡", "张伟")
    expect(page.get_by_label("护照号码")).to_have_attribute("readonly", "")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("此项为必填项").first).to_be_visible()  # 联系人 missing
    contact_and_materials(page, tmp_path)
    pickup(page)
    expect(page.get_by_role("heading", name="在线填表")).to_be_visible()
    expect(page.get_by_text("赵联系")).to_be_visible()
    number = submit(page)
    expect(page.get_by_text("外办审核中").first).to_be_visible()

    page.goto(f"{base_url}/user")
    page.get_by_role("tab", name="提前制卡").click()
    expect(page.get_by_role("row").filter(has_text=number)).to_contain_text("张伟")

    reviewer = reviewer_opens(browser, base_url, number)
    expect(reviewer.get_by_text("原申请单")).to_be_visible()
    act(reviewer, "通过", "审核通过")
    act(reviewer, "开始制卡", "制卡中")
    act(reviewer, "制卡完成", "待自取")
    act(reviewer, "已自取", "已自取")

    has_message(page, base_url, f"申请单 {number} 状态变更为：已自取")
    new_renew_list(page, base_url)
    parent = page.get_by_role("row").filter(has_text=WAITING)
    expect(parent).to_contain_text("APEC 经济体审核中，已提前制卡")
    # 张伟 now holds a card: 提前制卡 is still offered for 李娜 only; 换补卡 and 注销卡 appear for 张伟.
    parent.get_by_role("button", name=re.compile("^提前制卡")).click()
    expect(page.get_by_role("dialog").get_by_role("radio")).to_have_count(1)
    expect(page.get_by_role("dialog").get_by_role("radio", name=re.compile("李娜"))).to_be_visible()
    page.get_by_role("dialog").get_by_role("button", name="取消").click()
    expect(parent.get_by_role("button", name=re.compile("^换补卡"))).to_be_visible()
    parent.get_by_role("link", name="查看详情").click()
    expect(page.get_by_text(re.compile("张伟：已自取，有效期至 .*获批经济体：日本、韩国$"))).to_be_visible()


def test_replace_is_paid_and_replaces_the_card(page: Page, base_url: str, mailbox, seed_followups, browser, tmp_path):
    registered(page, base_url, mailbox, seed_followups, "换补卡测试有限公司")
    start(page, base_url, MAILED, "换补卡", "王芳")
    page.get_by_role("radio", name="补卡").click()
    page.get_by_label("原因").select_option("遗失")
    page.get_by_label("联系人姓名").fill("赵联系")
    page.get_by_label("联系人电话").fill("13812345678")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("请上传文件").first).to_be_visible()  # 补卡 needs the 报失证明
    upload(page, "slot-statement", jpeg(tmp_path / "lost.jpg", (800, 1000)))
    expect(page.get_by_text("已上传：lost.jpg")).to_be_visible()
    contact_and_materials(page, tmp_path)
    pickup(page)
    expect(page.get_by_text("遗失", exact=True)).to_be_visible()
    number = submit(page)
    detail_url = page.url

    reviewer = reviewer_opens(browser, base_url, number)
    expect(reviewer.get_by_text("情况说明：lost.jpg")).to_be_visible()
    act(reviewer, "通过", "待缴费")

    page.goto(detail_url)
    page.get_by_role("link", name="上传支付凭证").click()
    expect(page.get_by_text("¥ 770 (制卡费¥720+外办代办费¥50)").first).to_be_visible()
    page.locator("#voucher input[type=file]").set_input_files(str(jpeg(tmp_path / "voucher.jpg", (600, 800))))
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("提交支付凭证成功")).to_be_visible()

    reviewer.reload()
    act(reviewer, "确认收款", "审核通过")
    act(reviewer, "开始制卡", "制卡中")
    act(reviewer, "制卡完成", "待自取")

    has_message(page, base_url, f"申请单 {number} 状态变更为：待自取")
    new_renew_list(page, base_url)
    parent_link = page.get_by_role("row").filter(has_text=MAILED).get_by_role("link", name="查看详情")
    parent_link.click()
    expect(page.get_by_text(re.compile("王芳：已换发新卡（原卡失效）"))).to_be_visible()
    expect(page.get_by_text(re.compile("王芳：待自取"))).to_be_visible()  # the new card, listed with the old
    expect(page.get_by_text(re.compile("刘洋：已邮寄"))).to_be_visible()


def test_passport_change_replaces_the_passport(page: Page, base_url: str, mailbox, seed_followups, browser, tmp_path):
    seed = next(
        s for s in range(1, 200) if make_passport_image(s)[1]["expiry_date"] > str(date.today() + timedelta(days=400))
    )
    image, expected = make_passport_image(seed)
    (tmp_path / "new_passport.jpg").write_bytes(image)
    registered(page, base_url, mailbox, seed_followups, "换护照测试有限公司")
    start(page, base_url, WAITING, "未制卡仅更换护照", "李娜")
    old_number = page.get_by_label("护照号码", exact=True).input_value()
    page.get_by_label("更换护照原因").select_option("护照遗失补发")
    upload(page, "slot-passport_page", tmp_path / "new_passport.jpg")
    dialog = page.get_by_role("dialog", name="请确认以下护照信息的正确性")
    expect(dialog.get_by_label("护照号码")).to_have_value(expected["number"], timeout=20000)
    dialog.get_by_role("button", name="确认护照信息").click()
    expect(page.get_by_label("新护照号码")).to_have_value(expected["number"])
    page.get_by_label("护照种类").select_option("普通")
    page.get_by_label("签发机关").fill("公安部出入境管理局")
    page.get_by_role("combobox", name="签发地点").select_option("BEIJING")  # the form's (the dialog is closed)
    contact_and_materials(page, tmp_path)
    # No 取卡方式: straight to 信息确认, with the new passport page's thumbnail; 【修改】's 【保存】 comes back.
    expect(page.get_by_text("新护照号码")).to_be_visible()
    expect(page.get_by_role("img", name="新护照信息页：new_passport.jpg")).to_be_visible()
    page.get_by_role("button", name="修改更换护照").click()
    page.get_by_label("签发机关").fill("国家移民管理局")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("heading", name="信息确认")).to_be_visible()
    expect(page.get_by_role("region", name="更换护照")).to_contain_text("国家移民管理局")
    number = submit(page)

    reviewer = reviewer_opens(browser, base_url, number)
    act(reviewer, "通过", "审核通过")
    expect(reviewer.get_by_text("当前状态无需操作")).to_be_visible()

    has_message(page, base_url, f"申请单 {number} 状态变更为：审核通过")
    new_renew_list(page, base_url)
    page.get_by_role("row").filter(has_text=WAITING).get_by_role("link", name="查看详情").click()
    expect(page.get_by_text(expected["number"] + " / 普通")).to_be_visible()
    expect(page.get_by_text(re.compile(f"{old_number}（.* 经 {number} 更换）"))).to_be_visible()


def test_cancel_ends_the_card(page: Page, base_url: str, mailbox, seed_followups, browser, tmp_path):
    registered(page, base_url, mailbox, seed_followups, "注销卡测试有限公司")
    start(page, base_url, MAILED, "注销卡", "刘洋")
    page.get_by_label("注销原因").select_option("持卡人离职")
    contact_and_materials(page, tmp_path)
    expect(page.get_by_text("持卡人离职")).to_be_visible()
    number = submit(page)

    # While the 注销卡 is open, 换补卡 for 刘洋 is not offered (王芳 still is).
    new_renew_list(page, base_url)
    row = page.get_by_role("row").filter(has_text=MAILED)
    row.get_by_role("button", name=re.compile("^换补卡")).click()
    expect(page.get_by_role("dialog").get_by_role("radio")).to_have_count(1)
    expect(page.get_by_role("dialog").get_by_role("radio", name=re.compile("王芳"))).to_be_visible()
    page.get_by_role("dialog").get_by_role("button", name="取消").click()

    reviewer = reviewer_opens(browser, base_url, number)
    act(reviewer, "通过", "审核通过")

    has_message(page, base_url, f"申请单 {number} 状态变更为：审核通过")
    new_renew_list(page, base_url)
    page.get_by_role("row").filter(has_text=MAILED).get_by_role("link", name="查看详情").click()
    expect(page.get_by_text(re.compile("刘洋：已注销"))).to_be_visible()
