"""Demo 新办/续办 applications far enough along to try the follow-up businesses: one in 'APEC 经济体审核中' with
some economies approved (提前制卡, 仅更换护照), one 已邮寄 with cards (换补卡, 注销卡), and one 已自取 years ago
whose card expires within 6 months (续办).

Loaded with the demo data, and by `cli demo-followups --email` for any enterprise (the end-to-end tests use it
for the enterprise they have just registered).
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from itertools import pairwise

from sqlmodel import Session, select
from stdnum.cn import ric

from apec_app.domain import lifecycle
from apec_app.domain.application_form import empty_person
from apec_app.domain.enterprise import DIRECT, channel_for
from apec_app.domain.person import card_valid_until, pinyin_name
from apec_app.models import Application, Card, EconomyDecision, Enterprise, Institution, Person, StatusEvent
from apec_app.models.base import row_id
from apec_app.services.applications import filing
from apec_app.services.errors import NotFound
from apec_app.services.review import decisions
from apec_app.services.unit_of_work import UnitOfWork

# The 单位信息 a renewal carries over (as the enterprise filled it the last time).
DEMO_UNIT = {
    "staff_count": "120",
    "founded": "2010-03-13",
    "capital": "1000",
    "assets": "5000",
    "revenue": "8000",
    "tax": "300",
    "debt_ratio": "35",
    "trade": "5000",
    "scope": "软件开发、技术服务、货物进出口",
    "apec_relations": "与日本、韩国、新加坡等经济体客户长期合作",
}


def _id_number(birth: date, male: bool) -> str:
    body = f"320102{birth:%Y%m%d}{random.randint(10, 99)}{random.choice('13579' if male else '02468')}"
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character


def _person(surname: str, given: str, male: bool, birth: date, today: date) -> dict[str, str]:
    return empty_person() | {
        "surname": surname,
        "given_name": given,
        "pinyin": pinyin_name(surname, given),
        "id_number": _id_number(birth, male),
        "sex": "男" if male else "女",
        "birth_date": birth.isoformat(),
        "birth_country": "中国",
        "birth_province": "江苏省",
        "birth_city": "南京市",
        "home_address": "南京市玄武区中山路1号",
        "mobile": f"139{random.randint(10_000_000, 99_999_999)}",
        "email": "staff@example.com",
        "insured_place": "江苏省",
        "position": "销售经理",
        "months_employed": "36",
        "passport_number": f"E{random.randint(10_000_000, 99_999_999)}",
        "passport_type": "普通",
        "issue_date": (today - timedelta(days=700)).isoformat(),
        "expiry_date": (today + timedelta(days=3000)).isoformat(),
        "issuing_authority": "公安部出入境管理局",
        "issue_place": "JIANGSU",
        "apec_visa": "否",
        "residence": "中国",
        "old_card": "否",
    }


def _application(
    uow: UnitOfWork,
    enterprise: Enterprise,
    institution: Institution,
    status: str,
    group: str,
    people,
    days_ago: int = 90,
    steps: list[tuple[str, float]] | None = None,
):
    """`steps`: the statuses after submission with the days spent before each (default: two days a step along
    the path to `status`)."""
    db, now = uow.db, uow.now()
    submitted_at = now - timedelta(days=days_ago)
    application = Application(
        number=filing._next_number(db, now),
        business_type=lifecycle.NEW_RENEW,
        enterprise_id=row_id(enterprise),
        institution_id=institution.id,
        channel=channel_for(enterprise.nature, enterprise.channel_override),
        status=status,
        group_name=group,
        person_names="、".join(p["surname"] + p["given_name"] for p in people),
        person_count=len(people),
        form_json=json.dumps(
            {
                "unit": filing.prefill(enterprise)["unit"] | DEMO_UNIT,
                "group": {
                    "group_name": group,
                    "contact_name": "李四",
                    "contact_phone": "15412341234",
                    "reason": "商务洽谈",
                },
                "people": people,
                "materials": {},
                "delivery": {"method": "mail"},
                "step": 4,
            },
            ensure_ascii=False,
        ),
        submitted_at=submitted_at,
        review_started_at=now - timedelta(days=days_ago - 1),
    )
    db.add(application)
    db.flush()
    persons = []
    for seq, p in enumerate(people, start=1):
        person = Person(
            application_id=row_id(application),
            seq=seq,
            surname=p["surname"],
            given_name=p["given_name"],
            pinyin=p["pinyin"],
            id_number=p["id_number"],
            sex=p["sex"],
            birth_date=date.fromisoformat(p["birth_date"]),
            passport_number=p["passport_number"],
            passport_expiry=date.fromisoformat(p["expiry_date"]),
            data_json=json.dumps(p, ensure_ascii=False),
        )
        db.add(person)
        persons.append(person)
    db.flush()
    first = lifecycle.review_status(application.channel)
    path = [lifecycle.DRAFT, first, lifecycle.AWAITING_PAYMENT, lifecycle.PAYMENT_REVIEW, lifecycle.ECONOMY_REVIEW]
    if status in (lifecycle.MAILED, lifecycle.PICKED_UP):
        path += [lifecycle.ECONOMIES_DONE, lifecycle.CARD_PRODUCTION]
        path += [lifecycle.MAILED] if status == lifecycle.MAILED else [lifecycle.AWAITING_PICKUP, status]
    # Two days per step from submission: economy decisions are dated from the day the economies got the people.
    offsets = [2.0 * step for step in range(len(path) - 1)]
    if steps is not None:
        path = [lifecycle.DRAFT, first, *(s for s, _ in steps)]
        offsets = [0.0]
        for _, days in steps:
            offsets.append(offsets[-1] + days)
    for offset, (old, new) in zip(offsets, pairwise(path), strict=True):
        at = submitted_at + timedelta(days=offset)
        db.add(
            StatusEvent(
                application_id=row_id(application), from_status=old, to_status=new, actor="演示数据", created_at=at
            )
        )
    return application, persons


def _decide(db: Session, application: Application, person: Person, codes: list[str], today: date) -> None:
    """Approvals 20 + 3·i days after the economies got the people (never later than today)."""
    assert application.submitted_at is not None  # the demo applications are all submitted
    sent = application.submitted_at.date() + timedelta(days=6)
    for i, code in enumerate(codes):
        db.add(
            EconomyDecision(
                person_id=row_id(person),
                application_id=row_id(application),
                economy_code=code,
                decision="approved",
                decided_on=min(today, sent + timedelta(days=20 + 3 * i)),
                recorded_by="演示数据",
            )
        )


def seed(uow: UnitOfWork, email: str) -> list[str]:
    """The two applications for the enterprise with this email; returns their numbers."""
    db = uow.db
    enterprise = db.exec(select(Enterprise).where(Enterprise.email == email.strip().lower())).first()
    if enterprise is None:
        raise NotFound()
    if channel_for(enterprise.nature, enterprise.channel_override) == DIRECT:
        institution = filing.ministry(db)
    else:
        institution = (
            db.exec(select(Institution).where(Institution.code == "JS")).first() or (filing.local_institutions(db)[0])
        )
    today = uow.today()
    codes = [e.code for e in decisions.deciding(db)]
    waiting, (zhang, li) = _application(
        uow,
        enterprise,
        institution,
        lifecycle.ECONOMY_REVIEW,
        "赴日韩商务考察团",
        [_person("张", "伟", True, date(1985, 3, 12), today), _person("李", "娜", False, date(1990, 7, 8), today)],
    )
    _decide(db, waiting, zhang, ["JP", "KR"], today)
    _decide(db, waiting, li, ["AU"], today)
    done, persons = _application(
        uow,
        enterprise,
        institution,
        lifecycle.MAILED,
        "赴东盟市场拓展团",
        [_person("王", "芳", False, date(1988, 1, 20), today), _person("刘", "洋", True, date(1982, 11, 2), today)],
    )
    for person in persons:
        _decide(db, done, person, codes, today)
        db.add(
            Card(
                person_id=person.id,
                application_id=done.id,
                approved_economies=",".join(codes),
                valid_until=card_valid_until(today - timedelta(days=20), person.passport_expiry),
                status="mailed",
                tracking_number="SF1234567890",
            )
        )
    expiring, (chen,) = _application(
        uow,
        enterprise,
        institution,
        lifecycle.PICKED_UP,
        "赴澳新商务考察团",
        [_person("陈", "静", False, date(1987, 4, 3), today)],
        days_ago=5 * 365 - 150,
    )
    _decide(db, expiring, chen, codes, today)
    db.add(
        Card(
            person_id=chen.id,
            application_id=expiring.id,
            approved_economies=",".join(codes),
            valid_until=today + timedelta(days=120),
            status="picked_up",
        )
    )
    db.flush()
    return [waiting.number, done.number, expiring.number]
