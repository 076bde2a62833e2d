"""Cross-checks of a Chinese passport's printed fields against its MRZ (apec_app.domain.passport_visual), on text."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from mrz.generator.td3 import TD3CodeGenerator

from apec_app.domain.mrz import parse_td3
from apec_app.domain.passport_visual import (
    FIELDS,
    VisualText,
    check_visual_zone,
    parse_printed_date,
    spells,
)

TODAY = date(2026, 6, 1)


def mrz(surname="ZHANG", given="PING", birth="850923", expiry="340228", today=TODAY, **_):
    lines = str(TD3CodeGenerator("PO", "CHN", surname, given, "EB1234567", "CHN", birth, "M", expiry, ""))
    return parse_td3(lines, today=today)


def page(**values) -> VisualText:
    """A page as printed for ZHANG PING, issued 01 MAR 2024, expiring 28 FEB 2034; `values` override."""
    printed = {
        "surname": "张/ZHANG",
        "given_names": "平/PING",
        "issue_date": "01 3月/MAR 2024",
        "issue_place": "江苏/JIANGSU",
        "authority": "国家移民管理局 National Immigration Administration, PRC",
    }
    return VisualText(**{**printed, **values})


def test_every_field_that_fits_the_mrz_is_kept():
    checked = check_visual_zone(page(), mrz())
    assert checked.unread == frozenset()
    assert checked.as_strings() == {
        "surname_cn": "张",
        "given_names_cn": "平",
        "issue_date": "2024-03-01",
        "issue_place": "JIANGSU",
        "issuing_authority": "国家移民管理局",
    }


def test_nothing_read_leaves_every_field_unread():
    assert check_visual_zone(None, mrz()).unread == frozenset(FIELDS)
    assert check_visual_zone(VisualText(), mrz()).unread == frozenset(FIELDS)


# --- 姓 and 名 ------------------------------------------------------------------------------------------


def test_a_name_whose_pinyin_disagrees_with_the_mrz_is_left_empty():
    checked = check_visual_zone(page(surname="李/ZHANG", given_names="萍/PING"), mrz())
    assert checked.surname_cn == "" and "surname_cn" in checked.unread
    assert checked.given_names_cn == "萍"  # 萍 is PING too: the pinyin, not the character, is what is checked
    checked = check_visual_zone(page(given_names="平安/PINGAN"), mrz())
    assert checked.given_names_cn == "" and checked.surname_cn == "张"


def test_surnames_are_read_as_surnames_and_other_characters_in_any_reading():
    assert spells("单", "SHAN", is_surname=True) and not spells("单", "DAN", is_surname=True)
    assert spells("曾", "ZENG", is_surname=True) and spells("欧阳", "OUYANG", is_surname=True)
    assert spells("乐", "YUE") and spells("乐", "LE")  # a given name's character in any of its readings
    assert spells("吕", "LYU", is_surname=True) and spells("女", "NYU") and spells("略", "LUE")  # GB/T 28039
    assert not spells("平", "PIN") and not spells("平", "PINGG") and not spells("", "PING")
    checked = check_visual_zone(page(surname="单/SHAN", given_names="乐/YUE"), mrz("SHAN", "YUE"))
    assert (checked.surname_cn, checked.given_names_cn) == ("单", "乐")


def test_names_are_not_checked_against_an_mrz_whose_names_are_in_doubt():
    doubtful = dataclasses.replace(mrz(), valid=False, failed_checks=["names"])
    checked = check_visual_zone(page(), doubtful)
    assert {"surname_cn", "given_names_cn"} <= checked.unread and checked.issue_date == date(2024, 3, 1)


# --- 签发日期 ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("01 3月/MAR 2024", date(2024, 3, 1)), ("01 MAR 2024", date(2024, 3, 1)), ("O1 3月/MAR 2O24", date(2024, 3, 1)),
     ("29 2月/FEB 2024", date(2024, 2, 29)), ("30 2月/FEB 2024", None), ("01 4月/MAR 2024", None), ("", None),
     ("01 3月/XYZ 2024", None)],
)  # fmt: skip
def test_printed_dates_are_parsed_and_their_two_months_must_agree(text, expected):
    assert parse_printed_date(text) == expected


def test_the_issue_date_must_fit_the_ten_year_validity_and_precede_the_expiry():
    assert check_visual_zone(page(issue_date="01 3月/MAR 2024"), mrz(expiry="340228")).issue_date == date(2024, 3, 1)
    assert check_visual_zone(page(issue_date="01 3月/MAR 2024"), mrz(expiry="340301")).issue_date == date(2024, 3, 1)
    for wrong in ("02 3月/MAR 2024", "01 3月/MAR 2023", "01 3月/MAR 2034", "01 3月/MAR 2035"):
        checked = check_visual_zone(page(issue_date=wrong), mrz(expiry="340228"))
        assert checked.issue_date is None and "issue_date" in checked.unread, wrong


def test_a_minor_s_passport_is_valid_five_years():
    child = mrz(birth="150601", expiry="290228")  # 8 years old on the day of issue
    assert check_visual_zone(page(issue_date="01 3月/MAR 2024"), child).issue_date == date(2024, 3, 1)
    grown = mrz(birth="850601", expiry="290228")  # an adult's passport issued then would run ten years
    assert check_visual_zone(page(issue_date="01 3月/MAR 2024"), grown).issue_date is None


# --- 签发地点 and 签发机关 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("江苏/JIANGSU", "JIANGSU"), ("陕西/SHAANXI", "SHAANXI"), ("内蒙古/NEIMENGGU", "NEIMENGGU"),
     ("/JIANGSU", "JIANGSU"), ("江苏/JIANGSV", "JIANGSU"), ("浙江/JIANGSU", ""), ("火星/HUOXING", ""), ("", "")],
)  # fmt: skip
def test_the_place_of_issue_must_be_a_known_place_named_alike_in_both_scripts(text, expected):
    assert check_visual_zone(page(issue_place=text), mrz()).issue_place == expected


def test_the_place_of_issue_is_believed_only_with_the_date_printed_beside_it():
    checked = check_visual_zone(page(issue_date="09 3月/MAR 2024"), mrz())  # its row misread or misplaced
    assert {"issue_date", "issue_place"} <= checked.unread


@pytest.mark.parametrize(
    ("text", "expected"),
    [("国家移民管理局", "国家移民管理局"), ("公安部出入境管理局 MPS Exit & Entry Administration", "公安部出入境管理局"),
     ("公安部出入境管理厅 MPS Exit&Entry Administration", "公安部出入境管理局"),
     ("国家移民管理 NationalImmigration Administration, PRC", "国家移民管理局"),
     ("国家移民局", ""), ("驻纽约总领馆", ""), ("", "")],
)  # fmt: skip
def test_the_authority_must_be_one_that_issues_chinese_passports(text, expected):
    assert check_visual_zone(page(authority=text), mrz()).issuing_authority == expected
