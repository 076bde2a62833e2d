"""The 新办/续办 form: its fields and the validation of each step (docs/rules.md §4). Errors are keyed by path,
e.g. "unit.phone" or "people.2.id_number", so the page can show each next to its field."""

from __future__ import annotations

from datetime import date

from apec_app.domain import person as rules
from apec_app.domain import regions
from apec_app.domain.enterprise import INDUSTRIES, NATURES
from apec_app.domain.validators import check_email, check_mobile, check_phone, check_required, check_uscc

MAX_PEOPLE = 30

UNIT_FIELDS = (
    "name",
    "uscc",
    "reg_address",
    "phone",
    "nature",
    "industry",
    "staff_count",
    "founded",
    "capital",
    "assets",
    "revenue",
    "tax",
    "debt_ratio",
    "trade",
    "scope",
    "apec_relations",
)
MONEY_FIELDS = ("capital", "assets", "revenue", "tax", "trade")
GROUP_FIELDS = ("group_name", "contact_name", "contact_phone", "reason")
PERSON_DOCS = ("passport_page", "photo", "signature", "social_security", "no_criminal_record")
PERSON_FIELDS = (
    (
        "surname",
        "given_name",
        "pinyin",
        "former_name",
        "id_number",
        "sex",
        "birth_date",
        "birth_country",
        "birth_province",
        "birth_city",
        "home_address",
        "mobile",
        "email",
        "insured_place",
        "position",
        "months_employed",
        "passport_number",
        "passport_type",
        "issue_date",
        "expiry_date",
        "issuing_authority",
        "issue_place",
        "apec_visa",
        "residence",
        "old_card",
    )
    + tuple(f"{d}_doc" for d in PERSON_DOCS)
    + tuple(f"{d}_name" for d in PERSON_DOCS)
)
OPTIONAL_PERSON_FIELDS = frozenset({"former_name"})
YES_NO = ("是", "否")
SEXES = ("男", "女")
DELIVERY_METHODS = ("pickup", "mail")


def empty_person() -> dict[str, str]:
    return {f: "" for f in PERSON_FIELDS} | {"birth_country": "中国", "passport_type": "普通"}


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _date_field(value: str, today: date, *, past: bool = True) -> str | None:
    if not (value or "").strip():
        return "required"
    parsed = parse_date(value)
    if parsed is None:
        return "date_format"
    if past and parsed > today:
        return "date_future"
    return None


def validate_unit(unit: dict[str, str], today: date) -> dict[str, str]:
    errors: dict[str, str | None] = {
        "name": check_required(unit.get("name", "")),
        "uscc": check_uscc(unit.get("uscc", "")),
        "reg_address": check_required(unit.get("reg_address", "")),
        "phone": check_phone(unit.get("phone", "")),
        "nature": None if unit.get("nature") in NATURES else "required",
        "industry": None if unit.get("industry") in INDUSTRIES else "required",
        "staff_count": _non_negative_int(unit.get("staff_count", "")),
        "founded": _date_field(unit.get("founded", ""), today),
        "debt_ratio": rules.check_percentage(unit.get("debt_ratio", "")),
        "scope": check_required(unit.get("scope", ""), 2000),
        "apec_relations": check_required(unit.get("apec_relations", ""), 2000),
    }
    for field in MONEY_FIELDS:
        errors[field] = rules.check_non_negative_number(unit.get(field, ""))
    return {f"unit.{k}": v for k, v in errors.items() if v}


def _non_negative_int(value: str) -> str | None:
    text = (value or "").strip()
    if not text:
        return "required"
    if not text.isdigit():
        return "integer_required"
    return None


def validate_materials(materials: dict[str, str], required_ids: list[int]) -> dict[str, str]:
    return {f"materials.{mid}": "upload_required" for mid in required_ids if not materials.get(f"m{mid}")}


def validate_group(group: dict[str, str]) -> dict[str, str]:
    errors = {
        "group_name": check_required(group.get("group_name", ""), 100),
        "contact_name": check_required(group.get("contact_name", ""), 50),
        "contact_phone": check_phone(group.get("contact_phone", "")),
        "reason": check_required(group.get("reason", ""), 500),
    }
    return {f"group.{k}": v for k, v in errors.items() if v}


def validate_person(p: dict[str, str], today: date) -> tuple[dict[str, str], dict[str, str]]:
    """(errors, warnings) for one person, keyed by field name."""
    errors: dict[str, str | None] = {}
    warnings: dict[str, str] = {}
    for field in ("surname", "given_name", "home_address", "position", "issuing_authority", "issue_place", "residence"):
        errors[field] = check_required(p.get(field, ""), 200)
    errors["pinyin"] = rules.check_pinyin_name(p.get("pinyin", ""))
    errors["sex"] = None if p.get("sex") in SEXES else "required"
    birth = parse_date(p.get("birth_date", ""))
    errors["birth_date"] = (
        rules.check_birth_date(birth, today)
        if p.get("birth_date") and birth
        else ("date_format" if p.get("birth_date") else "required")
    )
    id_error, id_warning = rules.check_id_number(p.get("id_number", ""), birth, p.get("sex") or None)
    errors["id_number"] = id_error
    if id_warning:
        warnings["id_number"] = id_warning
    errors["birth_country"] = None if p.get("birth_country") else "required"
    if p.get("birth_country") == "中国":
        province = p.get("birth_province", "")
        errors["birth_province"] = None if province in regions.provinces() else "required"
        # 台湾省, 香港 and 澳门 have no cities in the table: the province is the place.
        city_needed = bool(regions.cities(province))
        errors["birth_city"] = (
            "required" if city_needed and p.get("birth_city") not in regions.cities(province) else None
        )
    errors["mobile"] = check_mobile(p.get("mobile", ""))
    errors["email"] = check_email(p.get("email", ""))
    errors["insured_place"] = check_required(p.get("insured_place", ""))
    errors["months_employed"] = rules.check_months_employed(p.get("months_employed", ""))
    passport_type = p.get("passport_type", "")
    errors["passport_type"] = None if passport_type in rules.PASSPORT_TYPES else "required"
    errors["passport_number"] = rules.check_passport_number(p.get("passport_number", ""), passport_type)
    issue, expiry = parse_date(p.get("issue_date", "")), parse_date(p.get("expiry_date", ""))
    for field, code in rules.check_passport_dates(issue, expiry, today).items():
        errors[field] = code
    if expiry and not errors.get("expiry_date") and rules.passport_expires_within_card_validity(expiry, today):
        warnings["expiry_date"] = "passport_shorter_than_card"
    for field in ("apec_visa", "old_card"):
        errors[field] = None if p.get(field) in YES_NO else "required"
    for doc in PERSON_DOCS:
        errors[f"{doc}_doc"] = None if p.get(f"{doc}_doc") else "upload_required"
    return {k: v for k, v in errors.items() if v}, warnings


# Checked as soon as the applicant leaves them (on blur), not only on 【下一步】.
CHECKED_ON_LEAVE = frozenset({"id_number", "mobile", "email", "passport_number"})


def check_person_field(p: dict[str, str], key: str, today: date) -> tuple[str | None, str | None]:
    """(error, warning) of one field of a person as the applicant leaves it; a field left empty is not
    reproached yet (【下一步】 says what is missing)."""
    if not (p.get(key) or "").strip():
        return None, None
    errors, warnings = validate_person(p, today)
    return errors.get(key), warnings.get(key)


def validate_people(people: list[dict[str, str]], today: date) -> tuple[dict[str, str], dict[str, str]]:
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    if not people:
        errors["people"] = "people_required"
    if len(people) > MAX_PEOPLE:
        errors["people"] = "people_too_many"
    seen: dict[str, int] = {}
    for i, p in enumerate(people):
        person_errors, person_warnings = validate_person(p, today)
        errors.update({f"people.{i}.{k}": v for k, v in person_errors.items()})
        warnings.update({f"people.{i}.{k}": v for k, v in person_warnings.items()})
        number = (p.get("id_number") or "").strip().upper()
        if number and number in seen and f"people.{i}.id_number" not in errors:
            errors[f"people.{i}.id_number"] = "id_duplicate_in_group"
        seen.setdefault(number, i)
    return errors, warnings


def validate_delivery(
    delivery: dict[str, str], *, allow_pickup: bool, allow_mail: bool, pickup_ids: set[int], address_ids: set[int]
) -> dict[str, str]:
    method = delivery.get("method", "")
    if (
        method not in DELIVERY_METHODS
        or (method == "pickup" and not allow_pickup)
        or (method == "mail" and not allow_mail)
    ):
        return {"delivery.method": "required"}
    if method == "pickup" and _as_int(delivery.get("pickup_point_id")) not in pickup_ids:
        return {"delivery.pickup_point_id": "pickup_point_required"}
    if method == "mail" and _as_int(delivery.get("address_id")) not in address_ids:
        return {"delivery.address_id": "address_required"}
    return {}


def _as_int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None
