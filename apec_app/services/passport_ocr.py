"""自动识别护照信息: read an uploaded passport page and propose the fields for the confirmation dialog."""

from __future__ import annotations

from dataclasses import dataclass

from apec_app.domain.person import inferred_issue_date
from apec_app.integrations import storage
from apec_app.integrations.ocr import ImageTooLarge, OcrUnavailable, read_passport
from apec_app.services.applications import documents
from apec_app.services.principal import Principal
from apec_app.services.unit_of_work import unit_of_work

CHECK_NAMES = {
    "number": "护照号码",
    "birth_date": "出生日期",
    "expiry_date": "失效日期",
    "personal_number": "个人号码",
    "composite": "综合校验",
    "names": "姓名拼音",
    "issuing_state": "签发国",
    "nationality": "国籍",
    "sex": "性别",
}


@dataclass(frozen=True)
class Proposal:
    fields: dict[str, str]
    note: str


def read_document(principal: Principal, document_id: int) -> Proposal | None:
    """OCR of the caller's own passport page; None when no machine-readable zone was found.

    Fields whose check digit failed are still proposed, but the note names them so the applicant checks them.
    """
    with unit_of_work(principal) as uow:
        document = documents.owned_document(uow, document_id)
        key = document.storage_key
    try:
        outcome = read_passport(storage.read_private(key))
    except (ImageTooLarge, OcrUnavailable):
        return None
    result = outcome.result
    if result is None:
        return None
    issue = inferred_issue_date(result.expiry_date, result.birth_date) if result.expiry_date else None
    given = result.given_names.replace(" ", "")
    fields = {
        "pinyin": f"{result.surname} {given}".strip(),
        "sex": {"M": "男", "F": "女"}.get(result.sex, ""),
        "birth_date": result.birth_date.isoformat() if result.birth_date else "",
        "passport_number": result.number,
        "expiry_date": result.expiry_date.isoformat() if result.expiry_date else "",
        "issue_date": issue.isoformat() if issue else "",
    }
    notes = ["签发日期为根据失效日期推算的值，请与护照核对"] if issue else []
    if not result.valid:
        failed = "、".join(CHECK_NAMES.get(c, c) for c in result.failed_checks)
        notes.insert(0, f"以下项目校验未通过，请务必人工核对：{failed}")
    return Proposal(fields, "；".join(notes))
