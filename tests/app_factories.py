"""A complete, valid 新办/续办 form for service tests (numbers with correct check digits)."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from sqlmodel import Session, select
from stdnum.cn import ric

from apec_app.domain.application_form import PERSON_DOCS, empty_person
from apec_app.models import Address, Application, Document, Institution, Material, PickupPoint

TODAY = date(2026, 11, 26)


_sequence = itertools.count(10)


def new_id_number(birth: date, male: bool) -> str:
    """A valid number; the sequence part never repeats within a test run."""
    body = f"320102{birth:%Y%m%d}{next(_sequence) % 90 + 10:02d}{random.choice('13579' if male else '02468')}"
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character


def setup_institutions(db: Session) -> tuple[Institution, Institution]:
    mfa = Institution(code="MFA", name="外交部领事司", kind="ministry")
    js = Institution(code="JS", name="江苏外办", kind="fao")
    db.add(mfa)
    db.add(js)
    db.flush()
    for inst in (mfa, js):
        db.add(PickupPoint(institution_id=inst.id, name=f"{inst.name}窗口", address="地址", hours="工作日"))
    db.add(Material(business_type="new_renew", channel="all", name="完税证明", required=True))
    db.add(Material(business_type="new_renew", channel="local", name="新办续办-外办", required=False))
    db.commit()
    return mfa, js


def attach(db: Session, application: Application, kind: str) -> str:
    doc = Document(
        enterprise_id=application.enterprise_id,
        application_id=application.id,
        kind=kind,
        storage_key="0" * 32,
        original_name=f"{kind}.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        uploaded_by="test",
    )
    db.add(doc)
    db.flush()
    return str(doc.id)


def valid_person(db: Session, application: Application, *, male: bool = True) -> dict[str, str]:
    birth = date(1990, 5, 17)
    person = empty_person() | {
        "surname": "张",
        "given_name": "平",
        "pinyin": "ZHANG PING",
        "id_number": new_id_number(birth, male),
        "sex": "男" if male else "女",
        "birth_date": birth.isoformat(),
        "birth_province": "江苏省",
        "birth_city": "南京市",
        "home_address": "南京市玄武区1号",
        "mobile": "13912345678",
        "email": "zp@example.com",
        "insured_place": "江苏省",
        "position": "销售经理",
        "months_employed": "36",
        "passport_number": f"E{random.randint(10_000_000, 99_999_999)}",
        "passport_type": "普通",
        "issue_date": (TODAY - timedelta(days=700)).isoformat(),
        "expiry_date": (TODAY + timedelta(days=3000)).isoformat(),
        "issuing_authority": "公安部出入境管理局",
        "issue_place": "JIANGSU",
        "apec_visa": "否",
        "old_card": "否",
    }
    for kind in PERSON_DOCS:
        person[f"{kind}_doc"] = attach(db, application, kind)
        person[f"{kind}_name"] = f"{kind}.jpg"
    return person


def valid_form(db: Session, application: Application, base: dict, people: int = 1) -> dict:
    materials = {}
    for material in db.exec(select(Material)).all():
        if material.required:
            materials[f"m{material.id}"] = attach(db, application, f"material:{material.id}")
    address = Address(
        enterprise_id=application.enterprise_id,
        recipient="王五",
        phone="13900000000",
        province="江苏省",
        detail="南京市1号",
    )
    db.add(address)
    db.flush()
    unit = base["unit"] | {
        "staff_count": "120",
        "founded": "2010-03-13",
        "capital": "1223",
        "assets": "23",
        "revenue": "34",
        "tax": "45",
        "debt_ratio": "20",
        "trade": "22222",
        "scope": "通讯设备",
        "apec_relations": "与多个经济体有贸易往来",
    }
    return base | {
        "unit": unit,
        "materials": materials,
        "group": {
            "group_name": "赴新加坡商务考察团",
            "contact_name": "李四",
            "contact_phone": "15412341234",
            "reason": "商务洽谈",
        },
        "people": [valid_person(db, application, male=i % 2 == 0) for i in range(people)],
        "delivery": {"method": "mail", "address_id": str(address.id)},
    }
