"""Rate limits per client address and per target address (password spraying, mail bombing, enumeration), and the
one-time hand-off of a session to the HttpOnly cookie."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from apec_app.models import OutboxEmail, RateEvent, SecurityEvent
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth, codes
from apec_app.services.accounts import enterprise_accounts as accounts
from apec_app.services.accounts.throttle import CODES_PER_IP, RECOVERY_PER_IP
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.unit_of_work import unit_of_work
from tests.factories import PASSWORD, act, make_enterprise, new_uscc

IP = "203.0.113.7"


def send(db, purpose: str, email: str, *, at, ip: str = IP) -> None:
    act(codes.send_code, db, purpose, email, at=at, client_ip=ip)


def mails_to(db, email: str) -> int:
    return len(db.exec(select(OutboxEmail).where(OutboxEmail.to_address == email)).all())


def test_one_address_gets_no_second_code_within_a_minute_through_another_purpose(db):
    now = utcnow()
    send(db, "register", "victim@example.com", at=now)
    with pytest.raises(ServiceError) as exc:
        send(db, "change_email", "victim@example.com", at=now + timedelta(seconds=20), ip="198.51.100.9")
    assert exc.value.code == "code_resend_wait" and 39 <= exc.value.params["seconds"] <= 41
    assert mails_to(db, "victim@example.com") == 1
    send(db, "change_email", "victim@example.com", at=now + timedelta(seconds=61))
    assert mails_to(db, "victim@example.com") == 2


def test_a_code_already_entered_does_not_hold_back_one_for_another_purpose(db):
    """Registered a moment ago (the code was entered), the owner may ask for a 找回密码 code at once."""
    now = utcnow()
    send(db, "register", "owner@example.com", at=now)
    code = db.exec(select(OutboxEmail.body).where(OutboxEmail.to_address == "owner@example.com")).one()
    act(codes.verify_code, db, "register", "owner@example.com", code.split("验证码是 ")[1][:6], at=now)
    send(db, "reset_password", "owner@example.com", at=now + timedelta(seconds=5))
    with pytest.raises(ServiceError) as exc:  # the same purpose still waits
        send(db, "reset_password", "owner@example.com", at=now + timedelta(seconds=10))
    assert exc.value.code == "code_resend_wait"


def test_one_address_gets_at_most_three_codes_in_ten_minutes(db):
    now = utcnow()
    for minute in (0, 2, 4):
        send(db, "register", "victim@example.com", at=now + timedelta(minutes=minute), ip=f"198.51.100.{minute}")
    with pytest.raises(ServiceError):
        send(db, "reset_password", "victim@example.com", at=now + timedelta(minutes=6))
    send(db, "reset_password", "victim@example.com", at=now + timedelta(minutes=10, seconds=1))
    assert mails_to(db, "victim@example.com") == 4


def test_one_client_mails_at_most_eight_addresses_in_ten_minutes(db):
    now = utcnow()
    for n in range(CODES_PER_IP.count):
        send(db, "register", f"target{n}@example.com", at=now + timedelta(seconds=n))
    with pytest.raises(ServiceError) as exc:
        send(db, "register", "target99@example.com", at=now + timedelta(seconds=30))
    assert exc.value.code == "rate_limited"
    assert mails_to(db, "target99@example.com") == 0
    send(db, "register", "target99@example.com", at=now + timedelta(seconds=30), ip="198.51.100.1")  # another client


def test_a_refusal_is_logged_and_counts_survive_the_failed_request(engine):
    """The count of a request that then fails (a 三要素 that matches nothing, an address already registered)
    still stands, as does the log of the refusal, although the use case's transaction is rolled back."""
    with unit_of_work(engine=engine) as uow:
        ent = make_enterprise(uow.db)
        email, uscc = ent.email, ent.uscc
    for _ in range(RECOVERY_PER_IP.count):
        with pytest.raises(InvalidInput), unit_of_work(client_ip=IP, engine=engine) as uow:
            accounts.find_for_recovery(uow, "", uscc, "张三")  # missing 企业名称: refused after being counted
    with pytest.raises(ServiceError) as exc, unit_of_work(client_ip=IP, engine=engine) as uow:
        accounts.find_for_recovery(uow, "甲公司", new_uscc(), "张三")
    assert exc.value.code == "rate_limited"
    for _ in range(3):
        with pytest.raises(InvalidInput), unit_of_work(client_ip="198.51.100.5", engine=engine) as uow:
            accounts.send_register_code(uow, email)  # 该邮箱已被注册, counted all the same
    with unit_of_work(engine=engine) as uow:
        buckets = [row.bucket for row in uow.db.exec(select(RateEvent)).all()]
        refusals = uow.db.exec(select(SecurityEvent).where(SecurityEvent.action == "rate_limited")).all()
    assert buckets.count("recovery_ip") == RECOVERY_PER_IP.count and buckets.count("register_ip") == 3
    assert len(refusals) == 1 and refusals[0].client_ip == IP and "recovery_ip" in refusals[0].detail


def test_spraying_one_password_over_many_accounts_from_one_client_is_stopped(db):
    now = utcnow()
    victims = [make_enterprise(db) for _ in range(auth.IP_FAILURES + 2)]
    answers = [
        act(auth.sign_in_enterprise, db, v.email, "Spring#2026x", at=now + timedelta(seconds=i), client_ip=IP).code
        for i, v in enumerate(victims)
    ]
    assert answers[: auth.IP_FAILURES] == ["bad_credentials"] * auth.IP_FAILURES
    assert answers[auth.IP_FAILURES :] == ["rate_limited"] * 2
    # Even the right password waits, from that client; another client is not affected.
    last = victims[-1]
    blocked = act(auth.sign_in_enterprise, db, last.email, PASSWORD, at=now + timedelta(seconds=30), client_ip=IP)
    assert not blocked.ok and blocked.code == "rate_limited" and blocked.wait_seconds > 500
    assert act(auth.sign_in_enterprise, db, last.email, PASSWORD, at=now + timedelta(seconds=30),
               client_ip="198.51.100.2").ok  # fmt: skip
    later = now + auth.IP_WINDOW + timedelta(seconds=40)
    assert act(auth.sign_in_enterprise, db, last.email, PASSWORD, at=later, client_ip=IP).ok


# --- the session hand-off to /session/start --------------------------------------------------------------------


def test_a_handoff_code_works_once_and_rotates_the_token(db):
    ent = make_enterprise(db)
    token = act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token
    code = act(auth.handoff, db, token)
    cookie = act(auth.redeem_handoff, db, code)
    assert cookie and cookie != token
    assert auth.resolve_session(db, token, now=utcnow()) is None  # what the page held is worth nothing
    assert auth.resolve_session(db, cookie, now=utcnow()).id == ent.id
    assert act(auth.redeem_handoff, db, code) is None


def test_a_handoff_code_expires_and_dies_with_its_session(db):
    ent = make_enterprise(db)
    token = act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token
    late = act(auth.handoff, db, token)
    assert act(auth.redeem_handoff, db, late, at=utcnow() + auth.HANDOFF_TTL + timedelta(seconds=1)) is None
    revoked = act(auth.handoff, db, token)
    auth.revoke_session(db, token, now=utcnow())
    assert act(auth.redeem_handoff, db, revoked) is None
    assert act(auth.redeem_handoff, db, "x" * 43) is None and act(auth.redeem_handoff, db, "") is None
