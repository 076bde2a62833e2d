from datetime import timedelta

from sqlmodel import select

from apec_app.models import LoginAttempt, SecurityEvent, UserSession
from apec_app.models.base import utcnow
from apec_app.services.accounts import agents, auth
from apec_app.services.principal import ENTERPRISE
from tests.factories import PASSWORD, act, make_agent, make_enterprise, make_staff
from tests.statements import sent


def test_enterprise_signs_in_with_email_and_password(db):
    ent = make_enterprise(db, email="Boss@Example.com".lower())
    result = act(auth.sign_in_enterprise, db, " boss@example.com ", PASSWORD, client_ip="1.2.3.4")
    assert result.ok and result.principal.id == ent.id and result.principal.kind == ENTERPRISE
    stored = db.exec(select(UserSession)).one()
    assert stored.token_hash == auth.hash_token(result.token) and result.token not in stored.token_hash
    assert len(result.token) >= 43  # 32 random bytes


def test_each_sign_in_gets_a_new_token(db):
    ent = make_enterprise(db)
    a = act(auth.sign_in_enterprise, db, ent.email, PASSWORD)
    b = act(auth.sign_in_enterprise, db, ent.email, PASSWORD)
    assert a.token != b.token


def test_wrong_password_is_refused_and_logged_without_the_password(db):
    ent = make_enterprise(db)
    result = act(auth.sign_in_enterprise, db, ent.email, "Wrong#Pass1", client_ip="5.6.7.8")
    assert not result.ok and result.code == "bad_credentials"
    event = db.exec(select(SecurityEvent).where(SecurityEvent.action == "sign_in_failed")).one()
    assert "Wrong#Pass1" not in event.detail + event.actor and ent.email not in event.actor
    assert event.client_ip == "5.6.7.8"


def test_five_failures_lock_the_account_even_for_the_right_password(db):
    ent = make_enterprise(db)
    results = [act(auth.sign_in_enterprise, db, ent.email, "Wrong#Pass1") for _ in range(5)]
    assert [r.code for r in results[:4]] == ["bad_credentials"] * 4
    assert results[4].code == "account_locked" and results[4].locked_until is not None
    locked = act(auth.sign_in_enterprise, db, ent.email, PASSWORD)
    assert not locked.ok and locked.code == "account_locked"


def test_a_stranger_cannot_lock_a_reviewer_out(db):
    """Five failures from one IP lock the account for that IP only: the owner elsewhere still signs in."""
    staff = make_staff(db, username="reviewer_x")
    for _ in range(6):
        stranger = act(auth.sign_in_staff, db, "reviewer_x", "Wrong#Pass1", client_ip="203.0.113.9")
    assert stranger.code == "account_locked"
    assert act(auth.sign_in_staff, db, "reviewer_x", PASSWORD, client_ip="203.0.113.9").code == "account_locked"
    assert act(auth.sign_in_staff, db, "reviewer_x", PASSWORD, client_ip="10.1.2.3").ok
    assert staff.id


def test_a_spread_out_attack_locks_every_ip_but_the_owners(db):
    ent = make_enterprise(db)
    assert act(auth.sign_in_enterprise, db, ent.email, PASSWORD, client_ip="10.0.0.1").ok  # the owner's usual address
    codes = [
        act(auth.sign_in_enterprise, db, ent.email, "Wrong#Pass1", client_ip=f"198.51.100.{n}").code for n in range(20)
    ]
    assert codes == ["bad_credentials"] * 19 + ["account_locked"]
    assert act(auth.sign_in_enterprise, db, ent.email, PASSWORD, client_ip="198.51.100.200").code == "account_locked"
    assert act(auth.sign_in_enterprise, db, ent.email, PASSWORD, client_ip="10.0.0.1").ok


def test_lock_ends_after_fifteen_minutes(db):
    ent = make_enterprise(db)
    past = utcnow() - timedelta(minutes=16)
    for i in range(5):
        db.add(
            LoginAttempt(
                kind=ENTERPRISE, identifier=ent.email, outcome="failure", created_at=past + timedelta(seconds=i)
            )
        )
    db.commit()
    assert act(auth.sign_in_enterprise, db, ent.email, PASSWORD).ok


def test_unknown_email_locks_like_a_real_one(db):
    results = [act(auth.sign_in_enterprise, db, "nobody@example.com", "Wrong#Pass1") for _ in range(5)]
    assert results[-1].code == "account_locked"


def test_session_expires_after_thirty_idle_minutes_and_twelve_hours(db):
    ent = make_enterprise(db)
    token = act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token
    db.commit()
    now = utcnow()
    assert auth.resolve_session(db, token, now=now + timedelta(minutes=29), touch=False) is not None
    assert auth.resolve_session(db, token, now=now + timedelta(minutes=31), touch=False) is None
    # Activity every 20 minutes keeps it alive, but not past 12 hours.
    t = now
    while t + timedelta(minutes=20) < now + timedelta(hours=12):
        t += timedelta(minutes=20)
        assert auth.resolve_session(db, token, now=t) is not None
    assert auth.resolve_session(db, token, now=now + timedelta(hours=12, minutes=1)) is None


def test_activity_is_written_at_most_once_a_minute(db):
    ent = make_enterprise(db)
    token = act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token
    db.commit()
    now = utcnow()

    def seen() -> object:
        db.expire_all()
        return db.exec(select(UserSession.last_seen_at)).one()

    before = seen()
    with sent(db.get_bind()) as statements:
        assert auth.resolve_session(db, token, now=now + timedelta(seconds=30)) is not None
    assert [s for s in statements if s.startswith("UPDATE")] == [] and seen() == before
    with sent(db.get_bind()) as statements:
        assert auth.resolve_session(db, token, now=now + timedelta(seconds=61)) is not None
    assert len([s for s in statements if s.startswith("UPDATE user_session")]) == 1
    assert seen() == now + timedelta(seconds=61)
    assert auth.resolve_session(db, token, now=now + timedelta(seconds=62), force_touch=True) is not None
    assert seen() == now + timedelta(seconds=62)


def test_revoked_session_no_longer_resolves(db):
    ent = make_enterprise(db)
    token = act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token
    auth.revoke_session(db, token, now=utcnow())
    assert auth.resolve_session(db, token, now=utcnow()) is None
    assert auth.resolve_session(db, "made-up-token", now=utcnow()) is None
    assert auth.resolve_session(db, "", now=utcnow()) is None


def test_deauthorised_agent_cannot_sign_in_and_its_sessions_end(db):
    ent = make_enterprise(db)
    agent = make_agent(db, ent, username="clerk1")
    token = act(auth.sign_in_agent, db, "CLERK1", PASSWORD).token
    assert auth.resolve_session(db, token, now=utcnow()) is not None
    owner = auth.resolve_session(db, act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token, now=utcnow())
    act(agents.set_authorised, db, agent.id, False, me=owner)
    assert auth.resolve_session(db, token, now=utcnow()) is None
    result = act(auth.sign_in_agent, db, "clerk1", PASSWORD)
    assert not result.ok and result.code == "agent_not_authorised"
    # A wrong password does not reveal the de-authorisation.
    assert act(auth.sign_in_agent, db, "clerk1", "Wrong#Pass1").code == "bad_credentials"
