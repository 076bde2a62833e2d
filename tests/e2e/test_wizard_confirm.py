"""新办/续办 as the manual shows it (1.2.1 steps 4-7): upload previews, the OCR dialog's fields with a real passport
image, 身份证号 checked on leaving it, 居留国家或地区 required, the address form's 省/市/区, 信息确认 with every field
and thumbnail, 【修改】 → 【保存】 straight back, and 撤回 / 删除 asking first. With APEC_SCREENSHOTS set to a folder,
the screenshots of 信息确认, the OCR dialog and the address dialog at 1366 and 390 px wide are kept there."""

from __future__ import annotations

import os
import random
import re
from datetime import date
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect

from apec_app.ui_text import MESSAGES
from apec_app.ui_text.person import PERSON_MESSAGES
from tests.e2e.files import jpeg, png
from tests.e2e.helpers import (
    UNIT_VALUES,
    fill_address,
    fill_person,
    id_number,
    new_uscc,
    quick_register,
    start_new_renew,
    unique,
    upload,
)
from tests.ocr_samples import make_passport_image

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def pdf(path: Path) -> Path:
    Image.new("RGB", (600, 800), (250, 250, 250)).save(path, "PDF")
    return path


def shoot(page: Page, tmp_path: Path, name: str, *, full_page: bool = False) -> None:
    """A screenshot (kept under APEC_SCREENSHOTS when set); at phone width nothing may scroll sideways."""
    folder = Path(os.environ.get("APEC_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page is {width[0]} px wide in a {width[1]} px window"


def at_both_widths(page: Page, tmp_path: Path, name: str, *, full_page: bool = False) -> None:
    shoot(page, tmp_path, f"{name}-1366", full_page=full_page)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    no_sideways_scroll(page)
    shoot(page, tmp_path, f"{name}-390", full_page=full_page)
    page.set_viewport_size(DESKTOP)
    page.wait_for_timeout(200)


def test_wizard_as_the_manual_shows_it(page: Page, base_url: str, mailbox, tmp_path):
    page.set_viewport_size(DESKTOP)
    files = {
        "photo": jpeg(tmp_path / "photo.jpg", (300, 400)),
        "signature": jpeg(tmp_path / "sign.jpg", (400, 150)),
        "social_security": jpeg(tmp_path / "ss.jpg", (800, 1000)),
        "no_criminal_record": jpeg(tmp_path / "ncr.jpg", (800, 1000)),
        "plain_passport": jpeg(tmp_path / "plain_passport.jpg", (1200, 850), "PASSPORT"),
    }
    passport_bytes, expected = make_passport_image(7)  # its 名 and 签发机关 cannot be read
    (tmp_path / "passport.jpg").write_bytes(passport_bytes)
    email = f"{unique('confirm')}@example.com"
    quick_register(page, base_url, mailbox, "南京信息确认测试有限公司", new_uscc(), email)
    start_new_renew(page, base_url)

    # 1 单位信息: an image material shows a thumbnail, a PDF its icon and name.
    for label, value in UNIT_VALUES.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("成立日期").fill("2012-05-01")
    upload(page, "material-1", png(tmp_path / "tax.png"))
    upload(page, "material-2", pdf(tmp_path / "letter.pdf"))
    first, second = (page.locator(f"#material-{i}").locator("xpath=../..") for i in (1, 2))
    expect(first.get_by_role("img", name=re.compile(r"：tax\.png$"))).to_be_visible()
    expect(first.get_by_role("img", name=re.compile(r"：tax\.png$"))).to_have_attribute("src", re.compile("^/files/"))
    expect(second.get_by_role("img", name=re.compile(r"：letter\.pdf$"))).to_contain_text("letter.pdf")
    expect(page.get_by_text("已上传：letter.pdf")).to_be_visible()
    page.get_by_role("button", name="下一步").click()

    # 2 团组信息
    page.get_by_label("团组名称").fill("赴智利商务考察团")
    page.get_by_label("联系人姓名").fill("李四")
    page.get_by_label("联系人电话").fill("15412341234")
    page.get_by_label("申请事由").fill("商务洽谈")

    # The OCR dialog: the manual's fields; what the reader could not read is empty and marked.
    upload(page, "up-passport_page-0", tmp_path / "passport.jpg")
    dialog = page.get_by_role("dialog", name="请确认以下护照信息的正确性")
    expect(dialog).to_be_visible(timeout=20000)
    expect(dialog.get_by_label("姓", exact=True)).to_have_value("周")
    expect(dialog.get_by_label("名", exact=True)).to_have_value("")
    expect(dialog.get_by_label("名", exact=True)).to_have_attribute("placeholder", "未能识别，请手工填写")
    expect(dialog.get_by_text("未能识别", exact=True)).to_have_count(1)
    expect(dialog.get_by_label("姓名拼音")).to_have_value("ZHOU LIMING")
    expect(dialog.get_by_text("拼音姓和拼音名之间默认空格隔开，多个拼音名之间不加空格")).to_be_visible()
    expect(dialog.get_by_role("radiogroup", name="性别").get_by_role("radio")).to_have_count(2)
    expect(dialog.get_by_role("radio", name="男")).to_be_checked()
    expect(dialog.get_by_label("出生日期")).to_have_value(expected["birth_date"])
    expect(dialog.get_by_label("护照号码")).to_have_value(expected["number"])
    expect(dialog.get_by_label("签发日期")).to_have_value(expected["issue_date"])
    expect(dialog.get_by_label("失效日期")).to_have_value(expected["expiry_date"])
    expect(dialog.get_by_label("签发地点")).to_have_value("ANHUI")
    expect(dialog.get_by_text("未能识别，请手工填写：名、签发机关")).to_be_visible()
    at_both_widths(page, tmp_path, "ocr-dialog")
    dialog.get_by_label("名", exact=True).fill("黎明")
    dialog.get_by_role("button", name="确认护照信息").click()
    expect(dialog).to_have_count(0)
    for key, value in {
        "surname": "周",
        "given_name": "黎明",
        "pinyin": "ZHOU LIMING",
        "passport_number": expected["number"],
        "issue_date": expected["issue_date"],
        "expiry_date": expected["expiry_date"],
        "birth_date": expected["birth_date"],
        "issue_place": "ANHUI",
    }.items():
        expect(page.locator(f"#p0-{key}")).to_have_value(value)

    # 身份证号 is checked on leaving the field, the message at the field; nothing else changes.
    birth = date.fromisoformat(expected["birth_date"])
    number = id_number(birth, True, random.randint(10, 49))
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    page.locator("#p0-id_number").fill(wrong)
    page.locator("#p0-id_number").press("Tab")
    row = page.locator("#p0-id_number").locator("xpath=../../..")
    expect(row.get_by_role("alert")).to_have_text(PERSON_MESSAGES["id_checksum"])
    expect(page.locator("#p0-id_number")).to_have_value(wrong)
    expect(page.locator("#p0-given_name")).to_have_value("黎明")
    page.locator("#p0-id_number").fill(number)
    page.locator("#p0-id_number").press("Tab")
    expect(row.get_by_role("alert")).to_have_count(0)

    fill_person(
        page, 0, files, surname="周", given="黎明", male=True, salt=int(number[14:16]), birth=birth, passport=None
    )
    number = page.locator("#p0-id_number").input_value()
    expect(
        page.locator("#up-photo-0").locator("xpath=..").get_by_role("img", name="申请人照片：photo.jpg")
    ).to_be_visible()

    # Person 2: the region names are simplified; 居留国家或地区 is required.
    page.get_by_role("button", name="新增人员").click()
    expect(page.locator("#p1-birth_province option", has_text="香港特别行政区")).to_have_count(1)
    expect(page.locator("#p1-birth_province option", has_text="香港特別行政區")).to_have_count(0)
    fill_person(page, 1, files, surname="欧阳", given="娜娜", male=False, salt=22, birth=date(1988, 2, 29),
                passport="EA1234567")  # fmt: skip
    page.locator("#p1-residence").fill("")
    page.locator("#p1-residence").blur()
    page.get_by_role("button", name="下一步").click()
    residence_row = page.locator("#p1-residence").locator("xpath=../../..")
    expect(residence_row.get_by_role("alert")).to_have_text(MESSAGES["required"])
    page.locator("#p1-residence").fill("新加坡")
    page.get_by_role("button", name="下一步").click()

    # 3 取卡方式: the address form's 省/市/区 cascade; a wrong 联系电话 is refused at the field, the rest kept.
    page.get_by_role("radio", name="邮寄").click()
    page.get_by_role("button", name="选择地址").click()
    address = page.get_by_role("dialog", name="选择地址")
    expect(address.get_by_label("市", exact=True).locator("option")).to_have_count(1)
    address.get_by_label("省", exact=True).select_option("北京市")
    expect(address.get_by_label("市", exact=True)).to_have_value("")
    address.get_by_label("市", exact=True).select_option("北京市")
    expect(address.get_by_label("区", exact=True).locator("option", has_text="朝阳区")).to_have_count(1)
    fill_address(address, "王五", "123", "玄武区", "中山路8号")
    expect(address.get_by_label("区", exact=True).locator("option", has_text="朝阳区")).to_have_count(0)
    at_both_widths(page, tmp_path, "address-dialog")
    address.get_by_role("button", name="保存并使用").click()
    phone_row = address.get_by_label("联系电话").locator("xpath=../../..")
    expect(phone_row.get_by_role("alert")).to_have_text(MESSAGES["phone_format"])
    expect(address.get_by_label("收件人")).to_have_value("王五")
    expect(address.get_by_label("区", exact=True)).to_have_value("玄武区")
    address.get_by_label("联系电话").fill("025-84561234")
    address.get_by_role("button", name="保存并使用").click()
    expect(page.get_by_role("status", name="已选地址")).to_contain_text("王五 025-84561234 江苏省南京市玄武区中山路8号")
    page.get_by_role("button", name="下一步").click()

    # 4 信息确认: every field, grouped as the form is, with the uploads' thumbnails.
    expect(page.get_by_role("heading", name="信息确认")).to_be_visible()
    unit = page.get_by_role("region", name="单位信息")
    for text in ("南京信息确认测试有限公司", "2012-05-01", "进出口贸易", "常年往来", "600"):
        expect(unit).to_contain_text(text)
    materials = page.get_by_role("region", name="上传材料")
    expect(materials.get_by_role("img", name=re.compile(r"：tax\.png$"))).to_be_visible()
    expect(materials.get_by_role("img", name=re.compile(r"：letter\.pdf$"))).to_be_visible()
    group = page.get_by_role("region", name="团组信息")
    for text in ("赴智利商务考察团", "李四", "15412341234", "商务洽谈", "2 人"):
        expect(group).to_contain_text(text)
    first = page.get_by_role("region", name="人员信息1")
    for text in (
        "周",
        "黎明",
        "ZHOU LIMING",
        number,
        "中国 / 江苏省 / 南京市",
        "南京市玄武区中山路1号",
        "13912345678",
        "p0@example.com",
        "参保地",
        "销售经理",
        "36",
        expected["number"],
        "公安部出入境管理局",
        "JIANGSU",
        "居留国家或地区",
        "中国",
        "是否有旧APEC卡",
    ):
        expect(first).to_contain_text(text)
    for label, name in (
        ("申请人护照信息页彩色", "passport.jpg"),
        ("申请人照片", "photo.jpg"),
        ("申请人签名", "sign.jpg"),
        ("社保证明", "ss.jpg"),
        ("无犯罪记录证明", "ncr.jpg"),
    ):
        expect(first.get_by_role("img", name=f"{label}：{name}")).to_be_visible()
    second = page.get_by_role("region", name="人员信息2")
    for text in ("欧阳", "OUYANG NANA", "EA1234567", "新加坡", "1988-02-29"):
        expect(second).to_contain_text(text)
    expect(second.get_by_role("img", name="申请人护照信息页彩色：plain_passport.jpg")).to_be_visible()
    expect(page.get_by_role("region", name="取卡方式")).to_contain_text("江苏省南京市玄武区中山路8号")
    at_both_widths(page, tmp_path, "confirm", full_page=True)

    # 【修改】 opens that part; its 【保存】 comes straight back to 信息确认 (not through 取卡方式).
    page.get_by_role("button", name="修改人员信息2").click()
    expect(page.locator("#person-2")).to_be_in_viewport()  # scrolled to that person's block
    expect(page.get_by_role("button", name="下一步")).to_have_count(0)
    page.locator("#p1-position").fill("市场总监")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("heading", name="信息确认")).to_be_visible()
    expect(page.get_by_role("region", name="人员信息2")).to_contain_text("市场总监")
    page.get_by_role("button", name="修改上传材料").click()
    expect(page.get_by_role("heading", name="上传材料")).to_be_in_viewport()
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("heading", name="信息确认")).to_be_visible()
    # A refusal keeps the applicant on the step until it is right, then still comes straight back.
    page.get_by_role("button", name="修改团组信息").click()
    page.get_by_label("联系人电话").fill("12")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text(MESSAGES["phone_format"])).to_be_visible()
    page.get_by_label("联系人电话").fill("15412341234")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("heading", name="信息确认")).to_be_visible()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="申请单详情")).to_be_visible(timeout=15000)
    app_number = page.get_by_text(re.compile(r"申请单号：APEC\d{14}")).inner_text().split("：")[1]

    # 撤回 asks first, naming the application; 取消 changes nothing.
    page.goto(f"{base_url}/user")
    row = page.get_by_role("row", name=re.compile(app_number))
    row.get_by_role("button", name="撤回").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(f"{app_number} 赴智利商务考察团")
    confirm.get_by_role("button", name="取消").click()
    expect(row).to_contain_text("外办审核中")
    row.get_by_role("button", name="撤回").click()
    page.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(row).to_contain_text("草稿")

    # 删除 of a draft never submitted asks first too.
    start_new_renew(page, base_url)
    page.get_by_label("员工人数").fill("7")
    page.goto(f"{base_url}/user")
    draft = page.get_by_role("row").filter(has_text="（未填写团组名称）")
    expect(draft).to_have_count(1)
    draft.get_by_role("button", name="删除").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("确定删除申请单“（未填写团组名称）”吗？")
    confirm.get_by_role("button", name="取消").click()
    expect(draft).to_have_count(1)
    draft.get_by_role("button", name="删除").click()
    page.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(page.get_by_text("草稿已删除")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="（未填写团组名称）")).to_have_count(0)
