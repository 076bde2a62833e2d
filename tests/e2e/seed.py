"""Applications for the end-to-end tests, in the database of APEC_DATA_DIR; each command prints JSON.

`python -m tests.e2e.seed payable EMAIL`: two applications of that enterprise waiting for payment (2 people and
1 person, through the Jiangsu 外办); their ids, numbers and amounts.
`python -m tests.e2e.seed cashier EMAIL`: three waiting for payment: 外办 with 1 and 2 people, 直办 with 1.
`python -m tests.e2e.seed virtual_card EMAIL`: the demo enterprise's follow-up applications again, with 张伟's
card issued the way a reviewer issues it (every economy decided, 开始制卡, 已邮寄) and EMAIL as 张伟's own email
(so the card's link is mailed there) and its QR token, and the QR token of 王芳's card, which is then cancelled
(注销卡).
`python -m tests.e2e.seed crowded EMAIL`: a 新办/续办 of 30 people in APEC 经济体审核中, filed by an agent,
with every person's documents and the materials uploaded, many economies decided (批准 and 拒绝) and the history
written by the agent, the Jiangsu reviewer, the enterprise account and the system.
`python -m tests.e2e.seed purged EMAIL`: the same application, but its cards mailed 190 days ago and its
documents then deleted by the retention run (services/operations/retention.py).
`python -m tests.e2e.seed economy EMAIL`: a 新办/续办 of two people with photos in APEC 经济体审核中 and no
economy's decision yet, their names unique to this run (so an economy's queue can be searched for them).
`python -m tests.e2e.seed idle USERNAME`: that staff member's live sessions last seen 29 minutes ago.
`python -m tests.e2e.seed prechecked EMAIL`: a 新办/续办 of one person just submitted to the Jiangsu 外办, whose
passport page (generated, tests/ocr_samples.py) holds another 护照号码 than the form, with a real face photo and
a signature; its pre-checks asked for as 【提交】 asks for them (the app's job computes them).
`python -m tests.e2e.seed complete EMAIL`: a 新办/续办 of three people just submitted to the Jiangsu 外办 with
every field of the form filled (单位信息 in full, 申请事由, each person's 家庭住址, 参保地, … and 居留国家或地区),
each person's generated passport page (a readable machine-readable zone), photo, signature and proofs, the
materials, 邮寄 to an address of the enterprise, its pre-checks asked for; the values it filled.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from PIL import Image
from sqlmodel import select

from apec_app import bootstrap
from apec_app.domain import lifecycle
from apec_app.domain.application_form import PERSON_DOCS
from apec_app.integrations import storage
from apec_app.models import (
    Address,
    Agent,
    Application,
    Document,
    EconomyDecision,
    Enterprise,
    Institution,
    Material,
    Payment,
    Person,
    StaffUser,
    StatusEvent,
)
from apec_app.models.base import row_id
from apec_app.services.applications import filing
from apec_app.services.operations import demo_followups, retention
from apec_app.services.operations.demo_followups import _person
from apec_app.services.principal import ENTERPRISE, Principal
from apec_app.services.review import decisions, prechecks
from apec_app.services.unit_of_work import UnitOfWork, unit_of_work


def payable(email: str) -> list[dict]:
    made = []
    with unit_of_work() as uow:
        db = uow.db
        enterprise = db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        institution = db.exec(select(Institution).where(Institution.code == "JS")).one()
        for group, names in (("两人付款团", ("甲一", "甲二")), ("一人付款团", ("乙一",))):
            number = filing._next_number(db, uow.now())
            app = Application(
                number=number,
                business_type=lifecycle.NEW_RENEW,
                enterprise_id=enterprise.id,
                institution_id=institution.id,
                channel="local",
                status=lifecycle.AWAITING_PAYMENT,
                group_name=group,
                person_names="、".join(names),
                person_count=len(names),
                submitted_at=uow.now(),
                form_json=json.dumps({"unit": filing.prefill(enterprise)["unit"], "group": {"group_name": group}}),
            )
            db.add(app)
            db.flush()
            for seq, name in enumerate(names, start=1):
                db.add(Person(application_id=app.id, seq=seq, surname=name[0], given_name=name[1:], pinyin="JIA",
                              id_number=f"11010119800101{app.id:02d}{seq}X", sex="男",
                              passport_number=f"E{app.id:04d}{seq:04d}", data_json="{}"))  # fmt: skip
            made.append({"id": app.id, "number": number, "people": len(names), "names": list(names)})
    return made


def _awaiting_payment(db, enterprise, institution, channel: str, group: str, names: tuple[str, ...], now) -> dict:
    number = filing._next_number(db, now)
    app = Application(
        number=number,
        business_type=lifecycle.NEW_RENEW,
        enterprise_id=enterprise.id,
        institution_id=institution.id,
        channel=channel,
        status=lifecycle.AWAITING_PAYMENT,
        group_name=group,
        person_names="、".join(names),
        person_count=len(names),
        submitted_at=now,
        form_json=json.dumps({"unit": filing.prefill(enterprise)["unit"], "group": {"group_name": group}}),
    )
    db.add(app)
    db.flush()
    for seq, name in enumerate(names, start=1):
        db.add(Person(application_id=app.id, seq=seq, surname=name[0], given_name=name[1:], pinyin="JIA",
                      id_number=f"11010119800101{app.id:02d}{seq}X", sex="男",
                      passport_number=f"E{app.id:04d}{seq:04d}", data_json="{}"))  # fmt: skip
    return {"id": app.id, "number": number, "people": len(names), "institution": institution.name}


def cashier(email: str) -> dict[str, dict]:
    """外办 for 1 and 2 people, 直办 (the Ministry, no 外办代办费) for 1."""
    with unit_of_work() as uow:
        db = uow.db
        enterprise = db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        js = db.exec(select(Institution).where(Institution.code == "JS")).one()
        mfa = db.exec(select(Institution).where(Institution.code == "MFA")).one()
        return {
            "local_one": _awaiting_payment(db, enterprise, js, "local", "一人外办团", ("丙一",), uow.now()),
            "local_two": _awaiting_payment(db, enterprise, js, "local", "两人外办团", ("丁一", "丁二"), uow.now()),
            "direct_one": _awaiting_payment(db, enterprise, mfa, "direct", "一人直办团", ("戊一",), uow.now()),
        }


# 30 people: common names, a four-character one and a compound surname (a long name must still stay on one line).
CROWD = [
    ("张", "伟"), ("王", "芳"), ("李", "娜"), ("刘", "洋"), ("陈", "静"), ("杨", "磊"), ("赵", "敏"), ("黄", "强"),
    ("周", "杰"), ("吴", "霞"), ("徐", "涛"), ("孙", "丽"), ("马", "超"), ("朱", "婷"), ("胡", "斌"), ("郭", "燕"),
    ("何", "勇"), ("高", "洁"), ("林", "峰"), ("罗", "晶"), ("郑", "浩"), ("梁", "颖"), ("谢", "鹏"), ("宋", "倩"),
    ("唐", "军"), ("许", "琳"), ("韩", "冰"), ("冯", "宇"), ("欧阳", "明月"), ("司马", "相如"),
]  # fmt: skip


def _jpeg() -> bytes:
    image = Image.new("RGB", (300, 400), (235, 240, 250))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _document(db, app: Application, kind: str, name: str, uploaded_by: str) -> str:
    stored = storage.save_private(_jpeg())
    document = Document(enterprise_id=app.enterprise_id, application_id=app.id, kind=kind, storage_key=stored.key,
                        original_name=name, content_type="image/jpeg", size=stored.size, sha256=stored.sha256,
                        uploaded_by=uploaded_by)  # fmt: skip
    db.add(document)
    db.flush()
    return str(document.id)


def crowded(email: str) -> dict:
    """The 30-person application in economy review (see the module docstring). Person i's decisions: economies
    before 18 - (i % 4) decided, every seventh of them refused; the rest pending."""
    with unit_of_work() as uow:
        db, now, today = uow.db, uow.now(), uow.today()
        enterprise = db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        js = db.exec(select(Institution).where(Institution.code == "JS")).one()
        reviewer_id, reviewer_name = db.exec(
            select(StaffUser.id, StaffUser.name).where(StaffUser.username == "reviewer_js")
        ).one()
        # A second crowd of the same enterprise (`purged` after `crowded`) gets an agent of its own.
        others = len(db.exec(select(Agent.id).where(Agent.enterprise_id == enterprise.id)).all())
        handle = f"crowd{enterprise.id}" + (f"x{others}" if others else "")
        agent = Agent(enterprise_id=row_id(enterprise), name="钱经办", username=handle, password_hash="!",
                      mobile="13900000009", email=f"{handle}@example.com")  # fmt: skip
        db.add(agent)
        db.flush()
        by_agent, by_reviewer = f"agent:{agent.id}", f"staff:{reviewer_id}"
        submitted_at = now - timedelta(days=40)
        app = Application(
            number=filing._next_number(db, now), business_type=lifecycle.NEW_RENEW, enterprise_id=row_id(enterprise),
            creator_agent_id=agent.id, institution_id=js.id, channel="local", status=lifecycle.ECONOMY_REVIEW,
            group_name="三十人亚太商务考察团", submitted_at=submitted_at, review_started_at=submitted_at,
        )  # fmt: skip
        db.add(app)
        db.flush()
        materials = db.exec(
            select(Material).where(Material.business_type == lifecycle.NEW_RENEW, Material.channel != "direct")
        ).all()
        chosen = {}
        for m in materials:
            file_name = f"{m.name}.jpg"
            chosen[f"m{m.id}"] = _document(db, app, f"material:{m.id}", file_name, by_agent)
            chosen[f"m{m.id}_name"] = file_name
        people = []
        for i, (surname, given) in enumerate(CROWD):
            p = _person(surname, given, i % 2 == 0, date(1980 + i % 20, 1 + i % 12, 1 + i % 27), today)
            for kind in PERSON_DOCS:
                file_name = f"{surname}{given}-{kind}.jpg"
                p[f"{kind}_doc"] = _document(db, app, kind, file_name, by_agent)
                p[f"{kind}_name"] = file_name
            people.append(p)
        app.form_json = json.dumps(
            {
                "unit": filing.prefill(enterprise)["unit"],
                "group": {"group_name": app.group_name, "contact_name": "钱经办", "contact_phone": "13900000009",
                          "reason": "亚太地区商务考察"},
                "people": people,
                "materials": chosen,
                "delivery": {"method": "mail"},
                "step": 4,
            },
            ensure_ascii=False,
        )  # fmt: skip
        app.person_names = "、".join(p["surname"] + p["given_name"] for p in people)
        app.person_count = len(people)
        db.add(app)
        persons = []
        for seq, p in enumerate(people, start=1):
            person = Person(application_id=row_id(app), seq=seq, surname=p["surname"], given_name=p["given_name"],
                            pinyin=p["pinyin"], id_number=p["id_number"], sex=p["sex"],
                            birth_date=date.fromisoformat(p["birth_date"]), passport_number=p["passport_number"],
                            passport_expiry=date.fromisoformat(p["expiry_date"]),
                            data_json=json.dumps(p, ensure_ascii=False))  # fmt: skip
            db.add(person)
            persons.append(person)
        db.flush()
        history = [
            (lifecycle.DRAFT, lifecycle.FAO_REVIEW, by_agent, ""),
            (lifecycle.FAO_REVIEW, lifecycle.AWAITING_PAYMENT, by_reviewer, ""),
            (lifecycle.AWAITING_PAYMENT, lifecycle.PAYMENT_REVIEW, f"enterprise:{enterprise.id}", ""),
            (lifecycle.PAYMENT_REVIEW, lifecycle.ECONOMY_REVIEW, by_reviewer, ""),
        ]
        for step, (old, new, actor, reason) in enumerate(history):
            db.add(StatusEvent(application_id=row_id(app), from_status=old, to_status=new, actor=actor,
                               reason=reason, created_at=submitted_at + timedelta(days=2 * step)))  # fmt: skip
        voucher = _document(db, app, "payment_voucher", "支付凭证.jpg", f"enterprise:{enterprise.id}")
        lines = [{"label": "制卡费", "per_person_fen": 72_000, "people": 30},
                 {"label": "外办代办费", "per_person_fen": 5_000, "people": 30}]  # fmt: skip
        breakdown = json.dumps(lines, ensure_ascii=False)
        db.add(Payment(application_id=row_id(app), amount_fen=30 * 77_000, breakdown_json=breakdown,
                       voucher_document_id=int(voucher), submitted_by=f"enterprise:{enterprise.id}",
                       submitted_at=submitted_at + timedelta(days=4), status="confirmed"))  # fmt: skip
        codes = [e.code for e in decisions.deciding(db)]
        counts = []
        sent = submitted_at.date() + timedelta(days=6)
        for i, person in enumerate(persons):
            decided = codes[: len(codes) - i % 4]
            refused = 0
            for j, code in enumerate(decided):
                decision = "refused" if (i + j) % 7 == 0 else "approved"
                refused += decision == "refused"
                db.add(EconomyDecision(person_id=row_id(person), application_id=row_id(app), economy_code=code,
                                       decision=decision, decided_on=min(today, sent + timedelta(days=3 + j)),
                                       recorded_by=by_reviewer))  # fmt: skip
            counts.append([len(decided) - refused, refused, len(codes) - len(decided)])
        return {
            "id": app.id,
            "number": app.number,
            "names": [p["surname"] + p["given_name"] for p in people],
            "counts": counts,  # per person: approved, refused, pending
            "materials": [m.name for m in materials],
            "agent": agent.name,
            "reviewer": reviewer_name,
            "institution": js.name,
        }


def purged(email: str) -> dict:
    """`crowded`, moved 200 days back and ended (已邮寄) 190 days ago, then the retention run as the app does it."""
    seeded = crowded(email)
    with unit_of_work() as uow:
        db, now = uow.db, uow.now()
        app = db.get(Application, seeded["id"])
        assert app is not None  # just made
        for event in db.exec(select(StatusEvent).where(StatusEvent.application_id == app.id)).all():
            event.created_at -= timedelta(days=200)
            db.add(event)
        db.add(StatusEvent(application_id=app.id, from_status=app.status, to_status=lifecycle.MAILED,
                           actor="system", created_at=now - timedelta(days=190)))  # fmt: skip
        app.status = lifecycle.MAILED
        db.add(app)
    done = retention.purge_all(UnitOfWork(None))
    return seeded | {"purged": done.documents}


def virtual_card(holder_email: str) -> dict:
    from apec_app.domain import virtual_card as card_rules
    from apec_app.models import Card, StaffUser
    from apec_app.services.cards import virtual
    from apec_app.services.principal import STAFF, Principal
    from apec_app.services.review import actions

    with unit_of_work() as uow:
        numbers = demo_followups.seed(uow, "demo@example.com")
    with unit_of_work() as uow:
        db = uow.db
        admin = db.exec(select(StaffUser).where(StaffUser.username == "admin")).one()
        uow.principal = Principal(STAFF, row_id(admin), admin.name, role="admin")
        waiting = db.exec(select(Application).where(Application.number == numbers[0])).one()
        done = db.exec(select(Application).where(Application.number == numbers[1])).one()
        people = {p.surname + p.given_name: p for p in decisions.people(db, waiting)}
        zhang = people["张伟"]
        photo = _document(db, waiting, "photo", "photo.jpg", "演示数据")
        data = json.loads(zhang.data_json) | {"email": holder_email, "photo_doc": photo}
        zhang.data_json = json.dumps(data, ensure_ascii=False)
        db.add(zhang)
        codes = [e.code for e in decisions.deciding(db)]
        for person in people.values():
            have = set(db.exec(select(EconomyDecision.economy_code).where(EconomyDecision.person_id == person.id)))
            for code in codes:
                if code not in have:
                    verdict = "refused" if code == "AU" else "approved"
                    decisions.record_decision(uow, row_id(waiting), row_id(person), code, verdict, uow.today())
        db.refresh(waiting)
        actions.act(uow, row_id(waiting), "start_production", version=waiting.version)
        db.refresh(waiting)
        actions.act(uow, row_id(waiting), "mail", version=waiting.version, tracking_number="SF2026120201")
        wang = next(p for p in decisions.people(db, done) if p.surname + p.given_name == "王芳")
        card = db.exec(select(Card).where(Card.person_id == wang.id)).one()
        token = virtual.build(uow, card).token
        card.status = "cancelled"
        db.add(card)
        zhang_card = db.exec(select(Card).where(Card.person_id == zhang.id)).one()
        return {
            "valid_token": virtual.build(uow, zhang_card).token,
            "cancelled_token": token,
            "cancelled_card": card_rules.card_number(row_id(card)),
            "passport": zhang.passport_number,
            "pinyin": zhang.pinyin,
            "card_number": card_rules.card_number(row_id(zhang_card)),
            "waiting_number": numbers[0],
        }


def economy(email: str) -> dict:
    """Two people waiting for every economy (see the module docstring)."""
    import random
    import string

    tag = "".join(random.choice(string.ascii_uppercase) for _ in range(6))
    given = "".join(random.sample("安宁静远志明华国建文", 2)), "".join(random.sample("秀丽春燕雪梅兰芳玉洁", 2))
    with unit_of_work() as uow:
        db, now, today = uow.db, uow.now(), uow.today()
        enterprise = db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        js = db.exec(select(Institution).where(Institution.code == "JS")).one()
        app = Application(
            number=filing._next_number(db, now), business_type=lifecycle.NEW_RENEW, enterprise_id=row_id(enterprise),
            institution_id=js.id, channel="local", status=lifecycle.ECONOMY_REVIEW, group_name=f"预审测试团{tag}",
            submitted_at=now - timedelta(days=10), review_started_at=now - timedelta(days=10),
        )  # fmt: skip
        db.add(app)
        db.flush()
        people = []
        for seq, (surname, name, male) in enumerate((("欧阳", given[0], True), ("司马", given[1], False)), start=1):
            p = _person(surname, name, male, date(1980 + seq, seq, 10 + seq), today)
            p["pinyin"] = f"{'OUYANG' if seq == 1 else 'SIMA'} {tag}{'ABC'[seq]}"
            p["photo_doc"] = _document(db, app, "photo", f"{surname}{name}-photo.jpg", f"enterprise:{enterprise.id}")
            people.append(p)
            db.add(Person(application_id=row_id(app), seq=seq, surname=surname, given_name=name, pinyin=p["pinyin"],
                          id_number=p["id_number"], sex=p["sex"], birth_date=date.fromisoformat(p["birth_date"]),
                          passport_number=p["passport_number"], passport_expiry=date.fromisoformat(p["expiry_date"]),
                          data_json=json.dumps(p, ensure_ascii=False)))  # fmt: skip
        app.form_json = json.dumps({"unit": filing.prefill(enterprise)["unit"], "people": people}, ensure_ascii=False)
        app.person_names = "、".join(p["surname"] + p["given_name"] for p in people)
        app.person_count = len(people)
        db.add(app)
        since = now - timedelta(days=10)
        db.add(StatusEvent(application_id=row_id(app), from_status=lifecycle.PAYMENT_REVIEW,
                           to_status=lifecycle.ECONOMY_REVIEW, actor="system", created_at=since))  # fmt: skip
        return {
            "id": app.id,
            "number": app.number,
            "tag": tag,
            "names": [p["surname"] + p["given_name"] for p in people],
            "latin": [p["pinyin"] for p in people],
            "passports": [p["passport_number"] for p in people],
            "id_numbers": [p["id_number"] for p in people],
        }


def idle(username: str) -> dict:
    """The staff member's live sessions last seen 29 minutes ago (one minute before the idle expiry)."""
    from apec_app.models import UserSession

    with unit_of_work() as uow:
        staff_id = uow.db.exec(select(StaffUser.id).where(StaffUser.username == username)).one()
        rows = uow.db.exec(
            select(UserSession).where(
                UserSession.principal_id == staff_id,
                UserSession.principal_kind.in_(("staff", "economy")),  # type: ignore[attr-defined]
                UserSession.revoked_at == None,  # noqa: E711
            )
        ).all()
        for row in rows:
            row.last_seen_at = uow.now() - timedelta(minutes=29)
            uow.db.add(row)
        return {"sessions": len(rows)}


def run_seed(data_dir: str, command: str, email: str):
    """From a test: run a command of this module against the instance's data directory; its JSON answer."""
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-m", "tests.e2e.seed", command, email], cwd=root,
                         env={**os.environ, "APEC_DATA_DIR": data_dir}, check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


TYPED_PASSPORT = "E99887766"  # what the form says; the page's MRZ holds the generated holder's number


FACE = Path(__file__).resolve().parents[1] / "data" / "faces" / "portrait.jpg"


def _stored(db, app: Application, kind: str, data: bytes, uploaded_by: str, name: str = "") -> str:
    stored = storage.save_private(data)
    document = Document(enterprise_id=app.enterprise_id, application_id=app.id, kind=kind, storage_key=stored.key,
                        original_name=name or f"{kind}.jpg", content_type="image/jpeg", size=stored.size,
                        sha256=stored.sha256, uploaded_by=uploaded_by)  # fmt: skip
    db.add(document)
    db.flush()
    return str(document.id)


def prechecked(email: str) -> dict:
    from tests.ocr_samples import make_passport_image

    page, holder = make_passport_image(7)
    signature = io.BytesIO()
    Image.new("RGB", (300, 100), "white").save(signature, "JPEG")
    with unit_of_work() as uow:
        db, now, today = uow.db, uow.now(), uow.today()
        enterprise = db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        js = db.exec(select(Institution).where(Institution.code == "JS")).one()
        by = f"enterprise:{enterprise.id}"
        app = Application(number=filing._next_number(db, now), business_type=lifecycle.NEW_RENEW,
                          enterprise_id=row_id(enterprise), institution_id=js.id, channel="local",
                          status=lifecycle.FAO_REVIEW, group_name="预审示例团", submitted_at=now)  # fmt: skip
        db.add(app)
        db.flush()
        birth = date.fromisoformat(holder["birth_date"])
        p = _person("周", "立明", holder["sex"] == "M", birth, today) | {
            "pinyin": f"{holder['surname']} {holder['given_names']}",
            "passport_number": TYPED_PASSPORT,
            "expiry_date": holder["expiry_date"],
            "issue_date": holder["issue_date"],
        }
        p["passport_page_doc"] = _stored(db, app, "passport_page", page, by)
        p["photo_doc"] = _stored(db, app, "photo", FACE.read_bytes(), by)
        p["signature_doc"] = _stored(db, app, "signature", signature.getvalue(), by)
        app.form_json = json.dumps({"unit": filing.prefill(enterprise)["unit"], "people": [p],
                                    "group": {"group_name": app.group_name}, "delivery": {"method": "mail"}},
                                   ensure_ascii=False)  # fmt: skip
        app.person_names, app.person_count = "周立明", 1
        db.add(Person(application_id=row_id(app), seq=1, surname="周", given_name="立明", pinyin=p["pinyin"],
                      id_number=p["id_number"], sex=p["sex"], birth_date=birth, passport_number=TYPED_PASSPORT,
                      passport_expiry=date.fromisoformat(holder["expiry_date"]),
                      data_json=json.dumps(p, ensure_ascii=False)))  # fmt: skip
        db.add(StatusEvent(application_id=row_id(app), from_status=lifecycle.DRAFT, to_status=lifecycle.FAO_REVIEW,
                           actor=by, created_at=now))  # fmt: skip
        prechecks.request(uow, row_id(app))
        return {"id": app.id, "number": app.number, "typed": TYPED_PASSPORT, "mrz": holder["number"]}


def drafts(email: str) -> dict:
    """Two drafts at 团组信息, one of 30 people (all fields filled, no uploads) and one of a single person."""
    made = {}
    for size in (30, 1):
        with unit_of_work() as uow:
            enterprise = uow.db.exec(select(Enterprise).where(Enterprise.email == email)).one()
            uow.principal = Principal(ENTERPRISE, row_id(enterprise), enterprise.name, row_id(enterprise))
            app = filing.start(uow, filing.local_institutions(uow.db)[0].id)
            people = [
                _person(surname, given, i % 2 == 0, date(1980 + i % 20, 1 + i % 12, 1 + i % 27), uow.today())
                for i, (surname, given) in enumerate(CROWD[:size])
            ]
            filing.save_draft(uow, row_id(app), {**filing.prefill(enterprise), "people": people, "step": 2})
            made[str(size)] = app.id
    return made


COMPLETE_UNIT = {
    "staff_count": "120",
    "founded": "2010-03-13",
    "capital": "1223",
    "assets": "5600",
    "revenue": "3400",
    "tax": "450",
    "debt_ratio": "20",
    "trade": "22222",
    "scope": "通讯设备的研发、生产与销售",
    "apec_relations": "与新加坡、日本、澳大利亚等经济体有长期贸易往来",
}
COMPLETE_GROUP = {"contact_name": "赵六", "contact_phone": "15412341234", "reason": "赴亚太经济体商务洽谈与参展"}
# Per person: what the form asks beyond the passport page (曾用名, 家庭住址, 参保地, 职务, 是否…, 居留国家或地区).
COMPLETE_PEOPLE = (
    {"former_name": "周小明", "home_address": "南京市鼓楼区北京西路8号", "insured_place": "江苏省",
     "position": "总经理", "apec_visa": "是", "residence": "中国", "old_card": "否", "months_employed": "96"},
    {"former_name": "", "home_address": "苏州市工业园区星湖街328号", "insured_place": "上海市",
     "position": "销售总监", "apec_visa": "否", "residence": "新加坡", "old_card": "是", "months_employed": "48"},
    {"former_name": "", "home_address": "无锡市滨湖区太湖大道1号", "insured_place": "浙江省",
     "position": "技术经理", "apec_visa": "是", "residence": "美国", "old_card": "否", "months_employed": "30"},
)  # fmt: skip


def _proof(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def complete(email: str) -> dict:
    """Three people, every field filled (see the module docstring)."""
    from tests.ocr_samples import make_passport_image

    with unit_of_work() as uow:
        db, now, today = uow.db, uow.now(), uow.today()
        enterprise = db.exec(select(Enterprise).where(Enterprise.email == email)).one()
        js = db.exec(select(Institution).where(Institution.code == "JS")).one()
        by = f"enterprise:{enterprise.id}"
        group_name = f"亚太商务洽谈团{now:%H%M%S}"
        app = Application(number=filing._next_number(db, now), business_type=lifecycle.NEW_RENEW,
                          enterprise_id=row_id(enterprise), institution_id=js.id, channel="local",
                          status=lifecycle.FAO_REVIEW, group_name=group_name, submitted_at=now)  # fmt: skip
        db.add(app)
        db.flush()
        address = Address(enterprise_id=row_id(enterprise), recipient="赵六", phone="15412341234",
                          province="江苏省", city="南京市", district="玄武区", detail="中山路1号")  # fmt: skip
        db.add(address)
        db.flush()
        materials = db.exec(
            select(Material).where(Material.business_type == lifecycle.NEW_RENEW, Material.channel != "direct")
        ).all()
        chosen = {}
        for m in materials:
            chosen[f"m{m.id}_name"] = f"{m.name}.jpg"
            chosen[f"m{m.id}"] = _stored(db, app, f"material:{m.id}", _proof((1000, 700), (245, 240, 230)), by,
                                         chosen[f"m{m.id}_name"])  # fmt: skip
        people = []
        for seq, extra in enumerate(COMPLETE_PEOPLE, start=1):
            page, holder = make_passport_image(random.randrange(1_000, 1_000_000))  # new holders on every run
            birth = date.fromisoformat(holder["birth_date"])
            p = _person(holder["surname_cn"], holder["given_names_cn"], holder["sex"] == "M", birth, today) | {
                "pinyin": f"{holder['surname']} {holder['given_names']}",
                "passport_number": holder["number"],
                "expiry_date": holder["expiry_date"],
                "issue_date": holder["issue_date"],
                "issue_place": holder["issue_place"],
                "issuing_authority": holder["issuing_authority"],
                "mobile": f"1391234567{seq}",
                "email": f"person{seq}@example.com",
            } | extra
            files = {
                "passport_page": page,
                "photo": FACE.read_bytes(),
                "signature": _proof((300, 100), (255, 255, 255)),
                "social_security": _proof((800, 1000), (230, 240, 250)),
                "no_criminal_record": _proof((800, 1000), (250, 240, 230)),
            }
            for kind in PERSON_DOCS:
                p[f"{kind}_name"] = f"{p['surname']}{p['given_name']}-{kind}.jpg"
                p[f"{kind}_doc"] = _stored(db, app, kind, files[kind], by, p[f"{kind}_name"])
            people.append(p)
        form = {
            "unit": filing.prefill(enterprise)["unit"] | COMPLETE_UNIT,
            "group": {"group_name": group_name} | COMPLETE_GROUP,
            "people": people,
            "materials": chosen,
            "delivery": {"method": "mail", "address_id": str(address.id)},
            "step": 4,
        }
        app.form_json = json.dumps(form, ensure_ascii=False)
        app.person_names = "、".join(p["surname"] + p["given_name"] for p in people)
        app.person_count = len(people)
        db.add(app)
        for seq, p in enumerate(people, start=1):
            db.add(Person(application_id=row_id(app), seq=seq, surname=p["surname"], given_name=p["given_name"],
                          pinyin=p["pinyin"], id_number=p["id_number"], sex=p["sex"],
                          birth_date=date.fromisoformat(p["birth_date"]), passport_number=p["passport_number"],
                          passport_expiry=date.fromisoformat(p["expiry_date"]),
                          data_json=json.dumps(p, ensure_ascii=False)))  # fmt: skip
        db.add(StatusEvent(application_id=row_id(app), from_status=lifecycle.DRAFT, to_status=lifecycle.FAO_REVIEW,
                           actor=by, created_at=now))  # fmt: skip
        prechecks.request(uow, row_id(app))
        return {"id": app.id, "number": app.number, "unit": form["unit"], "group": form["group"],
                "names": [p["surname"] + p["given_name"] for p in people], "people": people}  # fmt: skip


if __name__ == "__main__":
    bootstrap.wire()
    commands = {
        "payable": payable,
        "cashier": cashier,
        "crowded": crowded,
        "purged": purged,
        "virtual_card": virtual_card,
        "economy": economy,
        "idle": idle,
        "prechecked": prechecked,
        "drafts": drafts,
        "complete": complete,
    }
    command = commands[sys.argv[1]]
    print(json.dumps(command(sys.argv[2]), ensure_ascii=False))
