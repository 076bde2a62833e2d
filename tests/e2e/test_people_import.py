"""批量导入 in 团组信息: download the template, fill it, upload a file with one bad row (nothing is imported and
the bad cell is named), correct it and upload again (both people appear in the form)."""

from __future__ import annotations

import random
from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from stdnum.cn import ric

from apec_app.domain.people_import import DATA_SHEET, EXAMPLE, header
from tests.e2e.files import png
from tests.e2e.helpers import fill_unit_step, new_uscc, quick_register, start_new_renew, unique, upload


def _id_number(birth: date, male: bool) -> str:
    body = f"320102{birth:%Y%m%d}{random.randint(10, 99)}{random.choice('13579' if male else '02468')}"
    return body + ric.calc_check_digit(body + "0")


def fill_template(template, target, people: list[dict[str, str]]) -> None:
    book = load_workbook(template)
    sheet = book[DATA_SHEET]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for row, person in enumerate(people, start=2):  # row 2 holds the example: overwritten by the first person
        for key, value in (EXAMPLE | person).items():
            sheet.cell(row=row, column=columns[header(key)], value=value)
    book.save(target)


def start_wizard_at_group_step(page: Page, base_url: str, tmp_path) -> None:
    start_new_renew(page, base_url)
    fill_unit_step(page, png(tmp_path / "m.png"))
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="团组信息")).to_be_visible()


def test_bulk_import_with_a_bad_row_corrected(page: Page, base_url: str, mailbox, tmp_path):
    quick_register(page, base_url, mailbox, "批量导入测试有限公司", new_uscc(), f"{unique('imp')}@example.com")
    start_wizard_at_group_step(page, base_url, tmp_path)
    page.get_by_role("button", name="批量导入", exact=True).click()
    dialog = page.get_by_role("dialog", name="批量导入人员")
    with page.expect_download() as download:
        dialog.get_by_role("button", name="下载模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    good = {
        "surname": "周",
        "given_name": "明",
        "pinyin": "",
        "id_number": _id_number(date(1986, 3, 9), True),
        "sex": "男",
        "birth_date": "1986-03-09",
        "passport_number": f"E{random.randint(10_000_000, 99_999_999)}",
    }
    second = {
        "surname": "吴",
        "given_name": "芳",
        "pinyin": "",
        "id_number": _id_number(date(1991, 8, 21), False)[:-1] + "0",  # a wrong check digit, most of the time
        "sex": "女",
        "birth_date": "1991-08-21",
        "passport_number": f"E{random.randint(10_000_000, 99_999_999)}",
    }
    if ric.is_valid(second["id_number"]):
        second["id_number"] = second["id_number"][:-1] + "1"
    fill_template(template, tmp_path / "people.xlsx", [good, second])
    upload(page, "people-import", tmp_path / "people.xlsx")
    report = dialog.get_by_role("row").filter(has_text="身份证号")
    expect(report).to_contain_text("3")  # Excel row 3: the second person
    expect(report).to_contain_text(second["id_number"])
    expect(page.locator("#p0-surname")).to_have_value("")  # nothing imported

    second["id_number"] = _id_number(date(1991, 8, 21), False)
    fill_template(template, tmp_path / "people-fixed.xlsx", [good, second])
    upload(page, "people-import", tmp_path / "people-fixed.xlsx")
    expect(page.get_by_text("已导入 2 名人员").first).to_be_visible()
    expect(dialog).to_have_count(0)
    expect(page.locator("#p0-surname")).to_have_value("周")
    expect(page.locator("#p0-pinyin")).to_have_value("ZHOU MING")
    expect(page.locator("#p1-id_number")).to_have_value(second["id_number"])
    expect(page.get_by_text("已添加 2 人")).to_be_visible()
    # Saved in the draft: a reload shows the same people.
    page.reload()
    expect(page.locator("#p1-surname")).to_have_value("吴")
