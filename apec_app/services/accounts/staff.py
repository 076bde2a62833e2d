"""Staff accounts (reviewers and admins) and institutions."""

from __future__ import annotations

from sqlmodel import Session, select

from apec_app.domain.passwords import check_password_policy, hash_password
from apec_app.domain.validators import check_required, check_username
from apec_app.models import Institution, StaffUser
from apec_app.services.errors import InvalidInput, raise_if_invalid

ROLES = ("reviewer", "admin")


def create_staff(
    db: Session, *, username: str, name: str, password: str, role: str, institution_code: str | None = None
) -> StaffUser:
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
    if db.exec(select(StaffUser.id).where(StaffUser.username == username.strip().lower())).first() is not None:
        raise InvalidInput("username", "username_taken")
    staff = StaffUser(
        username=username.strip().lower(),
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        institution_id=institution_id,
    )
    db.add(staff)
    db.flush()
    return staff


def institution_name(db: Session, institution_id: int | None) -> str:
    if institution_id is None:
        return "全部机构"
    institution = db.get(Institution, institution_id)
    return institution.name if institution else ""
