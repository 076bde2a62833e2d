"""Codes of apec_app/domain/eligibility.py (admin input of an institution's rules) → Chinese text, to be merged
into MESSAGES.

check_rules also returns the shared integer_required and the person codes number_format and percentage_range;
describe_eligibility_error names the kind's own bounds where the plain text cannot.
"""

from __future__ import annotations

from apec_app.domain.eligibility import KINDS

ELIGIBILITY_MESSAGES: dict[str, str] = {
    "eligibility_kind_unknown": "未知的资格条件",
    "eligibility_flag_format": "请选择是否要求",
    "eligibility_too_large": "数值过大，请核对",
    "eligibility_too_small": "数值过小，请核对",
}


def describe_eligibility_error(kind: str, code: str) -> str:
    """The message for `code` on the rule `kind`, e.g. "请输入1到30之间的整数" for max_people."""
    rule = KINDS.get(kind)
    if rule is not None and rule.high is not None and code in ("eligibility_too_large", "eligibility_too_small"):
        return f"请输入{rule.low}到{rule.high}之间的整数"
    return ELIGIBILITY_MESSAGES.get(code, code)
