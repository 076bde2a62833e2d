import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from apec_app.domain import people_import as pi
from apec_app.domain.application_form import (
    MAX_PEOPLE,
    PERSON_DOCS,
    PERSON_FIELDS,
    empty_person,
    validate_people,
    validate_person,
)
from apec_app.domain.people_import import COLUMNS, LABELS, CellError, parse, template
from apec_app.domain.person import pinyin_name
from apec_app.ui_text import MESSAGES
from apec_app.ui_text.decisions import REVIEW_MESSAGES
from apec_app.ui_text.people_import import IMPORT_MESSAGES
from apec_app.ui_text.person import PERSON_MESSAGES
from tests.factories import TODAY, new_id_number

BIRTH = date(1988, 3, 9)


def row_values(n: int = 0, *, male: bool = True, **changes) -> dict[str, object]:
    """One valid person as typed into the file; pinyin left empty to be generated."""
    birth = BIRTH + timedelta(days=n)
    values = {
        "surname": "李",
        "given_name": "小红" if not male else "建国",
        "pinyin": "",
        "former_name": "",
        "id_number": new_id_number(birth, male),
        "sex": "男" if male else "女",
        "birth_date": birth.isoformat(),
        "birth_country": "中国",
        "birth_province": "浙江省",
        "birth_city": "杭州市",
        "home_address": "浙江省杭州市西湖区文三路1号",
        "mobile": "13812345678",
        "email": f"p{n}@example.com",
        "insured_place": "浙江省",
        "position": "总经理",
        "months_employed": "48",
        "passport_number": f"E{10_000_000 + n}",
        "passport_type": "普通",
        "issue_date": (TODAY - timedelta(days=400)).isoformat(),
        "expiry_date": (TODAY + timedelta(days=3000)).isoformat(),
        "issuing_authority": "公安部出入境管理局",
        "issue_place": "ZHEJIANG",
        "apec_visa": "否",
        "residence": "中国",
        "old_card": "是",
    }
    return values | changes


def filled(rows: list[dict[str, object]], *, first_row: int = 3, data: bytes | None = None) -> bytes:
    """The template with `rows` typed in from `first_row` (row 2, the example, is kept unless overwritten)."""
    workbook = load_workbook(io.BytesIO(data or template()))
    sheet = workbook[pi.DATA_SHEET]
    for r, values in enumerate(rows, start=first_row):
        for c, name in enumerate(COLUMNS, start=1):
            sheet.cell(r, c, values.get(name))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_form(values: dict[str, object]) -> dict[str, str]:
    """What the form holds after the same values are typed into it."""
    person = empty_person() | {k: str(v) for k, v in values.items() if v}
    person["id_number"] = person["id_number"].upper()
    if not values.get("pinyin"):
        person["pinyin"] = person["pinyin_auto"] = pinyin_name(person["surname"], person["given_name"])
    return person


def codes(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.code) for e in result.errors]


# ---------------------------------------------------------------- template


def test_template_has_headers_lists_help_and_marker():
    workbook = load_workbook(io.BytesIO(template()))
    assert workbook.sheetnames == [pi.DATA_SHEET, pi.LISTS_SHEET, pi.HELP_SHEET]
    assert workbook[pi.LISTS_SHEET].sheet_state == "hidden"
    assert workbook.defined_names[pi.MARKER_NAME].attr_text == f'"{pi.TEMPLATE_VERSION}"'
    sheet = workbook[pi.DATA_SHEET]
    headers = [c.value for c in sheet[1]]
    assert headers == [pi.header(n) for n in COLUMNS]
    assert "*身份证号" in headers and "曾用名" in headers and "姓名拼音" in headers and "*出生日期" in headers
    assert all(sheet.column_dimensions[c.column_letter].number_format == "@" for c in sheet[1])
    validated = {str(dv.sqref).split(":")[0][:-1] for dv in sheet.data_validations.dataValidation}
    for name in ("sex", "birth_country", "birth_province", "birth_city", "insured_place", "passport_type"):
        assert pi._letter(name) in validated, name
    for name in ("issue_place", "apec_visa", "old_card"):
        assert pi._letter(name) in validated, name
    assert pi._letter("id_number") not in validated
    styles = {str(dv.sqref)[0]: dv.errorStyle for dv in sheet.data_validations.dataValidation}
    assert styles.pop(pi._letter("birth_city")) == "warning" and set(styles.values()) == {"stop"}
    city = next(dv for dv in sheet.data_validations.dataValidation if str(dv.sqref)[0] == pi._letter("birth_city"))
    assert f"${pi._letter('birth_province')}2," in city.formula1
    help_text = [c.value for row in workbook[pi.HELP_SHEET].iter_rows() for c in row if c.value]
    assert all(LABELS[n] in help_text for n in COLUMNS)


def test_typed_columns_are_every_person_field_but_documents():
    documents = {f"{d}_doc" for d in PERSON_DOCS} | {f"{d}_name" for d in PERSON_DOCS}
    assert COLUMNS == tuple(f for f in PERSON_FIELDS if f not in documents)


def test_example_row_passes_the_form_rules_and_is_not_imported():
    errors, _ = validate_person(pi.EXAMPLE, date(2026, 1, 1))
    assert set(errors) == {f"{d}_doc" for d in PERSON_DOCS}
    result = parse(template(), TODAY)
    assert codes(result) == [(0, "", "people_required")] and not result.ok


def test_every_code_has_a_message():
    messages = {**MESSAGES, **PERSON_MESSAGES, **REVIEW_MESSAGES, **IMPORT_MESSAGES}
    assert {"bad_template", pi.MALFORMED, pi.OPTION_INVALID} <= set(IMPORT_MESSAGES)
    assert {"file_too_large", "people_required", "people_too_many", "id_duplicate_in_group"} <= set(messages)


# ---------------------------------------------------------------- round trip


def test_round_trip_gives_the_people_the_form_would_hold():
    first = row_values(0)
    second = row_values(1, male=False, pinyin="li xiaohong", former_name="李红", residence="新加坡")
    result = parse(filled([first, second]), TODAY)
    assert result.errors == [] and result.ok
    assert result.rows == [3, 4]
    assert result.people == [as_form(first), as_form(second) | {"pinyin": "LI XIAOHONG"}]
    assert result.people[0]["pinyin"] == "LI JIANGUO"
    errors, _ = validate_people(result.people, TODAY)
    assert errors and all(k.endswith("_doc") and v == "upload_required" for k, v in errors.items())


def test_overwritten_example_row_is_imported():
    result = parse(filled([row_values(0)], first_row=2), TODAY)
    assert result.ok and result.rows == [2]


def test_empty_rows_between_and_after_are_ignored():
    data = filled([row_values(0), {}, row_values(1), {}, {n: "  " for n in COLUMNS}])
    result = parse(data, TODAY)
    assert result.ok and result.rows == [3, 5]


def test_empty_defaults_apply_like_the_form():
    result = parse(filled([row_values(0, birth_country=None, passport_type=None)]), TODAY)
    assert result.ok
    assert (result.people[0]["birth_country"], result.people[0]["passport_type"]) == ("中国", "普通")


# ---------------------------------------------------------------- bad cells


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


BAD_CELLS = [
    ("id_number", lambda v: _wrong_check_digit(v["id_number"]), "id_number", "id_checksum"),
    ("birth_date", lambda v: "1988-03-01", "id_number", "id_birth_mismatch"),
    ("passport_number", lambda v: "X1234567", "passport_number", "passport_format_ordinary"),
    ("email", lambda v: "someone@", "email", "email_format"),
    ("home_address", lambda v: None, "home_address", "required"),
    ("months_employed", lambda v: "三年", "months_employed", "integer_required"),
    ("expiry_date", lambda v: (TODAY + timedelta(days=30)).isoformat(), "expiry_date", "passport_expires_soon"),
    ("sex", lambda v: "M", "sex", "option_invalid"),
    ("insured_place", lambda v: "火星", "insured_place", "option_invalid"),
    ("birth_city", lambda v: "南京市", "birth_city", "option_invalid"),
    ("passport_type", lambda v: "护照", "passport_type", "option_invalid"),
    ("apec_visa", lambda v: "有", "apec_visa", "option_invalid"),
    ("issue_place", lambda v: "HANGZHOU", "issue_place", "option_invalid"),
    ("position", lambda v: "经理" * 101, "position", "too_long"),
    ("former_name", lambda v: "曾" * (pi.MAX_CELL + 1), "former_name", "too_long"),
]


@pytest.mark.parametrize(("name", "bad", "column", "code"), BAD_CELLS, ids=[c[3] + "-" + c[0] for c in BAD_CELLS])
def test_bad_cell_is_reported_at_its_row_and_column(name, bad, column, code):
    second = row_values(1)
    second[name] = bad(second)
    result = parse(filled([row_values(0), second]), TODAY)
    assert codes(result) == [(4, LABELS[column], code)]
    assert result.errors[0].value == pi._text(column, second[column])[:50]
    assert not result.ok and len(result.people) == 2


def test_city_of_a_foreign_birth_is_not_checked():
    values = row_values(0, birth_country="其他", birth_province=None, birth_city=None)
    assert parse(filled([values]), TODAY).ok


def test_missing_name_is_not_also_reported_as_missing_pinyin():
    result = parse(filled([row_values(0, given_name=None)]), TODAY)
    assert codes(result) == [(3, "名", "required")]


def test_bad_typed_pinyin_is_reported():
    result = parse(filled([row_values(0, pinyin="LI-JIANGUO")]), TODAY)
    assert codes(result) == [(3, "姓名拼音", "pinyin_format")]


def test_duplicate_id_numbers():
    first = row_values(0)
    second = row_values(1, id_number=first["id_number"].lower(), birth_date=first["birth_date"])
    result = parse(filled([first, row_values(2), second]), TODAY)
    assert codes(result) == [(5, "身份证号", "id_duplicate_in_group")]


def test_warnings_do_not_block():
    values = row_values(0, expiry_date=(TODAY + timedelta(days=400)).isoformat())
    result = parse(filled([values]), TODAY)
    assert result.ok
    assert [(w.row, w.column, w.code) for w in result.warnings] == [(3, "失效日期", "passport_shorter_than_card")]


# ---------------------------------------------------------------- cell types


def test_real_date_cells_and_slashed_dates_are_accepted():
    values = row_values(0)
    typed = values | {
        "birth_date": datetime.combine(BIRTH, datetime.min.time()),
        "issue_date": date.fromisoformat(values["issue_date"]),
        "expiry_date": values["expiry_date"].replace("-0", "/").replace("-", "/"),
    }
    result = parse(filled([typed]), TODAY)
    assert result.errors == []
    person = result.people[0]
    assert (person["birth_date"], person["issue_date"], person["expiry_date"]) == (
        values["birth_date"],
        values["issue_date"],
        values["expiry_date"],
    )


def test_numeric_cells_become_plain_strings():
    result = parse(
        filled([row_values(0, months_employed=36, mobile=13812345678), row_values(1, months_employed=36.0)]), TODAY
    )
    assert result.errors == []
    assert [p["months_employed"] for p in result.people] == ["36", "36"]
    assert result.people[0]["mobile"] == "13812345678"


@pytest.mark.parametrize(("value", "text"), [(36.0, "36"), (36, "36"), (1.5e3, "1500"), (" 36 ", "36"), (None, "")])
def test_whole_floats_read_as_integers(value, text):
    """Excel stores every number as a float; some writers keep the ".0"."""
    assert pi._text("months_employed", value) == text


def test_fraction_of_months_is_not_rounded_away():
    result = parse(filled([row_values(0, months_employed=36.5)]), TODAY)
    assert [(e.code, e.value) for e in result.errors] == [("integer_required", "36.5")]


def test_lower_case_id_and_passport_are_upper_cased():
    values = row_values(0, passport_number="eb1234567")
    result = parse(filled([values]), TODAY)
    assert result.ok and result.people[0]["passport_number"] == "EB1234567"


# ---------------------------------------------------------------- counts


def test_thirty_rows_import():
    result = parse(filled([row_values(n) for n in range(MAX_PEOPLE)]), TODAY)
    assert result.ok and len(result.people) == MAX_PEOPLE


def test_thirty_one_rows_import_nothing():
    result = parse(filled([row_values(n) for n in range(MAX_PEOPLE + 1)]), TODAY)
    assert result.errors == [CellError(0, "", "people_too_many", "31")]
    assert result.people == [] and not result.ok


# ---------------------------------------------------------------- wrong files


def _xlsx(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_edited_header_is_a_wrong_template():
    workbook = load_workbook(io.BytesIO(filled([row_values(0)])))
    workbook[pi.DATA_SHEET].cell(1, COLUMNS.index("mobile") + 1, "手机")
    assert parse(_xlsx(workbook), TODAY).errors == [CellError(1, "手机号码", "bad_template", "手机")]


def test_added_column_is_a_wrong_template():
    workbook = load_workbook(io.BytesIO(filled([row_values(0)])))
    workbook[pi.DATA_SHEET].cell(1, len(COLUMNS) + 1, "备注")
    assert codes(parse(_xlsx(workbook), TODAY)) == [(1, "", "bad_template")]


def test_other_template_version_is_rejected():
    workbook = load_workbook(io.BytesIO(filled([row_values(0)])))
    workbook.defined_names[pi.MARKER_NAME].attr_text = '"0"'
    assert codes(parse(_xlsx(workbook), TODAY)) == [(0, "", "bad_template")]


def test_random_workbook_is_a_wrong_template():
    workbook = Workbook()
    workbook.active.append(["姓名", "电话"])
    assert codes(parse(_xlsx(workbook), TODAY)) == [(0, "", "bad_template")]


def test_same_headers_in_a_new_workbook_are_accepted():
    """A copy-paste into a fresh workbook loses the marker but keeps the columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pi.DATA_SHEET
    sheet.append([pi.header(n) for n in COLUMNS])
    sheet.append([row_values(0)[n] for n in COLUMNS])
    result = parse(_xlsx(workbook), TODAY)
    assert result.ok and result.rows == [2]


@pytest.mark.parametrize(
    "data",
    [
        ("*姓,*名\n张,平\n").encode("utf-8-sig"),
        b"\x00\x01garbage" * 100,
        b"",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,  # an old .xls renamed
    ],
    ids=["csv", "garbage", "empty", "xls"],
)
def test_not_an_xlsx_is_malformed(data):
    result = parse(data, TODAY)
    assert codes(result) == [(0, "", pi.MALFORMED)] and not result.ok


def test_other_zip_is_malformed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert codes(parse(buffer.getvalue(), TODAY)) == [(0, "", pi.MALFORMED)]


def test_file_over_two_megabytes_is_too_large():
    data = filled([row_values(0)])
    assert parse(data + b"\0" * (pi.MAX_BYTES - len(data)), TODAY).errors[0].code != "file_too_large"
    assert codes(parse(data + b"\0" * (pi.MAX_BYTES + 1 - len(data)), TODAY)) == [(0, "", "file_too_large")]


def test_zip_bomb_is_too_large():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"\0" * (pi.MAX_UNZIPPED + 1))
    assert len(buffer.getvalue()) < pi.MAX_BYTES
    assert codes(parse(buffer.getvalue(), TODAY)) == [(0, "", "file_too_large")]
