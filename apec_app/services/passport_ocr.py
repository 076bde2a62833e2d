"""自动识别护照信息: read an uploaded passport page and propose the fields for the confirmation dialog."""

from __future__ import annotations

import asyncio
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from apec_app.domain.passport_visual import UNREAD, VisualCheck
from apec_app.domain.person import inferred_issue_date
from apec_app.integrations import low_priority, storage
from apec_app.integrations.ocr import ImageTooLarge, OcrOutcome, OcrUnavailable, read_passport, warm_up
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
    "document_type": "证件类型",
}
# Form keys of the printed (visual-zone) fields, with their labels for the note.
VISUAL_KEYS = {"surname": "姓", "given_name": "名", "issue_date": "签发日期", "issue_place": "签发地点",
               "issuing_authority": "签发机关"}  # fmt: skip


@dataclass(frozen=True)
class Proposal:
    """What the confirmation dialog proposes, keyed by the person form's field names.

    `fields` holds every key, "" where nothing is proposed:

    - from the MRZ: "pinyin" (姓名拼音, "ZHANG PING"), "sex" (性别, 男/女), "birth_date" (出生日期), "passport_number"
      (护照号码), "expiry_date" (失效日期); dates as YYYY-MM-DD;
    - from the visual zone of a Chinese passport, each only when it passed its cross-check with the MRZ
      (apec_app.domain.passport_visual): "surname" (姓, 张), "given_name" (名, 平), "issue_place" (签发地点, as
      printed: JIANGSU), "issuing_authority" (签发机关, as printed: 国家移民管理局);
    - "issue_date" (签发日期): as printed when it passed its check (`issue_date_read` is True), else inferred from
      the expiry date and the 10/5-year validity, which the note then says.

    `unread` is the set of those visual-zone keys ("surname", "given_name", "issue_date", "issue_place",
    "issuing_authority") that could not be read or failed their check: the dialog shows them empty, marked
    未能识别 (UNREAD), for the applicant to fill in; nothing is guessed. "issue_date" is in it only when no date
    could be inferred either. The other attributes repeat the visual-zone values for callers that want them
    apart (`surname_cn`, `given_names_cn`, `issue_date`, `issue_place`, `issuing_authority`; "" when unread)."""

    fields: dict[str, str]
    note: str
    surname_cn: str = ""
    given_names_cn: str = ""
    issue_date: str = ""
    issue_place: str = ""
    issuing_authority: str = ""
    issue_date_read: bool = False
    unread: frozenset[str] = field(default_factory=lambda: frozenset(VISUAL_KEYS))


def _page(principal: Principal, document_id: int) -> bytes:
    """The caller's own passport page as stored (NotFound for anyone else's)."""
    with unit_of_work(principal) as uow:
        key = documents.owned_document(uow, document_id).storage_key
    return storage.read_private(key)


async def read_document(principal: Principal, document_id: int) -> Proposal | None:
    """OCR of the caller's own passport page; None when no machine-readable zone was found.

    Fields whose check digit failed are still proposed, but the note names them so the applicant checks them.
    The page is read from the store in a thread; the OCR, about half a second of CPU, runs in the low-priority
    process (integrations/low_priority.py), so that the other users' events do not wait for it."""
    data = await asyncio.to_thread(_page, principal, document_id)
    try:
        outcome = await low_priority.run(read_passport, data)
    except (ImageTooLarge, OcrUnavailable, BrokenProcessPool):  # a dead process: the next reading starts another
        return None
    return propose(outcome)


async def start_reader() -> None:
    """Start the low-priority process and load its models (a few seconds), so that the first applicant's
    reading takes no longer than the others."""
    await low_priority.run(warm_up)


def propose(outcome: OcrOutcome) -> Proposal | None:
    """The dialog's proposal from one reading; None when no MRZ was found."""
    result = outcome.result
    if result is None:
        return None
    visual = outcome.visual or VisualCheck()
    printed = visual.as_strings()
    inferred = inferred_issue_date(result.expiry_date, result.birth_date) if result.expiry_date else None
    issue = printed["issue_date"] or (inferred.isoformat() if inferred else "")
    given = result.given_names.replace(" ", "")
    fields = {
        "pinyin": f"{result.surname} {given}".strip(),
        "sex": {"M": "男", "F": "女"}.get(result.sex, ""),
        "birth_date": result.birth_date.isoformat() if result.birth_date else "",
        "passport_number": result.number,
        "expiry_date": result.expiry_date.isoformat() if result.expiry_date else "",
        "issue_date": issue,
        "surname": printed["surname_cn"],
        "given_name": printed["given_names_cn"],
        "issue_place": printed["issue_place"],
        "issuing_authority": printed["issuing_authority"],
    }
    unread = frozenset(key for key in VISUAL_KEYS if not fields[key])
    notes = []
    if not result.valid:
        failed = "、".join(CHECK_NAMES.get(c, c) for c in result.failed_checks)
        notes.append(f"以下项目校验未通过，请务必人工核对：{failed}")
    if issue and not printed["issue_date"]:
        notes.append("签发日期为根据失效日期推算的值，请与护照核对")
    if unread:
        notes.append(f"{UNREAD}，请手工填写：" + "、".join(VISUAL_KEYS[key] for key in VISUAL_KEYS if key in unread))
    return Proposal(
        fields,
        "；".join(notes),
        surname_cn=printed["surname_cn"],
        given_names_cn=printed["given_names_cn"],
        issue_date=printed["issue_date"],
        issue_place=printed["issue_place"],
        issuing_authority=printed["issuing_authority"],
        issue_date_read=bool(printed["issue_date"]),
        unread=unread,
    )
