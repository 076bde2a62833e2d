"""Staff accounts (reviewers, admins and APEC economies' officers) and institutions."""

from __future__ import annotations

from sqlmodel import Session, select

from apec_app.domain.economies import HOME
from apec_app.domain.passwords import check_password_policy, hash_password
from apec_app.domain.validators import check_required, check_username
from apec_app.models import EconomySetting, Institution, StaffUser
from apec_app.services.accounts.auth import ECONOMY_ROLE
from apec_app.services.errors import InvalidInput, raise_if_invalid

ROLES = ("reviewer", "admin", ECONOMY_ROLE)


def create_staff(
    db: Session,
    *,
    username: str,
    name: str,
    password: str,
    role: str,
    institution_code: str | None = None,
    economy_code: str | None = None,
) -> StaffUser:
    """A reviewer works for one institution, an admin for all; an economy officer decides for one APEC economy
    (one that is configured and not the home economy) and sees nothing else."""
    raise_if_invalid(
        {
            "username": check_username(username),
            "name": check_required(name, 50),
            "password": check_password_policy(password),
            "role": None if role in ROLES else "role_invalid",
        }
    )
    institution_id = None
    if role == "reviewer":
        institution = db.exec(select(Institution).where(Institution.code == (institution_code or ""))).first()
        if institution is None:
            raise InvalidInput("institution", "institution_unknown")
        institution_id = institution.id
    economy = None
    if role == ECONOMY_ROLE:
        economy = db.get(EconomySetting, (economy_code or "").strip().upper())
        if economy is None or economy.code == HOME:
            raise InvalidInput("economy", "economy_unknown")
    if db.exec(select(StaffUser.id).where(StaffUser.username == username.strip().lower())).first() is not None:
        raise InvalidInput("username", "username_taken")
    staff = StaffUser(
        username=username.strip().lower(),
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        institution_id=institution_id,
        economy_code=economy.code if economy else None,
    )
    db.add(staff)
    db.flush()
    return staff


def institution_name(db: Session, institution_id: int | None) -> str:
    if institution_id is None:
        return "全部机构"
    institution = db.get(Institution, institution_id)
    return institution.name if institution else ""
