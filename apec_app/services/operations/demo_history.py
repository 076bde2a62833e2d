"""A year of demo applications for 审核工作台's figures: applications submitted over the last eleven months to
江苏外办 (a local enterprise) and to 外交部 (a 中央企业), each with a status history whose steps take as long as
they do in practice (a few days of review, a week or two to pay, one to two months with the APEC economies),
and the economies' decisions dated within that time. Without them 各环节平均用时 and 各经济体审核用时 have next
to nothing to show on a fresh demo database.

The two enterprises have no usable password: they exist for the reviewers' side only (the demo enterprise's own
list stays as the follow-up demo left it). The histories are drawn from a seeded generator, so every demo
database shows the same figures.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from sqlmodel import select

from apec_app.domain import lifecycle
from apec_app.domain.passwords import hash_password
from apec_app.models import EconomyDecision, Enterprise, Institution
from apec_app.models.base import row_id
from apec_app.services.operations import demo_followups
from apec_app.services.review import decisions
from apec_app.services.unit_of_work import UnitOfWork

# (name, 统一社会信用代码 with a valid check character, nature, institution code, applications)
ENTERPRISES = [
    ("江苏示例贸易有限公司", "91320100MA1N2B3C40", "民营企业", "JS", 26),
    ("中国示例装备集团有限公司", "91110000100012345L", "中央企业", "MFA", 16),
]
# Days spent in each stage: (low, most likely, high) of a triangular distribution.
DAYS = {
    lifecycle.FAO_REVIEW: (0.5, 2.5, 7),
    lifecycle.MFA_REVIEW: (1, 4, 10),
    lifecycle.AWAITING_PAYMENT: (1, 4, 15),
    lifecycle.PAYMENT_REVIEW: (0.3, 1, 4),
    lifecycle.ECONOMY_REVIEW: (18, 35, 75),
    lifecycle.ECONOMIES_DONE: (0.5, 1.5, 5),
    lifecycle.CARD_PRODUCTION: (4, 8, 15),
    lifecycle.AWAITING_PICKUP: (2, 7, 25),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "杰", "婷"]
GROUPS = ["赴日本商务考察团", "赴新加坡市场拓展团", "赴澳新经贸洽谈团", "赴韩国技术交流团", "赴东盟商务团"]


def _path(rng: random.Random, review: str) -> list[str]:
    """The statuses after submission one application goes through to its end."""
    if rng.random() < 0.08:
        return [review, lifecycle.RETURNED]
    if rng.random() < 0.05:
        return [review, lifecycle.REJECTED]
    main = [review, lifecycle.AWAITING_PAYMENT, lifecycle.PAYMENT_REVIEW, lifecycle.ECONOMY_REVIEW]
    main += [lifecycle.ECONOMIES_DONE, lifecycle.CARD_PRODUCTION]
    if rng.random() < 0.5:
        return [*main, lifecycle.MAILED]
    return [*main, lifecycle.AWAITING_PICKUP, lifecycle.PICKED_UP]


def _steps(rng: random.Random, path: list[str], days_ago: int) -> list[tuple[str, float]]:
    """(status, days in the previous one) for the steps already taken by today: a recent application is
    still on its way."""
    steps: list[tuple[str, float]] = []
    elapsed = 0.0
    for previous, status in zip(path, path[1:], strict=False):
        low, likely, high = DAYS[previous]
        days = round(rng.triangular(low, high, likely), 2)
        if elapsed + days >= days_ago:
            break
        elapsed += days
        steps.append((status, days))
    return steps


def _decide(
    uow: UnitOfWork, rng: random.Random, application, persons, entered: date, left: date | None, paces: dict[str, int]
) -> None:
    """Each economy's decisions, after its own usual pace; none later than the stage's end or today."""
    today = uow.today()
    end = min(left or today, today)
    for person in persons:
        for code, pace in paces.items():
            decided_on = entered + timedelta(days=pace + rng.randint(-5, 8))
            if decided_on > end:
                if left is None:
                    continue  # still to come
                decided_on = end
            uow.db.add(
                EconomyDecision(
                    person_id=row_id(person),
                    application_id=row_id(application),
                    economy_code=code,
                    decision="approved" if rng.random() > 0.03 else "refused",
                    decided_on=max(decided_on, entered),
                    recorded_by="演示数据",
                )
            )


def seed(uow: UnitOfWork) -> int:
    """Load the history; returns the number of applications."""
    db = uow.db
    rng = random.Random(2026)
    today = uow.today()
    codes = [e.code for e in decisions.deciding(db)]
    paces = {code: 15 + (i * 7) % 40 for i, code in enumerate(codes)}  # days each economy usually takes
    made = 0
    for name, uscc, nature, institution_code, count in ENTERPRISES:
        institution = db.exec(select(Institution).where(Institution.code == institution_code)).first()
        if institution is None:
            continue
        enterprise = Enterprise(
            name=name,
            uscc=uscc,
            legal_rep="赵建国",
            email=f"history-{institution_code.lower()}@example.com",
            password_hash=hash_password(secrets.token_urlsafe(24)),
            reg_province=institution.province or "北京市",
            reg_address="示例路1号",
            phone="010-12345678",
            nature=nature,
            industry="制造业",
        )
        db.add(enterprise)
        db.flush()
        review = lifecycle.MFA_REVIEW if nature == "中央企业" else lifecycle.FAO_REVIEW
        for i in range(count):
            days_ago = 1 + (330 - 1) * i // max(1, count - 1)
            steps = _steps(rng, _path(rng, review), days_ago)
            status = steps[-1][0] if steps else review
            people = [
                demo_followups._person(
                    rng.choice(SURNAMES),
                    rng.choice(GIVEN),
                    male,
                    date(1970 + rng.randrange(25), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                    today,
                )
                for male in (rng.random() < 0.5 for _ in range(1 + rng.randrange(3)))
            ]
            application, persons = demo_followups._application(
                uow, enterprise, institution, status, rng.choice(GROUPS), people, days_ago, steps
            )
            made += 1
            submitted = application.submitted_at
            assert submitted is not None  # _application submits
            offset, entered, left = 0.0, None, None
            for step, days in steps:
                offset += days
                at = (submitted + timedelta(days=offset)).date()
                if step == lifecycle.ECONOMY_REVIEW:
                    entered = at
                elif entered is not None and left is None:
                    left = at
            if entered is not None:
                _decide(uow, rng, application, persons, entered, left, paces)
    db.flush()
    return made
