"""Automatic pre-checks of one person of a submitted application, shown to the reviewer as a checklist.

Each check compares what the applicant typed with what the documents and the records say and returns a
`Check`: the item, 通过/警告/不通过 (PASS, WARN, FAIL) and the reason in the reviewer's words, naming the field
and both values where they disagree. The data comes from services/review/prechecks.py (the passport page's MRZ
read again, the faces found in the photo, other applications and cards of the same numbers); the comparisons
here are pure, no I/O. Labels of the items and statuses are in apec_app/ui_text/prechecks.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric

from apec_app.domain.mrz import MrzResult
from apec_app.domain.person import (
    CARD_YEARS,
    MIN_PASSPORT_MONTHS,
    SEX_FEMALE,
    SEX_MALE,
    add_months,
    card_valid_until,
    id_number_birth_date,
    id_number_sex,
)

PASS, WARN, FAIL = "pass", "warn", "fail"
RANK = {PASS: 0, WARN: 1, FAIL: 2}

# The items, in the order the checklist shows them.
MRZ, ID_NUMBER, PASSPORT_VALIDITY, PHOTO, SIGNATURE, DUPLICATES, EARLIER_CARDS, ELIGIBILITY = (
    "mrz", "id_number", "passport_validity", "photo", "signature", "duplicates", "earlier_cards", "eligibility",
)  # fmt: skip
ITEMS = (MRZ, ID_NUMBER, PASSPORT_VALIDITY, PHOTO, SIGNATURE, DUPLICATES, EARLIER_CARDS, ELIGIBILITY)

# Upload limits of the photo and the signature (domain/uploads.py refuses others at upload; checked again here,
# since a file may come from an earlier application or an import).
PHOTO_MIN, PHOTO_MAX = (50, 50), (600, 800)
SIGNATURE_MIN, SIGNATURE_MAX = (50, 50), (600, 300)
# The face box OpenCV's frontal-face cascade finds covers brow to chin: in a passport-style photo it is about
# half the photo's width. Below a quarter the face is too small to recognise; a centre off by more than 15 % of
# the width (or 20 % of the height) is not a centred portrait.
MIN_FACE_WIDTH_SHARE = 0.25
MAX_CENTRE_OFFSET_X, MAX_CENTRE_OFFSET_Y = 0.15, 0.20
SEX_FROM_MRZ = {"M": SEX_MALE, "F": SEX_FEMALE}


@dataclass(frozen=True)
class Check:
    item: str  # one of ITEMS
    status: str  # PASS, WARN or FAIL
    reason: str


def worst(checks: Sequence[Check]) -> str:
    """The worst status of a list (PASS for an empty one)."""
    return max((c.status for c in checks), key=RANK.__getitem__, default=PASS)


def _day(value: date | None) -> str:
    return value.isoformat() if value else "未填写"


# --- the passport page's machine-readable zone ------------------------------------------------------------


@dataclass(frozen=True)
class TypedPassport:
    """What the applicant typed for the fields the MRZ also holds."""

    pinyin: str
    passport_number: str
    birth_date: date | None
    sex: str  # 男 / 女
    expiry_date: date | None


def _letters(text: str) -> str:
    return re.sub(r"[^A-Z]", "", (text or "").upper())


def _mrz_name(mrz: MrzResult) -> str:
    return f"{mrz.surname} {mrz.given_names.replace(' ', '')}".strip()


def _names_agree(typed: str, mrz: MrzResult) -> bool:
    """Letters only (spaces and the MRZ's `<` do not count). The MRZ keeps 39 characters of the names: a longer
    name is cut there, so a typed name that starts with what the MRZ holds agrees."""
    read, want = _letters(mrz.surname + mrz.given_names), _letters(typed)
    names_field = mrz.raw_lines[0][5:] if mrz.raw_lines else ""
    cut = len(names_field) == 39 and not names_field.endswith("<")
    return want == read or (cut and want.startswith(read))


def compare_mrz(typed: TypedPassport, mrz: MrzResult | None, *, page_uploaded: bool = True) -> Check:
    """The MRZ read again from the uploaded passport page against the typed 姓名拼音, 护照号码, 出生日期, 性别 and
    失效日期. A disagreement fails and names the field with both values; a field whose check digit failed is
    compared all the same but said to be uncertain; no MRZ found is a warning (the reviewer looks)."""
    if not page_uploaded:
        return Check(MRZ, FAIL, "未上传护照资料页")
    if mrz is None:
        return Check(MRZ, WARN, "未能从护照资料页识别出机读区，请人工核对")
    mismatches = []
    if not _names_agree(typed.pinyin, mrz):
        mismatches.append(f"姓名拼音不一致：填写为 {typed.pinyin or '未填写'}，机读区为 {_mrz_name(mrz)}")
    if (typed.passport_number or "").strip().upper() != mrz.number:
        mismatches.append(f"护照号码不一致：填写为 {typed.passport_number or '未填写'}，机读区为 {mrz.number}")
    if typed.birth_date != mrz.birth_date:
        mismatches.append(f"出生日期不一致：填写为 {_day(typed.birth_date)}，机读区为 {_day(mrz.birth_date)}")
    mrz_sex = SEX_FROM_MRZ.get(mrz.sex, "未标明")
    if typed.sex != mrz_sex:
        mismatches.append(f"性别不一致：填写为 {typed.sex or '未填写'}，机读区为 {mrz_sex}")
    if typed.expiry_date != mrz.expiry_date:
        mismatches.append(f"失效日期不一致：填写为 {_day(typed.expiry_date)}，机读区为 {_day(mrz.expiry_date)}")
    doubtful = [c for c in mrz.failed_checks if c in ("number", "birth_date", "expiry_date", "names", "sex")]
    doubt = "（机读区部分校验位未通过，识别结果可能有误，请人工核对）" if doubtful else ""
    if mismatches:
        return Check(MRZ, FAIL, "；".join(mismatches) + doubt)
    if doubt:
        return Check(MRZ, WARN, "机读区与填写一致" + doubt)
    return Check(MRZ, PASS, "机读区与填写的姓名拼音、护照号码、出生日期、性别、失效日期一致")


# --- 身份证号 and the passport's validity --------------------------------------------------------------------


def check_id_number(id_number: str, birth_date: date | None, sex: str) -> Check:
    """The GB 11643 number (python-stdnum) against the typed 出生日期 and 性别."""
    number = (id_number or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit():
        return Check(ID_NUMBER, FAIL, f"身份证号 {number or '未填写'} 不是18位公民身份号码")
    if number[-1] != ric.calc_check_digit(number):
        return Check(ID_NUMBER, FAIL, f"身份证号 {number} 的校验码不正确")
    encoded_birth = id_number_birth_date(number)
    if encoded_birth is None:
        return Check(ID_NUMBER, FAIL, f"身份证号 {number} 中的出生日期不存在")
    problems = []
    if birth_date != encoded_birth:
        problems.append(f"出生日期不一致：填写为 {_day(birth_date)}，身份证号中为 {encoded_birth.isoformat()}")
    encoded_sex = id_number_sex(number)
    if sex != encoded_sex:
        problems.append(f"性别不一致：填写为 {sex or '未填写'}，身份证号中为 {encoded_sex}")
    if problems:
        return Check(ID_NUMBER, FAIL, "；".join(problems))
    return Check(ID_NUMBER, PASS, "身份证号有效，与出生日期、性别一致")


def check_passport_validity(expiry: date | None, today: date) -> Check:
    """Valid at least 6 more months; a passport ending before a card made today would is a warning (the card
    ends with it)."""
    if expiry is None:
        return Check(PASSPORT_VALIDITY, FAIL, "未填写护照失效日期")
    if expiry <= today:
        return Check(PASSPORT_VALIDITY, FAIL, f"护照已于 {expiry.isoformat()} 失效")
    six_months = add_months(today, MIN_PASSPORT_MONTHS)
    if expiry < six_months:
        return Check(PASSPORT_VALIDITY, FAIL, f"护照有效期不足{MIN_PASSPORT_MONTHS}个月：{expiry.isoformat()} 失效")
    card_end = card_valid_until(today, date.max)
    if expiry < card_end:
        return Check(
            PASSPORT_VALIDITY,
            WARN,
            f"护照于 {expiry.isoformat()} 失效，早于今日制卡的{CARD_YEARS}年有效期（{card_end.isoformat()}），"
            "卡将随护照提前失效",
        )
    return Check(PASSPORT_VALIDITY, PASS, f"护照有效期至 {expiry.isoformat()}，长于卡的有效期")


# --- the photo and the signature ----------------------------------------------------------------------------

Box = tuple[int, int, int, int]  # x, y, width, height


def _size_problem(what: str, size: tuple[int, int] | None, low: tuple[int, int], high: tuple[int, int]) -> str:
    if size is None:
        return f"未上传{what}"
    w, h = size
    if not (low[0] <= w <= high[0] and low[1] <= h <= high[1]):
        return f"{what}尺寸为 {w}×{h} 像素，应在 {low[0]}×{low[1]} 至 {high[0]}×{high[1]} 像素之间"
    return ""


def check_photo(size: tuple[int, int] | None, faces: Sequence[Box] | None) -> Check:
    """Dimensions within 50×50–600×800; exactly one face, at least a quarter of the width, near the centre.
    `faces` None: the detector could not read the image."""
    problem = _size_problem("照片", size, PHOTO_MIN, PHOTO_MAX)
    if problem:
        return Check(PHOTO, FAIL, problem)
    assert size is not None
    if faces is None:
        return Check(PHOTO, WARN, "无法读取照片内容，请人工核对")
    if not faces:
        return Check(PHOTO, FAIL, "照片中未检测到人脸")
    if len(faces) > 1:
        return Check(PHOTO, FAIL, f"照片中检测到{len(faces)}张人脸，应只有申请人本人")
    w, h = size
    x, y, fw, fh = faces[0]
    share = fw / w
    if share < MIN_FACE_WIDTH_SHARE:
        return Check(
            PHOTO, FAIL, f"人脸过小：宽 {fw} 像素，占照片宽度的{share:.0%}，应不少于{MIN_FACE_WIDTH_SHARE:.0%}"
        )
    dx, dy = (x + fw / 2) / w - 0.5, (y + fh / 2) / h - 0.5
    if abs(dx) > MAX_CENTRE_OFFSET_X or abs(dy) > MAX_CENTRE_OFFSET_Y:
        side = ("偏左" if dx < 0 else "偏右") if abs(dx) > MAX_CENTRE_OFFSET_X else ("偏上" if dy < 0 else "偏下")
        return Check(PHOTO, WARN, f"人脸未居中（{side}），请核对照片是否符合要求")
    return Check(PHOTO, PASS, f"照片 {w}×{h} 像素，检测到一张居中的人脸（占宽度{share:.0%}）")


def check_signature(size: tuple[int, int] | None) -> Check:
    problem = _size_problem("签名", size, SIGNATURE_MIN, SIGNATURE_MAX)
    if problem:
        return Check(SIGNATURE, FAIL, problem)
    assert size is not None
    return Check(SIGNATURE, PASS, f"签名 {size[0]}×{size[1]} 像素，尺寸符合要求")


# --- other applications and earlier cards --------------------------------------------------------------------


@dataclass(frozen=True)
class OtherApplication:
    """Another open application holding the same number."""

    number: str  # its application number
    field: str  # "身份证号" or "护照号码"
    same_enterprise: bool


def check_duplicates(others: Sequence[OtherApplication]) -> Check:
    """The same 身份证号 or 护照号码 in another open application of any enterprise fails: one person, one
    application at a time."""
    if not others:
        return Check(DUPLICATES, PASS, "身份证号、护照号码未出现在其他在办申请单中")
    lines = [f"{o.field}与{'本企业' if o.same_enterprise else '其他企业'}的在办申请单 {o.number} 相同" for o in others]
    return Check(DUPLICATES, FAIL, "；".join(lines))


@dataclass(frozen=True)
class EarlierCard:
    """A card made for the same 身份证号 by another application."""

    number: str  # the application that made it
    status: str  # models/review.Card.status
    valid_until: date


LIVE_CARD_STATUSES = frozenset({"producing", "ready", "picked_up", "mailed"})


def check_earlier_cards(cards: Sequence[EarlierCard], today: date) -> Check:
    """A card still valid is a warning (a renewal or a second card: the reviewer decides); cancelled or expired
    cards are told for information."""
    if not cards:
        return Check(EARLIER_CARDS, PASS, "无既往APEC商务旅行卡记录")
    live = [c for c in cards if c.status in LIVE_CARD_STATUSES and c.valid_until >= today]
    if live:
        text = "；".join(f"申请单 {c.number} 所制的卡有效期至 {c.valid_until.isoformat()}" for c in live)
        return Check(EARLIER_CARDS, WARN, f"持有仍有效的APEC商务旅行卡：{text}")
    words = {"cancelled": "已注销", "replaced": "已换补"}
    text = "；".join(
        f"申请单 {c.number} 所制的卡{words.get(c.status, '已过期')}（有效期至 {c.valid_until.isoformat()}）"
        for c in cards
    )
    return Check(EARLIER_CARDS, PASS, f"既往卡均已失效：{text}")


# --- the institution's 申办条件 ---------------------------------------------------------------------------------


def check_eligibility(misses: Sequence[str]) -> Check:
    """The institution's rules (domain/eligibility.py) the application misses, in their own words."""
    if not misses:
        return Check(ELIGIBILITY, PASS, "满足办理机构的申办条件")
    return Check(ELIGIBILITY, FAIL, "未满足申办条件：" + "；".join(misses))
