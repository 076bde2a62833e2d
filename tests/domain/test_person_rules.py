from datetime import date

import pytest
from stdnum.cn import ric

from apec_app.domain import person
from apec_app.domain.person import (
    PASSPORT_TYPES,
    card_valid_until,
    check_birth_date,
    check_id_number,
    check_months_employed,
    check_non_negative_number,
    check_passport_dates,
    check_passport_number,
    check_percentage,
    check_pinyin_name,
    id_number_birth_date,
    id_number_sex,
    inferred_issue_date,
    passport_expires_within_card_validity,
    pinyin_name,
)
from apec_app.ui_text import MESSAGES
from apec_app.ui_text.person import PERSON_MESSAGES

TODAY = date(2025, 6, 15)


def valid_id(body: str) -> str:
    """stdnum's calc_check_digit ignores the last character it is given, so the 17-digit body needs a filler."""
    return body + ric.calc_check_digit(body + "0")


MAN_1990 = valid_id("32010219900101123")  # 南京玄武区, 1990-01-01, sequence 123 (odd: 男)
WOMAN_1985 = valid_id("11010119850615002")  # 北京东城区, 1985-06-15, sequence 002 (even: 女)


# 姓名拼音


@pytest.mark.parametrize(
    ("surname", "given", "expected"),
    [
        ("张", "平", "ZHANG PING"),
        ("欧阳", "娜娜", "OUYANG NANA"),
        ("单", "田芳", "SHAN TIANFANG"),
        ("曾", "国藩", "ZENG GUOFAN"),
        ("吕", "布", "LYU BU"),
        ("解", "缙", "XIE JIN"),
        ("仇", "英", "QIU YING"),
        ("朴", "槿惠", "PIAO JINHUI"),
        ("区", "家麟", "OU JIALIN"),
        ("查", "良镛", "ZHA LIANGYONG"),
        ("乐", "毅", "YUE YI"),
        ("女", "娲", "NYU WA"),
        ("聂", "略", "NIE LUE"),
        (" 张 ", " 平 ", "ZHANG PING"),
    ],
)
def test_pinyin_name(surname, given, expected):
    assert pinyin_name(surname, given) == expected


def test_surname_reading_applies_only_to_the_surname():
    # 曾 in a given name keeps its ordinary reading; only the surname uses the surname reading.
    assert pinyin_name("王", "曾") == "WANG CENG"


def test_pinyin_name_drops_non_letters():
    assert pinyin_name("买买提", "·艾力") == "MAIMAITI AILI"


def test_generated_pinyin_names_pass_the_pinyin_check():
    assert check_pinyin_name(pinyin_name("欧阳", "娜娜")) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ZHANG PING", None),
        ("OUYANG NANA", None),
        ("", "required"),
        ("ZHANGPING", "pinyin_format"),
        ("ZHANG  PING", "pinyin_format"),
        ("ZHANG PING NA", "pinyin_format"),
        ("Zhang Ping", "pinyin_format"),
        (" ZHANG PING", "pinyin_format"),
        ("ZHANG-PING", "pinyin_format"),
        ("LÜ BU", "pinyin_format"),
        ("ZHANG PING" + "A" * 100, "too_long"),
    ],
)
def test_check_pinyin_name(value, expected):
    assert check_pinyin_name(value) == expected


# 身份证号


def test_valid_generated_numbers_pass():
    assert check_id_number(MAN_1990) == (None, None)
    assert check_id_number(WOMAN_1985, date(1985, 6, 15), "女") == (None, None)


def test_lower_case_x_check_digit_is_accepted():
    number = next(valid_id(f"1101011980010100{i}") for i in range(10) if valid_id(f"1101011980010100{i}")[-1] == "X")
    assert check_id_number(number.lower()) == (None, None)


def test_manual_sample_id_fails_its_check_digit():
    assert check_id_number("321284199401202419") == ("id_checksum", None)


def test_one_changed_digit_fails_the_check_digit():
    changed = MAN_1990[:10] + str((int(MAN_1990[10]) + 1) % 10) + MAN_1990[11:]
    assert check_id_number(changed)[0] == "id_checksum"


@pytest.mark.parametrize(
    "number",
    ["32010219900101123", "3201021990010112345", "32010219900101123A", "3201021990O101123X", "320102 19900101123"],
)
def test_malformed_id_numbers(number):
    assert check_id_number(number) == ("id_format", None)


def test_missing_id_number():
    assert check_id_number("  ") == ("required", None)


def test_impossible_birth_date_in_number():
    assert check_id_number(valid_id("32010219900230123")) == ("id_birth_invalid", None)


def test_birth_date_must_agree():
    assert check_id_number(MAN_1990, date(1990, 1, 1)) == (None, None)
    assert check_id_number(MAN_1990, date(1990, 1, 2)) == ("id_birth_mismatch", None)


def test_sex_must_agree():
    assert check_id_number(MAN_1990, sex="男") == (None, None)
    assert check_id_number(MAN_1990, sex="女") == ("id_sex_mismatch", None)
    assert check_id_number(WOMAN_1985, sex="男") == ("id_sex_mismatch", None)


def test_unknown_region_is_a_warning_not_an_error():
    assert check_id_number(valid_id("99010119900101123")) == (None, "id_region_unknown")
    # Province known, county not: stdnum's get_birth_place would raise KeyError here.
    assert check_id_number(valid_id("11019919900101123")) == (None, "id_region_unknown")


def test_unknown_region_warning_comes_with_a_mismatch_error():
    assert check_id_number(valid_id("99010119900101123"), date(1991, 1, 1)) == (
        "id_birth_mismatch",
        "id_region_unknown",
    )


def test_abolished_region_codes_stay_valid():
    # 110103 崇文区 was merged in 2010; 320102 玄武区 is listed from 1983, before which this holder was born.
    assert check_id_number(valid_id("11010319800101123")) == (None, None)
    assert check_id_number(valid_id("32010219750101123")) == (None, None)


def test_birth_date_and_sex_helpers():
    assert id_number_birth_date(MAN_1990) == date(1990, 1, 1)
    assert id_number_sex(MAN_1990) == "男"
    assert id_number_sex(WOMAN_1985) == "女"
    assert id_number_birth_date("1234") is None
    assert id_number_sex("1234") is None
    assert id_number_birth_date(valid_id("32010219900230123")) is None


# 护照号码


@pytest.mark.parametrize(
    ("number", "passport_type", "expected"),
    [
        ("E12345678", "普通", None),
        ("EA1234567", "普通", None),
        ("EZ1234567", "普通", None),
        ("ea1234567", "普通", None),
        (" E12345678 ", "普通", None),
        ("EI1234567", "普通", "passport_format_ordinary"),
        ("EO1234567", "普通", "passport_format_ordinary"),
        ("E1234567", "普通", "passport_format_ordinary"),
        ("E123456789", "普通", "passport_format_ordinary"),
        ("EA12345678", "普通", "passport_format_ordinary"),
        ("G12345678", "普通", "passport_format_ordinary"),
        ("SE1234567", "普通", "passport_format_ordinary"),
        ("SE1234567", "公务", None),
        ("S12345678", "公务", None),
        ("SE12345678", "公务", "passport_format_service"),
        ("E12345678", "公务", "passport_format_service"),
        ("PE1234567", "公务普通", None),
        ("PE123456", "公务普通", "passport_format_public_ordinary"),
        ("SE1234567", "公务普通", "passport_format_public_ordinary"),
        ("DE1234567", "外交", None),
        ("D12345678", "外交", None),
        ("DA1234567", "外交", "passport_format_diplomatic"),
        ("", "普通", "required"),
    ],
)
def test_check_passport_number(number, passport_type, expected):
    assert check_passport_number(number, passport_type) == expected


def test_every_passport_type_has_a_format():
    assert set(PASSPORT_TYPES) == set(person.PASSPORT_FORMATS)


def test_passport_number_without_a_known_type_matches_any_format():
    assert check_passport_number("DE1234567", "") is None
    assert check_passport_number("X1234567", "") == "passport_format"


# Passport dates


def test_valid_passport_dates():
    assert check_passport_dates(date(2020, 1, 1), date(2030, 1, 1), TODAY) == {"issue_date": None, "expiry_date": None}


def test_passport_dates_are_required():
    assert check_passport_dates(None, None, TODAY) == {"issue_date": "required", "expiry_date": "required"}


def test_issue_date_not_in_the_future():
    assert check_passport_dates(date(2025, 6, 16), date(2035, 6, 15), TODAY)["issue_date"] == "date_future"
    assert check_passport_dates(TODAY, date(2035, 6, 14), TODAY)["issue_date"] is None


def test_expiry_after_issue():
    errors = check_passport_dates(date(2025, 1, 1), date(2025, 1, 1), TODAY)
    assert errors["expiry_date"] == "passport_expiry_before_issue"


def test_expired_passport():
    assert check_passport_dates(date(2015, 6, 15), TODAY, TODAY)["expiry_date"] == "passport_expired"


def test_passport_must_stay_valid_six_months():
    assert check_passport_dates(date(2016, 1, 1), date(2025, 12, 14), TODAY)["expiry_date"] == "passport_expires_soon"
    assert check_passport_dates(date(2016, 1, 1), date(2025, 12, 15), TODAY)["expiry_date"] is None


def test_six_months_from_the_end_of_august_is_the_end_of_february():
    today = date(2025, 8, 31)
    assert check_passport_dates(date(2016, 1, 1), date(2026, 2, 27), today)["expiry_date"] == "passport_expires_soon"
    assert check_passport_dates(date(2016, 1, 1), date(2026, 2, 28), today)["expiry_date"] is None


# Card validity


def test_card_is_valid_five_years_minus_one_day():
    assert card_valid_until(date(2025, 6, 15), date(2035, 1, 1)) == date(2030, 6, 14)


def test_card_validity_is_capped_at_passport_expiry():
    assert card_valid_until(date(2025, 6, 15), date(2028, 8, 23)) == date(2028, 8, 23)


def test_card_issued_on_29_february():
    assert card_valid_until(date(2024, 2, 29), date(2035, 1, 1)) == date(2029, 2, 27)


def test_passport_expiring_within_card_validity():
    assert passport_expires_within_card_validity(date(2028, 8, 23), TODAY) is True
    assert passport_expires_within_card_validity(date(2030, 6, 13), TODAY) is True
    assert passport_expires_within_card_validity(date(2030, 6, 14), TODAY) is False
    assert passport_expires_within_card_validity(date(2034, 1, 1), TODAY) is False


# Inferred issue date (the MRZ has none)


def test_adult_passport_issue_date_is_inferred_from_ten_years():
    assert inferred_issue_date(date(2028, 8, 23), date(1990, 1, 1)) == date(2018, 8, 24)
    assert inferred_issue_date(date(2028, 8, 23), None) == date(2018, 8, 24)


def test_minor_passport_issue_date_is_inferred_from_five_years():
    # Aged 8 at the ten-year date: the passport was a five-year one issued at 13.
    assert inferred_issue_date(date(2028, 8, 23), date(2010, 5, 1)) == date(2023, 8, 24)


def test_sixteen_at_issue_is_an_adult():
    assert inferred_issue_date(date(2028, 8, 23), date(2002, 8, 24)) == date(2018, 8, 24)
    assert inferred_issue_date(date(2028, 8, 23), date(2002, 8, 25)) == date(2023, 8, 24)


def test_no_inferred_issue_date_before_birth():
    assert inferred_issue_date(date(2028, 8, 23), date(2024, 1, 1)) is None


# Other person and unit fields


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(1990, 1, 1), None),
        (TODAY, None),
        (date(1900, 1, 1), None),
        (None, "required"),
        (date(2025, 6, 16), "date_future"),
        (date(1899, 12, 31), "birth_date_too_early"),
    ],
)
def test_check_birth_date(value, expected):
    assert check_birth_date(value, TODAY) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", None),
        ("36", None),
        (" 12 ", None),
        (1199, None),
        ("1199", None),
        ("", "required"),
        (None, "required"),
        ("1200", "months_employed_range"),
        (1200, "months_employed_range"),
        ("-1", "integer_required"),
        (-1, "integer_required"),
        ("1.5", "integer_required"),
        ("十二", "integer_required"),
        ("１２", "integer_required"),
    ],
)
def test_check_months_employed(value, expected):
    assert check_months_employed(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", None),
        ("1000", None),
        ("1000.5", None),
        ("1000.55", None),
        (" 12.30 ", None),
        ("", "required"),
        ("-1", "number_format"),
        ("1000.555", "number_format"),
        ("1,000", "number_format"),
        ("1e3", "number_format"),
        (".5", "number_format"),
        ("abc", "number_format"),
    ],
)
def test_check_non_negative_number(value, expected):
    assert check_non_negative_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", None),
        ("45.5", None),
        ("100", None),
        ("100.00", None),
        ("", "required"),
        ("100.01", "percentage_range"),
        ("150", "percentage_range"),
        ("-5", "number_format"),
    ],
)
def test_check_percentage(value, expected):
    assert check_percentage(value) == expected


# Messages


def test_every_code_has_a_message_and_no_shared_code_is_redefined():
    codes = {
        "pinyin_format",
        "id_format",
        "id_checksum",
        "id_birth_invalid",
        "id_birth_mismatch",
        "id_sex_mismatch",
        "id_region_unknown",
        "passport_format",
        "passport_expiry_before_issue",
        "passport_expired",
        "passport_expires_soon",
        "passport_shorter_than_card",
        "birth_date_too_early",
        "months_employed_range",
        "number_format",
        "percentage_range",
    } | {code for _, code in person.PASSPORT_FORMATS.values()}
    assert codes <= set(PERSON_MESSAGES)
    assert not set(PERSON_MESSAGES) & set(MESSAGES)
    assert {"required", "too_long", "date_future", "integer_required"} <= set(MESSAGES)
