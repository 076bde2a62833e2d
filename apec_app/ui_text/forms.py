"""The labels of an application's fields, as the forms, the detail pages and the printable form show them."""

from __future__ import annotations

from apec_app.domain import followups as rules

DOC_LABELS = {
    "passport_page": "护照信息页",
    "photo": "申请人照片",
    "signature": "申请人签名",
    "social_security": "社保证明",
    "no_criminal_record": "无犯罪记录证明",
    "statement": "情况说明",
    "payment_voucher": "支付凭证",
}
# A person's uploads as the 新办/续办 form names them (manual 1.2.1 step 5), in its order.
PERSON_DOC_LABELS = (
    ("passport_page", "申请人护照信息页彩色"),
    ("photo", "申请人照片"),
    ("signature", "申请人签名"),
    ("social_security", "社保证明"),
    ("no_criminal_record", "无犯罪记录证明"),
)
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


def followup_lines(business_type: str, form: dict) -> list[list[str]]:
    """[label, value] lines of a follow-up: the person block, then the business's own answers."""
    if business_type not in rules.STEPS:
        return []
    source = form.get("source", {})
    return [[label, str(source.get(key, ""))] for key, label in SOURCE_LABELS] + [
        [label, value] for label, value in rules.summary(business_type, form)
    ]


def history_text(passport_history: list[dict]) -> str:
    """曾用护照: the passports a person had before, and which application replaced each."""
    return "；".join(
        f"{h['passport_number']}（{h['replaced_on']} 经 {h['application_number']} 更换）" for h in passport_history
    )


def with_history_text(row: dict) -> dict[str, str]:
    """A person row of services/applications/views.person_rows, ready to show."""
    shown = {k: v for k, v in row.items() if k != "passport_history"}
    return {**shown, "history": history_text(row.get("passport_history", []))}


UNIT_LINES = (
    ("名称", "name"),
    ("统一社会信用代码", "uscc"),
    ("注册地", "reg_address"),
    ("联系电话", "phone"),
    ("性质", "nature"),
    ("所属行业", "industry"),
    ("员工人数", "staff_count"),
    ("成立日期", "founded"),
    ("注册资金（人民币万元）", "capital"),
    ("上年度资产总额（人民币万元）", "assets"),
    ("上年度营业额（人民币万元）", "revenue"),
    ("上年度应纳税额（人民币万元）", "tax"),
    ("上年度负债率（%）", "debt_ratio"),
    ("上年度进出口贸易额（人民币万元）", "trade"),
    ("经营范围", "scope"),
    ("与APEC经济体来往情况", "apec_relations"),
)
GROUP_LINES = (
    ("团组名称", "group_name"),
    ("联系人姓名", "contact_name"),
    ("联系人电话", "contact_phone"),
    ("申请事由", "reason"),
)
PERSON_LINES = (
    ("姓名拼音", ("pinyin",)),
    ("曾用名", ("former_name",)),
    ("身份证号", ("id_number",)),
    ("性别 / 出生日期", ("sex", "birth_date")),
    ("出生地点", ("birth_country", "birth_province", "birth_city")),
    ("家庭住址", ("home_address",)),
    ("手机号码 / 电子邮箱", ("mobile", "email")),
    ("参保地 / 职务", ("insured_place", "position")),
    ("在所属单位连续工作时间(月)", ("months_employed",)),
    ("护照号码 / 种类", ("passport_number", "passport_type")),
    ("签发日期 / 失效日期", ("issue_date", "expiry_date")),
    ("签发机关 / 签发地点", ("issuing_authority", "issue_place")),
    ("居留国家或地区", ("residence",)),
    ("是否有APEC经济体签证记录 / 是否有旧APEC卡", ("apec_visa", "old_card")),
    ("曾用护照", ("history",)),
)


def person_lines(person: dict[str, str]) -> list[tuple[str, str]]:
    """A person's labelled lines (empty ones left out), for the printable form."""
    lines = [(label, " / ".join(person.get(k, "") for k in keys).strip(" /")) for label, keys in PERSON_LINES]
    return [(label, value) for label, value in lines if value]


# --- the reviewer's application page: every field, one line each, as the form labels it ----------------------

NOT_FILLED = "未填写"
# A person's fields in the order and with the words of 团组信息 (pages/wizard/people.py); 出生国家/省份/城市
# make one line, 出生地点, as on 信息确认.
PERSON_FIELD_LINES = (
    ("姓", ("surname",)),
    ("名", ("given_name",)),
    ("姓名拼音", ("pinyin",)),
    ("曾用名", ("former_name",)),
    ("身份证号", ("id_number",)),
    ("性别", ("sex",)),
    ("出生日期", ("birth_date",)),
    ("出生地点", ("birth_country", "birth_province", "birth_city")),
    ("家庭住址", ("home_address",)),
    ("手机号码", ("mobile",)),
    ("电子邮箱", ("email",)),
    ("参保地", ("insured_place",)),
    ("职务", ("position",)),
    ("在所属单位连续工作时间(月)", ("months_employed",)),
    ("护照号码", ("passport_number",)),
    ("护照种类", ("passport_type",)),
    ("签发日期", ("issue_date",)),
    ("失效日期", ("expiry_date",)),
    ("签发机关", ("issuing_authority",)),
    ("签发地点", ("issue_place",)),
    ("是否有APEC经济体签证记录", ("apec_visa",)),
    ("居留国家或地区", ("residence",)),
    ("是否有旧APEC卡", ("old_card",)),
)


def _or_not_filled(value: object) -> str:
    text = str(value or "").strip()
    return text or NOT_FILLED


def unit_field_lines(unit: dict) -> list[list[str]]:
    """单位信息, every field of the form (an empty one says 未填写, so a reviewer sees it is missing)."""
    return [[label, _or_not_filled(unit.get(key))] for label, key in UNIT_LINES]


def group_field_lines(group: dict, people: int) -> list[list[str]]:
    return [[label, _or_not_filled(group.get(key))] for label, key in GROUP_LINES] + [["人员数量", f"{people} 人"]]


def person_field_lines(row: dict) -> list[list[str]]:
    """A person row of services/applications/views.person_rows, every field on its own line; 曾用名 left empty
    says 无, 曾用护照 (the passports replaced by earlier applications) only when there were any."""
    lines = []
    for label, keys in PERSON_FIELD_LINES:
        value = " / ".join(str(row.get(k) or "").strip() for k in keys).strip(" /")
        lines.append([label, value or ("无" if keys == ("former_name",) else NOT_FILLED)])
    history = history_text(row.get("passport_history", []))
    return lines + ([["曾用护照", history]] if history else [])


def delivery_lines(delivery: dict[str, str]) -> list[list[str]]:
    """取卡方式 and the pickup point or the mailing address, from the delivery read model."""
    method = delivery.get("method", "")
    if method == "pickup":
        point = f"{delivery['name']}（{delivery['address']}，{delivery['hours']}）" if "name" in delivery else ""
        return [["取卡方式", "自取"], ["代办点", _or_not_filled(point)]]
    if method == "mail":
        return [["取卡方式", "邮寄"], ["邮寄地址", _or_not_filled(delivery.get("address"))]]
    return [["取卡方式", NOT_FILLED]]
