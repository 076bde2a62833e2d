"""QR authorisation: only a verified, fresh, signed answer of the configured platform counts, and sign-in and
recovery need all three 三要素 of the registered enterprise."""

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from apec_app import startup
from apec_app.api import routes_for
from apec_app.integrations.elicense_platform import (
    SIMULATED_ISSUER,
    AssertionRejected,
    sign_assertion,
    simulator_private_key,
)
from apec_app.models import ELicenseAuthorization
from apec_app.models.base import utcnow
from apec_app.services.accounts import elicense
from apec_app.services.accounts import enterprise_accounts as accounts
from apec_app.services.errors import InvalidInput, NotFound, ServiceError
from apec_app.settings import get_settings
from tests.factories import act, make_enterprise, new_uscc, platform_answer


def signed(nonce, name="甲公司", uscc=None, rep="张三", key=None, issuer=SIMULATED_ISSUER, **kw):
    key = key or simulator_private_key(get_settings().data_dir)
    now = kw.pop("now", None) or utcnow()
    return sign_assertion(key, issuer=issuer, nonce=nonce, name=name, uscc=uscc or new_uscc(), legal_rep=rep, now=now,
                          **kw)  # fmt: skip


def test_nonce_is_authorised_once_and_consumed_once(db):
    nonce = act(elicense.start, db, "register")
    assert elicense.status(db, nonce, utcnow()).state == "pending"
    number = new_uscc()
    assert platform_answer(db, nonce, "甲公司", number.lower(), "张三") == elicense.Answer("register")
    status = elicense.status(db, nonce, utcnow())
    assert status.state == "authorized" and status.identity == elicense.Identity("甲公司", number, "张三")
    with pytest.raises(InvalidInput) as exc:
        platform_answer(db, nonce, "乙公司", new_uscc(), "李四")
    assert exc.value.code == "qr_used"
    assert act(elicense.consume, db, nonce, "register").uscc == number
    with pytest.raises(InvalidInput) as exc:
        act(elicense.consume, db, nonce, "register")
    assert exc.value.code == "qr_used"


def test_a_replayed_answer_is_refused(db):
    nonce = act(elicense.start, db, "register")
    token = signed(nonce)
    act(elicense.accept_assertion, db, token)
    with pytest.raises(InvalidInput) as exc:
        act(elicense.accept_assertion, db, token)
    assert exc.value.code == "qr_used"


def test_an_answer_signed_with_another_key_is_refused_and_changes_nothing(db):
    nonce = act(elicense.start, db, "register")
    with pytest.raises(AssertionRejected) as exc:
        act(elicense.accept_assertion, db, signed(nonce, key=Ed25519PrivateKey.generate()))
    assert exc.value.code == "assertion_bad_signature"
    assert elicense.status(db, nonce, utcnow()).state == "pending"


def test_a_tampered_answer_is_refused(db):
    nonce = act(elicense.start, db, "register")
    header, payload, signature = signed(nonce).split(".")
    other_header, other_payload, _ = signed(nonce, name="乙公司").split(".")
    with pytest.raises(AssertionRejected):
        act(elicense.accept_assertion, db, f"{header}.{other_payload}.{signature}")
    with pytest.raises(AssertionRejected):
        act(elicense.accept_assertion, db, "not.a.token")
    # "none" algorithm: an unsigned token
    with pytest.raises(AssertionRejected):
        act(elicense.accept_assertion, db, f"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.")
    assert elicense.status(db, nonce, utcnow()).state == "pending"


def test_an_answer_of_another_issuer_or_an_expired_one_is_refused(db):
    nonce = act(elicense.start, db, "register")
    with pytest.raises(AssertionRejected) as exc:
        act(elicense.accept_assertion, db, signed(nonce, issuer="https://evil.example"))
    assert exc.value.code == "assertion_wrong_issuer"
    with pytest.raises(AssertionRejected) as exc:
        act(elicense.accept_assertion, db, signed(nonce, now=utcnow() - timedelta(minutes=4)))
    assert exc.value.code == "assertion_expired"
    with pytest.raises(AssertionRejected) as exc:
        act(elicense.accept_assertion, db, signed(nonce, lifetime=timedelta(hours=5)))
    assert exc.value.code == "assertion_bad_lifetime"
    assert elicense.status(db, nonce, utcnow()).state == "pending"


def test_nonce_expires_after_five_minutes(db):
    now = utcnow()
    nonce = act(elicense.start, db, "login", at=now)
    later = now + timedelta(minutes=5, seconds=1)
    ent = make_enterprise(db)
    with pytest.raises(InvalidInput) as exc:
        act(elicense.accept_assertion, db, signed(nonce, ent.name, ent.uscc, ent.legal_rep, now=later), at=later)
    assert exc.value.code == "qr_expired"
    assert elicense.status(db, nonce, now + timedelta(minutes=6)).state == "expired"


def test_invalid_credit_code_is_refused_and_nothing_changes(db):
    nonce = act(elicense.start, db, "register")
    with pytest.raises(InvalidInput) as exc:
        platform_answer(db, nonce, "甲公司", "91370104MA3N1HWCFM", "张三")
    assert exc.value.errors == {"uscc": "uscc_checksum"}
    assert elicense.status(db, nonce, utcnow()).state == "pending"


def test_nonce_of_one_purpose_cannot_be_used_for_another(db):
    nonce = act(elicense.start, db, "register")
    platform_answer(db, nonce, "甲公司", new_uscc(), "张三")
    with pytest.raises(InvalidInput):
        act(elicense.consume, db, nonce, "login")


def test_unknown_nonce(db):
    assert elicense.status(db, "nope", utcnow()).state == "unknown"
    with pytest.raises(NotFound):
        platform_answer(db, "nope", "甲公司", new_uscc(), "张三")


def test_sign_in_needs_all_three_elements(db):
    ent = make_enterprise(db)
    for name, rep in ((ent.name, "随便"), ("随便", ent.legal_rep), ("随便", "随便")):
        nonce = act(elicense.start, db, "login")
        answer = platform_answer(db, nonce, name, ent.uscc, rep)
        assert answer.refusal == "elicense_identity_mismatch"
        assert elicense.status(db, nonce, utcnow()).state == "refused"
        with pytest.raises(InvalidInput) as exc:
            act(elicense.consume, db, nonce, "login")
        assert exc.value.code == "elicense_identity_mismatch"
    nonce = act(elicense.start, db, "login")
    assert platform_answer(db, nonce, ent.name, ent.uscc, ent.legal_rep).refusal == ""
    identity = act(elicense.consume, db, nonce, "login")
    assert elicense.matching_enterprise(db, identity).id == ent.id


def test_recovery_by_licence_needs_all_three_elements_but_says_so_to_no_one(db):
    """The platform's answer and the next step are the same for any licence; only the one whose 三要素 all
    match a registered enterprise leads to that account."""
    ent = make_enterprise(db)
    for name, rep, expected in ((ent.name, "随便", 0), ("随便", ent.legal_rep, 0), (ent.name, ent.legal_rep, ent.id)):
        nonce = act(elicense.start, db, "reset_password")
        assert platform_answer(db, nonce, name, ent.uscc, rep).refusal == ""
        assert act(accounts.recovery_for_licence, db, nonce).enterprise_id == expected


def test_an_unregistered_enterprise_cannot_sign_in(db):
    nonce = act(elicense.start, db, "login")
    assert platform_answer(db, nonce, "甲公司", new_uscc(), "张三").refusal == "enterprise_not_registered"


def test_a_registered_credit_code_cannot_register_again(db):
    ent = make_enterprise(db)
    nonce = act(elicense.start, db, "register")
    assert platform_answer(db, nonce, "新公司", ent.uscc, "新法人").refusal == "uscc_taken"


def test_the_qr_code_opens_the_configured_platform_with_our_callback(db):
    nonce = act(elicense.start, db, "login")
    url = elicense.authorization_url(nonce)
    assert url.startswith(f"{get_settings().api_url}/elicense-sim/authorize?nonce={nonce}&callback=")
    assert "%2Felicense%2Fcallback" in url


def test_without_a_provider_no_qr_code_is_made(db, settings_env):
    settings_env(ELICENSE_PROVIDER=None)
    assert elicense.provider() is None
    with pytest.raises(ServiceError) as exc:
        act(elicense.start, db, "login")
    assert exc.value.code == "elicense_disabled"
    assert db.exec(select(ELicenseAuthorization)).all() == []


def test_a_real_platform_is_verified_with_its_own_public_key(db, settings_env, tmp_path):
    from cryptography.hazmat.primitives import serialization

    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "platform.pem"
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pem.write_bytes(public)
    settings_env(
        ELICENSE_PROVIDER="platform",
        ELICENSE_PLATFORM_URL="https://elicense.example.cn/authorize",
        ELICENSE_PLATFORM_ISSUER="https://elicense.example.cn",
        ELICENSE_PLATFORM_PUBLIC_KEY=str(pem),
    )
    nonce = act(elicense.start, db, "register")
    assert elicense.authorization_url(nonce).startswith("https://elicense.example.cn/authorize?nonce=")
    with pytest.raises(AssertionRejected):  # the simulator's key is not the platform's
        act(elicense.accept_assertion, db, signed(nonce, issuer="https://elicense.example.cn"))
    assert (
        act(elicense.accept_assertion, db, signed(nonce, key=key, issuer="https://elicense.example.cn")).refusal == ""
    )


# --- the HTTP routes ---------------------------------------------------------------------------------------------


def client_for(settings) -> TestClient:
    return TestClient(Starlette(routes=routes_for(settings)))


def test_the_sweeps_request_is_refused_with_the_simulator_disabled(db, settings_env):
    """Anonymous nonce, then a POST with only the victim's 统一社会信用代码: the simulator is not there."""
    ent = make_enterprise(db)
    with client_for(settings_env(ELICENSE_PROVIDER=None)) as client:
        sweep = {"name": "随便", "uscc": ent.uscc, "legal_rep": "随便"}
        answer = client.post("/elicense-sim/authorize?nonce=x", data=sweep)
        assert answer.status_code == 404
        assert client.post("/elicense/callback", data={"assertion": "x"}).status_code == 404
    with client_for(settings_env(ELICENSE_PROVIDER="platform")) as client:
        assert client.post("/elicense-sim/authorize?nonce=x", data={"uscc": ent.uscc}).status_code == 404


def test_the_sweeps_request_is_refused_by_the_simulator_when_name_or_legal_rep_differ(app_engine, settings_env):
    engine = app_engine
    with Session(engine, expire_on_commit=False) as db:
        ent = make_enterprise(db)
        nonce = act(elicense.start, db, "login")
        db.commit()
    with client_for(settings_env(ELICENSE_PROVIDER="simulated")) as client:
        answer = client.post(f"/elicense-sim/authorize?nonce={nonce}",
                             data={"name": "随便", "uscc": ent.uscc, "legal_rep": "随便"})  # fmt: skip
        assert answer.status_code == 403 and "不一致" in answer.text and "授权成功" not in answer.text
    with Session(engine) as db:
        assert elicense.status(db, nonce, utcnow()).state == "refused"
        with pytest.raises(InvalidInput):
            act(elicense.consume, db, nonce, "login")


def test_a_forged_answer_posted_to_the_callback_is_refused(app_engine, settings_env):
    engine = app_engine
    with Session(engine, expire_on_commit=False) as db:
        ent = make_enterprise(db)
        nonce = act(elicense.start, db, "login")
        db.commit()
    forged = signed(nonce, ent.name, ent.uscc, ent.legal_rep, key=Ed25519PrivateKey.generate())
    with client_for(settings_env(ELICENSE_PROVIDER="simulated")) as client:
        assert client.post("/elicense/callback", data={"assertion": forged}).status_code == 400
        genuine = signed(nonce, ent.name, ent.uscc, ent.legal_rep)
        assert client.post("/elicense/callback", data={"assertion": genuine}).status_code == 200
        assert client.post("/elicense/callback", data={"assertion": genuine}).status_code == 410  # replayed
    with Session(engine) as db:
        assert act(elicense.consume, db, nonce, "login").uscc == ent.uscc


# --- start-up ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("feature", [{"ELICENSE_PROVIDER": "simulated"}, {"DEV_MAILBOX": "1"}])
def test_start_up_with_a_demo_feature_and_a_public_address_fails(settings_env, feature):
    settings = settings_env(**{"PUBLIC_URL": "https://apec.example.cn", "ELICENSE_PROVIDER": None, "DEV_MAILBOX": None,
                               **feature})  # fmt: skip
    with pytest.raises(SystemExit) as exc:
        startup.check(settings)
    assert "PUBLIC_URL=https://apec.example.cn" in str(exc.value)
    startup.check(settings_env(UNSAFE_DEMO_FEATURES_ON_PUBLIC_HOST="1"))  # forced, loudly
    startup.check(settings_env(UNSAFE_DEMO_FEATURES_ON_PUBLIC_HOST=None, PUBLIC_URL="http://localhost:3000"))


def test_start_up_warns_about_the_demo_features(settings_env, capsys):
    startup.check(settings_env(PUBLIC_URL="http://localhost:3000", ELICENSE_PROVIDER="simulated", DEV_MAILBOX="1"))
    err = capsys.readouterr().err
    assert "模拟电子营业执照平台" in err and "开发邮箱" in err
    startup.check(settings_env(PUBLIC_URL="https://apec.example.cn", ELICENSE_PROVIDER=None, DEV_MAILBOX=None))
    assert capsys.readouterr().err == ""


def test_start_up_refuses_an_unknown_provider(settings_env):
    with pytest.raises(SystemExit):
        startup.check(settings_env(ELICENSE_PROVIDER="whatever"))
