from datetime import timedelta

import pytest

from apec_app.models.base import utcnow
from apec_app.services import elicense
from apec_app.services.errors import InvalidInput, NotFound
from tests.factories import new_uscc


def test_nonce_is_authorised_once_and_consumed_once(db):
    nonce = elicense.start(db, "register")
    assert elicense.status(db, nonce).state == "pending"
    number = new_uscc()
    assert elicense.authorize(db, nonce, "甲公司", number.lower(), "张三") == "register"
    status = elicense.status(db, nonce)
    assert status.state == "authorized" and status.identity == elicense.Identity("甲公司", number, "张三")
    with pytest.raises(InvalidInput) as exc:
        elicense.authorize(db, nonce, "乙公司", new_uscc(), "李四")
    assert exc.value.code == "qr_used"
    assert elicense.consume(db, nonce, "register").uscc == number
    with pytest.raises(InvalidInput) as exc:
        elicense.consume(db, nonce, "register")
    assert exc.value.code == "qr_used"


def test_nonce_expires_after_five_minutes(db):
    now = utcnow()
    nonce = elicense.start(db, "login", now=now)
    with pytest.raises(InvalidInput) as exc:
        elicense.authorize(db, nonce, "甲公司", new_uscc(), "张三", now=now + timedelta(minutes=5, seconds=1))
    assert exc.value.code == "qr_expired"
    assert elicense.status(db, nonce, now=now + timedelta(minutes=6)).state == "expired"


def test_invalid_credit_code_is_refused_and_nothing_changes(db):
    nonce = elicense.start(db, "register")
    with pytest.raises(InvalidInput) as exc:
        elicense.authorize(db, nonce, "甲公司", "91370104MA3N1HWCFM", "张三")
    assert exc.value.errors == {"uscc": "uscc_checksum"}
    assert elicense.status(db, nonce).state == "pending"


def test_nonce_of_one_purpose_cannot_be_used_for_another(db):
    nonce = elicense.start(db, "register")
    elicense.authorize(db, nonce, "甲公司", new_uscc(), "张三")
    with pytest.raises(InvalidInput):
        elicense.consume(db, nonce, "login")


def test_unknown_nonce(db):
    assert elicense.status(db, "nope").state == "unknown"
    with pytest.raises(NotFound):
        elicense.authorize(db, "nope", "甲公司", new_uscc(), "张三")


def test_authorization_url_carries_the_nonce():
    assert elicense.authorization_url("abc").endswith("/elicense/authorize?nonce=abc")
