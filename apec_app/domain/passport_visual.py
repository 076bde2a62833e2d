"""The printed fields of a Chinese passport's data page, checked against its MRZ before they fill the form.

OCR of the visual zone gives text such as "潘/PAN", "14 12月/DEC 2018", "浙江/ZHEJIANG", "国家移民管理局". Only a
value that passes its check is proposed; one that fails is left empty and listed in `unread` (shown as
未能识别), never guessed:

- 姓 and 名: the pinyin of the Chinese characters must be the MRZ's surname and given names (any reading of each
  character counts, so 乐 may be LE or YUE; a surname listed in person.SURNAME_PINYIN only in its surname
  reading, 单 SHAN not DAN).
- 签发日期: a real date, before the expiry date, and the expiry date is where a 10-year passport (5-year for a
  holder under 16 on the day of issue) issued that day ends: the day before the anniversary, or on it. The
  printed Chinese month, when read, must agree with the English one.
- 签发地点: one of the places passports are issued (person.ISSUE_PLACES), in capitals as printed (JIANGSU); when
  both the Chinese and the pinyin were read, they must name the same place. It is printed on the row of
  签发日期, beside it, and is believed only when 签发日期 passed its check: a place read from the wrong row (出生地点
  is the row above) would pass every other test.
- 签发机关: one of the authorities printed on Chinese passports, read in Chinese or, failing that, from its
  English line.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from pypinyin import Style, pinyin

from apec_app.domain.enterprise import PROVINCES
from apec_app.domain.mrz import MrzResult
from apec_app.domain.person import (
    ADULT_AGE,
    ADULT_PASSPORT_YEARS,
    ISSUE_PLACES,
    MINOR_PASSPORT_YEARS,
    SURNAME_PINYIN,
    add_months,
)

UNREAD = "未能识别"
FIELDS = ("surname_cn", "given_names_cn", "issue_date", "issue_place", "issuing_authority")
# 签发机关 as printed: by the National Immigration Administration since 2019, the Ministry of Public Security's
# Exit and Entry Administration before; with the English line printed under each.
AUTHORITIES = {
    "国家移民管理局": ("NATIONAL IMMIGRATION ADMINISTRATION",),
    "公安部出入境管理局": ("EXIT & ENTRY ADMINISTRATION", "EXIT AND ENTRY ADMINISTRATION"),
}
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_CJK = re.compile(r"[\u3400-\u9fff]")
_PROVINCE_SUFFIXES = ("特别行政区", "维吾尔自治区", "回族自治区", "壮族自治区", "自治区", "省", "市")
_DATE = re.compile(r"\b([0-9OIL]{1,2})\s*(?:([0-9OIL]{1,2})\s*月)?\s*/?\s*([A-Z]{3})\s*([0-9OIL]{4})\b")
_DIGITS = str.maketrans("OIL", "011")  # in a date's numbers, letters OCR takes for digits


@dataclass(frozen=True)
class VisualText:
    """What OCR read in the value box of each field (empty when it found none)."""

    surname: str = ""
    given_names: str = ""
    issue_date: str = ""
    issue_place: str = ""
    authority: str = ""


@dataclass(frozen=True)
class VisualCheck:
    """The checked values (empty where the check failed) and the keys of FIELDS that failed (`unread`)."""

    surname_cn: str = ""
    given_names_cn: str = ""
    issue_date: date | None = None
    issue_place: str = ""
    issuing_authority: str = ""
    unread: frozenset[str] = field(default_factory=lambda: frozenset(FIELDS))

    def as_strings(self) -> dict[str, str]:
        """Every field as text (the date in ISO form), empty when unread."""
        return {
            "surname_cn": self.surname_cn,
            "given_names_cn": self.given_names_cn,
            "issue_date": self.issue_date.isoformat() if self.issue_date else "",
            "issue_place": self.issue_place,
            "issuing_authority": self.issuing_authority,
        }


def check_visual_zone(text: VisualText | None, mrz: MrzResult) -> VisualCheck:
    """Each printed field that passes its cross-check with the MRZ; the others in `unread`."""
    if text is None:
        return VisualCheck()
    surname, given = _names(text, mrz)
    issued = _issue_date(text.issue_date, mrz)
    place = _issue_place(text.issue_place) if issued else ""
    authority = _authority(text.authority)
    values = {"surname_cn": surname, "given_names_cn": given, "issue_date": issued, "issue_place": place,
              "issuing_authority": authority}  # fmt: skip
    return VisualCheck(**values, unread=frozenset(key for key, value in values.items() if not value))


# --- Names ----------------------------------------------------------------------------------------------


def chinese(text: str) -> str:
    """The Chinese characters of an OCR value ("潘/PAN" → "潘")."""
    return "".join(_CJK.findall(text))


def _names(text: VisualText, mrz: MrzResult) -> tuple[str, str]:
    """(姓, 名), each empty unless its pinyin is the MRZ's (and the MRZ's names passed their own checks)."""
    if "names" in mrz.failed_checks or not mrz.surname:
        return "", ""
    surname, given = _letters(mrz.surname), _letters(mrz.given_names)
    cn_surname, cn_given = chinese(text.surname), chinese(text.given_names)
    return (cn_surname if spells(cn_surname, surname, is_surname=True) else "",
            cn_given if given and spells(cn_given, given) else "")  # fmt: skip


def spells(hans: str, letters: str, is_surname: bool = False) -> bool:
    """Whether some reading of the characters `hans`, one syllable each, written as on passports, is exactly
    `letters` (capitals, no spaces). A surname character with its own surname reading has only that one."""
    if not hans or not letters:
        return False
    readings = [_readings(char, is_surname) for char in hans]
    ends = {0}
    for options in readings:
        ends = {end + len(r) for end in ends for r in options if letters.startswith(r, end)}
        if not ends:
            return False
    return len(letters) in ends


def _readings(char: str, is_surname: bool) -> set[str]:
    """Passport spellings of one character: pypinyin's toneless readings with ü as YU (lü → LYU) and üe as UE,
    as person.pinyin_name writes them."""
    if is_surname and char in SURNAME_PINYIN:
        return {SURNAME_PINYIN[char].upper()}
    found = pinyin(char, style=Style.NORMAL, heteronym=True)
    options = found[0] if found else []
    return {s.replace("ve", "ue").replace("v", "yu").upper() for s in options if s.isascii() and s.isalpha()}


def _letters(value: str) -> str:
    return re.sub(r"[^A-Z]", "", value.upper())


# --- Date of issue --------------------------------------------------------------------------------------


def parse_printed_date(text: str) -> date | None:
    """ "14 12月/DEC 2018" (or "14 DEC 2018") as a date; None when it is not one, or when the Chinese and the
    English month disagree."""
    match = _DATE.search(text.upper())
    if match is None:
        return None
    day, month_cn, month_en, year = (g.translate(_DIGITS) if g and i != 2 else g for i, g in enumerate(match.groups()))
    if month_en not in MONTHS or (month_cn and int(month_cn) != MONTHS.index(month_en) + 1):
        return None
    try:
        return date(int(year), MONTHS.index(month_en) + 1, int(day))
    except ValueError:
        return None


def _issue_date(text: str, mrz: MrzResult) -> date | None:
    """The printed date of issue if it fits the MRZ's expiry date (see the module docstring)."""
    issued = parse_printed_date(text)
    expiry, birth = mrz.expiry_date, mrz.birth_date
    if issued is None or expiry is None or "expiry_date" in mrz.failed_checks or issued >= expiry:
        return None
    if birth is not None and ("birth_date" in mrz.failed_checks or issued < birth):
        return None
    minor = birth is not None and _age_on(birth, issued) < ADULT_AGE
    years = MINOR_PASSPORT_YEARS if minor else ADULT_PASSPORT_YEARS
    anniversary = add_months(issued, 12 * years)
    return issued if expiry in (anniversary - timedelta(days=1), anniversary) else None


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- Place of issue and authority -----------------------------------------------------------------------


def _short(province: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if province.endswith(suffix):
            return province[: -len(suffix)]
    return province


_PLACES_BY_CHINESE = {_short(p): place for p, place in zip(PROVINCES, ISSUE_PLACES, strict=True)}


def _issue_place(text: str) -> str:
    """The place in capitals as printed ("浙江/ZHEJIANG" → "ZHEJIANG") if it is a known place of issue and its
    Chinese, when read, names the same one."""
    latin = _letters(text.split("/", 1)[-1])
    by_chinese = _PLACES_BY_CHINESE.get(chinese(text))
    if latin in ISSUE_PLACES:
        return latin if by_chinese in (None, latin) else ""
    return by_chinese or ""  # the pinyin unreadable: the Chinese alone names the place


def _authority(text: str) -> str:
    """The authority as printed in Chinese if the text names one of AUTHORITIES, in Chinese or in English."""
    cn = chinese(text)
    if cn in AUTHORITIES:
        return cn
    english = _letters(text)
    found = [name for name, phrases in AUTHORITIES.items() if any(_letters(phrase) in english for phrase in phrases)]
    return found[0] if len(found) == 1 else ""  # a misread Chinese line, but its English names the authority
