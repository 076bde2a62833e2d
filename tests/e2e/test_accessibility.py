"""axe-core on every applicant and reviewer page (and the dialogs and tabs in them): no violation of impact
"serious" or "critical"; the minor and moderate ones are printed (run with -s to see them).

axe-core is the npm package bootstrap.sh installs into .tools (its axe.min.js is injected into the page under
test). Each page is checked once it is hydrated: its main heading is visible and the data its state loads is
there; running CSS transitions (a dialog fading in) are awaited so colour contrast is measured on the final look.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import AXE, Audit
from tests.e2e.files import jpeg, png
from tests.e2e.helpers import (
    MAILED,
    WAITING,
    fill_address,
    fill_person,
    fill_unit_step,
    new_uscc,
    quick_register,
    registered,
    staff_sign_in,
    unique,
    upload,
)
from tests.ocr_samples import make_passport_image


@pytest.fixture()
def audit():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/bootstrap.sh --dev")
    return Audit()


def heading(page: Page, name: str | re.Pattern, **kwargs) -> None:
    expect(page.get_by_role("heading", name=name, **kwargs).first).to_be_visible(timeout=15000)


def admin_sign_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/staff/login")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("Admin@2026pass")
    page.get_by_role("button", name="登录").click()
    heading(page, "审核工作台")


def test_public_pages(page: Page, base_url: str, audit: Audit):
    page.goto(f"{base_url}/")
    heading(page, "APEC商务旅行卡业务在线办理")
    expect(page.get_by_role("link", name="注册新账号")).to_be_visible()
    audit.check(page, "/")

    page.goto(f"{base_url}/login")
    heading(page, "账号登录")
    expect(page.get_by_role("tab", name="账号登录")).to_have_attribute("aria-selected", "true")
    audit.check(page, "/login 账号登录")
    page.get_by_role("tab", name="经办人登录").click()
    expect(page.get_by_placeholder("请输入用户名")).to_be_visible()
    audit.check(page, "/login 经办人登录")
    page.get_by_role("button", name="电子营业执照扫码登录").click()
    expect(page.get_by_role("img", name="电子营业执照授权二维码")).to_be_visible()
    audit.check(page, "/login 扫码登录")

    page.goto(f"{base_url}/register")
    heading(page, "企业账号注册")
    expect(page.get_by_role("img", name="电子营业执照授权二维码")).to_be_visible()
    audit.check(page, "/register 扫码")

    page.goto(f"{base_url}/forgot-password")
    heading(page, "忘记密码")
    expect(page.get_by_role("img", name="电子营业执照授权二维码")).to_be_visible()
    audit.check(page, "/forgot-password 扫码")
    page.get_by_role("tab", name="手动输入信息").click()
    expect(page.get_by_label("统一社会信用代码")).to_be_visible()
    audit.check(page, "/forgot-password 手动输入")

    page.goto(f"{base_url}/staff/login")
    heading(page, "工作人员登录")
    audit.check(page, "/staff/login")

    page.goto(f"{base_url}/set-password/not-a-real-token")
    heading(page, "设置账号密码")
    expect(page.get_by_text("链接无效、已使用或已过期")).to_be_visible()
    audit.check(page, "/set-password/<bad token>")

    audit.assert_clean()


def test_applicant_pages(page: Page, base_url: str, mailbox, seed_followups, audit: Audit, tmp_path):
    registered(page, base_url, mailbox, seed_followups, "无障碍检查有限公司")

    page.goto(f"{base_url}/")
    heading(page, "APEC商务旅行卡业务在线办理")
    expect(page.get_by_role("button", name="账户菜单")).to_be_visible()
    audit.check(page, "/ (signed in)")
    page.get_by_role("button", name="账户菜单").click()
    expect(page.get_by_role("menuitem", name="账号设置")).to_be_visible()
    audit.check(page, "/ account menu")
    page.keyboard.press("Escape")

    page.goto(f"{base_url}/user")
    heading(page, "我的申请单")
    for tab in ("新办/续办", "提前制卡", "换补卡", "未制卡仅更换护照", "注销卡"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        if tab == "新办/续办":
            expect(page.get_by_role("row").filter(has_text=WAITING)).to_be_visible()
        else:
            expect(page.get_by_text("暂无申请单")).to_be_visible()
        audit.check(page, f"/user {tab}")
    page.get_by_role("tab", name="我的APEC卡").click()
    expect(page.get_by_role("columnheader", name="持卡人")).to_be_visible()
    audit.check(page, "/user 我的APEC卡")

    # The follow-up dialog from a 新办/续办 row.
    page.get_by_role("tab", name="新办/续办").click()
    row = page.get_by_role("row").filter(has_text=WAITING)
    row.get_by_role("button", name=re.compile("^提前制卡 APEC")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("radio").first).to_be_visible()
    audit.check(page, "/user 提前制卡 dialog")
    dialog.get_by_role("radio").first.click()
    expect(dialog.get_by_role("note")).to_be_visible()
    audit.check(page, "/user 提前制卡 dialog, person chosen")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_have_count(0)

    # A 新办/续办 detail (economy decisions, waiting times, cards).
    row.get_by_role("link", name="查看详情").click()
    heading(page, "申请单详情")
    expect(page.get_by_text(re.compile(r"^APEC\d{14}$")).first).to_be_visible()
    heading(page, "APEC经济体审核情况")
    audit.check(page, "/user/applications/<新办/续办>")
    page.goto(f"{base_url}/user")
    page.get_by_role("tab", name="新办/续办").click()
    page.get_by_role("row").filter(has_text=MAILED).get_by_role("link", name="查看详情").click()
    heading(page, "APEC商务旅行卡")
    audit.check(page, "/user/applications/<新办/续办 已邮寄>")

    # A follow-up (注销卡) through its form, to its detail.
    page.goto(f"{base_url}/user")
    page.get_by_role("tab", name="新办/续办").click()
    page.get_by_role("row").filter(has_text=MAILED).get_by_role("button", name=re.compile("^注销卡 APEC")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name=re.compile("刘洋")).click()
    dialog.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(r"/followup/\d+$"))
    expect(page.get_by_label("申请人")).to_have_value("刘洋")
    audit.check(page, "/followup/<注销卡> step 1")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("此项为必填项").first).to_be_visible()
    audit.check(page, "/followup/<注销卡> step 1 with errors")
    page.get_by_label("注销原因").select_option("持卡人离职")
    page.get_by_label("联系人姓名").fill("赵联系")
    page.get_by_label("联系人电话").fill("13812345678")
    page.get_by_role("button", name="下一步").click()
    heading(page, "线上材料")
    audit.check(page, "/followup/<注销卡> 上传材料")
    page.locator("[id^=material-] input[type=file]").first.set_input_files(str(png(tmp_path / "letter.png")))
    expect(page.get_by_text("已上传：letter.png")).to_be_visible()
    audit.check(page, "/followup/<注销卡> 上传材料, uploaded")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("button", name="提交")).to_be_visible()
    audit.check(page, "/followup/<注销卡> 信息确认")
    page.get_by_role("button", name="提交").click()
    heading(page, "申请单详情")
    heading(page, "业务信息")
    audit.check(page, "/user/applications/<注销卡>")

    # A 换补卡 form on its first step (radio group, reason select, 情况说明 upload).
    page.goto(f"{base_url}/user")
    page.get_by_role("tab", name="新办/续办").click()
    page.get_by_role("row").filter(has_text=MAILED).get_by_role("button", name=re.compile("^换补卡 APEC")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name=re.compile("王芳")).click()
    dialog.get_by_role("button", name="确定").click()
    expect(page).to_have_url(re.compile(r"/followup/\d+$"))
    page.get_by_role("radio", name="补卡").click()
    expect(page.get_by_label("原因")).to_be_visible()
    audit.check(page, "/followup/<换补卡> step 1")

    # 未制卡仅更换护照 on its first step (its upload and passport fields).
    page.goto(f"{base_url}/user")
    page.get_by_role("tab", name="新办/续办").click()
    row = page.get_by_role("row").filter(has_text=WAITING)
    row.get_by_role("button", name=re.compile("^未制卡仅更换护照 APEC")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name=re.compile("李娜")).click()
    dialog.get_by_role("button", name="确定").click()
    expect(page.get_by_label("新护照号码")).to_be_visible()
    audit.check(page, "/followup/<未制卡仅更换护照> step 1")

    page.goto(f"{base_url}/user/addresses")
    heading(page, "地址管理")
    expect(page.get_by_text("暂无地址")).to_be_visible()
    audit.check(page, "/user/addresses")
    page.get_by_role("button", name="新增地址").click()
    expect(page.get_by_role("dialog", name="新增地址")).to_be_visible()
    audit.check(page, "/user/addresses 新增地址 dialog")
    dialog = page.get_by_role("dialog", name="新增地址")
    fill_address(dialog, "王五", "13900000000", "鼓楼区", "北京西路1号")
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_role("row").filter(has_text="王五")).to_be_visible()
    audit.check(page, "/user/addresses with a row")

    page.goto(f"{base_url}/account/settings")
    heading(page, "账号设置")
    expect(page.get_by_label("统一社会信用代码")).not_to_have_value("")
    audit.check(page, "/account/settings 账号信息")
    page.get_by_role("button", name="更新企业三要素信息").click()
    expect(page.get_by_role("dialog").get_by_role("img", name="电子营业执照授权二维码")).to_be_visible()
    audit.check(page, "/account/settings 三要素 dialog")
    page.get_by_role("dialog").get_by_role("button", name="关闭").click()
    for tab, ready in (("修改邮箱", "新邮箱"), ("修改密码", "原密码")):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_label(ready)).to_be_visible()
        audit.check(page, f"/account/settings {tab}")
    page.get_by_role("tab", name="经办人管理").click()
    expect(page.get_by_text("暂无经办人")).to_be_visible()
    audit.check(page, "/account/settings 经办人管理")
    page.get_by_role("button", name="添加经办人").click()
    expect(page.get_by_role("dialog", name="添加经办人")).to_be_visible()
    audit.check(page, "/account/settings 添加经办人 dialog")
    page.get_by_role("dialog").get_by_role("button", name="取消").click()

    page.goto(f"{base_url}/messages")
    heading(page, "消息中心")
    expect(page.get_by_text(re.compile("第 1 页"))).to_be_visible()
    audit.check(page, "/messages")

    audit.assert_clean()


def test_wizard_review_and_admin_pages(page: Page, base_url: str, mailbox, browser, audit: Audit, tmp_path):
    files = {
        "photo": jpeg(tmp_path / "photo.jpg", (300, 400)),
        "signature": jpeg(tmp_path / "sign.jpg", (400, 150)),
        "social_security": jpeg(tmp_path / "ss.jpg", (800, 1000)),
        "no_criminal_record": jpeg(tmp_path / "ncr.jpg", (800, 1000)),
    }
    passport_bytes, expected = make_passport_image(7)
    (tmp_path / "passport.jpg").write_bytes(passport_bytes)
    quick_register(page, base_url, mailbox, "无障碍向导有限公司", new_uscc(), f"{unique('a11y')}@example.com")

    page.goto(f"{base_url}/apply/new-renew")
    heading(page, "新办/续办 申办须知")
    audit.check(page, "/apply/new-renew")
    page.get_by_label("办理机构").select_option(label="江苏省人民政府外事办公室")
    expect(page.get_by_text("江苏省人民政府外事办公室申办须知")).to_be_visible()
    audit.check(page, "/apply/new-renew 江苏 (须知, 自查)")
    page.get_by_role("checkbox", name="我已阅读并知晓").click()
    page.get_by_role("button", name="立即办理").click()

    # 1 单位信息
    expect(page.get_by_label("统一社会信用代码")).to_have_attribute("readonly", "")
    audit.check(page, "/apply/<id> 1 单位信息")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("请上传文件").first).to_be_visible()
    audit.check(page, "/apply/<id> 1 单位信息 with errors")
    fill_unit_step(page, png(tmp_path / "m.png"))
    page.get_by_role("button", name="下一步").click()

    # 2 团组信息, with the OCR and 批量导入 dialogs
    heading(page, "团组信息")
    expect(page.locator("#p0-surname")).to_be_visible()
    audit.check(page, "/apply/<id> 2 团组信息")
    page.get_by_label("团组名称").fill("赴日本商务团")
    page.get_by_label("联系人姓名").fill("赵六")
    page.get_by_label("联系人电话").fill("15412341234")
    page.get_by_label("申请事由").fill("商务洽谈")
    upload(page, "up-passport_page-0", tmp_path / "passport.jpg")
    dialog = page.get_by_role("dialog", name="请确认以下护照信息的正确性")
    expect(dialog.get_by_label("护照号码")).to_have_value(expected["number"], timeout=20000)
    audit.check(page, "/apply/<id> 2 OCR dialog")
    dialog.get_by_role("button", name="确认护照信息").click()
    expect(page.locator("#p0-passport_number")).to_have_value(expected["number"])
    page.get_by_role("button", name="批量导入").click()
    dialog = page.get_by_role("dialog", name="批量导入人员")
    expect(dialog.get_by_role("button", name="下载模板")).to_be_visible()
    audit.check(page, "/apply/<id> 2 批量导入 dialog")
    dialog.get_by_role("button", name="关闭").click()
    expect(dialog).to_have_count(0)
    # A birth date and number of this run's own (a person with an open application is refused).
    birth = date(1965, 1, 1) + timedelta(days=random.randint(0, 10_000))
    male = expected["sex"] == "M"
    salt = random.randint(10, 99)
    fill_person(page, 0, files, surname="张", given="平", male=male, salt=salt, birth=birth, passport=None)
    audit.check(page, "/apply/<id> 2 团组信息 filled")
    page.get_by_role("button", name="下一步").click()

    # 3 取卡方式
    heading(page, "取卡方式")
    audit.check(page, "/apply/<id> 3 取卡方式")
    page.get_by_role("radio", name="自取").click()
    expect(page.get_by_label("代办点")).to_be_visible()
    audit.check(page, "/apply/<id> 3 自取")
    page.get_by_role("radio", name="邮寄").click()
    page.get_by_role("button", name="选择地址").click()
    dialog = page.get_by_role("dialog", name="选择地址")
    expect(dialog.get_by_label("收件人")).to_be_visible()
    audit.check(page, "/apply/<id> 3 选择地址 dialog")
    fill_address(dialog, "王磊", "13900000001", "玄武区", "中山路1号")
    dialog.get_by_role("button", name="保存并使用").click()
    expect(page.get_by_role("status", name="已选地址")).to_contain_text("王磊")
    audit.check(page, "/apply/<id> 3 邮寄, address chosen")
    page.get_by_role("button", name="下一步").click()

    # 4 信息确认, then the detail page
    expect(page.get_by_text("赴日本商务团")).to_be_visible()
    audit.check(page, "/apply/<id> 4 信息确认")
    page.get_by_role("button", name="提交").click()
    heading(page, "申请单详情")
    number = page.get_by_text(re.compile(r"申请单号：APEC\d{14}")).inner_text().split("：")[1]
    expect(page.get_by_role("img", name=f"申请单条码 {number}")).to_be_visible()
    audit.check(page, "/user/applications/<submitted>")
    applicant_url = page.url

    # The reviewer: queue, the application, 通过.
    reviewer = browser.new_context().new_page()
    staff_sign_in(reviewer, base_url, "reviewer_js")
    expect(reviewer.get_by_role("row").filter(has_text=number)).to_be_visible()
    audit.check(reviewer, "/staff (reviewer)")
    reviewer.get_by_label("申请单号").fill(number)
    reviewer.get_by_role("button", name="查询").click()
    reviewer.get_by_role("link", name=number).click()
    heading(reviewer, f"申请单 {number}")
    expect(reviewer.get_by_role("button", name="通过", exact=True)).to_be_visible()
    audit.check(reviewer, "/staff/applications/<id> 外办审核中")
    reviewer.get_by_role("button", name=re.compile("放大查看申请人照片")).first.click()
    expect(reviewer.get_by_role("dialog")).to_be_visible()
    audit.check(reviewer, "/staff/applications/<id> 材料大图 dialog")
    reviewer.get_by_role("dialog").get_by_role("button", name="关闭").click()
    reviewer.get_by_role("button", name="通过", exact=True).click()
    expect(reviewer.get_by_role("alertdialog")).to_contain_text(f"申请单 {number}")
    audit.check(reviewer, "/staff/applications/<id> 确认通过 dialog")
    reviewer.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(reviewer.get_by_text("待缴费").first).to_be_visible()
    audit.check(reviewer, "/staff/applications/<id> 待缴费")

    # The applicant's 收银台.
    page.goto(applicant_url)
    page.get_by_role("link", name="上传支付凭证").click()
    heading(page, "收银台")
    expect(page.get_by_text("¥ 770 (制卡费¥720+外办代办费¥50)").first).to_be_visible()
    audit.check(page, "/user/applications/<id>/pay")
    page.locator("#voucher input[type=file]").set_input_files(str(jpeg(tmp_path / "voucher.jpg", (600, 800))))
    expect(page.get_by_text("已上传：voucher.jpg")).to_be_visible()
    audit.check(page, "/user/applications/<id>/pay, uploaded")

    # The reviewer confirms payment: the economy decision forms.
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("提交支付凭证成功")).to_be_visible()
    reviewer.reload()
    reviewer.get_by_role("button", name="确认收款").click()
    reviewer.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(reviewer.get_by_text("APEC 经济体审核中").first).to_be_visible()
    expect(reviewer.get_by_label("经济体", exact=True)).to_be_visible()
    audit.check(reviewer, "/staff/applications/<id> APEC 经济体审核中")
    reviewer.context.close()

    # The administrator's pages.
    admin = browser.new_context().new_page()
    admin_sign_in(admin, base_url)
    audit.check(admin, "/staff (admin)")
    admin.goto(f"{base_url}/admin/settings")
    heading(admin, "后台设置")
    expect(admin.get_by_label("机构名称")).not_to_have_value("")
    audit.check(admin, "/admin/settings 机构信息")
    admin.get_by_role("button", name="新增代办点").click()
    expect(admin.get_by_role("dialog", name="新增代办点")).to_be_visible()
    audit.check(admin, "/admin/settings 新增代办点 dialog")
    admin.get_by_role("dialog").get_by_role("button", name="取消").click()
    for tab, ready in (
        ("材料设置", admin.get_by_role("columnheader", name="材料名称")),
        ("申办须知", admin.get_by_label("申办须知", exact=True)),
        ("APEC经济体", admin.get_by_role("columnheader", name="过渡成员")),
        ("工作人员", admin.get_by_role("cell", name="reviewer_js", exact=True)),
    ):
        admin.get_by_role("tab", name=tab).click()
        expect(ready).to_be_visible()
        audit.check(admin, f"/admin/settings {tab}")
        if tab == "材料设置":
            admin.get_by_role("button", name="编辑").first.click()
            expect(admin.get_by_role("dialog", name="编辑材料")).to_be_visible()
            audit.check(admin, "/admin/settings 编辑材料 dialog")
            admin.get_by_role("dialog").get_by_role("button", name="取消").click()
        if tab == "工作人员":
            admin.get_by_role("button", name="新增工作人员").click()
            expect(admin.get_by_role("dialog", name="新增工作人员")).to_be_visible()
            audit.check(admin, "/admin/settings 新增工作人员 dialog")
            admin.get_by_role("dialog").get_by_role("button", name="取消").click()
    admin.goto(f"{base_url}/admin/enterprises")
    heading(admin, "企业账号开通")
    heading(admin, "已开通的账号")
    audit.check(admin, "/admin/enterprises")
    admin.goto(f"{base_url}/admin/audit")
    heading(admin, "安全与审计日志")
    expect(admin.get_by_role("row").nth(1)).to_be_visible()
    audit.check(admin, "/admin/audit")
    admin.context.close()

    audit.assert_clean()
