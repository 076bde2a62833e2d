import pytest
from sqlmodel import func, select

from apec_app.domain.passwords import verify_password
from apec_app.models import Enterprise, OutboxEmail
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth, codes, elicense
from apec_app.services.accounts import enterprise_accounts as accounts
from apec_app.services.accounts.enterprise_accounts import EnterpriseInfo
from apec_app.services.errors import InvalidInput, PermissionDenied
from tests.factories import (
    INFO,
    NEW,
    PASSWORD,
    act,
    last_code,
    make_agent,
    make_enterprise,
    new_uscc,
    platform_answer,
    register,
)


def authorised_nonce(db, purpose="register", number=None, name="甲公司", rep="张三"):
    nonce = act(elicense.start, db, purpose)
    platform_answer(db, nonce, name, number or new_uscc(), rep)
    return nonce


def count(db):
    return db.exec(select(func.count()).select_from(Enterprise)).one()


def test_registration_takes_the_three_elements_from_the_licence(db):
    number = new_uscc()
    ent = register(db, authorised_nonce(db, number=number))
    assert (ent.name, ent.uscc, ent.legal_rep, ent.email) == ("甲公司", number, "张三", "new@example.com")
    assert verify_password(NEW, ent.password_hash) and ent.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"password_confirm": "Other#Pass2026"}, "password_confirm", "password_mismatch"),
        ({"password": "weakweak", "password_confirm": "weakweak"}, "password", "password_classes"),
        ({"agreed": False}, "agreed", "agreement_required"),
        ({"code": "000000"}, "code", None),
        ({"info": EnterpriseInfo(**{**INFO.__dict__, "phone": "12"})}, "phone", "phone_format"),
    ],
)
def test_bad_registration_input_changes_nothing(db, overrides, field, code):
    before = count(db)
    nonce = authorised_nonce(db)
    db.commit()  # as in the app: the platform's authorisation is its own transaction
    with pytest.raises(InvalidInput) as exc:
        register(db, nonce, **overrides)
    assert field in exc.value.errors
    if code:
        assert exc.value.errors[field] == code
    db.rollback()
    assert count(db) == before
    assert elicense.status(db, nonce, utcnow()).state == "authorized"  # the licence can still be used


def test_one_account_per_credit_code_and_per_email(db):
    existing = make_enterprise(db, email="taken@example.com")
    nonce = act(elicense.start, db, "register")
    # The platform's answer for a registered 统一社会信用代码 is refused at once, and registration with it too.
    assert platform_answer(db, nonce, "甲公司", existing.uscc, "张三").refusal == "uscc_taken"
    with pytest.raises(InvalidInput) as exc:
        register(db, nonce, email="other@example.com")
    assert exc.value.errors == {"nonce": "uscc_taken"}
    with pytest.raises(InvalidInput) as exc:
        act(accounts.send_register_code, db, "TAKEN@example.com")
    assert exc.value.errors == {"email": "email_taken"}


def test_unauthorised_or_reused_nonce_cannot_register(db):
    pending = act(elicense.start, db, "register")
    with pytest.raises(InvalidInput) as exc:
        register(db, pending)
    assert exc.value.errors == {"nonce": "qr_not_authorized"}
    nonce = authorised_nonce(db)
    register(db, nonce, email="first@example.com")
    with pytest.raises(InvalidInput) as exc:
        register(db, nonce, email="second@example.com")
    assert exc.value.errors == {"nonce": "qr_used"}


def principal_of(db, ent, password=PASSWORD):
    return auth.resolve_session(db, act(auth.sign_in_enterprise, db, ent.email, password).token, now=utcnow())


def test_update_info_and_agents_may_not(db):
    ent = make_enterprise(db)
    me = principal_of(db, ent)
    act(accounts.update_info, db, INFO, me=me)
    assert db.get(Enterprise, ent.id).reg_province == "江苏省"
    agent = make_agent(db, ent)
    agent_principal = auth.resolve_session(
        db, act(auth.sign_in_agent, db, agent.username, PASSWORD).token, now=utcnow()
    )
    with pytest.raises(PermissionDenied):
        act(accounts.update_info, db, INFO, me=agent_principal)


def test_update_identity_needs_the_same_credit_code(db):
    ent = make_enterprise(db)
    me = principal_of(db, ent)
    other = act(elicense.start, db, "update_identity", ent.id)
    platform_answer(db, other, "别的公司", new_uscc(), "王五")
    with pytest.raises(InvalidInput) as exc:
        act(accounts.update_identity, db, other, me=me)
    assert exc.value.code == "uscc_mismatch"
    same = act(elicense.start, db, "update_identity", ent.id)
    platform_answer(db, same, "新名称有限公司", ent.uscc, "新法人")
    act(accounts.update_identity, db, same, me=me)
    assert (db.get(Enterprise, ent.id).name, db.get(Enterprise, ent.id).legal_rep) == ("新名称有限公司", "新法人")


def test_change_email_needs_the_code_sent_to_the_new_address(db):
    ent = make_enterprise(db)
    me = principal_of(db, ent)
    act(accounts.send_change_email_code, db, "moved@example.com", me=me)
    with pytest.raises(InvalidInput):
        act(
            accounts.change_email,
            db,
            "moved@example.com",
            "000000" if last_code(db, "moved@example.com") != "000000" else "111111",
            True,
            me=me,
        )
    act(accounts.change_email, db, "moved@example.com", last_code(db, "moved@example.com"), True, me=me)
    assert db.get(Enterprise, ent.id).email == "moved@example.com"


def test_change_password_ends_other_sessions_but_not_this_one(db):
    ent = make_enterprise(db)
    other_token = act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token
    my_token = act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token
    me = auth.resolve_session(db, my_token, now=utcnow())
    with pytest.raises(InvalidInput) as exc:
        act(accounts.change_password, db, "Wrong#Pass1", NEW, NEW, me=me)
    assert exc.value.errors == {"old_password": "old_password_wrong"}
    act(accounts.change_password, db, PASSWORD, NEW, NEW, me=me)
    assert auth.resolve_session(db, other_token, now=utcnow()) is None
    assert auth.resolve_session(db, my_token, now=utcnow()) is not None
    assert act(auth.sign_in_enterprise, db, ent.email, NEW).ok


def test_password_recovery_by_manual_identity_and_email_code(db):
    ent = make_enterprise(db)
    old_token = act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token
    found = act(accounts.find_for_recovery, db, ent.name, ent.uscc, ent.legal_rep)
    assert found.enterprise_id == ent.id
    act(accounts.send_reset_code, db, found)
    code = last_code(db, ent.email)
    act(accounts.check_reset_code, db, found, code)  # does not use it up
    act(accounts.reset_password, db, found, code, NEW, NEW)
    assert auth.resolve_session(db, old_token, now=utcnow()) is None
    assert act(auth.sign_in_enterprise, db, ent.email, NEW).ok
    with pytest.raises(InvalidInput):  # the code was used
        act(accounts.reset_password, db, found, code, "Again#Pass2026", "Again#Pass2026")


def mails(db) -> int:
    return len(db.exec(select(OutboxEmail)).all())


@pytest.mark.parametrize("who", ["wrong legal representative", "no such enterprise"])
def test_recovery_answers_the_same_whether_or_not_the_account_exists(db, who):
    """Step 2 comes either way (the page cannot be asked which enterprises have accounts); no mail leaves,
    the resend gap holds as for a real account, and no code gets through."""
    ent = make_enterprise(db)
    typed = (ent.name, ent.uscc, "别人") if who.startswith("wrong") else ("乙公司", new_uscc(), "李四")
    found = act(accounts.find_for_recovery, db, *typed)
    assert found.enterprise_id == 0
    before = mails(db)
    act(accounts.send_reset_code, db, found)
    assert mails(db) == before
    with pytest.raises(InvalidInput) as exc:
        act(accounts.send_reset_code, db, found)
    assert exc.value.code == "code_resend_wait"
    for guess in ("000000", "123456"):
        with pytest.raises(InvalidInput) as exc:
            act(accounts.check_reset_code, db, found, guess)
        assert exc.value.code in ("code_wrong", "code_too_many")
    with pytest.raises(InvalidInput):
        act(accounts.reset_password, db, found, "123456", NEW, NEW)
    assert act(auth.sign_in_enterprise, db, ent.email, PASSWORD).ok


def test_a_recovery_cannot_be_pointed_at_another_account(db):
    """The state keeps the id with the credit code it was found by; an id that is not that code's reaches no one."""
    ent, other = make_enterprise(db), make_enterprise(db)
    forged = accounts.Recovery(other.id, ent.uscc)
    before = mails(db)
    act(accounts.send_reset_code, db, forged)
    assert mails(db) == before


def test_verify_code_wrong_try_is_counted(db):
    ent = make_enterprise(db)
    act(codes.send_code, db, "reset_password", ent.email)
    with pytest.raises(InvalidInput) as exc:
        found = accounts.Recovery(ent.id, ent.uscc)
        act(accounts.check_reset_code, db, found, "000000" if last_code(db, ent.email) != "000000" else "111111")
    assert exc.value.params["remaining"] == 4
