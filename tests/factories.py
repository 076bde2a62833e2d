"""Builders for test data with valid numbers."""

from __future__ import annotations

import itertools
import random

from sqlmodel import Session
from stdnum.cn import uscc

from apec_app.domain.passwords import hash_password
from apec_app.integrations.elicense_platform import SIMULATED_ISSUER, sign_assertion, simulator_private_key
from apec_app.models import Agent, Enterprise, Institution, StaffUser
from apec_app.models.base import utcnow
from apec_app.services.accounts import elicense
from apec_app.settings import get_settings

PASSWORD = "Test#Pass2026"
_counter = itertools.count(1)
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def new_uscc() -> str:
    body = "91110000" + "".join(random.choice(USCC_CHARS) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def make_enterprise(db: Session, *, email: str | None = None, nature: str = "民营企业") -> Enterprise:
    n = next(_counter)
    ent = Enterprise(
        name=f"测试企业{n}有限公司",
        uscc=new_uscc(),
        legal_rep=f"法人{n}",
        email=email or f"ent{n}@example.com",
        password_hash=hash_password(PASSWORD),
        reg_province="北京市",
        reg_address="朝阳区1号",
        phone="010-12345678",
        nature=nature,
        industry="制造业",
    )
    db.add(ent)
    db.commit()
    return ent


def make_agent(db: Session, enterprise: Enterprise, *, username: str | None = None) -> Agent:
    n = next(_counter)
    agent = Agent(
        enterprise_id=enterprise.id,
        name=f"经办人{n}",
        username=username or f"agent{n}",
        password_hash=hash_password(PASSWORD),
        mobile="13912345678",
        email=f"agent{n}@example.com",
    )
    db.add(agent)
    db.commit()
    return agent


def make_institution(db: Session, code: str = "JS", kind: str = "fao") -> Institution:
    inst = Institution(code=code, name=f"{code}外办", kind=kind)
    db.add(inst)
    db.commit()
    return inst


def platform_answer(db: Session, nonce: str, name: str, uscc: str, legal_rep: str, **signing) -> elicense.Answer:
    """The simulated e-licence platform's signed answer for a QR code, delivered as the callback does."""
    token = sign_assertion(
        simulator_private_key(get_settings().data_dir),
        issuer=SIMULATED_ISSUER,
        nonce=nonce,
        name=name,
        uscc=uscc,
        legal_rep=legal_rep,
        now=signing.pop("now", None) or utcnow(),
        **signing,
    )
    return elicense.accept_assertion(db, token)


def make_staff(db: Session, *, username: str, role: str = "admin", institution_id: int | None = None) -> StaffUser:
    staff = StaffUser(username=username, name=username, password_hash=hash_password(PASSWORD), role=role,
                      institution_id=institution_id)  # fmt: skip
    db.add(staff)
    db.commit()
    return staff
