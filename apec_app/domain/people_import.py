"""Bulk import of the people of a 新办/续办 form from an Excel file (团组信息 →【批量导入】).

Rows are checked with the form's own rules (validate_people) plus the option lists its selects enforce; documents
are uploaded in the form afterwards, so their upload_required errors are dropped. All or nothing: the caller
imports only when `ok`. Error codes: apec_app/ui_text/people_import.py, the person ones and the shared ones.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from apec_app.domain.application_form import (
    MAX_PEOPLE,
    OPTIONAL_PERSON_FIELDS,
    SEXES,
    YES_NO,
    empty_person,
    validate_people,
)
from apec_app.domain.enterprise import PROVINCES
from apec_app.domain.person import ISSUE_PLACES, PASSPORT_TYPES, pinyin_name
from apec_app.domain.regions import cities, provinces

TEMPLATE_VERSION = "1"
MARKER_NAME = "APEC_PEOPLE_IMPORT_TEMPLATE"  # hidden defined name holding the version
DATA_SHEET, LISTS_SHEET, HELP_SHEET = "人员信息", "取值", "填写说明"
MAX_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED = 40 * 1024 * 1024  # a 2 MB zip can inflate to gigabytes
MAX_CELL = 500  # what the form's inputs keep (WizardState.set_person)
TEMPLATE_ROWS = 1000  # rows that get the drop-down lists
MALFORMED = "xlsx_malformed"  # the CSV import's file_malformed message names CSV
OPTION_INVALID = "option_invalid"
_MAX_VALUE = 50  # echoed cell values are cut short

# The form's label of each typed field (apec_app/pages/wizard/people.py), in PERSON_FIELDS order.
LABELS = {
    "surname": "姓",
    "given_name": "名",
    "pinyin": "姓名拼音",
    "former_name": "曾用名",
    "id_number": "身份证号",
    "sex": "性别",
    "birth_date": "出生日期",
    "birth_country": "出生国家",
    "birth_province": "出生省份",
    "birth_city": "出生城市",
    "home_address": "家庭住址",
    "mobile": "手机号码",
    "email": "电子邮箱",
    "insured_place": "参保地",
    "position": "职务",
    "months_employed": "在所属单位连续工作时间(月)",
    "passport_number": "护照号码",
    "passport_type": "护照种类",
    "issue_date": "签发日期",
    "expiry_date": "失效日期",
    "issuing_authority": "签发机关",
    "issue_place": "签发地点",
    "apec_visa": "是否有APEC经济体签证记录",
    "residence": "居留国家或地区",
    "old_card": "是否有旧APEC卡",
}
COLUMNS = tuple(LABELS)
# Left empty, these take the form's default (empty_person) or are generated, so they carry no "*".
DEFAULTED = frozenset({"pinyin", "birth_country", "passport_type"})
DATE_FIELDS = frozenset({"birth_date", "issue_date", "expiry_date"})
UPPER_FIELDS = frozenset({"pinyin", "id_number", "passport_number", "issue_place"})
BIRTH_COUNTRIES = ("中国", "其他")

EXAMPLE = {
    "surname": "张",
    "given_name": "平",
    "pinyin": "ZHANG PING",
    "former_name": "",
    "id_number": "320102199005170011",
    "sex": "男",
    "birth_date": "1990-05-17",
    "birth_country": "中国",
    "birth_province": "江苏省",
    "birth_city": "南京市",
    "home_address": "江苏省南京市玄武区中山路1号",
    "mobile": "13912345678",
    "email": "zhangping@example.com",
    "insured_place": "江苏省",
    "position": "销售经理",
    "months_employed": "36",
    "passport_number": "E12345678",
    "passport_type": "普通",
    "issue_date": "2024-01-15",
    "expiry_date": "2034-01-14",
    "issuing_authority": "公安部出入境管理局",
    "issue_place": "JIANGSU",
    "apec_visa": "否",
    "residence": "中国",
    "old_card": "否",
}
HINTS = {
    "pinyin": "可不填，不填时按姓名自动生成；大写，姓与名之间一个空格，如ZHANG PING",
    "former_name": "选填",
    "id_number": "18位，最后一位可为X",
    "sex": "下拉选择：男、女",
    "birth_date": "格式YYYY-MM-DD，如1990-05-17；须与身份证号一致",
    "birth_country": "下拉选择：中国、其他；不填为中国",
    "birth_province": "出生国家为中国时必填，下拉选择",
    "birth_city": "出生国家为中国时必填，先选出生省份再下拉选择",
    "mobile": "11位手机号码",
    "insured_place": "下拉选择省份",
    "months_employed": "整数，如36",
    "passport_number": "普通护照为E加8位数字，或E加1位字母（I、O除外）加7位数字",
    "passport_type": "下拉选择：普通、公务、公务普通、外交；不填为普通",
    "issue_date": "格式YYYY-MM-DD",
    "expiry_date": "格式YYYY-MM-DD；护照有效期须在6个月以上",
    "issue_place": "下拉选择，护照上的签发地点，如JIANGSU",
    "apec_visa": "下拉选择：是、否",
    "residence": "居住的国家或地区，如中国",
    "old_card": "下拉选择：是、否",
}
RULES = (
    f"1. 请在“{DATA_SHEET}”工作表中填写，每行一名人员，最多{MAX_PEOPLE}人。",
    "2. 第2行灰色为示例，可直接覆盖或删除；未修改的示例行不会被导入。",
    "3. 带“*”的列为必填项。请勿修改、增加、删除或移动表头各列。",
    "4. 日期请按YYYY-MM-DD填写（如1990-05-17）；有下拉列表的列请从列表中选择。",
    "5. 护照信息页、照片、签名、社保证明、无犯罪记录证明请在导入后于页面中逐人上传。",
    "6. 文件中有任何错误时不会导入任何人员，请按提示修改后重新上传。文件大小不超过2M。",
)


@dataclass(frozen=True)
class CellError:
    """A problem at an Excel row and column header; row 0 and column "" for the whole file."""

    row: int
    column: str
    code: str
    value: str


@dataclass
class ImportResult:
    """People as the form holds them (for preview) and what stops the import; `rows` is each one's Excel row."""

    people: list[dict[str, str]]
    errors: list[CellError]
    warnings: list[CellError] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.people) and not self.errors


class _Rejected(Exception):
    def __init__(self, code: str, row: int = 0, column: str = "", value: str = ""):
        self.error = CellError(row, column, code, value[:_MAX_VALUE])


def header(name: str) -> str:
    required = name not in OPTIONAL_PERSON_FIELDS and name not in DEFAULTED
    return ("*" if required else "") + LABELS[name]


# ---------------------------------------------------------------- template


def template() -> bytes:
    """The downloadable .xlsx: headers, a grey example row, drop-down lists, instructions and a version marker."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _write_columns(sheet)
    _add_validations(sheet, _write_lists(lists))
    _write_help(workbook.create_sheet(HELP_SHEET))
    workbook.defined_names[MARKER_NAME] = DefinedName(MARKER_NAME, attr_text=f'"{TEMPLATE_VERSION}"', hidden=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_columns(sheet) -> None:
    """Every column is text ('@') so Excel keeps 18-digit ids, leading zeros and dates as typed."""
    for col, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = max(12, 2 * len(LABELS[name]) + 4)
        title = sheet.cell(1, col, header(name))
        title.font = Font(bold=True, color="C00000" if title.value.startswith("*") else "000000")
        title.fill = PatternFill("solid", fgColor="F2F2F2")
        example = sheet.cell(2, col, EXAMPLE[name])
        example.font = Font(italic=True, color="999999")
        example.number_format = "@"
    sheet.column_dimensions[_letter("id_number")].width = 22
    sheet.column_dimensions[_letter("email")].width = 24
    sheet.column_dimensions[_letter("home_address")].width = 30
    sheet.freeze_panes = "A2"


def _letter(name: str) -> str:
    return get_column_letter(COLUMNS.index(name) + 1)


def _write_lists(lists) -> dict[str, str]:
    """Long option lists on the hidden sheet; field → list formula. Cities: one column per province
    (row 1 the province, row 2 the count), picked by the row's 出生省份."""
    columns = {"birth_province": provinces(), "insured_place": list(PROVINCES), "issue_place": list(ISSUE_PLACES)}
    formulas = {"sex": _inline(SEXES), "birth_country": _inline(BIRTH_COUNTRIES)}
    formulas |= {"passport_type": _inline(PASSPORT_TYPES), "apec_visa": _inline(YES_NO), "old_card": _inline(YES_NO)}
    sheet = f"'{LISTS_SHEET}'!"
    for col, (name, values) in enumerate(columns.items(), start=1):
        lists.cell(1, col, LABELS[name])
        for row, value in enumerate(values, start=2):
            lists.cell(row, col, value)
        letter = get_column_letter(col)
        formulas[name] = f"{sheet}${letter}$2:${letter}${len(values) + 1}"
    first = len(columns) + 2
    for col, province in enumerate(provinces(), start=first):
        names = cities(province)
        lists.cell(1, col, province)
        lists.cell(2, col, len(names))
        for row, city in enumerate(names, start=3):
            lists.cell(row, col, city)
    start, end = get_column_letter(first), get_column_letter(first + len(provinces()) - 1)
    match = f"MATCH(${_letter('birth_province')}2,{sheet}${start}$1:${end}$1,0)"
    count = f"MAX(1,INDEX({sheet}${start}$2:${end}$2,{match}))"
    formulas["birth_city"] = f"OFFSET({sheet}${start}$3,0,{match}-1,{count},1)"
    return formulas


def _inline(values) -> str:
    return '"' + ",".join(values) + '"'


def _add_validations(sheet, formulas: dict[str, str]) -> None:
    for name, formula in formulas.items():
        # Cities only warn: 台湾、香港、澳门 have no city list, and the import checks the rest anyway.
        style = "warning" if name == "birth_city" else "stop"
        rule = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle=style,
            errorTitle="输入有误",
            error=f"请从下拉列表中选择{LABELS[name]}",
        )
        rule.add(f"{_letter(name)}2:{_letter(name)}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(rule)


def _write_help(sheet) -> None:
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 70
    sheet.append(["人员信息批量导入填写说明"])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in RULES:
        sheet.append([line])
    sheet.append([])
    sheet.append(["列名", "是否必填", "填写要求"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for name in COLUMNS:
        sheet.append([LABELS[name], "是" if header(name).startswith("*") else "否", HINTS.get(name, "")])


# ---------------------------------------------------------------- parse


def parse(data: bytes, today: date) -> ImportResult:
    """Every person in the file, or the reasons none can be imported."""
    try:
        table = _read_table(data)
        _check_header(table[0] if table else ())
        rows = _data_rows(table)
    except _Rejected as rejected:
        return ImportResult([], [rejected.error])
    raws = [_cells(table[row - 1]) for row in rows]
    people = [_person(raw) for raw in raws]
    extras = [_extra_errors(raw, person) for raw, person in zip(raws, people, strict=True)]
    # Values outside a select are checked as the form holds them, empty, so "M" is not also an id_sex_mismatch.
    checked = [p | {k: "" for k, c in e.items() if c == OPTION_INVALID} for p, e in zip(people, extras, strict=True)]
    form_errors, form_warnings = validate_people(checked, today)
    errors, warnings = [], []
    for i, (row, raw) in enumerate(zip(rows, raws, strict=True)):
        found = _keyed(form_errors, i) | extras[i]  # upload_required of the documents has no column
        if not raw["pinyin"] and not (raw["surname"] and raw["given_name"]):
            found.pop("pinyin", None)  # the missing 姓 or 名 is the error, not the pinyin made from it
        errors += [CellError(row, LABELS[k], found[k], raw[k][:_MAX_VALUE]) for k in COLUMNS if k in found]
        noted = _keyed(form_warnings, i)
        warnings += [CellError(row, LABELS[k], noted[k], raw[k][:_MAX_VALUE]) for k in COLUMNS if k in noted]
    return ImportResult(people, errors, warnings, rows)


def is_blank(person: dict[str, str]) -> bool:
    """The empty person a new form starts with: replaced by an import rather than kept."""
    return not any(str(person.get(k, "")).strip() for k in COLUMNS if k not in DEFAULTED)


def against_form(result: ImportResult, existing: list[dict[str, str]]) -> list[CellError]:
    """What the file cannot add to the people already on the form: more than 30 in all, or a 身份证号 already
    there. All or nothing, like the file's own errors."""
    kept = [p for p in existing if not is_blank(p)]
    errors = []
    if len(kept) + len(result.people) > MAX_PEOPLE:
        errors.append(CellError(0, "", "people_too_many", str(len(kept) + len(result.people))))
    numbers = {str(p.get("id_number", "")).strip().upper() for p in kept} - {""}
    for row, person in zip(result.rows, result.people, strict=True):
        if person["id_number"] in numbers:
            errors.append(CellError(row, LABELS["id_number"], "id_duplicate_in_group", person["id_number"]))
    return errors


def _read_table(data: bytes) -> list[tuple]:
    """The data sheet's rows as cell values, after the checks of size, format and template version."""
    if len(data) > MAX_BYTES:
        raise _Rejected("file_too_large")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise _Rejected("file_too_large")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _Rejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged or foreign file
        raise _Rejected(MALFORMED) from exc
    try:
        marker = workbook.defined_names.get(MARKER_NAME)
        if DATA_SHEET not in workbook.sheetnames:
            raise _Rejected("bad_template", value="、".join(workbook.sheetnames))
        if marker is not None and marker.attr_text != f'"{TEMPLATE_VERSION}"':
            raise _Rejected("bad_template", value=str(marker.attr_text))
        sheet = workbook[DATA_SHEET]
        sheet.reset_dimensions()  # some writers store a wrong sheet size, which read-only mode would trust
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    except _Rejected:
        raise
    except Exception as exc:
        raise _Rejected(MALFORMED) from exc
    finally:
        workbook.close()


def _check_header(cells: tuple) -> None:
    found = [str(c or "").strip().lstrip("*").strip() for c in cells]
    while found and not found[-1]:
        found.pop()
    expected = [LABELS[name] for name in COLUMNS]
    for col, label in enumerate(expected):
        value = found[col] if col < len(found) else ""
        if value != label:
            raise _Rejected("bad_template", 1, label, value)
    if len(found) > len(expected):
        raise _Rejected("bad_template", 1, "", found[len(expected)])


def _data_rows(table: list[tuple]) -> list[int]:
    """The Excel rows with content, skipping the untouched example row."""
    rows = [
        number
        for number, cells in enumerate(table[1:], start=2)
        if any(_cells(cells).values()) and not (number == 2 and _cells(cells) == EXAMPLE)
    ]
    if not rows:
        raise _Rejected("people_required")
    if len(rows) > MAX_PEOPLE:
        raise _Rejected("people_too_many", value=str(len(rows)))
    return rows


def _cells(cells: tuple) -> dict[str, str]:
    padded = tuple(cells) + (None,) * len(COLUMNS)
    return {name: _text(name, value) for name, value in zip(COLUMNS, padded, strict=False)}


_DATE_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def _text(name: str, value: object) -> str:
    """A cell as the form would hold it: real dates and 36.0 come back as 1990-05-17 and 36."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    match = _DATE_RE.fullmatch(text) if name in DATE_FIELDS else None
    if match:  # Excel in a Chinese locale writes 1990/5/17
        text = f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    return text.upper() if name in UPPER_FIELDS else text


def _person(raw: dict[str, str]) -> dict[str, str]:
    person = empty_person() | {k: v for k, v in raw.items() if v}
    if not raw["pinyin"] and raw["surname"] and raw["given_name"]:
        # Marked as generated, so the form keeps it in step with later edits of 姓/名 (WizardState.set_person).
        person["pinyin"] = person["pinyin_auto"] = pinyin_name(raw["surname"], raw["given_name"])
    return person


def _keyed(found: dict[str, str], index: int) -> dict[str, str]:
    prefix = f"people.{index}."
    return {k.removeprefix(prefix): v for k, v in found.items() if k.startswith(prefix)}


def _options(person: dict[str, str]) -> dict[str, tuple[str, ...] | list[str]]:
    """What the form's selects offer for this person; the city list follows the chosen province."""
    options: dict[str, tuple[str, ...] | list[str]] = {
        "sex": SEXES,
        "birth_country": BIRTH_COUNTRIES,
        "insured_place": PROVINCES,
        "passport_type": PASSPORT_TYPES,
        "issue_place": ISSUE_PLACES,
        "apec_visa": YES_NO,
        "old_card": YES_NO,
    }
    if person["birth_country"] == "中国":
        options["birth_province"] = provinces()
        if cities(person["birth_province"]):
            options["birth_city"] = cities(person["birth_province"])
    return options


def _extra_errors(raw: dict[str, str], person: dict[str, str]) -> dict[str, str]:
    """What the form's inputs prevent: values outside a select's options and overlong text."""
    errors = {k: OPTION_INVALID for k, allowed in _options(person).items() if person[k] and person[k] not in allowed}
    return errors | {k: "too_long" for k, v in raw.items() if len(v) > MAX_CELL}
