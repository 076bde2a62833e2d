"""What both detail pages (applicant's and reviewer's) show of an application's people and follow-up lines."""

from __future__ import annotations

import json

from apec_app.domain import followups as rules
from apec_app.models import Application, Person

DOC_LABELS = {
    "passport_page": "护照信息页",
    "photo": "申请人照片",
    "signature": "申请人签名",
    "social_security": "社保证明",
    "no_criminal_record": "无犯罪记录证明",
    "statement": "情况说明",
    "payment_voucher": "支付凭证",
}
# The read-only person block of a follow-up (what the applicant saw in its form).
SOURCE_LABELS = (
    ("enterprise_name", "企业名称"),
    ("uscc", "统一社会信用代码"),
    ("name", "申请人"),
    ("pinyin", "姓名拼音"),
    ("id_number", "身份证号"),
    ("mobile", "手机号"),
    ("passport_number", "护照号码"),
)


def person_rows(persons: list[Person], drafted: list[dict]) -> list[dict[str, str]]:
    """People as submitted (a draft's: as typed), each with `history`: the passports it had before."""
    rows = [json.loads(p.data_json or "{}") | {"person_id": p.id} for p in persons] or drafted
    return [
        {
            **{k: str(v) for k, v in p.items() if k != "passport_history"},
            "history": "；".join(
                f"{h['passport_number']}（{h['replaced_on']} 经 {h['application_number']} 更换）"
                for h in p.get("passport_history", [])
            ),
        }
        for p in rows
    ]


def followup_lines(application: Application, form: dict) -> list[list[str]]:
    """[label, value] lines of a follow-up: the person block, then the business's own answers."""
    if application.business_type not in rules.STEPS:
        return []
    source = form.get("source", {})
    return [[label, str(source.get(key, ""))] for key, label in SOURCE_LABELS] + [
        [label, value] for label, value in rules.summary(application.business_type, form)
    ]


def uploaded_ids(form: dict) -> set[str]:
    """Document ids the form points at now (a re-upload replaces the earlier file)."""
    wanted = {str(v) for k, v in form.get("materials", {}).items() if not k.endswith("_name")}
    for p in form.get("people", []):
        wanted |= {str(v) for k, v in p.items() if k.endswith("_doc")}
    wanted |= {str(form.get(section, {}).get(f"{slot}_doc", "")) for slot, section in rules.UPLOAD_SLOTS.items()}
    return wanted - {""}
