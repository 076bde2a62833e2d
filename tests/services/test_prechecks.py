"""The automatic pre-checks on real data: the passport page's MRZ read again by the OCR pipeline (tesseract), the
photo's faces found by the cascade shipped in scikit-image, other applications and cards of the same numbers
in the database, the run asked for at 【提交】 and stored by the job, the checklist on the reviewer's page and
the queue's flag."""

from __future__ import annotations

import io
import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlmodel import select

from apec_app.domain import lifecycle
from apec_app.domain import prechecks as rules
from apec_app.domain.clock import FixedClock
from apec_app.integrations import faces, storage
from apec_app.models import Application, Card, Document, Person, PrecheckResult, PrecheckRun
from apec_app.services.applications import filing
from apec_app.services.errors import NotFound
from apec_app.services.review import actions, prechecks, queue, views
from tests.factories import (
    TODAY,
    filled,
    make_enterprise,
    new_id_number,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)
from tests.ocr_samples import make_passport_image

PORTRAIT = Path(__file__).resolve().parents[1] / "data" / "faces" / "portrait.jpg"
CLOCK = FixedClock.on(TODAY)
# A generated data page (tests/ocr_samples.py) whose holder suits a valid form on TODAY: an adult, the
# passport valid until 2030-09-07.
PAGE_SEED = 7


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def portrait() -> Image.Image:
    return Image.open(PORTRAIT).convert("RGB")


def two_faces() -> Image.Image:
    face = portrait().resize((240, 320))
    both = Image.new("RGB", (560, 400), (228, 232, 240))
    both.paste(face, (20, 40))
    both.paste(face.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (300, 40))
    return both


def small_face() -> Image.Image:
    page = Image.new("RGB", (450, 600), (225, 230, 240))
    page.paste(portrait().resize((75, 100)), (190, 200))
    return page


def face_covered() -> Image.Image:
    covered = portrait()
    ImageDraw.Draw(covered).rectangle((40, 60, 260, 280), fill=(225, 228, 235))
    return covered


def signature() -> bytes:
    image = Image.new("RGB", (300, 100), "white")
    ImageDraw.Draw(image).line([(20, 70), (90, 30), (150, 75), (270, 25)], fill="black", width=4)
    return jpeg(image)


# --- the photo: the real detector on a real face ----------------------------------------------------------


def photo_check(image: Image.Image) -> rules.Check:
    data = jpeg(image)
    scan = faces.find_faces(data)
    assert scan is not None
    return rules.check_photo((scan.width, scan.height), scan.faces)


def test_a_portrait_with_one_centred_face_passes():
    check = photo_check(portrait())
    assert check.status == rules.PASS, check.reason
    assert "检测到一张居中的人脸" in check.reason


def test_a_photo_whose_face_is_covered_fails_as_no_face():
    check = photo_check(face_covered())
    assert (check.status, check.reason) == (rules.FAIL, "照片中未检测到人脸")


def test_a_photo_with_two_faces_fails():
    check = photo_check(two_faces())
    assert (check.status, check.reason) == (rules.FAIL, "照片中检测到2张人脸，应只有申请人本人")


def test_a_photo_with_a_small_face_fails_as_too_small():
    check = photo_check(small_face())
    assert check.status == rules.FAIL
    assert check.reason.startswith("人脸过小")


def test_a_photo_too_large_fails_on_its_dimensions_before_any_face_is_looked_for():
    check = photo_check(portrait().resize((660, 880)))
    assert check == rules.Check(rules.PHOTO, rules.FAIL, "照片尺寸为 660×880 像素，应在 50×50 至 600×800 像素之间")


def test_bytes_that_are_no_image_are_no_scan():
    assert faces.find_faces(b"not an image") is None
    assert faces.image_size(b"not an image") is None


# --- the whole run: submitted, computed by the job, stored, shown -------------------------------------------


def stored(data: bytes, db, application: Application, kind: str) -> str:
    file = storage.save_private(data)
    document = Document(enterprise_id=application.enterprise_id, application_id=application.id, kind=kind,
                        storage_key=file.key, original_name=f"{kind}.jpg", content_type="image/jpeg",
                        size=file.size, sha256=file.sha256, uploaded_by="test")  # fmt: skip
    db.add(document)
    db.flush()
    return str(document.id)


def holder_person(db, application: Application, person: dict, *, passport_number: str | None = None) -> dict:
    """The form's person as the generated page's holder, with the page, the portrait and a signature stored;
    `passport_number` types another number than the page holds."""
    page, holder = make_passport_image(PAGE_SEED)
    birth = date.fromisoformat(holder["birth_date"])
    male = holder["sex"] == "M"
    person = person | {
        "pinyin": f"{holder['surname']} {holder['given_names']}",
        "sex": "男" if male else "女",
        "birth_date": holder["birth_date"],
        "id_number": new_id_number(birth, male),
        "passport_number": passport_number or holder["number"],
        "expiry_date": holder["expiry_date"],
        "issue_date": holder["issue_date"],
    }
    person["passport_page_doc"] = stored(page, db, application, "passport_page")
    person["photo_doc"] = stored(jpeg(portrait()), db, application, "photo")
    person["signature_doc"] = stored(signature(), db, application, "signature")
    return person


def submitted(db, me, application: Application, change) -> Application:
    uow = uow_for(db, me, today=TODAY)
    _, form = filing.load_form(uow, application.id)
    form["people"] = [change(i, p) for i, p in enumerate(form["people"])]
    filing.save_draft(uow, application.id, form)
    filing.submit(uow, application.id)
    uow.complete()
    db.commit()
    return application


@pytest.fixture()
def case(db, engine):
    _, js = setup_institutions(db)
    ent = make_enterprise(db)
    me = principal_for_enterprise(db, ent)
    return {"db": db, "engine": engine, "js": js, "ent": ent, "me": me,
            "reviewer": staff_principal(db, "rev_js", "reviewer", "JS")}  # fmt: skip


def checks_of(db, application_id: int) -> dict[int, dict[str, rules.Check]]:
    db.expire_all()
    found = prechecks.checklist(db, application_id)
    assert found.state == prechecks.DONE
    return {seq: {c.item: c for c in checks} for seq, checks in found.people.items()}


def test_a_passport_page_whose_mrz_disagrees_with_the_form_fails_naming_the_field_and_both_values(case):
    db, me = case["db"], case["me"]
    application = filled(db, me, case["js"].id, people=2)
    _, holder = make_passport_image(PAGE_SEED)
    typed = "E99887766"
    submitted(db, me, application,
              lambda i, p: holder_person(db, application, p, passport_number=typed if i == 0 else None))  # fmt: skip
    run = db.get(PrecheckRun, application.id)
    assert run is not None and run.done_at is None  # asked for by 【提交】, not computed in it

    assert prechecks.run_due(case["engine"], CLOCK) == 1
    checks = checks_of(db, application.id)
    assert checks[1][rules.MRZ] == rules.Check(
        rules.MRZ, rules.FAIL, f"护照号码不一致：填写为 {typed}，机读区为 {holder['number']}"
    )
    # The second person typed what the page holds: every field agrees.
    assert checks[2][rules.MRZ].status == rules.PASS
    assert checks[2][rules.ID_NUMBER].status == rules.PASS
    assert checks[2][rules.PHOTO].status == rules.PASS
    assert checks[2][rules.SIGNATURE] == rules.Check(rules.SIGNATURE, rules.PASS, "签名 300×100 像素，尺寸符合要求")
    # Expires 2030-09-07, before a card made on 2026-11-26 would (2031-11-25).
    assert checks[2][rules.PASSPORT_VALIDITY].status == rules.WARN
    assert list(checks[1]) == [item for item in rules.ITEMS if item in checks[1]]

    # The reviewer's page shows it; the queue flags the application.
    reviewer = uow_for(db, case["reviewer"], today=TODAY)
    view = views.application_view(reviewer, application.id)
    assert view.prechecks.people[1][0].reason.startswith("护照号码不一致")
    rows = views.queue_page(reviewer).rows
    assert [r.precheck_failed for r in rows if r.id == application.id] == [True]


def test_results_are_stored_encrypted_since_reasons_name_personal_numbers(case):
    db, me = case["db"], case["me"]
    application = filled(db, me, case["js"].id)
    submitted(db, me, application, lambda i, p: holder_person(db, application, p, passport_number="E99887766"))
    prechecks.run_due(case["engine"], CLOCK)
    with case["engine"].connect() as connection:
        raw = [r[0] for r in connection.exec_driver_sql("SELECT reason FROM precheck_result").fetchall()]
    assert raw and not any("E99887766" in r for r in raw)


def test_a_resubmission_after_return_asks_again_and_the_checks_follow_the_new_data(case):
    db, me = case["db"], case["me"]
    application = filled(db, me, case["js"].id)
    submitted(db, me, application, lambda i, p: holder_person(db, application, p, passport_number="E99887766"))
    prechecks.run_due(case["engine"], CLOCK)
    assert checks_of(db, application.id)[1][rules.MRZ].status == rules.FAIL

    reviewer = uow_for(db, case["reviewer"], today=TODAY)
    db.expire_all()
    current = db.get(Application, application.id).version
    actions.act(reviewer, application.id, "return", version=current, reason="护照号码有误")
    reviewer.complete()
    db.commit()
    _, holder = make_passport_image(PAGE_SEED)
    submitted(db, me, application, lambda i, p: p | {"passport_number": holder["number"]})
    db.expire_all()
    assert prechecks.checklist(db, application.id).state == prechecks.PENDING  # the old list is not shown
    prechecks.run_due(case["engine"], CLOCK)
    assert checks_of(db, application.id)[1][rules.MRZ].status == rules.PASS
    assert len(db.exec(select(PrecheckResult).where(PrecheckResult.application_id == application.id)).all()) == 8


def test_a_run_overtaken_by_a_resubmission_is_not_stored(case):
    db, me = case["db"], case["me"]
    application = filled(db, me, case["js"].id)
    submitted(db, me, application, lambda i, p: p)
    inputs = prechecks._claim(case["engine"], CLOCK)
    assert inputs is not None and prechecks._claim(case["engine"], CLOCK) is None  # claimed: no second taker
    found = prechecks.compute(inputs)
    with _fresh(case["engine"]) as uow:
        prechecks.request(uow, application.id)  # the applicant submitted again meanwhile
    assert prechecks._store(case["engine"], CLOCK, inputs, found, 0.1) is False
    db.expire_all()
    assert prechecks.checklist(db, application.id).state == prechecks.PENDING


def _fresh(engine):
    from apec_app.services.unit_of_work import unit_of_work

    return unit_of_work(clock=FixedClock(CLOCK.at + timedelta(seconds=1)), engine=engine)


# --- the same numbers elsewhere, and earlier cards ------------------------------------------------------------


NUMBERS = itertools.count(900_001)


def other_application(db, enterprise_id: int, institution_id: int, status: str, **person) -> Application:
    """An application of any enterprise holding one person, written as submitted."""
    app = Application(number=f"APEC20261101{next(NUMBERS):06d}",
                      business_type=lifecycle.NEW_RENEW, enterprise_id=enterprise_id, institution_id=institution_id,
                      channel="local", status=status, submitted_at=CLOCK.now())  # fmt: skip
    db.add(app)
    db.flush()
    values = {"surname": "王", "given_name": "五", "pinyin": "WANG WU", "sex": "男", "id_number": "",
              "passport_number": "E00000001"} | person  # fmt: skip
    db.add(Person(application_id=app.id, seq=1, data_json="{}", **values))
    db.flush()
    return app


def test_the_same_passport_or_id_number_in_another_enterprises_open_application_fails(case):
    db, me = case["db"], case["me"]
    application = filled(db, me, case["js"].id, people=2)
    _, form = filing.load_form(uow_for(db, me, today=TODAY), application.id)
    first, second = form["people"]
    other_ent = make_enterprise(db)
    by_passport = other_application(db, other_ent.id, case["js"].id, lifecycle.ECONOMY_REVIEW,
                                    passport_number=first["passport_number"])  # fmt: skip
    by_id = other_application(db, other_ent.id, case["js"].id, lifecycle.AWAITING_PAYMENT,
                              id_number=second["id_number"], passport_number="E00000002")  # fmt: skip
    other_application(db, other_ent.id, case["js"].id, lifecycle.MAILED, passport_number=second["passport_number"])
    db.commit()
    # 【提交】 itself refuses a 身份证号 in another open 新办/续办: the second one was typed before that one opened.
    uow = uow_for(db, me, today=TODAY)
    application = filing.owned(uow, application.id)
    filing.record_submission(uow, application, form["people"], "团")
    uow.complete()
    db.commit()
    prechecks.run_due(case["engine"], CLOCK)
    checks = checks_of(db, application.id)
    assert checks[1][rules.DUPLICATES] == rules.Check(
        rules.DUPLICATES, rules.FAIL, f"护照号码与其他企业的在办申请单 {by_passport.number} 相同"
    )
    # A closed application (已邮寄) holding the second person's passport is no duplicate.
    assert checks[2][rules.DUPLICATES] == rules.Check(
        rules.DUPLICATES, rules.FAIL, f"身份证号与其他企业的在办申请单 {by_id.number} 相同"
    )


def test_earlier_cards_of_the_same_id_number_are_listed_cancelled_or_still_valid(case):
    db, me = case["db"], case["me"]
    application = filled(db, me, case["js"].id, people=2)
    _, form = filing.load_form(uow_for(db, me, today=TODAY), application.id)
    first, second = form["people"]
    for person, status, valid_until in ((first, "cancelled", date(2029, 1, 1)), (second, "mailed", date(2028, 6, 30))):
        old = other_application(db, me.enterprise_id, case["js"].id, lifecycle.MAILED, id_number=person["id_number"])
        old_person = db.exec(select(Person).where(Person.application_id == old.id)).one()
        db.add(Card(person_id=old_person.id, application_id=old.id, approved_economies="AU", valid_until=valid_until,
                    status=status))  # fmt: skip
    db.commit()
    submitted(db, me, application, lambda i, p: p)
    prechecks.run_due(case["engine"], CLOCK)
    checks = checks_of(db, application.id)
    assert checks[1][rules.EARLIER_CARDS].status == rules.PASS
    assert "已注销（有效期至 2029-01-01）" in checks[1][rules.EARLIER_CARDS].reason
    assert checks[2][rules.EARLIER_CARDS].status == rules.WARN
    assert "有效期至 2028-06-30" in checks[2][rules.EARLIER_CARDS].reason


def test_the_institutions_rules_the_application_misses_are_in_the_list(case):
    db, me, js = case["db"], case["me"], case["js"]
    js.eligibility_json = json.dumps({"min_staff": "500", "min_months_employed": "48"})
    db.add(js)
    db.commit()
    application = filled(db, me, js.id, people=2)
    submitted(db, me, application, lambda i, p: p | {"months_employed": "60" if i else "36"})
    prechecks.run_due(case["engine"], CLOCK)
    checks = checks_of(db, application.id)
    first, second = checks[1][rules.ELIGIBILITY], checks[2][rules.ELIGIBILITY]
    assert first.status == second.status == rules.FAIL
    assert "员工人数不少于500人" in first.reason and "员工人数不少于500人" in second.reason
    assert "连续工作不少于48个月" in first.reason  # 36 months: the first person's own miss
    assert "连续工作" not in second.reason


def test_without_a_run_the_page_says_the_application_predates_the_checks(case):
    db = case["db"]
    assert prechecks.checklist(db, 12345).state == prechecks.NONE
    assert prechecks.failing(db, [12345]) == set()


def test_open_applications_submitted_before_the_checks_can_be_asked_for_once(case):
    db, me = case["db"], case["me"]
    application = filled(db, me, case["js"].id)
    submitted(db, me, application, lambda i, p: p)
    db.delete(db.get(PrecheckRun, application.id))  # as if submitted before this release
    db.commit()
    with _fresh(case["engine"]) as uow:
        assert prechecks.request_missing(uow) == 1
    with _fresh(case["engine"]) as uow:
        assert prechecks.request_missing(uow) == 0
    assert prechecks.run_due(case["engine"], CLOCK) == 1
    assert checks_of(db, application.id)[1]


# --- 【下一个】 -------------------------------------------------------------------------------------------------


def test_next_in_queue_follows_the_queue_order_and_wraps_within_the_callers_institution(case):
    db, me = case["db"], case["me"]
    apps = []
    for minutes in (0, 1, 2):  # submitted one after the other: the queue lists the newest first
        application = filled(db, me, case["js"].id)
        uow = uow_for(db, me, at=CLOCK.now() + timedelta(minutes=minutes))
        filing.submit(uow, application.id)
        uow.complete()
        db.commit()
        apps.append(application.id)
    oldest, middle, newest = apps
    reviewer = uow_for(db, case["reviewer"], today=TODAY)
    status = lifecycle.FAO_REVIEW
    assert [views.queue_page(reviewer, status=status).rows[i].id for i in range(3)] == [newest, middle, oldest]
    assert queue.next_in_queue(reviewer, status, newest) == middle
    assert queue.next_in_queue(reviewer, status, middle) == oldest
    assert queue.next_in_queue(reviewer, status, oldest) == newest  # the last one: back to the first
    assert queue.next_in_queue(reviewer, lifecycle.AWAITING_PAYMENT, newest) is None
    outsider = uow_for(db, staff_principal(db, "rev_mfa", "reviewer", "MFA"), today=TODAY)
    with pytest.raises(NotFound):
        queue.next_in_queue(outsider, status, newest)  # another institution's application
