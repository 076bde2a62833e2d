from datetime import date
from decimal import Decimal

import pytest

from apec_app.domain.eligibility import (
    KINDS,
    MISSED,
    PASSED,
    RULE_KINDS,
    UNKNOWN,
    Rule,
    RuleSet,
    check_rules,
    evaluate,
    full_years,
    self_check,
)
from apec_app.ui_text import MESSAGES
from apec_app.ui_text.eligibility import ELIGIBILITY_MESSAGES, describe_eligibility_error
from apec_app.ui_text.person import PERSON_MESSAGES

TODAY = date(2025, 6, 15)
JS = "江苏省人民政府外事办公室"


def rules(**raw: str) -> RuleSet:
    ruleset, errors = check_rules(raw)
    assert errors == {}
    return ruleset


def unit_form(**unit: str) -> dict:
    return {"unit": unit, "people": [{"months_employed": "60"}]}


# (kind, threshold, unit field, value at the threshold, value that misses, unreadable value)
UNIT_CASES = [
    ("min_staff", "50", "staff_count", "50", "49", "五十"),
    ("min_trade", "5000", "trade", "5000.00", "4999.99", "5,000"),
    ("min_revenue", "1000.5", "revenue", "1000.50", "1000.49", "-2000"),
    ("min_tax", "30", "tax", "30", "29.9", "1e3"),
    ("max_debt_ratio", "70", "debt_ratio", "70", "70.01", "170"),
    ("min_years_founded", "3", "founded", "2022-06-15", "2022-06-16", "2022/01/01"),
]


@pytest.mark.parametrize(("kind", "threshold", "field", "at", "below", "bad"), UNIT_CASES)
def test_unit_rule_passes_at_threshold_and_misses_beyond_it(kind, threshold, field, at, below, bad):
    ruleset = rules(**{kind: threshold})
    assert evaluate(ruleset, unit_form(**{field: at}), TODAY) == []
    [miss] = evaluate(ruleset, unit_form(**{field: below}), TODAY, institution=JS)
    assert (miss.kind, miss.field, miss.status, miss.unknown) == (kind, f"unit.{field}", MISSED, False)
    assert miss.message.startswith(JS + "要求")


@pytest.mark.parametrize(("kind", "threshold", "field", "at", "below", "bad"), UNIT_CASES)
@pytest.mark.parametrize("which", ["empty", "missing", "bad"])
def test_unit_rule_is_unknown_without_readable_data(kind, threshold, field, at, below, bad, which):
    unit = {"empty": {field: "  "}, "missing": {}, "bad": {field: bad}}[which]
    [miss] = evaluate(rules(**{kind: threshold}), {"unit": unit, "people": []}, TODAY, institution=JS)
    assert (miss.field, miss.status, miss.unknown) == (f"unit.{field}", UNKNOWN, True)
    assert "请填写" in miss.message


def test_messages_name_the_institution_and_the_numbers():
    ruleset = rules(min_staff="50", min_trade="5000.00", max_debt_ratio="70.5", tax_certificate_required="1")
    form = unit_form(staff_count="20", trade="1200.5", debt_ratio="80")
    messages = [m.message for m in evaluate(ruleset, form, TODAY, set(), institution=JS)]
    assert messages == [
        "江苏省人民政府外事办公室要求员工人数不少于50人，当前为20人",
        "江苏省人民政府外事办公室要求上年度进出口贸易额不少于人民币5000万元，当前为1200.5万元",
        "江苏省人民政府外事办公室要求上年度负债率不高于70.5%，当前为80%",
        "江苏省人民政府外事办公室要求上传完税证明，当前未上传",
    ]


def test_unknown_message_says_what_to_fill_in():
    [miss] = evaluate(rules(min_revenue="800"), unit_form(), TODAY, institution=JS)
    assert miss.message == "江苏省人民政府外事办公室要求上年度营业额不少于800万元，请填写上年度营业额"


def test_no_rules_check_nothing():
    assert evaluate(RuleSet(), unit_form(), TODAY) == []
    assert self_check(RuleSet(), {}, TODAY) == []


# --- 成立年限, relative to today ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "today", "status"),
    [
        (1, date(2021, 2, 27), MISSED),
        (1, date(2021, 2, 28), PASSED),  # no 29 Feb in 2021: the anniversary is the month's last day
        (4, date(2024, 2, 28), MISSED),
        (4, date(2024, 2, 29), PASSED),
        (5, date(2025, 2, 28), PASSED),
    ],
)
def test_founded_on_a_leap_day(years, today, status):
    results = self_check(rules(min_years_founded=str(years)), {"founded": "2020-02-29"}, today)
    assert [r.status for r in results] == [status]


def test_founded_message_and_future_date():
    ruleset = rules(min_years_founded="3")
    [miss] = evaluate(ruleset, unit_form(founded="2023-01-01"), TODAY, institution=JS)
    assert miss.message == "江苏省人民政府外事办公室要求单位成立满3年，当前成立满2年"
    [miss] = evaluate(ruleset, unit_form(founded="2025-01-01"), TODAY)
    assert miss.message.endswith("当前成立不满1年")
    [future] = evaluate(ruleset, unit_form(founded="2025-06-16"), TODAY)
    assert future.status == UNKNOWN
    assert self_check(ruleset, {"founded": date(2022, 6, 15)}, TODAY)[0].status == PASSED


def test_full_years():
    assert full_years(date(2020, 6, 15), date(2025, 6, 14)) == 4
    assert full_years(date(2020, 6, 15), date(2025, 6, 15)) == 5
    assert full_years(date(2025, 6, 16), date(2025, 6, 15)) is None


# --- people ---------------------------------------------------------------------------------------------------


def test_months_employed_each_person_at_own_field():
    people = [
        {"surname": "张", "given_name": "平", "months_employed": "12"},
        {"surname": "李", "given_name": "娜", "months_employed": "11"},
        {"months_employed": ""},
        {"surname": "王", "given_name": "强", "months_employed": "3"},
        {"months_employed": "1200"},  # out of range: unreadable, not a pass
    ]
    misses = evaluate(rules(min_months_employed="12"), {"unit": {}, "people": people}, TODAY, institution=JS)
    assert [(m.field, m.status) for m in misses] == [
        ("people.1.months_employed", MISSED),
        ("people.2.months_employed", UNKNOWN),
        ("people.3.months_employed", MISSED),
        ("people.4.months_employed", UNKNOWN),
    ]
    assert misses[0].message == (
        "江苏省人民政府外事办公室要求每位申请人在所属单位连续工作不少于12个月，第2位申请人（李娜）当前为11个月"
    )
    assert "第4位申请人（王强）当前为3个月" in misses[2].message
    assert misses[1].message.endswith("请填写第3位申请人的在所属单位连续工作时间")


def test_max_people():
    ruleset = rules(max_people="2")
    two, three = [{"months_employed": "1"}] * 2, [{"months_employed": "1"}] * 3
    assert evaluate(ruleset, {"unit": {}, "people": two}, TODAY) == []
    [miss] = evaluate(ruleset, {"unit": {}, "people": three}, TODAY, institution=JS)
    assert (miss.field, miss.message) == ("people", "江苏省人民政府外事办公室要求每个申请单最多2人，当前为3人")


# --- 完税证明 --------------------------------------------------------------------------------------------------


def test_tax_certificate_from_material_names_or_flag():
    ruleset = rules(tax_certificate_required="是")
    assert evaluate(ruleset, unit_form(), TODAY, {"营业执照", "上年度完税证明"}) == []
    assert evaluate(ruleset, unit_form(), TODAY, True) == []
    [miss] = evaluate(ruleset, unit_form(), TODAY, {"营业执照"})
    assert (miss.field, miss.status) == ("materials", MISSED)
    assert [m.status for m in evaluate(ruleset, unit_form(), TODAY)] == [MISSED]
    assert [m.status for m in evaluate(ruleset, unit_form(), TODAY, False)] == [MISSED]


TAX_FACTS = [(True, PASSED), ("是", PASSED), (False, MISSED), ("否", MISSED), (None, UNKNOWN), ("", UNKNOWN)]


@pytest.mark.parametrize(("fact", "status"), TAX_FACTS)
def test_tax_certificate_self_check(fact, status):
    [result] = self_check(rules(tax_certificate_required="1"), {"has_tax_certificate": fact}, TODAY)
    assert (result.field, result.status) == ("has_tax_certificate", status)


# --- self-check -----------------------------------------------------------------------------------------------


def test_self_check_reports_every_rule_in_order():
    raw = {k.kind: "1" for k in RULE_KINDS}
    facts = {
        "staff_count": 120,
        "trade": 5000.0,
        "revenue": "",
        "tax": Decimal("0.5"),
        "debt_ratio": "0.9",
        "founded": "2000-01-01",
        "has_tax_certificate": False,
        "months_employed": [24, "36"],
    }
    results = self_check(rules(**raw), facts, TODAY, institution=JS)
    assert [(r.kind, r.status) for r in results] == [
        ("min_staff", PASSED),
        ("min_years_founded", PASSED),
        ("min_trade", PASSED),
        ("min_revenue", UNKNOWN),
        ("min_tax", MISSED),
        ("max_debt_ratio", PASSED),
        ("tax_certificate_required", MISSED),
        ("min_months_employed", PASSED),
        ("max_people", MISSED),  # two people from the months list, at most one
    ]
    assert results[0].message == "江苏省人民政府外事办公室要求员工人数不少于1人，当前为120人，符合要求"
    assert results[7].message.endswith("2位申请人均符合要求")


@pytest.mark.parametrize(
    ("months", "status", "ending"),
    [
        ([12, 13], PASSED, "2位申请人均符合要求"),
        ([12, "", 3], MISSED, "第3位申请人当前为3个月"),
        ([12, ""], UNKNOWN, "请填写第2位申请人的在所属单位连续工作时间"),
        ([], UNKNOWN, "请填写拟申请人员的在所属单位连续工作时间"),
        ("6", MISSED, "第1位申请人当前为6个月"),
    ],
)
def test_self_check_people_rule(months, status, ending):
    [result] = self_check(rules(min_months_employed="12"), {"months_employed": months}, TODAY, institution=JS)
    assert (result.field, result.status) == ("months_employed", status)
    assert result.message.startswith(JS + "要求每位申请人在所属单位连续工作不少于12个月，")
    assert result.message.endswith(ending)


def test_self_check_people_count_given_or_unknown():
    ruleset = rules(max_people="5")
    assert self_check(ruleset, {"people_count": "5"}, TODAY)[0].status == PASSED
    assert self_check(ruleset, {"people_count": 6}, TODAY)[0].status == MISSED
    assert self_check(ruleset, {}, TODAY)[0].status == UNKNOWN


# --- admin input and storage -----------------------------------------------------------------------------------


def test_check_rules_parses_values_and_empty_means_off():
    ruleset, errors = check_rules(
        {"min_staff": " 050 ", "min_trade": "5000.5", "max_debt_ratio": "100", "min_tax": "", "max_people": None}
        | {"tax_certificate_required": "否"}
    )
    assert errors == {}
    assert ruleset.rules == (
        Rule("min_staff", 50),
        Rule("min_trade", Decimal("5000.5")),
        Rule("max_debt_ratio", Decimal("100")),
    )


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        ("min_staff", "5.5", "integer_required"),
        ("min_staff", "-1", "integer_required"),
        ("min_staff", "５０", "integer_required"),
        ("min_staff", "9" * 5000, "eligibility_too_large"),
        ("min_years_founded", "201", "eligibility_too_large"),
        ("min_months_employed", "1200", "eligibility_too_large"),
        ("max_people", "31", "eligibility_too_large"),
        ("max_people", "0", "eligibility_too_small"),
        ("min_trade", "1,000", "number_format"),
        ("min_revenue", "10.123", "number_format"),
        ("max_debt_ratio", "100.01", "percentage_range"),
        ("tax_certificate_required", "maybe", "eligibility_flag_format"),
        ("min_assets", "1", "eligibility_kind_unknown"),
    ],
)
def test_check_rules_errors(kind, text, code):
    ruleset, errors = check_rules({kind: text, "min_staff": "10"} if kind != "min_staff" else {kind: text})
    assert errors == {kind: code}
    assert kind not in {r.kind for r in ruleset}


def test_every_error_code_has_a_message():
    codes = {
        "integer_required",
        "number_format",
        "percentage_range",
        *ELIGIBILITY_MESSAGES,
    }
    known = MESSAGES | PERSON_MESSAGES | ELIGIBILITY_MESSAGES
    assert all(known.get(code) for code in codes)
    assert describe_eligibility_error("max_people", "eligibility_too_small") == "请输入1到30之间的整数"
    assert describe_eligibility_error("min_tax", "number_format") == "number_format"  # shared code: use describe()
    assert describe_eligibility_error("x", "eligibility_flag_format") == "请选择是否要求"


def test_json_round_trip():
    ruleset = rules(min_staff="50", min_trade="5000.00", max_debt_ratio="70.5", tax_certificate_required="true")
    text = ruleset.to_json()
    assert text == (
        '{"min_staff": "50", "min_trade": "5000", "max_debt_ratio": "70.5", "tax_certificate_required": "1"}'
    )
    assert RuleSet.from_json(text) == ruleset
    assert RuleSet.from_json(text).as_raw() == {k.kind: "" for k in RULE_KINDS} | {
        "min_staff": "50",
        "min_trade": "5000",
        "max_debt_ratio": "70.5",
        "tax_certificate_required": "1",
    }
    assert RuleSet.from_json(RuleSet().to_json()) == RuleSet()


@pytest.mark.parametrize("text", [None, "", "not json", "[1, 2]", '"min_staff"', "null"])
def test_unreadable_stored_rules_are_no_rules(text):
    assert RuleSet.from_json(text) == RuleSet()
    assert not RuleSet.from_json(text)


def test_bad_stored_values_are_dropped_and_good_ones_kept():
    stored = '{"min_staff": "abc", "min_trade": 5000, "max_people": 99, "retired_kind": "1", "min_tax": [1], '
    stored += '"tax_certificate_required": true, "max_debt_ratio": 70.5}'
    ruleset = RuleSet.from_json(stored)
    assert ruleset.rules == (
        Rule("min_trade", Decimal("5000")),
        Rule("max_debt_ratio", Decimal("70.5")),
        Rule("tax_certificate_required", True),
    )


def test_every_kind_has_its_field_and_label():
    assert len(KINDS) == len(RULE_KINDS) == 9
    for kind in RULE_KINDS:
        assert kind.label and kind.requirement and kind.ask
        assert kind.field.split(".")[0] in ("unit", "people", "materials")
