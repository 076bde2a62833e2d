"""Builders for test data with valid numbers, and the unit of work services take."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session, select
from stdnum.cn import ric, uscc

from apec_app.domain.application_form import PERSON_DOCS, empty_person
from apec_app.domain.clock import SYSTEM_CLOCK, FixedClock
from apec_app.domain.passwords import hash_password
from apec_app.integrations.elicense_platform import SIMULATED_ISSUER, sign_assertion, simulator_private_key
from apec_app.models import (
    Address,
    Agent,
    Application,
    Document,
    Enterprise,
    Institution,
    Material,
    OutboxEmail,
    PickupPoint,
    StaffUser,
    StatusEvent,
)
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth, elicense, staff
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.principal import Principal
from apec_app.services.unit_of_work import UnitOfWork
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
    now = signing.pop("now", None) or utcnow()
    token = sign_assertion(
        simulator_private_key(get_settings().data_dir),
        issuer=SIMULATED_ISSUER,
        nonce=nonce,
        name=name,
        uscc=uscc,
        legal_rep=legal_rep,
        now=now,
        **signing,
    )
    return elicense.accept_assertion(uow_for(db, at=now), token)


def make_staff(db: Session, *, username: str, role: str = "admin", institution_id: int | None = None) -> StaffUser:
    staff = StaffUser(username=username, name=username, password_hash=hash_password(PASSWORD), role=role,
                      institution_id=institution_id)  # fmt: skip
    db.add(staff)
    db.commit()
    return staff


def uow_for(
    db: Session, principal: Principal | None = None, *, today=None, at=None, client_ip: str = ""
) -> UnitOfWork:
    """A unit of work on the test's session: the caller, and a clock fixed on `today` (a Beijing day) or `at`
    (an instant), else the real one. Call `.complete()` to run the event handlers (messages) as the app does."""
    clock = FixedClock.on(today) if today is not None else FixedClock(at) if at is not None else SYSTEM_CLOCK
    return UnitOfWork(db, principal, clock, client_ip)


# --- applications -------------------------------------------------------------------------------------------

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
        "residence": "中国",
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


# --- who acts -----------------------------------------------------------------------------------------------

STAFF_PASSWORD = "Staff#Pass2026"


def _signed_in(db: Session, result) -> Principal:
    return auth.resolve_session(db, result.token, now=utcnow())


def principal_for_enterprise(db: Session, ent: Enterprise) -> Principal:
    """The enterprise account signed in (with its own session, as the app would have it)."""
    return _signed_in(db, auth.sign_in_enterprise(uow_for(db), ent.email, PASSWORD))


def principal_for_agent(db: Session, agent: Agent) -> Principal:
    return _signed_in(db, auth.sign_in_agent(uow_for(db), agent.username, PASSWORD))


def staff_principal(db: Session, username: str, role: str, institution_code: str | None = None) -> Principal:
    staff.create_staff(
        db, username=username, name=username, password=STAFF_PASSWORD, role=role, institution_code=institution_code
    )
    return _signed_in(db, auth.sign_in_staff(uow_for(db), username, STAFF_PASSWORD))


def filled(db: Session, me: Principal, institution_id: int, people: int = 1) -> Application:
    """A 新办/续办 draft of `me` with every step valid, committed."""
    from apec_app.services.applications import filing

    uow = uow_for(db, me, today=TODAY)
    application = filing.start(uow, institution_id)
    _, base = filing.load_form(uow, application.id)
    filing.save_draft(uow, application.id, valid_form(db, application, base, people))
    db.commit()
    return application


def file_application(
    db: Session, people: int = 2, institution: Institution | None = None
) -> tuple[Application, list[dict]]:
    """A 新办/续办 submitted through the services, every document uploaded for real (a JPEG each), committed;
    returns it and its people as the form has them."""
    from apec_app.services.applications import documents, filing
    from tests.images import jpeg

    js = institution or setup_institutions(db)[1]
    me = principal_for_enterprise(db, make_enterprise(db))
    application = act(filing.start, db, js.id, me=me)
    _, base = act(filing.load_form, db, application.id, me=me)
    form = valid_form(db, application, base, people)

    def upload(kind: str, color: str) -> str:
        return str(act(documents.upload, db, application.id, kind, f"{kind}.jpg", jpeg(color=color), me=me).id)

    for i, person in enumerate(form["people"]):
        for kind in PERSON_DOCS:
            person[f"{kind}_doc"] = upload(kind, ("red", "green")[i % 2])
    for slot in list(form["materials"]):
        material = db.get(Material, int(slot[1:]))
        form["materials"][slot] = upload(f"material:{material.id}", "blue")
    act(filing.save_draft, db, application.id, form, me=me)
    act(filing.submit, db, application.id, me=me, today=TODAY)
    db.commit()
    return application, form["people"]


def pay(db: Session, me: Principal, app_id: int) -> Application:
    """The applicant's 支付凭证 for an application waiting for payment (a voucher row and 【提交】)."""
    from apec_app.services.applications import payments

    doc = Document(
        enterprise_id=me.enterprise_id,
        application_id=app_id,
        kind="payment_voucher",
        storage_key="1" * 32,
        original_name="v.jpg",
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
        uploaded_by=me.label,
    )
    db.add(doc)
    db.flush()
    uow = uow_for(db, me, today=TODAY)
    application = payments.submit_voucher(uow, app_id, doc.id)
    uow.complete()
    return application


def act(fn, db: Session, *args, me: Principal | None = None, today=None, at=None, client_ip: str = "", **kwargs):
    """Run one use case as the app does: in a unit of work for `me` (with a clock fixed on `today`/`at` when
    given), then its event handlers (messages, effects). The test's session is the transaction."""
    uow = uow_for(db, me, today=today, at=at, client_ip=client_ip)
    result = fn(uow, *args, **kwargs)
    uow.complete()
    return result


# --- registration -------------------------------------------------------------------------------------------

INFO = EnterpriseInfo(
    reg_province="江苏省", reg_address="南京市玄武区1号", phone="025-12345678", nature="民营企业", industry="制造业"
)
NEW = "New#Pass2026x"


def last_code(db: Session, email: str) -> str:
    """The code in the newest email to `email` (as the applicant reads it)."""
    body = (
        db.exec(select(OutboxEmail).where(OutboxEmail.to_address == email).order_by(OutboxEmail.id.desc())).first().body
    )
    return body.split("验证码是 ")[1][:6]


def register(db: Session, nonce: str, email: str = "new@example.com", **overrides):
    """Registration with an authorised e-licence nonce, the emailed code read from the outbox."""
    from apec_app.services.accounts import enterprise_accounts

    args = dict(nonce=nonce, info=INFO, email=email, password=NEW, password_confirm=NEW, code="", agreed=True)
    args.update(overrides)
    if not args["code"]:
        act(enterprise_accounts.send_register_code, db, email)
        args["code"] = last_code(db, email)
    return act(enterprise_accounts.register_enterprise, db, **args)


# --- review history -----------------------------------------------------------------------------------------

def three_reviews(db) -> datetime:
    """Three applications whose 外办审核 took 2, 4 and 9 days (plus half an hour, so rounding shows)."""
    _, js = setup_institutions(db)
    ent = make_enterprise(db)
    t0 = datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc)
    for i, review_days in enumerate((2, 4, 9)):
        app = Application(
            business_type="new_renew",
            enterprise_id=ent.id,
            institution_id=js.id,
            channel="local",
            status="awaiting_payment",
            submitted_at=t0,
            number=f"APEC20261001{i:06d}",
        )
        db.add(app)
        db.flush()
        db.add(
            StatusEvent(application_id=app.id, from_status="draft", to_status="fao_review", actor="x", created_at=t0)
        )
        db.add(
            StatusEvent(
                application_id=app.id,
                from_status="fao_review",
                to_status="awaiting_payment",
                actor="x",
                created_at=t0 + timedelta(days=review_days, minutes=30),
            )
        )
    db.commit()
    return t0
