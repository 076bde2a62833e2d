"""Enterprise accounts: registration, profile, email and password changes, password recovery."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from apec_app.domain.enterprise import INDUSTRIES, NATURES, PROVINCES
from apec_app.domain.passwords import check_password_policy, hash_password, verify_password
from apec_app.domain.validators import (
    check_email,
    check_phone,
    check_required,
    check_uscc,
    mask_email,
    normalize_email,
    normalize_uscc,
)
from apec_app.models import Agent, Enterprise
from apec_app.models.base import row_id
from apec_app.services.accounts import auth, codes, elicense, throttle
from apec_app.services.errors import Conflict, InvalidInput, NotFound, raise_if_invalid
from apec_app.services.principal import AGENT, ENTERPRISE, Principal, require_kind
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork


@dataclass
class EnterpriseInfo:
    """The editable part of an enterprise's data (企业信息 in registration, 账号信息 in settings)."""

    reg_province: str = ""
    reg_address: str = ""
    phone: str = ""
    nature: str = ""
    industry: str = ""


def check_info(info: EnterpriseInfo) -> dict[str, str | None]:
    return {
        "reg_province": None if info.reg_province in PROVINCES else "required",
        "reg_address": check_required(info.reg_address, 200),
        "phone": check_phone(info.phone),
        "nature": None if info.nature in NATURES else "required",
        "industry": None if info.industry in INDUSTRIES else "required",
    }


def check_new_password(
    password: str, confirm: str, field: str = "password", confirm_field: str = "password_confirm"
) -> dict[str, str | None]:
    return {
        field: check_password_policy(password),
        confirm_field: None if password == confirm else ("required" if not confirm else "password_mismatch"),
    }


def email_taken(db: Session, email: str) -> bool:
    return db.exec(select(Enterprise.id).where(Enterprise.email == normalize_email(email))).first() is not None


def uscc_taken(db: Session, uscc: str) -> bool:
    return db.exec(select(Enterprise.id).where(Enterprise.uscc == normalize_uscc(uscc))).first() is not None


def send_register_code(uow: UnitOfWork, email: str) -> None:
    db = uow.db
    raise_if_invalid({"email": check_email(email)})
    throttle.hit(uow, throttle.REGISTRATION_PER_IP, uow.client_ip)
    if email_taken(db, email):
        raise InvalidInput("email", "email_taken")
    codes.send_code(uow, "register", email)


def register_enterprise(
    uow: UnitOfWork,
    *,
    nonce: str,
    info: EnterpriseInfo,
    email: str,
    password: str,
    password_confirm: str,
    code: str,
    agreed: bool,
) -> Enterprise:
    """Create the account from an authorised e-licence nonce; the 三要素 come only from the platform."""
    db = uow.db
    checks = {
        **check_info(info),
        "email": check_email(email),
        **check_new_password(password, password_confirm),
        "code": None if code.strip() else "required",
        "agreed": None if agreed else "agreement_required",
    }
    raise_if_invalid(checks)
    email = normalize_email(email)
    status = elicense.status(db, nonce, uow.now())
    if status.state != "authorized" or status.purpose != "register" or status.identity is None:
        known = {"expired": "qr_expired", "used": "qr_used", "refused": status.code}
        raise InvalidInput("nonce", known.get(status.state) or "qr_not_authorized")
    throttle.hit(uow, throttle.REGISTRATION_PER_IP, uow.client_ip)
    if uscc_taken(db, status.identity.uscc):
        raise InvalidInput("uscc", "uscc_taken")
    if email_taken(db, email):
        raise InvalidInput("email", "email_taken")
    codes.verify_code(uow, "register", email, code)
    identity = elicense.consume(uow, nonce, "register")
    enterprise = Enterprise(
        name=identity.name,
        uscc=identity.uscc,
        legal_rep=identity.legal_rep,
        email=email,
        password_hash=hash_password(password),
        created_at=uow.now(),
        reg_province=info.reg_province,
        reg_address=info.reg_address.strip(),
        phone=info.phone.strip(),
        nature=info.nature,
        industry=info.industry,
    )
    db.add(enterprise)
    try:
        db.flush()
    except IntegrityError as exc:  # a concurrent registration won the race
        raise Conflict("account_exists") from exc
    log_event(db, "register", actor=f"{ENTERPRISE}:{enterprise.id}", detail=mask_email(email), client_ip=uow.client_ip)
    return enterprise


def get_enterprise(db: Session, principal: Principal) -> Enterprise:
    """The enterprise a principal belongs to (agents included, read-only use)."""
    if principal.enterprise_id is None:
        raise NotFound()
    enterprise = db.get(Enterprise, principal.enterprise_id)
    if enterprise is None:
        raise NotFound()
    return enterprise


def update_info(uow: UnitOfWork, info: EnterpriseInfo) -> Enterprise:
    db, principal = uow.db, uow.me
    require_kind(principal, ENTERPRISE)
    raise_if_invalid(check_info(info))
    enterprise = get_enterprise(db, principal)
    enterprise.reg_province = info.reg_province
    enterprise.reg_address = info.reg_address.strip()
    enterprise.phone = info.phone.strip()
    enterprise.nature = info.nature
    enterprise.industry = info.industry
    db.add(enterprise)
    return enterprise


def update_identity(uow: UnitOfWork, nonce: str) -> Enterprise:
    """【更新企业三要素信息】: the licence must be the same enterprise's (same 统一社会信用代码)."""
    db, principal = uow.db, uow.me
    require_kind(principal, ENTERPRISE)
    enterprise = get_enterprise(db, principal)
    status = elicense.status(db, nonce, uow.now())
    if status.identity is not None and status.identity.uscc != enterprise.uscc:
        raise InvalidInput("nonce", "uscc_mismatch")
    identity = elicense.consume(uow, nonce, "update_identity")
    enterprise.name = identity.name
    enterprise.legal_rep = identity.legal_rep
    db.add(enterprise)
    log_event(db, "identity_updated", actor=principal.label)
    return enterprise


def send_change_email_code(uow: UnitOfWork, new_email: str) -> None:
    db, principal = uow.db, uow.me
    require_kind(principal, ENTERPRISE)
    raise_if_invalid({"new_email": check_email(new_email)})
    if email_taken(db, new_email):
        raise InvalidInput("new_email", "email_taken")
    codes.send_code(uow, "change_email", new_email, field="code")


def change_email(uow: UnitOfWork, new_email: str, code: str, agreed: bool) -> Enterprise:
    db, principal = uow.db, uow.me
    require_kind(principal, ENTERPRISE)
    raise_if_invalid(
        {
            "new_email": check_email(new_email),
            "code": None if code.strip() else "required",
            "agreed": None if agreed else "agreement_required",
        }
    )
    if email_taken(db, new_email):
        raise InvalidInput("new_email", "email_taken")
    codes.verify_code(uow, "change_email", new_email, code)
    enterprise = get_enterprise(db, principal)
    old = enterprise.email
    enterprise.email = normalize_email(new_email)
    db.add(enterprise)
    log_event(db, "email_changed", actor=principal.label, detail=f"{mask_email(old)} -> {mask_email(enterprise.email)}")
    return enterprise


def change_password(uow: UnitOfWork, old_password: str, new_password: str, confirm: str) -> None:
    """Change the signed-in account's own password (enterprise or agent); other sessions end."""
    db, principal = uow.db, uow.me
    require_kind(principal, ENTERPRISE, AGENT)
    raise_if_invalid(
        {
            "old_password": None if old_password else "required",
            **check_new_password(new_password, confirm, "new_password", "confirm_password"),
        }
    )
    account: Enterprise | Agent | None = (
        db.get(Enterprise, principal.id) if principal.is_enterprise else db.get(Agent, principal.id)
    )
    if account is None:
        raise NotFound()
    if not verify_password(old_password, account.password_hash):
        raise InvalidInput("old_password", "old_password_wrong")
    if old_password == new_password:
        raise InvalidInput("new_password", "password_same")
    account.password_hash = hash_password(new_password)
    db.add(account)
    auth.revoke_all_sessions(db, principal.kind, principal.id, now=uow.now(), except_session_id=principal.session_id)
    log_event(db, "password_changed", actor=principal.label)


# --- 忘记密码: identity (QR or manual) → email code → new password -----------------------------------
# The page goes on to 安全验证 whether or not a registered enterprise matched (the same answer either way, so the
# page tells no one which enterprises have accounts); only a real account is ever mailed a code, and no code
# works for the others.


@dataclass(frozen=True)
class Recovery:
    enterprise_id: int  # 0: no registered enterprise has these 三要素
    uscc: str


def find_for_recovery(uow: UnitOfWork, name: str, uscc: str, legal_rep: str) -> Recovery:
    """手动输入信息: the enterprise whose three elements all match, if any."""
    throttle.hit(uow, throttle.RECOVERY_PER_IP, uow.client_ip)
    raise_if_invalid({"name": check_required(name), "uscc": check_uscc(uscc), "legal_rep": check_required(legal_rep)})
    return _recovery(uow.db, name, uscc, legal_rep)


def recovery_for_licence(uow: UnitOfWork, nonce: str) -> Recovery:
    """扫描二维码找回: the enterprise the licence the platform vouched for belongs to, if any."""
    identity = elicense.consume(uow, nonce, "reset_password")
    return _recovery(uow.db, identity.name, identity.uscc, identity.legal_rep)


def _recovery(db: Session, name: str, uscc: str, legal_rep: str) -> Recovery:
    uscc = normalize_uscc(uscc)
    enterprise = db.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    matches = enterprise is not None and enterprise.name == name.strip() and enterprise.legal_rep == legal_rep.strip()
    return Recovery(row_id(enterprise) if matches and enterprise else 0, uscc)


def _code_address(db: Session, recovery: Recovery) -> tuple[Enterprise | None, str]:
    """The account and the address its codes are kept under: the account's email, or a name of no mailbox."""
    enterprise = db.get(Enterprise, recovery.enterprise_id) if recovery.enterprise_id else None
    if enterprise is not None and enterprise.uscc == recovery.uscc:
        return enterprise, enterprise.email
    return None, f"unregistered-{recovery.uscc}@recovery.invalid"


def send_reset_code(uow: UnitOfWork, recovery: Recovery) -> None:
    """Send the code to the account's own email (for no account: the same steps, the same limits, no mail)."""
    enterprise, address = _code_address(uow.db, recovery)
    codes.send_code(uow, "reset_password", address, deliver=enterprise is not None)


def check_reset_code(uow: UnitOfWork, recovery: Recovery, code: str) -> None:
    """安全验证 → 下一步: check the code (wrong tries count) without using it up."""
    _, address = _code_address(uow.db, recovery)
    codes.verify_code(uow, "reset_password", address, code, consume=False)


def reset_password(uow: UnitOfWork, recovery: Recovery, code: str, password: str, confirm: str) -> None:
    """修改密码: the emailed code is the proof; it is used up here together with the change."""
    db = uow.db
    raise_if_invalid(check_new_password(password, confirm))
    enterprise, address = _code_address(db, recovery)
    codes.verify_code(uow, "reset_password", address, code)
    if enterprise is None:  # no code reaches this point for no account; refuse as for a wrong one all the same
        raise InvalidInput("code", "code_invalid")
    enterprise.password_hash = hash_password(password)
    enterprise.password_changed_at = uow.now()
    db.add(enterprise)
    auth.revoke_all_sessions(db, ENTERPRISE, row_id(enterprise), now=uow.now())
    log_event(db, "password_reset", actor=f"{ENTERPRISE}:{enterprise.id}", client_ip=uow.client_ip)
