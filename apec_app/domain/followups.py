"""The four follow-up businesses (docs/rules.md §3, manual 1.2.2 – 1.2.5): who may start which, and their forms.

A follow-up is started for one person of a 新办/续办 application. Whether it is offered depends only on that
application's status, the person's APEC decisions and card, and the person's other open follow-ups; the user
centre shows exactly what `offered` returns and the server refuses anything else with `refusal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from apec_app.domain import lifecycle
from apec_app.domain import person as rules
from apec_app.domain.application_form import parse_date
from apec_app.domain.validators import check_phone, check_required

EARLY_CARD, REPLACE, PASSPORT_CHANGE, CANCEL = lifecycle.FOLLOWUP_TYPES

# Two open follow-ups of these kinds for one person would contradict each other.
CONFLICTS = {
    EARLY_CARD: frozenset({EARLY_CARD, PASSPORT_CHANGE}),
    PASSPORT_CHANGE: frozenset({EARLY_CARD, PASSPORT_CHANGE}),
    REPLACE: frozenset({REPLACE, CANCEL}),
    CANCEL: frozenset({REPLACE, CANCEL}),
}
# A card in the holder's hands: the only cards that can be replaced or cancelled.
DELIVERED = frozenset({"picked_up", "mailed"})

# Step codes (their names are ui_text.STEP_LABELS): the business's own first step, then the shared ones.
MATERIALS, DELIVERY, CONFIRM = "materials", "delivery", "confirm"
STEPS = {
    EARLY_CARD: ("contact", MATERIALS, DELIVERY, CONFIRM),
    REPLACE: ("replace_reason", MATERIALS, DELIVERY, CONFIRM),
    PASSPORT_CHANGE: ("passport", MATERIALS, CONFIRM),
    CANCEL: ("cancel_reason", MATERIALS, CONFIRM),
}

REPLACE_KINDS = {"换卡": ("获批更多经济体", "持卡人信息变更"), "补卡": ("遗失", "损坏")}
PASSPORT_REASONS = ("护照有效期不足换发", "护照遗失补发", "护照损毁换发", "护照签证页用完换发", "其他")
CANCEL_REASONS = ("持卡人离职", "持卡人不再需要", "持卡人信息有误", "其他")

# What the browser may set in each section of a follow-up form (everything else is ignored).
SECTIONS = {
    "contact": ("contact_name", "contact_phone"),
    "reason": ("kind", "reason", "note"),
    "passport": (
        "reason",
        "passport_type",
        "passport_number",
        "issue_date",
        "expiry_date",
        "issuing_authority",
        "issue_place",
    ),
    "delivery": ("method", "pickup_point_id", "address_id"),
}
# Set only by uploads: 补卡 情况说明 and the new passport page.
UPLOAD_SLOTS = {"statement": "reason", "passport_page": "passport"}


@dataclass(frozen=True)
class PersonSituation:
    """One person of a 新办/续办 application, as far as follow-ups care."""

    parent_type: str
    parent_status: str
    approved_economies: int
    # The person's current card: "" none, else its status ("producing", "ready", "picked_up", "mailed", "cancelled").
    card: str
    card_expired: bool
    open_followups: frozenset[str]


def refusal(kind: str, s: PersonSituation) -> str | None:
    """Why `kind` may not be started for this person now, or None when it may."""
    if kind not in CONFLICTS or s.parent_type != lifecycle.NEW_RENEW:
        return "followup_not_allowed"
    if kind in (EARLY_CARD, PASSPORT_CHANGE):
        if s.parent_status != lifecycle.ECONOMY_REVIEW or s.card:
            return "followup_not_allowed"
        if kind == EARLY_CARD and s.approved_economies < 1:
            return "followup_no_economy_approved"
    elif s.card not in DELIVERED or s.card_expired:
        return "followup_card_cancelled" if s.card == "cancelled" else "followup_not_allowed"
    if CONFLICTS[kind] & s.open_followups:
        return "followup_in_progress"
    return None


def offered(s: PersonSituation) -> list[str]:
    return [kind for kind in lifecycle.FOLLOWUP_TYPES if refusal(kind, s) is None]


def has_delivery(kind: str) -> bool:
    return DELIVERY in STEPS[kind]


def step_name(kind: str, step: int) -> str:
    steps = STEPS[kind]
    return steps[min(max(step, 1), len(steps)) - 1]


# --- validation of each step ------------------------------------------------------------------------------


def _prefixed(section: str, errors: dict[str, str | None]) -> dict[str, str]:
    return {f"{section}.{k}": v for k, v in errors.items() if v}


def validate_contact(contact: dict[str, str]) -> dict[str, str]:
    return _prefixed(
        "contact",
        {
            "contact_name": check_required(contact.get("contact_name", ""), 50),
            "contact_phone": check_phone(contact.get("contact_phone", "")),
        },
    )


def validate_replace_reason(reason: dict[str, str]) -> dict[str, str]:
    """换卡 or 补卡, with one of its reasons; 补卡 needs the 情况说明 (报失证明 for a lost card)."""
    kind = reason.get("kind", "")
    errors: dict[str, str | None] = {"kind": None if kind in REPLACE_KINDS else "required"}
    errors["reason"] = None if reason.get("reason") in REPLACE_KINDS.get(kind, ()) else "required"
    errors["note"] = None if len(reason.get("note", "")) <= 500 else "too_long"
    if kind == "补卡" and not reason.get("statement_doc"):
        errors["statement_doc"] = "upload_required"
    return _prefixed("reason", errors)


def validate_cancel_reason(reason: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str | None] = {"reason": None if reason.get("reason") in CANCEL_REASONS else "required"}
    note = reason.get("note", "")
    errors["note"] = check_required(note, 500) if reason.get("reason") == "其他" else None
    return _prefixed("reason", errors)


def validate_new_passport(passport: dict[str, str], old_number: str, today: date) -> dict[str, str]:
    """The new passport: the same rules as the 新办/续办 form, and it must really be another passport."""
    errors: dict[str, str | None] = {
        "reason": None if passport.get("reason") in PASSPORT_REASONS else "required",
        "passport_page_doc": None if passport.get("passport_page_doc") else "upload_required",
        "issuing_authority": check_required(passport.get("issuing_authority", ""), 200),
        "issue_place": check_required(passport.get("issue_place", ""), 200),
    }
    passport_type = passport.get("passport_type", "")
    errors["passport_type"] = None if passport_type in rules.PASSPORT_TYPES else "required"
    number = passport.get("passport_number", "")
    errors["passport_number"] = rules.check_passport_number(number, passport_type)
    if not errors["passport_number"] and number.strip().upper() == old_number.strip().upper():
        errors["passport_number"] = "passport_unchanged"
    issue, expiry = parse_date(passport.get("issue_date", "")), parse_date(passport.get("expiry_date", ""))
    errors.update(rules.check_passport_dates(issue, expiry, today))
    return _prefixed("passport", errors)


def validate_first_step(kind: str, form: dict, old_passport_number: str, today: date) -> dict[str, str]:
    errors = validate_contact(form.get("contact", {}))
    if kind == REPLACE:
        errors |= validate_replace_reason(form.get("reason", {}))
    elif kind == CANCEL:
        errors |= validate_cancel_reason(form.get("reason", {}))
    elif kind == PASSPORT_CHANGE:
        errors |= validate_new_passport(form.get("passport", {}), old_passport_number, today)
    return errors


def summary(kind: str, form: dict) -> list[tuple[str, str]]:
    """The business-specific lines of 信息确认 and of both detail pages."""
    contact, reason, passport = form.get("contact", {}), form.get("reason", {}), form.get("passport", {})
    rows = [("联系人姓名", contact.get("contact_name", "")), ("联系人电话", contact.get("contact_phone", ""))]
    if kind == REPLACE:
        rows += [("换卡/补卡", reason.get("kind", "")), ("原因", reason.get("reason", ""))]
        rows += [("说明", reason.get("note", ""))] if reason.get("note") else []
    elif kind == CANCEL:
        rows += [("注销原因", reason.get("reason", ""))]
        rows += [("说明", reason.get("note", ""))] if reason.get("note") else []
    elif kind == PASSPORT_CHANGE:
        old = form.get("source", {})
        rows += [
            ("更换护照原因", passport.get("reason", "")),
            ("原护照号码", old.get("passport_number", "")),
            ("新护照号码", passport.get("passport_number", "").upper()),
            ("护照种类", passport.get("passport_type", "")),
            ("签发日期", passport.get("issue_date", "")),
            ("有效期至", passport.get("expiry_date", "")),
            ("签发机关", passport.get("issuing_authority", "")),
            ("签发地点", passport.get("issue_place", "")),
        ]
    return rows
