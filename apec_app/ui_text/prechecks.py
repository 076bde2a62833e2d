"""The automatic pre-checks (apec_app/domain/prechecks.py) in the reviewer's words: the items and the statuses.
The reasons come from the checks themselves."""

from __future__ import annotations

from apec_app.domain import prechecks

PRECHECK_ITEM_LABELS: dict[str, str] = {
    prechecks.MRZ: "护照机读区核对",
    prechecks.ID_NUMBER: "身份证号核对",
    prechecks.PASSPORT_VALIDITY: "护照有效期",
    prechecks.PHOTO: "照片",
    prechecks.SIGNATURE: "签名",
    prechecks.DUPLICATES: "重复申请",
    prechecks.EARLIER_CARDS: "既往持卡",
    prechecks.ELIGIBILITY: "申办条件",
}
PRECHECK_STATUS_LABELS: dict[str, str] = {prechecks.PASS: "通过", prechecks.WARN: "警告", prechecks.FAIL: "不通过"}
PRECHECK_PENDING = "自动预审进行中，请稍后刷新页面"
PRECHECK_NONE = "本申请单提交时尚无自动预审"
PRECHECK_FLAG = "预审不通过"
