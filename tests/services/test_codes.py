from datetime import timedelta

import pytest
from sqlmodel import select

from apec_app.models import OutboxEmail, VerificationCode
from apec_app.models.base import utcnow
from apec_app.services.accounts import codes
from apec_app.services.errors import InvalidInput
from tests.factories import act


def sent_code(db, email="a@example.com"):
    body = (
        db.exec(select(OutboxEmail).where(OutboxEmail.to_address == email).order_by(OutboxEmail.id.desc())).first().body
    )
    code = body.split("验证码是 ")[1][:6]
    assert code.isdigit() and len(code) == 6
    return code


def test_code_is_emailed_and_stored_only_as_a_hash(db):
    act(codes.send_code, db, "register", "A@example.com")
    code = sent_code(db)
    row = db.exec(select(VerificationCode)).one()
    assert row.email == "a@example.com" and code not in row.code_hash and len(row.code_hash) == 64
    act(codes.verify_code, db, "register", "a@example.com", code)


def test_code_is_single_use(db):
    act(codes.send_code, db, "register", "a@example.com")
    code = sent_code(db)
    act(codes.verify_code, db, "register", "a@example.com", code)
    with pytest.raises(InvalidInput) as exc:
        act(codes.verify_code, db, "register", "a@example.com", code)
    assert exc.value.code == "code_invalid"


def test_code_expires_after_ten_minutes(db):
    now = utcnow()
    act(codes.send_code, db, "register", "a@example.com", at=now)
    code = sent_code(db)
    with pytest.raises(InvalidInput) as exc:
        act(codes.verify_code, db, "register", "a@example.com", code, at=now + timedelta(minutes=10, seconds=1))
    assert exc.value.code == "code_expired"


def test_resend_needs_sixty_seconds(db):
    now = utcnow()
    act(codes.send_code, db, "register", "a@example.com", at=now)
    with pytest.raises(InvalidInput) as exc:
        act(codes.send_code, db, "register", "a@example.com", at=now + timedelta(seconds=30))
    assert exc.value.code == "code_resend_wait" and exc.value.params["seconds"] == 30
    act(codes.send_code, db, "register", "a@example.com", at=now + timedelta(seconds=61))


def test_a_new_code_replaces_the_old_one(db):
    now = utcnow()
    act(codes.send_code, db, "register", "a@example.com", at=now)
    first = sent_code(db)
    act(codes.send_code, db, "register", "a@example.com", at=now + timedelta(seconds=61))
    second = sent_code(db)
    if first != second:
        with pytest.raises(InvalidInput):
            act(codes.verify_code, db, "register", "a@example.com", first, at=now + timedelta(seconds=62))
    act(codes.verify_code, db, "register", "a@example.com", second, at=now + timedelta(seconds=62))


def test_five_wrong_tries_invalidate_the_code_even_after_a_rollback(db):
    act(codes.send_code, db, "register", "a@example.com")
    db.commit()
    code = sent_code(db)
    wrong = "000000" if code != "000000" else "111111"
    for i in range(5):
        with pytest.raises(InvalidInput) as exc:
            act(codes.verify_code, db, "register", "a@example.com", wrong)
        db.rollback()  # the caller's transaction fails; the counted try must survive
        assert exc.value.code == ("code_too_many" if i == 4 else "code_wrong")
    with pytest.raises(InvalidInput) as exc:
        act(codes.verify_code, db, "register", "a@example.com", code)
    assert exc.value.code == "code_invalid"


def test_codes_are_bound_to_their_purpose(db):
    act(codes.send_code, db, "register", "a@example.com")
    code = sent_code(db)
    with pytest.raises(InvalidInput):
        act(codes.verify_code, db, "reset_password", "a@example.com", code)
