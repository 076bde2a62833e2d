"""新办/续办 keyboard-only, from the 申办须知 page to 提交 and the detail page: no mouse click once the 申办须知 page is
open. Every control is reached with Tab, or Shift+Tab when it is above the focus (the test fails if the keys do not
get there, e.g. after a step the focus is on 下一步 at the bottom and the next field is reached upwards), text is typed,
buttons are pressed with Enter, the checkbox with Space, radio groups and native selects are moved with the arrow
keys, and dialogs (护照信息确认, 选择地址) are worked from inside.

File uploads: the upload button is reached with Tab and pressed with Enter, which opens the browser's file picker;
the picker itself is the operating system's window, which no page can drive by keyboard, so the test hands it the
file through Playwright's file chooser (the equivalent of set_input_files on the picker's hidden input).

Registration and sign-in before the 申办须知 page use the usual helpers: they are not part of what is checked here.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import FileChooser, Locator, Page, expect

from tests.e2e.files import jpeg, png
from tests.e2e.helpers import id_number, new_uscc, quick_register, unique
from tests.ocr_samples import make_passport_image

MAX_KEYS = 400  # Tab presses allowed to reach one control (a whole lap of the longest page is ~150)


@pytest.fixture()
def browser_context_args(browser_context_args):
    """Date inputs are typed segment by segment in the browser's locale: fix it (mm/dd/yyyy)."""
    return {**browser_context_args, "locale": "en-US"}


def focused(target: Locator) -> bool:
    return target.evaluate("el => el === document.activeElement")


# Whether the focus is on an element after the target in the page (so the target is reached with Shift+Tab).
FOCUS_IS_AFTER = """el => {
    const active = document.activeElement;
    return !!active && active !== document.body && !el.contains(active)
        && !!(el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab, or Shift+Tab if the target is above the focus, until the target (or, for a radio group, one of its
    items: the group is one Tab stop) has the focus."""
    expect(target).to_be_attached()
    key = "Shift+Tab" if target.evaluate(FOCUS_IS_AFTER) else "Tab"
    for _ in range(MAX_KEYS):
        if target.evaluate("el => el.contains(document.activeElement)"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} not reached with {key} in {MAX_KEYS} presses")


def type_into(page: Page, target: Locator, text: str) -> None:
    """Tab to a text field, replace what is there by typing."""
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def type_date(page: Page, target: Locator, value: str) -> None:
    """A date input takes its month, day and year segments as typed digits (en-US order), from its first segment
    (Shift+Tab lands on the last one)."""
    tab_to(page, target)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    year, month, day = value.split("-")
    page.keyboard.type(month + day + year)
    expect(target).to_have_value(value)


def choose(page: Page, select: Locator, label: str) -> None:
    """Tab to a native select and move to the option with the arrow keys, one key at a time (a controlled select
    takes its value back from the server between two keys)."""
    tab_to(page, select)
    texts = [t.strip() for t in select.locator("option").all_inner_texts()]
    target = texts.index(label)
    for _ in range(len(texts) + 1):
        current = select.evaluate("s => s.selectedIndex")
        if current == target:
            break
        page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
        page.wait_for_function("([s, i]) => s.selectedIndex !== i", arg=[select.element_handle(), current])
    expect(select.locator("option:checked")).to_have_text(label)


def choose_radio(page: Page, group: Locator, label: str) -> None:
    """A radio group is one Tab stop (its checked item, or the first): Tab into it, arrow keys to the item, Space."""
    tab_to(page, group)
    target = group.get_by_role("radio", name=label, exact=True)
    for _ in range(group.get_by_role("radio").count()):
        if focused(target):
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(target).to_be_checked()


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


class FilePicker:
    """The file pickers the page opens, kept from the start of the test: one listener for the whole test keeps
    Playwright's interception of the picker on (adding and removing one per upload, as expect_file_chooser does,
    lets a picker now and then open before the interception is back on, and it is never seen)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.opened: list[FileChooser] = []
        page.on("filechooser", lambda chooser: self.opened.append(chooser))

    def upload(self, zone: Locator, path) -> None:
        """Tab to the zone's button; Enter opens the file picker, which is given the file."""
        tab_to(self.page, zone.get_by_role("button"))
        seen = len(self.opened)
        self.page.keyboard.press("Enter")
        for _ in range(100):
            if len(self.opened) > seen:
                break
            self.page.wait_for_timeout(100)
        else:
            raise AssertionError(f"Enter on the upload button of {zone} opened no file picker")
        self.opened[-1].set_files(str(path))


def test_new_renew_wizard_by_keyboard_only(page: Page, base_url: str, mailbox, tmp_path):
    files = {
        "material": png(tmp_path / "material.png"),
        "photo": jpeg(tmp_path / "photo.jpg", (300, 400)),
        "signature": jpeg(tmp_path / "sign.jpg", (400, 150)),
        "social_security": jpeg(tmp_path / "ss.jpg", (800, 1000)),
        "no_criminal_record": jpeg(tmp_path / "ncr.jpg", (800, 1000)),
    }
    passport_bytes, expected = make_passport_image(7)
    (tmp_path / "passport.jpg").write_bytes(passport_bytes)
    quick_register(page, base_url, mailbox, "键盘测试有限公司", new_uscc(), f"{unique('kbd')}@example.com")
    picker = FilePicker(page)

    # 申办须知: the institution, 我已阅读并知晓 (Space), 立即办理 (Enter).
    page.goto(f"{base_url}/apply/new-renew")
    expect(page.get_by_role("heading", name="新办/续办 申办须知")).to_be_visible()
    choose(page, page.get_by_label("办理机构"), "江苏省人民政府外事办公室")
    expect(page.get_by_text("江苏省人民政府外事办公室申办须知")).to_be_visible()
    agreed = page.get_by_role("checkbox", name="我已阅读并知晓")
    press(page, agreed, "Space")
    expect(agreed).to_be_checked()
    press(page, page.get_by_role("button", name="立即办理"))

    # 1 单位信息
    expect(page.get_by_label("统一社会信用代码")).to_have_attribute("readonly", "")
    for label, value in {
        "员工人数": "50",
        "注册资金（人民币万元）": "500",
        "上年度资产总额（人民币万元）": "800",
        "上年度营业额（人民币万元）": "900",
        "上年度应纳税额（人民币万元）": "40",
        "上年度负债率（%）": "30",
        "上年度进出口贸易额（人民币万元）": "600",
        "经营范围": "进出口贸易",
        "与APEC经济体来往情况": "常年往来",
    }.items():
        type_into(page, page.get_by_label(label, exact=True), value)
        if label == "员工人数":
            type_date(page, page.get_by_label("成立日期"), "2012-05-01")
    for zone in ("#material-1", "#material-2"):
        picker.upload(page.locator(zone), files["material"])
    expect(page.get_by_text("已上传：material.png")).to_have_count(2)
    press(page, page.get_by_role("button", name="下一步"))

    # 2 团组信息: the passport page read by OCR and confirmed in its dialog, then the rest of the person.
    expect(page.get_by_role("heading", name="团组信息")).to_be_visible()
    type_into(page, page.get_by_label("团组名称"), "赴新加坡商务考察团")
    type_into(page, page.get_by_label("联系人姓名"), "李四")
    type_into(page, page.get_by_label("联系人电话"), "15412341234")
    type_into(page, page.get_by_label("申请事由"), "商务洽谈")
    picker.upload(page.locator("#up-passport_page-0"), tmp_path / "passport.jpg")
    dialog = page.get_by_role("dialog", name="请确认以下护照信息的正确性")
    expect(dialog.get_by_label("护照号码")).to_have_value(expected["number"], timeout=20000)
    expect(dialog).to_contain_text("如有误")
    assert dialog.evaluate("d => d.contains(document.activeElement)"), "the dialog takes the focus"
    press(page, dialog.get_by_role("button", name="确认护照信息"))
    expect(dialog).to_have_count(0)
    expect(page.locator("#p0-passport_number")).to_have_value(expected["number"])

    # A birth date and number of this run's own (the OCR's date is the same every run, and a person with an open
    # application is refused): the date the OCR filled in is typed over.
    birth = date(1965, 1, 1) + timedelta(days=random.randint(0, 10_000))
    male = expected["sex"] == "M"

    def field(key: str) -> Locator:
        return page.locator(f"#p0-{key}")

    type_into(page, field("surname"), "张")
    type_into(page, field("given_name"), "平")
    type_into(page, field("id_number"), id_number(birth, male, random.randint(10, 99)))
    choose_radio(page, field("sex"), "男" if male else "女")
    expect(field("birth_date")).to_have_value(expected["birth_date"])
    type_date(page, field("birth_date"), birth.isoformat())
    choose(page, field("birth_province"), "江苏省")
    choose(page, field("birth_city"), "南京市")
    type_into(page, field("home_address"), "南京市玄武区中山路1号")
    type_into(page, field("mobile"), "13912345678")
    type_into(page, field("email"), "p0@example.com")
    choose(page, field("insured_place"), "江苏省")
    type_into(page, field("position"), "销售经理")
    type_into(page, field("months_employed"), "36")
    type_into(page, field("issuing_authority"), "公安部出入境管理局")
    choose(page, field("issue_place"), "JIANGSU")
    choose(page, field("apec_visa"), "否")
    type_into(page, field("residence"), "中国")
    choose(page, field("old_card"), "否")
    for kind in ("photo", "signature", "social_security", "no_criminal_record"):
        picker.upload(page.locator(f"#up-{kind}-0"), files[kind])
        expect(page.locator(f"#up-{kind}-0").locator("xpath=..")).to_contain_text("已上传")
    press(page, page.get_by_role("button", name="下一步"))

    # 3 取卡方式: 邮寄 (arrow key in the radio group), a new address in the 选择地址 dialog.
    expect(page.get_by_role("heading", name="取卡方式")).to_be_visible()
    choose_radio(page, page.locator("#delivery-method"), "邮寄")
    press(page, page.get_by_role("button", name="选择地址"))
    address = page.get_by_role("dialog", name="选择地址")
    expect(address).to_be_visible()
    choose(page, address.get_by_label("省", exact=True), "江苏省")
    choose(page, address.get_by_label("市", exact=True), "南京市")
    choose(page, address.get_by_label("区", exact=True), "鼓楼区")
    type_into(page, address.get_by_label("详细地址"), "北京西路1号")
    type_into(page, address.get_by_label("收件人"), "王五")
    type_into(page, address.get_by_label("联系电话"), "13900000000")
    press(page, address.get_by_role("button", name="保存并使用"))
    expect(address).to_have_count(0)
    expect(page.get_by_role("status", name="已选地址")).to_contain_text("王五")
    press(page, page.get_by_role("button", name="下一步"))

    # 4 信息确认, 提交, the detail page.
    expect(page.get_by_text("赴新加坡商务考察团")).to_be_visible()
    press(page, page.get_by_role("button", name="提交"))
    expect(page.get_by_role("heading", name="申请单详情")).to_be_visible(timeout=15000)
    expect(page.get_by_text(re.compile(r"申请单号：APEC\d{14}"))).to_be_visible()
    expect(page.get_by_text("外办审核中").first).to_be_visible()
    expect(page.get_by_text("邮寄：王五")).to_be_visible()
