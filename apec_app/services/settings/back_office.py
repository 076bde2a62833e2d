"""Back-office settings (docs/rules.md §6), for admins only: institutions and their fees and 代办点, materials,
申办须知, the APEC economies and the staff accounts.

Every function takes the unit of work and refuses anyone but an admin before it reads or changes anything; input
is validated completely before the first write, so a bad form changes nothing; every change leaves a line in the
security log, with the admin's address (never a password).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from apec_app.domain.economies import Economy, deciding_economies
from apec_app.domain.fees import parse_yuan
from apec_app.domain.lifecycle import BUSINESS_TYPES, PAID_TYPES
from apec_app.domain.uploads import UploadRejected, check_upload, material_rule
from apec_app.domain.validators import check_phone, check_required
from apec_app.integrations import storage
from apec_app.models import EconomySetting, Fee, Institution, Material, Notice, PickupPoint, StaffUser
from apec_app.models.base import row_id
from apec_app.services.accounts import auth, staff
from apec_app.services.applications import payments
from apec_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, raise_if_invalid
from apec_app.services.principal import ECONOMY, STAFF, Principal
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork

ADMIN = "admin"
MINISTRY = "ministry"
CHANNELS = ("all", "direct", "local")
NOTICE_MAX_CHARS = 20_000
# ¥100,000.00 per person: anything above is a typo, not a fee.
MAX_FEE_FEN = 10_000_000
EXAMPLE_RULE = material_rule("jpg,jpeg,png")
EXAMPLE_PREFIX = "/examples-files/"
_EXAMPLE_KEY = re.compile(r"[0-9a-f]{32}")
# Digits, optionally grouped by single spaces or dashes ("1100 0000 0001 0000 000").
_BANK_ACCOUNT = re.compile(r"[0-9]+(?:[ -][0-9]+)*")
_TYPE_SEPARATORS = re.compile(r"[,，、\s]+")


def require_admin(principal: Principal | None) -> Principal:
    """The principal when it is a staff member with the admin role; otherwise PermissionDenied."""
    if principal is None or principal.kind != STAFF or principal.role != ADMIN:
        raise PermissionDenied()
    return principal


def _admin_db(uow: UnitOfWork) -> Session:
    """The transaction's session, once the caller is known to be an admin."""
    require_admin(uow.principal)
    return uow.db


def _log(uow: UnitOfWork, action: str, detail: str) -> None:
    log_event(uow.db, action, actor=uow.me.label, detail=detail, client_ip=uow.client_ip)


def _optional(value: str, max_length: int) -> str | None:
    return "too_long" if len((value or "").strip()) > max_length else None


def _optional_phone(value: str) -> str | None:
    return check_phone(value) if (value or "").strip() else None


# --- institutions -----------------------------------------------------------------------------------------


@dataclass
class InstitutionForm:
    name: str = ""
    contact_phone: str = ""
    address: str = ""
    bank_name: str = ""
    bank_account_name: str = ""
    bank_account_number: str = ""
    allow_pickup: bool = False
    allow_mail: bool = False


@dataclass(frozen=True)
class FeeSetting:
    """Today's per-person fees of one institution for one paid business type (fen)."""

    business_type: str
    card_fee_fen: int
    agency_fee_fen: int


@dataclass(frozen=True)
class InstitutionSettings:
    institution: Institution
    fees: list[FeeSetting]
    pickup_points: list[PickupPoint]


def list_institutions(uow: UnitOfWork) -> list[Institution]:
    """外交部 first, then the 外办 in the order they were created."""
    db = _admin_db(uow)
    rows = db.exec(select(Institution)).all()
    return sorted(rows, key=lambda i: (i.kind != MINISTRY, i.id))


def _institution(db: Session, institution_id: int) -> Institution:
    institution = db.get(Institution, institution_id)
    if institution is None:
        raise NotFound("institution_unknown")
    return institution


def _pickup_points(db: Session, institution_id: int) -> list[PickupPoint]:
    return list(
        db.exec(
            select(PickupPoint).where(PickupPoint.institution_id == institution_id).order_by(col(PickupPoint.id))
        ).all()
    )


def institution_settings(uow: UnitOfWork, institution_id: int) -> InstitutionSettings:
    db = _admin_db(uow)
    institution = _institution(db, institution_id)
    fees = [
        FeeSetting(business_type, *payments.current_fees(db, row_id(institution), business_type))
        for business_type in BUSINESS_TYPES
        if business_type in PAID_TYPES
    ]
    return InstitutionSettings(institution, fees, _pickup_points(db, row_id(institution)))


def _check_bank_account(value: str) -> str | None:
    text = (value or "").strip()
    if not text:
        return "required"
    if len(text) > 40:
        return "too_long"
    return None if _BANK_ACCOUNT.fullmatch(text) else "bank_account_format"


def update_institution(uow: UnitOfWork, institution_id: int, form: InstitutionForm) -> Institution:
    """Name, contact, address, bank account and the allowed 取卡方式 (at least one; 自取 needs a 代办点)."""
    db = _admin_db(uow)
    institution = _institution(db, institution_id)
    delivery = None
    if not (form.allow_pickup or form.allow_mail):
        delivery = "delivery_required"
    elif form.allow_pickup and not _pickup_points(db, row_id(institution)):
        delivery = "pickup_points_missing"
    raise_if_invalid(
        {
            "name": check_required(form.name, 100),
            "contact_phone": check_phone(form.contact_phone),
            "address": check_required(form.address, 200),
            "bank_name": check_required(form.bank_name, 100),
            "bank_account_name": check_required(form.bank_account_name, 100),
            "bank_account_number": _check_bank_account(form.bank_account_number),
            "delivery": delivery,
        }
    )
    institution.name = form.name.strip()
    institution.contact_phone = form.contact_phone.strip()
    institution.address = form.address.strip()
    institution.bank_name = form.bank_name.strip()
    institution.bank_account_name = form.bank_account_name.strip()
    institution.bank_account_number = form.bank_account_number.strip()
    institution.allow_pickup, institution.allow_mail = bool(form.allow_pickup), bool(form.allow_mail)
    db.add(institution)
    _log(
        uow,
        "admin_institution",
        f"institution {institution.code} pickup={institution.allow_pickup} mail={institution.allow_mail}",
    )
    return institution


def _parse_fee(text: str) -> tuple[int | None, str | None]:
    """(fen, None) or (None, error code) for one fee input in yuan."""
    if not (text or "").strip():
        return None, "required"
    fen = parse_yuan(text)
    if fen is None:
        return None, "fee_format"
    if fen > MAX_FEE_FEN:
        return None, "fee_too_large"
    return fen, None


def update_fees(uow: UnitOfWork, institution_id: int, fees: dict[str, tuple[str, str]]) -> list[FeeSetting]:
    """Per paid business type: (制卡费, 外办代办费) as the admin typed them in yuan; stored in fen.

    Errors are keyed "card_fee.<type>" and "agency_fee.<type>". 外交部 charges no 外办代办费, so a blank one there
    keeps the stored value. Payments already submitted keep the amount they were shown.
    """
    db = _admin_db(uow)
    institution = _institution(db, institution_id)
    errors: dict[str, str] = {}
    parsed: dict[str, tuple[int, int]] = {}
    for business_type, (card_text, agency_text) in fees.items():
        if business_type not in PAID_TYPES:
            errors[f"card_fee.{business_type}"] = "fee_not_charged"
            continue
        current_card, current_agency = payments.current_fees(db, row_id(institution), business_type)
        card, card_error = _parse_fee(card_text)
        agency: int | None
        if institution.kind == MINISTRY and not (agency_text or "").strip():
            agency, agency_error = current_agency, None
        else:
            agency, agency_error = _parse_fee(agency_text)
        if card_error:
            errors[f"card_fee.{business_type}"] = card_error
        if agency_error:
            errors[f"agency_fee.{business_type}"] = agency_error
        if not (card_error or agency_error):
            assert card is not None and agency is not None  # _parse_fee gives a number or an error
            parsed[business_type] = (card, agency)
    if errors:
        raise InvalidInput.many(errors)
    changes = []
    for business_type, (card, agency) in parsed.items():
        fee = db.exec(
            select(Fee).where(Fee.institution_id == institution.id, Fee.business_type == business_type)
        ).first()
        if fee is None:
            fee = Fee(institution_id=row_id(institution), business_type=business_type)
        fee.card_fee_fen, fee.agency_fee_fen = card, agency
        db.add(fee)
        changes.append(f"{business_type} card={card} agency={agency}")
    db.flush()
    _log(uow, "admin_fees", f"institution {institution.code} " + "; ".join(changes))
    return institution_settings(uow, row_id(institution)).fees


# --- 代办点 -----------------------------------------------------------------------------------------------


@dataclass
class PickupPointForm:
    name: str = ""
    address: str = ""
    hours: str = ""
    phone: str = ""


def save_pickup_point(
    uow: UnitOfWork, institution_id: int, form: PickupPointForm, point_id: int | None = None
) -> PickupPoint:
    """Add a 代办点 to the institution, or edit one of its own (a point of another institution is not found)."""
    db = _admin_db(uow)
    institution = _institution(db, institution_id)
    if point_id:
        point = db.get(PickupPoint, point_id)
        if point is None or point.institution_id != institution.id:
            raise NotFound()
    else:
        point = PickupPoint(institution_id=row_id(institution), name="", address="")
    raise_if_invalid(
        {
            "name": check_required(form.name, 100),
            "address": check_required(form.address, 200),
            "hours": _optional(form.hours, 100),
            "phone": _optional_phone(form.phone),
        }
    )
    point.name, point.address = form.name.strip(), form.address.strip()
    point.hours, point.phone = form.hours.strip(), form.phone.strip()
    db.add(point)
    db.flush()
    _log(
        uow,
        "admin_pickup_point",
        f"{'edit' if point_id else 'add'} pickup point {point.id} of {institution.code}",
    )
    return point


def delete_pickup_point(uow: UnitOfWork, point_id: int) -> None:
    """While the institution allows 自取, its last 代办点 stays (applicants must have somewhere to collect)."""
    db = _admin_db(uow)
    point = db.get(PickupPoint, point_id)
    if point is None:
        raise NotFound()
    institution = _institution(db, point.institution_id)
    if institution.allow_pickup and len(_pickup_points(db, row_id(institution))) <= 1:
        raise Conflict("pickup_point_last")
    db.delete(point)
    _log(uow, "admin_pickup_point", f"delete pickup point {point_id}")


# --- 材料设置 ---------------------------------------------------------------------------------------------


@dataclass
class MaterialForm:
    business_type: str = ""
    channel: str = "all"
    name: str = ""
    hint: str = ""
    required: bool = True
    accepted: str = "jpg,jpeg,png,pdf"


def normalize_accepted(text: str) -> str | None:
    """Accepted types in canonical form ("jpg, PNG、.pdf" → "jpg,png,pdf"); None if one is unknown or none given."""
    names = list(dict.fromkeys(n.lstrip(".").lower() for n in _TYPE_SEPARATORS.split(text or "") if n.lstrip(".")))
    joined = ",".join(names)
    try:
        material_rule(joined)
    except ValueError:
        return None
    return joined


def list_materials(uow: UnitOfWork, business_type: str | None = None) -> list[Material]:
    db = _admin_db(uow)
    query = select(Material)
    if business_type:
        query = query.where(Material.business_type == business_type)
    return list(db.exec(query.order_by(col(Material.business_type), col(Material.sort), col(Material.id))).all())


def _material(db: Session, material_id: int) -> Material:
    material = db.get(Material, material_id)
    if material is None:
        raise NotFound()
    return material


def save_material(uow: UnitOfWork, form: MaterialForm, material_id: int | None = None) -> Material:
    """Add or edit one upload slot of the 单位信息 step (per business type and channel)."""
    db = _admin_db(uow)
    material = _material(db, material_id) if material_id else None
    accepted = normalize_accepted(form.accepted)
    raise_if_invalid(
        {
            "business_type": None if form.business_type in BUSINESS_TYPES else "business_type_unknown",
            "channel": None if form.channel in CHANNELS else "channel_unknown",
            "name": check_required(form.name, 100),
            "hint": _optional(form.hint, 300),
            "accepted": None if accepted else "accepted_types_invalid",
        }
    )
    if material is None:
        last = db.exec(select(func.max(Material.sort)).where(Material.business_type == form.business_type)).one()
        material = Material(business_type=form.business_type, name="", sort=(last or 0) + 1)
    material.business_type, material.channel = form.business_type, form.channel
    material.name, material.hint = form.name.strip(), (form.hint or "").strip()
    assert accepted is not None  # refused above otherwise
    material.required, material.accepted = bool(form.required), accepted
    db.add(material)
    db.flush()
    _log(
        uow,
        "admin_material",
        f"{'edit' if material_id else 'add'} material {material.id} {material.business_type}/{material.channel}",
    )
    return material


def delete_material(uow: UnitOfWork, material_id: int) -> None:
    """Files applicants already uploaded for it stay with their applications."""
    db = _admin_db(uow)
    material = _material(db, material_id)
    db.delete(material)
    _log(uow, "admin_material", f"delete material {material_id}")


def set_material_example(uow: UnitOfWork, material_id: int, data: bytes) -> Material:
    """查看示例 image: checked by content (jpg/png only), re-encoded, stored, and served publicly by its key."""
    db = _admin_db(uow)
    material = _material(db, material_id)
    try:
        checked = check_upload(data, EXAMPLE_RULE)
    except UploadRejected as exc:
        raise InvalidInput("example_image", exc.code) from exc
    stored = storage.save_private(checked.data)
    material.example_image = EXAMPLE_PREFIX + stored.key
    db.add(material)
    _log(uow, "admin_material", f"example image of material {material.id}")
    return material


def clear_material_example(uow: UnitOfWork, material_id: int) -> Material:
    db = _admin_db(uow)
    material = _material(db, material_id)
    material.example_image = ""
    db.add(material)
    _log(uow, "admin_material", f"remove example image of material {material.id}")
    return material


def is_published_example(db: Session, key: str) -> bool:
    """Whether `key` is the example image of some material: the only stored files anyone may fetch unasked."""
    if not isinstance(key, str) or not _EXAMPLE_KEY.fullmatch(key):
        return False
    found = db.exec(select(Material.id).where(Material.example_image == EXAMPLE_PREFIX + key)).first()
    return found is not None


# --- 申办须知 ---------------------------------------------------------------------------------------------


def _check_notice_target(db: Session, business_type: str, institution_id: int | None) -> None:
    if business_type not in BUSINESS_TYPES:
        raise InvalidInput("business_type", "business_type_unknown")
    if institution_id is not None:
        _institution(db, institution_id)


def _notice(db: Session, business_type: str, institution_id: int | None) -> Notice | None:
    owner = col(Notice.institution_id).is_(None) if institution_id is None else Notice.institution_id == institution_id
    return db.exec(select(Notice).where(Notice.business_type == business_type, owner).order_by(col(Notice.id))).first()


def get_notice(uow: UnitOfWork, business_type: str, institution_id: int | None) -> str:
    """The text stored for exactly this business type and institution (None: the Ministry's general text)."""
    db = _admin_db(uow)
    _check_notice_target(db, business_type, institution_id)
    notice = _notice(db, business_type, institution_id)
    return notice.text if notice else ""


def set_notice(uow: UnitOfWork, business_type: str, institution_id: int | None, text: str) -> None:
    """Save the text; an empty text for an institution removes its own text, so the general one applies."""
    db = _admin_db(uow)
    _check_notice_target(db, business_type, institution_id)
    cleaned = (text or "").replace("\r\n", "\n").strip()
    if len(cleaned) > NOTICE_MAX_CHARS:
        raise InvalidInput("text", "too_long")
    if not cleaned and institution_id is None:
        raise InvalidInput("text", "required")
    notice = _notice(db, business_type, institution_id)
    where = f"{business_type} institution {institution_id if institution_id is not None else 'general'}"
    if not cleaned:
        if notice is not None:
            db.delete(notice)
        _log(uow, "admin_notice", f"remove {where}")
        return
    if notice is None:
        notice = Notice(business_type=business_type, institution_id=institution_id, text="")
    notice.text = cleaned
    db.add(notice)
    _log(uow, "admin_notice", f"set {where} ({len(cleaned)} chars)")


# --- APEC 经济体 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EconomyRow:
    """One member as the admin sees it; `deciding`: whether it takes a decision on Chinese applicants now."""

    code: str
    name_zh: str
    name_en: str
    transitional: bool
    active: bool
    deciding: bool


def list_economies(uow: UnitOfWork) -> list[EconomyRow]:
    """All 21 members, active or not, in display order."""
    db = _admin_db(uow)
    rows = db.exec(select(EconomySetting).order_by(col(EconomySetting.sort), col(EconomySetting.code))).all()
    active = [Economy(r.code, r.name_zh, r.name_en, r.transitional, r.sort) for r in rows if r.active]
    deciding = {e.code for e in deciding_economies(active)}
    return [EconomyRow(r.code, r.name_zh, r.name_en, r.transitional, r.active, r.code in deciding) for r in rows]


def update_economy(
    uow: UnitOfWork,
    code: str,
    *,
    name_zh: str | None = None,
    active: bool | None = None,
    transitional: bool | None = None,
) -> EconomySetting:
    """Set the given fields (None leaves one as it is); which economies decide follows from these flags."""
    db = _admin_db(uow)
    economy = db.get(EconomySetting, code) if isinstance(code, str) else None
    if economy is None:
        raise NotFound()
    if name_zh is not None:
        raise_if_invalid({"name_zh": check_required(name_zh, 30)})
    changes = []
    if name_zh is not None:
        economy.name_zh = name_zh.strip()
        changes.append("name")
    if active is not None:
        economy.active = bool(active)
        changes.append(f"active={economy.active}")
    if transitional is not None:
        economy.transitional = bool(transitional)
        changes.append(f"transitional={economy.transitional}")
    db.add(economy)
    _log(uow, "admin_economy", f"{economy.code} {' '.join(changes)}")
    return economy


# --- 工作人员 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    name: str
    role: str
    institution: str | None  # the institution's name; None: an admin, who works for all of them
    active: bool
    economy_code: str | None = None  # an economy officer's economy


def list_staff(uow: UnitOfWork) -> list[StaffRow]:
    db = _admin_db(uow)
    names = {i.id: i.name for i in db.exec(select(Institution)).all()}
    rows = db.exec(select(StaffUser).order_by(col(StaffUser.id))).all()
    return [
        StaffRow(
            id=row_id(s),
            username=s.username,
            name=s.name,
            role=s.role,
            institution=names.get(s.institution_id, "") if s.institution_id is not None else None,
            active=s.active,
            economy_code=s.economy_code,
        )
        for s in rows
    ]


def create_staff_account(
    uow: UnitOfWork,
    *,
    username: str,
    name: str,
    password: str,
    role: str,
    institution_code: str,
    economy_code: str = "",
) -> StaffUser:
    """A reviewer needs an institution; an admin works for all of them; an economy officer needs its economy."""
    db = _admin_db(uow)
    missing = {"institution": "required"} if role == "reviewer" and not (institution_code or "").strip() else {}
    if role == auth.ECONOMY_ROLE and not (economy_code or "").strip():
        missing["economy"] = "required"
    try:
        account = staff.create_staff(
            db,
            username=username,
            name=name,
            password=password,
            role=role,
            institution_code=((institution_code or "").strip() or None) if role == "reviewer" else None,
            economy_code=((economy_code or "").strip() or None) if role == auth.ECONOMY_ROLE else None,
        )
    except InvalidInput as exc:
        raise InvalidInput.many({**exc.errors, **missing}) from None
    economy = f" economy {account.economy_code}" if account.economy_code else ""
    _log(uow, "admin_staff_create", f"staff:{account.id} role {account.role}{economy}")
    return account


def set_staff_active(uow: UnitOfWork, staff_id: int, active: bool) -> StaffUser:
    """停用 also ends the member's live sessions at once; an admin cannot lock itself out."""
    db = _admin_db(uow)
    account = db.get(StaffUser, staff_id)
    if account is None:
        raise NotFound()
    if not active and account.id == uow.me.id:
        raise Conflict("staff_self_deactivate")
    account.active = bool(active)
    db.add(account)
    kind = ECONOMY if account.role == auth.ECONOMY_ROLE else STAFF
    revoked = 0 if active else auth.revoke_all_sessions(db, kind, row_id(account), now=uow.now())
    _log(
        uow,
        "admin_staff_activate" if active else "admin_staff_deactivate",
        f"staff:{account.id}" + ("" if active else f" sessions revoked {revoked}"),
    )
    return account
