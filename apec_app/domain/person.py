"""Rules for the person fields of a 新办/续办 application (docs/rules.md §4). Pure functions, no I/O.

Checks return an error code (apec_app/ui_text/person.py, or the shared ones) or None.

姓名拼音 follows the passport spelling: upper case, surname syllables joined, one space, given-name syllables
joined. pypinyin 0.55 has no surname mode (mozillazg/python-pinyin#297), so the surname readings it gets wrong
are listed in SURNAME_PINYIN. Since 2012 the 公安部 writes ü in exit-entry documents as YU in lü/nü (吕 LYU,
女 NYU) and as U in lüe/nüe (略 LUE, 虐 NUE), following GB/T 28039-2011, which allows YU for a capital Ü in passports.

身份证号: 18 characters, GB 11643 check digit; python-stdnum computes it and holds the GB/T 2260 region table.

Passport numbers (护照号码), electronic passports, 9 characters:
- 普通: E + 8 digits (2012 to April 2017), then E + a letter other than I and O + 7 digits.
- 公务: SE + 7 digits; older service passports S + 8 digits.
- 公务普通: PE + 7 digits (published descriptions of the numbering agree on PE, not SE).
- 外交: DE + 7 digits; older diplomatic passports D + 8 digits.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal

from pypinyin import Style, lazy_pinyin
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from apec_app.domain.enterprise import PROVINCES
from apec_app.domain.validators import check_required

# Surnames whose reading differs from pypinyin's most common reading of the character.

# 签发地点 on Chinese passports is the issuing province in capitals, e.g. "JIANGSU"; 陕西 is written SHAANXI to
# tell it from 山西 (SHANXI).
_SHORT_PROVINCE = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
ISSUE_PLACES = tuple(
    "SHAANXI" if p == "陕西省" else "".join(lazy_pinyin(_SHORT_PROVINCE.get(p, p.rstrip("省市")))).upper()
    for p in PROVINCES
)

SURNAME_PINYIN = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "乐": "yue",
    "翟": "zhai",
    "覃": "qin",
    "缪": "miao",
    "重": "chong",
    "种": "chong",
    "秘": "bi",
    "繁": "po",
    "折": "she",
    "佴": "nai",
    "粘": "nian",
    "藏": "zang",
    "都": "du",
    "薄": "bo",
    "盖": "ge",
    "乜": "nie",
    "阚": "kan",
    "卜": "bu",
    "句": "gou",
    "召": "shao",
    "贠": "yun",
}
PINYIN_NAME_RE = re.compile(r"^[A-Z]+ [A-Z]+$")
MAX_PINYIN_LENGTH = 100

ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
SEX_MALE, SEX_FEMALE = "男", "女"

PASSPORT_TYPES = ("普通", "公务", "公务普通", "外交")
PASSPORT_FORMATS = {
    "普通": (re.compile(r"^E(\d{8}|[A-HJ-NP-Z]\d{7})$"), "passport_format_ordinary"),
    "公务": (re.compile(r"^(SE\d{7}|S\d{8})$"), "passport_format_service"),
    "公务普通": (re.compile(r"^PE\d{7}$"), "passport_format_public_ordinary"),
    "外交": (re.compile(r"^(DE\d{7}|D\d{8})$"), "passport_format_diplomatic"),
}
MIN_PASSPORT_MONTHS = 6
ADULT_PASSPORT_YEARS, MINOR_PASSPORT_YEARS, ADULT_AGE = 10, 5, 16
CARD_YEARS = 5

EARLIEST_BIRTH = date(1900, 1, 1)
MAX_MONTHS_EMPLOYED = 1200
AMOUNT_RE = re.compile(r"^\d{1,15}(\.\d{1,2})?$")  # a plain decimal: no sign, exponent or thousands separators


def _syllables(hans: str) -> list[str]:
    """Passport spelling of pypinyin's toneless syllables, where v stands for ü."""
    return [s.replace("ve", "ue").replace("v", "yu") for s in lazy_pinyin(hans, style=Style.NORMAL)]


def _letters(syllables: list[str]) -> str:
    return re.sub(r"[^A-Z]", "", "".join(syllables).upper())


def pinyin_name(surname: str, given_name: str) -> str:
    """张/平 → "ZHANG PING": the suggestion for 姓名拼音, which the applicant can still edit."""
    surname, given_name = (surname or "").strip(), (given_name or "").strip()
    surname_syllables = [SURNAME_PINYIN[surname]] if surname in SURNAME_PINYIN else _syllables(surname)
    parts = (_letters(surname_syllables), _letters(_syllables(given_name)))
    return " ".join(p for p in parts if p)


def check_pinyin_name(value: str) -> str | None:
    error = check_required(value, MAX_PINYIN_LENGTH)
    if error:
        return error
    return None if PINYIN_NAME_RE.match(value) else "pinyin_format"


def _id_shape(number: str) -> str | None:
    compact = ric.compact(number or "")
    return compact if ID_NUMBER_RE.match(compact) else None


def id_number_birth_date(number: str) -> date | None:
    """The birth date written in an 18-character number, or None when it has none (the check digit is not
    checked here)."""
    compact = _id_shape(number)
    if compact is None:
        return None
    try:
        return ric.get_birth_date(compact)
    except InvalidComponent:
        return None


def id_number_sex(number: str) -> str | None:
    """GB 11643 sequence code: odd for men, even for women."""
    compact = _id_shape(number)
    if compact is None:
        return None
    return SEX_MALE if int(compact[16]) % 2 else SEX_FEMALE


def _region_known(number: str) -> bool:
    """Whether stdnum's GB/T 2260 table names a county for the first six digits in any period.

    ric.get_birth_place is not used: it raises the same InvalidComponent as an impossible birth date, raises
    KeyError when only the province is known, and rejects codes created after the birth year although numbers
    are assigned at registration (everyone born before 1983 in a county listed from 1983 would be warned).
    """
    info = {k for _, props in numdb.get("cn/loc").info(number[:6]) for k in props}
    return "county" in info


def check_id_number(
    number: str, birth_date: date | None = None, sex: str | None = None
) -> tuple[str | None, str | None]:
    """(error, warning). An unknown region is only a warning: codes of abolished counties stay valid for life."""
    if not (number or "").strip():
        return "required", None
    compact = _id_shape(number)
    if compact is None:
        return "id_format", None
    if compact[-1] != ric.calc_check_digit(compact):
        return "id_checksum", None
    encoded_birth = id_number_birth_date(compact)
    if encoded_birth is None:
        return "id_birth_invalid", None
    warning = None if _region_known(compact) else "id_region_unknown"
    if birth_date is not None and encoded_birth != birth_date:
        return "id_birth_mismatch", warning
    if sex is not None and id_number_sex(compact) != sex:
        return "id_sex_mismatch", warning
    return None, warning


def check_passport_number(number: str, passport_type: str) -> str | None:
    """Format by 护照种类; with no known type, any Chinese passport format is accepted."""
    error = check_required(number, 20)
    if error:
        return error
    value = number.strip().upper()
    if passport_type in PASSPORT_FORMATS:
        pattern, code = PASSPORT_FORMATS[passport_type]
        return None if pattern.match(value) else code
    return None if any(p.match(value) for p, _ in PASSPORT_FORMATS.values()) else "passport_format"


def add_months(day: date, months: int) -> date:
    """Same day of the month, or the month's last day when it has none (31 Aug + 6 months = 28/29 Feb)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month0 + 1, min(day.day, monthrange(year, month0 + 1)[1]))


def _add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def check_passport_dates(issue_date: date | None, expiry_date: date | None, today: date) -> dict[str, str | None]:
    """Errors keyed by field. The passport must stay valid 6 months beyond today, as most economies require."""
    errors: dict[str, str | None] = {"issue_date": None, "expiry_date": None}
    if issue_date is None:
        errors["issue_date"] = "required"
    elif issue_date > today:
        errors["issue_date"] = "date_future"
    if expiry_date is None:
        errors["expiry_date"] = "required"
    elif issue_date is not None and expiry_date <= issue_date:
        errors["expiry_date"] = "passport_expiry_before_issue"
    elif expiry_date <= today:
        errors["expiry_date"] = "passport_expired"
    elif expiry_date < add_months(today, MIN_PASSPORT_MONTHS):
        errors["expiry_date"] = "passport_expires_soon"
    return errors


def _full_card_term_end(issue: date) -> date:
    return _add_years(issue, CARD_YEARS) - timedelta(days=1)


def card_valid_until(issue: date, passport_expiry: date) -> date:
    """The card is valid 5 years, but never beyond the passport it is tied to."""
    return min(_full_card_term_end(issue), passport_expiry)


def passport_expires_within_card_validity(expiry: date, today: date) -> bool:
    """True when a card issued today would be cut short by the passport: the form warns the applicant."""
    return expiry < _full_card_term_end(today)


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def inferred_issue_date(expiry: date, birth_date: date | None) -> date | None:
    """The MRZ has no issue date: a passport valid N years expires the day before the N-th anniversary of its
    issue, N = 10 when issued at 16 or over, 5 below. None when that would precede the birth date."""
    issue = _add_years(expiry + timedelta(days=1), -ADULT_PASSPORT_YEARS)
    if birth_date is not None and _age_on(birth_date, issue) < ADULT_AGE:
        issue = _add_years(expiry + timedelta(days=1), -MINOR_PASSPORT_YEARS)
    if birth_date is not None and issue < birth_date:
        return None
    return issue


def check_birth_date(value: date | None, today: date) -> str | None:
    if value is None:
        return "required"
    if value > today:
        return "date_future"
    return "birth_date_too_early" if value < EARLIEST_BIRTH else None


def check_months_employed(value: str | int | None) -> str | None:
    """在所属单位连续工作时间(月): a whole number of months, below 100 years."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return "required"
    if not text.isascii() or not text.isdigit():
        return "integer_required"
    return None if int(text) < MAX_MONTHS_EMPLOYED else "months_employed_range"


def check_non_negative_number(value: str) -> str | None:
    """Money fields (万元): a plain decimal ≥ 0 with at most 2 decimals."""
    text = (value or "").strip()
    if not text:
        return "required"
    return None if AMOUNT_RE.match(text) else "number_format"


def check_percentage(value: str) -> str | None:
    error = check_non_negative_number(value)
    if error:
        return error
    return None if Decimal(value.strip()) <= 100 else "percentage_range"
