"""Eligibility self-check: each institution's own conditions on the applying enterprise (员工人数, 贸易额, …).

Applicants could not see these conditions before applying. They are now settings of the institution, stored as one
JSON object {kind: value} in a Text column; an empty or missing value means the rule is off. The same rules serve
the self-check before 【立即办理】, the warnings at the fields of the 新办/续办 wizard and the reviewer's list of
missed rules. Data that is not there yet (or not readable) is "unknown", never a miss: the applicant is told what
to fill in, not refused. Pure functions, no I/O; admin error codes are in apec_app/ui_text/eligibility.py.
"""

from __future__ import annotations

import json
from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from apec_app.domain.application_form import MAX_PEOPLE
from apec_app.domain.person import AMOUNT_RE, MAX_MONTHS_EMPLOYED

PASSED, MISSED, UNKNOWN = "passed", "missed", "unknown"
AT_LEAST, AT_MOST, PRESENT = "at_least", "at_most", "present"
TAX_CERTIFICATE_MATERIAL = "完税证明"  # matched within the material's configured name, e.g. "上年度完税证明"
_TRUE = frozenset({"1", "true", "yes", "on", "是"})
_FALSE = frozenset({"", "0", "false", "no", "off", "否"})
_MAX_INT_DIGITS = 9  # int() of thousands of digits is slow or refused; no real threshold is that long


@dataclass(frozen=True)
class RuleKind:
    """One kind of condition. `value_type` reads the admin's threshold, `fact_type` the enterprise's data."""

    kind: str
    label: str  # the admin form's label for the threshold
    field: str  # form path the condition concerns; {i} is the person's index
    fact: str  # key of the self-check form
    op: str  # AT_LEAST, AT_MOST or PRESENT
    value_type: str  # "int", "amount", "percent" or "flag"
    fact_type: str  # "int", "amount", "percent", "date" (→ full years), "months", "flag"
    requirement: str  # "{value}" is the threshold
    actual: str  # "{actual}" is the enterprise's value
    ask: str  # what to fill in when the data is unknown
    low: int = 0
    high: int | None = None


RULE_KINDS: tuple[RuleKind, ...] = (
    RuleKind(
        "min_staff", "员工人数不少于（人）", "unit.staff_count", "staff_count", AT_LEAST, "int", "int",
        "员工人数不少于{value}人", "当前为{actual}人", "员工人数", high=10_000_000,
    ),
    RuleKind(
        "min_years_founded", "成立年限不少于（年）", "unit.founded", "founded", AT_LEAST, "int", "date",
        "单位成立满{value}年", "当前成立满{actual}年", "成立日期", high=200,
    ),
    RuleKind(
        "min_trade", "上年度进出口贸易额不少于（人民币万元）", "unit.trade", "trade", AT_LEAST, "amount", "amount",
        "上年度进出口贸易额不少于人民币{value}万元", "当前为{actual}万元", "上年度进出口贸易额",
    ),
    RuleKind(
        "min_revenue", "上年度营业额不少于（万元）", "unit.revenue", "revenue", AT_LEAST, "amount", "amount",
        "上年度营业额不少于{value}万元", "当前为{actual}万元", "上年度营业额",
    ),
    RuleKind(
        "min_tax", "上年度应纳税额不少于（万元）", "unit.tax", "tax", AT_LEAST, "amount", "amount",
        "上年度应纳税额不少于{value}万元", "当前为{actual}万元", "上年度应纳税额",
    ),
    RuleKind(
        "max_debt_ratio", "上年度负债率不高于（%）", "unit.debt_ratio", "debt_ratio", AT_MOST, "percent", "percent",
        "上年度负债率不高于{value}%", "当前为{actual}%", "上年度负债率",
    ),
    RuleKind(
        "tax_certificate_required", "须上传完税证明", "materials", "has_tax_certificate", PRESENT, "flag", "flag",
        "上传完税证明", "当前{actual}", "是否已取得完税证明",
    ),
    RuleKind(
        "min_months_employed", "申请人在所属单位连续工作不少于（月）", "people.{i}.months_employed",
        "months_employed", AT_LEAST, "int", "months",
        "每位申请人在所属单位连续工作不少于{value}个月", "当前为{actual}个月", "在所属单位连续工作时间",
        high=MAX_MONTHS_EMPLOYED - 1,
    ),
    RuleKind(
        "max_people", "每个申请单最多（人）", "people", "people_count", AT_MOST, "int", "int",
        "每个申请单最多{value}人", "当前为{actual}人", "拟申请人数", low=1, high=MAX_PEOPLE,
    ),
)  # fmt: skip
KINDS = {k.kind: k for k in RULE_KINDS}


@dataclass(frozen=True)
class Rule:
    kind: str
    value: int | Decimal | bool


@dataclass(frozen=True)
class RuleSet:
    """An institution's rules, in RULE_KINDS order; an empty set checks nothing."""

    rules: tuple[Rule, ...] = ()

    def __iter__(self):
        return iter(self.rules)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def as_raw(self) -> dict[str, str]:
        """The admin form's values: every kind, "" when off (the stored JSON keeps only the rules that are on)."""
        on = {r.kind: _show(r.value) for r in self.rules}
        return {k.kind: on.get(k.kind, "") for k in RULE_KINDS}

    def to_json(self) -> str:
        return json.dumps({r.kind: _show(r.value) for r in self.rules}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> RuleSet:
        """Stored rules; anything unreadable is dropped, so a bad setting never blocks an application."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return cls()
        return check_rules(data)[0] if isinstance(data, dict) else cls()


@dataclass(frozen=True)
class Result:
    """One rule against the data. `evaluate` returns only the missed and unknown ones (the "misses")."""

    kind: str
    field: str
    status: str  # PASSED, MISSED or UNKNOWN
    message: str

    @property
    def unknown(self) -> bool:
        return self.status == UNKNOWN


Miss = Result


def check_rules(raw: Mapping[str, object]) -> tuple[RuleSet, dict[str, str]]:
    """Admin input {kind: text} → (the rules that are on, errors by kind). Empty text switches a rule off."""
    values: dict[str, int | Decimal | bool] = {}
    errors: dict[str, str] = {}
    for kind, text in raw.items():
        if kind not in KINDS:
            errors[kind] = "eligibility_kind_unknown"
            continue
        value, error = _parse_threshold(KINDS[kind], "" if text is None else str(text).strip())
        if error:
            errors[kind] = error
        elif value is not None:
            values[kind] = value
    return RuleSet(tuple(Rule(k.kind, values[k.kind]) for k in RULE_KINDS if k.kind in values)), errors


def _parse_threshold(kind: RuleKind, text: str) -> tuple[int | Decimal | bool | None, str | None]:
    if kind.value_type == "flag":
        lowered = text.lower()
        if lowered in _TRUE:
            return True, None
        return None, (None if lowered in _FALSE else "eligibility_flag_format")
    if not text:
        return None, None
    if kind.value_type == "int":
        if not (text.isascii() and text.isdigit()):
            return None, "integer_required"
        if len(text) > _MAX_INT_DIGITS or (kind.high is not None and int(text) > kind.high):
            return None, "eligibility_too_large"
        return (int(text), None) if int(text) >= kind.low else (None, "eligibility_too_small")
    if not AMOUNT_RE.match(text):
        return None, "number_format"
    if kind.value_type == "percent" and Decimal(text) > 100:
        return None, "percentage_range"
    return Decimal(text), None


# --- the enterprise's data ----------------------------------------------------------------------------------


def _int(value: object) -> int | None:
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= _MAX_INT_DIGITS else None


def _amount(value: object, limit: Decimal | None = None) -> Decimal | None:
    text = _text(value)
    if not AMOUNT_RE.match(text):
        return None
    amount = Decimal(text)
    return None if limit is not None and amount > limit else amount


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    return True if text in _TRUE else (False if text in _FALSE - {""} else None)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _anniversary(day: date, years: int) -> date:
    """Same day N years on; 29 Feb falls on 28 Feb in a common year (民法典 §202: no such day → month end)."""
    year = day.year + years
    return date(year, day.month, min(day.day, monthrange(year, day.month)[1]))


def full_years(founded: date, today: date) -> int | None:
    """Whole years since `founded` (None for a date in the future)."""
    if founded > today:
        return None
    years = today.year - founded.year
    return years - 1 if _anniversary(founded, years) > today else years


def _measure(kind: RuleKind, value: object, today: date) -> int | Decimal | bool | None:
    """The enterprise's value in the rule's terms, or None when missing or unreadable."""
    if kind.fact_type == "flag":
        return _flag(value)
    if kind.fact_type == "amount":
        return _amount(value)
    if kind.fact_type == "percent":
        return _amount(value, Decimal(100))
    if kind.fact_type == "date":
        if isinstance(value, date):
            return full_years(value, today)
        try:
            return full_years(date.fromisoformat(_text(value)), today)
        except ValueError:
            return None
    number = _int(value)
    if kind.fact_type == "months" and number is not None and number >= MAX_MONTHS_EMPLOYED:
        return None
    return number


def _passes(kind: RuleKind, threshold: int | Decimal | bool, actual: int | Decimal | bool) -> bool:
    if kind.op == PRESENT:
        return bool(actual)
    return actual >= threshold if kind.op == AT_LEAST else actual <= threshold


def _show(value: int | Decimal | bool) -> str:
    """50 → "50", Decimal("5000.00") → "5000", True → "1" (the stored form of a flag)."""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def requirements(rules: RuleSet) -> list[tuple[RuleKind, str]]:
    """Each rule that is on with its plain wording ("员工人数不少于50人"), for the self-check form."""
    return [(KINDS[r.kind], KINDS[r.kind].requirement.format(value=_show(r.value))) for r in rules]


def _actual_text(kind: RuleKind, actual: int | Decimal | bool) -> str:
    if kind.fact_type == "flag":
        return kind.actual.format(actual="已上传" if actual else "未上传")
    if kind.fact_type == "date" and actual == 0:
        return "当前成立不满1年"
    return kind.actual.format(actual=_show(actual))


def _judge(
    kind: RuleKind, rule: Rule, value: object, today: date, institution: str, field: str, who: str = ""
) -> Result:
    """One rule against one value; `who` names the person ("第2位申请人（张平）") for the people rule."""
    requirement = f"{institution}要求{kind.requirement.format(value=_show(rule.value))}"
    actual = _measure(kind, value, today)
    if actual is None:
        ask = f"{who}的{kind.ask}" if who else kind.ask
        verb = "请确认" if kind.fact_type == "flag" else "请填写"
        return Result(kind.kind, field, UNKNOWN, f"{requirement}，{verb}{ask}")
    status = PASSED if _passes(kind, rule.value, actual) else MISSED
    message = f"{requirement}，{who}{_actual_text(kind, actual)}"
    return Result(kind.kind, field, status, message + ("，符合要求" if status == PASSED else ""))


def _person_label(index: int, person: Mapping[str, object] | None = None) -> str:
    name = f"{_text((person or {}).get('surname'))}{_text((person or {}).get('given_name'))}"
    return f"第{index + 1}位申请人" + (f"（{name}）" if name else "")


# --- the three uses -------------------------------------------------------------------------------------------


def evaluate(
    rules: RuleSet,
    form: Mapping[str, object],
    today: date,
    uploaded_material_names: Iterable[str] | bool = frozenset(),
    *,
    institution: str = "办理机构",
) -> list[Result]:
    """Missed and unknown rules of a 新办/续办 form, keyed by field path for the wizard and the reviewer.

    `uploaded_material_names` are the configured names of the materials uploaded (or just whether the tax
    certificate is there). The tax certificate is a miss at "materials" when absent, never unknown."""
    unit = cast("Mapping[str, object]", form.get("unit") or {})
    people = list(cast("Iterable[Mapping[str, object]]", form.get("people") or []))
    if isinstance(uploaded_material_names, bool):
        has_certificate = uploaded_material_names
    else:
        has_certificate = any(TAX_CERTIFICATE_MATERIAL in name for name in uploaded_material_names)
    results = []
    for rule in rules:
        kind = KINDS[rule.kind]
        if kind.kind == "min_months_employed":
            for i, person in enumerate(people):
                field, who = kind.field.format(i=i), _person_label(i, person)
                results.append(_judge(kind, rule, person.get("months_employed"), today, institution, field, who))
            continue
        value: object = {"materials": has_certificate, "people": len(people)}.get(kind.field)
        if value is None:
            value = unit.get(kind.field.removeprefix("unit."))
        results.append(_judge(kind, rule, value, today, institution, kind.field))
    return [r for r in results if r.status != PASSED]


def self_check(
    rules: RuleSet, enterprise_facts: Mapping[str, object], today: date, *, institution: str = "办理机构"
) -> list[Result]:
    """Every rule, passed / missed / unknown, against what the applicant typed before 【立即办理】.

    Facts use the keys of RuleKind.fact: staff_count, trade, revenue, tax, debt_ratio, founded, has_tax_certificate,
    people_count, and months_employed as a list with one entry per intended person (its length also counts the
    people when people_count is not given). Each result's field is the fact key."""
    months = enterprise_facts.get("months_employed")
    months = list(months) if isinstance(months, list | tuple) else ([] if _text(months) == "" else [months])
    results = []
    for rule in rules:
        kind = KINDS[rule.kind]
        if kind.kind == "min_months_employed":
            results.append(_people_check(kind, rule, months, today, institution))
            continue
        value = enterprise_facts.get(kind.fact)
        if kind.fact == "people_count" and _text(value) == "" and months:
            value = len(months)
        results.append(_judge(kind, rule, value, today, institution, kind.fact))
    return results


def _people_check(kind: RuleKind, rule: Rule, months: list, today: date, institution: str) -> Result:
    """One result for all intended people: missed if anyone misses, else unknown if anyone's months are missing."""
    each = [_judge(kind, rule, m, today, institution, kind.fact, _person_label(i)) for i, m in enumerate(months)]
    requirement = f"{institution}要求{kind.requirement.format(value=_show(rule.value))}"
    missed = [r.message.removeprefix(requirement + "，") for r in each if r.status == MISSED]
    if missed:
        return Result(kind.kind, kind.fact, MISSED, f"{requirement}，{'；'.join(missed)}")
    unknown = next((r for r in each if r.unknown), None)
    if unknown or not each:
        message = unknown.message if unknown else f"{requirement}，请填写拟申请人员的{kind.ask}"
        return Result(kind.kind, kind.fact, UNKNOWN, message)
    return Result(kind.kind, kind.fact, PASSED, f"{requirement}，{len(each)}位申请人均符合要求")
