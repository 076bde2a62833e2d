"""The virtual card on the real (migrated) test database: the link mailed to the holder when the card is issued,
the code that opens it, the account's view from 我的APEC卡, the live pre-cleared economies, and what a border
check concludes for a valid, cancelled, replaced or unknown card (service, HTTP route and CLI)."""

import json
import re
from types import SimpleNamespace

import pytest
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from apec_app import cli
from apec_app.api import cards as card_routes
from apec_app.domain import lifecycle
from apec_app.domain import virtual_card as rules
from apec_app.domain.clock import SYSTEM_CLOCK
from apec_app.integrations import card_keys
from apec_app.models import Application, Card, CardHolderLink, EconomyDecision, OutboxEmail, Person
from apec_app.services.cards import holder_access, tokens, verification, virtual
from apec_app.services.errors import InvalidInput, NotFound
from apec_app.services.operations import demo_followups
from apec_app.services.review import actions, decisions
from tests.factories import (
    act,
    last_code,
    make_agent,
    make_enterprise,
    principal_for_agent,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)

HOLDER = "zhang.wei@example.com"


def today():
    return SYSTEM_CLOCK.today()


@pytest.fixture()
def world(db):
    setup_institutions(db)
    ent = make_enterprise(db)
    db.commit()
    waiting_number, done_number, _ = act(demo_followups.seed, db, ent.email)
    db.commit()
    waiting = db.exec(select(Application).where(Application.number == waiting_number)).one()
    people = {
        f"{p.surname}{p.given_name}": p
        for p in db.exec(select(Person).where(Person.application_id == waiting.id)).all()
    }
    zhang = people["张伟"]
    data = json.loads(zhang.data_json) | {"email": HOLDER}
    zhang.data_json = json.dumps(data, ensure_ascii=False)
    db.add(zhang)
    db.commit()
    return SimpleNamespace(
        db=db,
        ent=ent,
        me=principal_for_enterprise(db, ent),
        reviewer=staff_principal(db, "rev_js", "reviewer", "JS"),
        waiting=waiting,
        zhang=zhang,
        li=people["李娜"],
    )


def version(db, application_id):
    db.expire_all()
    return db.get(Application, application_id).version


def review(w, action, **kwargs):
    return act(actions.act, w.db, w.waiting.id, action, version=version(w.db, w.waiting.id), me=w.reviewer, **kwargs)


def issue(w, *, refused=("AU",)):
    """Every missing decision recorded (张伟 refused by `refused`, the rest approved), production, then 已邮寄."""
    codes = [e.code for e in decisions.deciding(w.db)]
    for person in (w.zhang, w.li):
        have = set(w.db.exec(select(EconomyDecision.economy_code).where(EconomyDecision.person_id == person.id)))
        for code in codes:
            if code not in have:
                verdict = "refused" if person is w.zhang and code in refused else "approved"
                act(decisions.record_decision, w.db, w.waiting.id, person.id, code, verdict, today(), me=w.reviewer)
    assert w.db.get(Application, w.waiting.id).status == lifecycle.ECONOMIES_DONE
    review(w, "start_production")
    review(w, "mail", tracking_number="SF0001")
    w.db.commit()
    return w.db.exec(select(Card).where(Card.person_id == w.zhang.id)).one()


def holder_mails(db, address=HOLDER):
    return list(
        db.exec(select(OutboxEmail).where(OutboxEmail.to_address == address).order_by(col(OutboxEmail.id))).all()
    )


def link_token(db, address=HOLDER) -> str:
    return re.search(r"/abtc/([A-Za-z0-9_-]+)", holder_mails(db, address)[-1].body).group(1)


# --- the holder's link and code ---------------------------------------------------------------------------------


def test_the_holder_is_mailed_a_link_once_when_the_card_is_issued(world):
    assert world.db.exec(select(CardHolderLink)).all() == []
    card = issue(world)
    mails = holder_mails(world.db)
    assert len(mails) == 1
    assert "虚拟" in mails[0].subject and "/abtc/" in mails[0].body
    links = world.db.exec(select(CardHolderLink).where(CardHolderLink.card_id == card.id)).all()
    assert len(links) == 1 and links[0].token_hash != link_token(world.db)  # only the hash is kept


def test_nothing_is_mailed_when_production_starts(world):
    codes = [e.code for e in decisions.deciding(world.db)]
    for person in (world.zhang, world.li):
        have = set(world.db.exec(select(EconomyDecision.economy_code).where(EconomyDecision.person_id == person.id)))
        for code in set(codes) - have:
            act(decisions.record_decision, world.db, world.waiting.id, person.id, code, "approved", today(),
                me=world.reviewer)  # fmt: skip
    review(world, "start_production")
    assert holder_mails(world.db) == []


def test_the_link_opens_the_card_only_with_the_code_sent_to_the_holder(world):
    issue(world)
    token = link_token(world.db)
    uow = uow_for(world.db)
    assert holder_access.masked_email(uow, token) == "z*******i@example.com"
    act(holder_access.send_code, world.db, token)
    assert holder_mails(world.db)[-1].subject == "【APEC商务旅行卡】查看虚拟卡验证码"
    code = last_code(world.db, HOLDER)
    with pytest.raises(InvalidInput) as refused:
        holder_access.holder_card(uow_for(world.db), token, 0)
    assert refused.value.code == "card_code_needed"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(InvalidInput) as refused:
        act(holder_access.open_with_code, world.db, token, wrong)
    assert refused.value.code == "code_wrong"
    link_id = act(holder_access.open_with_code, world.db, token, code)
    card = holder_access.holder_card(uow_for(world.db), token, link_id)
    assert (card.surname, card.given_name, card.passport_number) == ("张", "伟", world.zhang.passport_number)
    # The code is used up: a second tab needs a new one.
    with pytest.raises(InvalidInput):
        act(holder_access.open_with_code, world.db, token, code)


def test_codes_for_the_card_keep_the_60_second_gap(world):
    issue(world)
    token = link_token(world.db)
    act(holder_access.send_code, world.db, token)
    with pytest.raises(InvalidInput) as refused:
        act(holder_access.send_code, world.db, token)
    assert refused.value.code == "code_resend_wait"


@pytest.mark.parametrize("token", ["", "nonsense", "A" * 43])
def test_an_unknown_link_opens_nothing(world, token):
    issue(world)
    with pytest.raises(NotFound) as refused:
        holder_access.masked_email(uow_for(world.db), token)
    assert refused.value.code == "card_link_invalid"
    with pytest.raises(NotFound):
        act(holder_access.send_code, world.db, token)


def test_a_newer_link_ends_the_older_one(world):
    card = issue(world)
    old = link_token(world.db)
    link = act(holder_access.issue_link, world.db, card)
    assert link is not None and link.email == HOLDER
    with pytest.raises(NotFound):
        holder_access.masked_email(uow_for(world.db), old)
    assert holder_access.masked_email(uow_for(world.db), link.url.rsplit("/", 1)[1])


def test_a_replaced_card_link_opens_nothing(world):
    card = issue(world)
    token = link_token(world.db)
    card.status = rules.REPLACED
    world.db.add(card)
    world.db.commit()
    with pytest.raises(NotFound):
        holder_access.masked_email(uow_for(world.db), token)


# --- what the card shows ----------------------------------------------------------------------------------------


def test_the_card_shows_the_holder_and_only_the_economies_that_approved(world):
    card = issue(world, refused=("AU", "NZ"))
    shown = virtual.for_account(uow_for(world.db, world.me), card.id)
    codes = [e.code for e in shown.economies]
    assert "JP" in codes and "KR" in codes
    assert "AU" not in codes and "NZ" not in codes
    assert shown.card_number == rules.card_number(card.id)
    assert (shown.pinyin, shown.sex, shown.birth_date) == (world.zhang.pinyin, "男", world.zhang.birth_date)
    assert shown.nationality == "CHN" and shown.standing == rules.VALID
    claims = tokens.verify(shown.token).claims
    assert claims.economies == tuple(codes)
    assert (claims.name, claims.passport_number, claims.valid_until) == (
        world.zhang.pinyin,
        world.zhang.passport_number,
        card.valid_until,
    )


def test_an_approval_recorded_after_the_card_was_made_shows_on_the_next_load(world):
    card = issue(world)
    before = [e.code for e in virtual.for_account(uow_for(world.db, world.me), card.id).economies]
    assert "AU" not in before and "AU" not in card.approved_economies
    row = world.db.exec(
        select(EconomyDecision).where(EconomyDecision.person_id == world.zhang.id, EconomyDecision.economy_code == "AU")
    ).one()
    row.decision = "approved"  # the economy's later approval
    world.db.add(row)
    world.db.commit()
    after = virtual.for_account(uow_for(world.db, world.me), card.id)
    assert "AU" in [e.code for e in after.economies]
    assert "AU" in tokens.verify(after.token).claims.economies


def test_a_cancelled_card_shows_cancelled_and_no_qr_code(world):
    card = issue(world)
    card.status = rules.CANCELLED
    world.db.add(card)
    world.db.commit()
    shown = virtual.for_account(uow_for(world.db, world.me), card.id)
    assert shown.standing == rules.CANCELLED and shown.token == ""


def test_only_the_account_that_holds_the_card_opens_it(world):
    card = issue(world)
    other = make_enterprise(world.db)
    agent = make_agent(world.db, world.ent)
    world.db.commit()
    with pytest.raises(NotFound):
        virtual.for_account(uow_for(world.db, principal_for_enterprise(world.db, other)), card.id)
    # The enterprise's agent did not create this application.
    with pytest.raises(NotFound):
        virtual.for_account(uow_for(world.db, principal_for_agent(world.db, agent)), card.id)
    # Once the agent is its creator, it sees the card too.
    application = world.db.get(Application, world.waiting.id)
    application.creator_agent_id = agent.id
    world.db.add(application)
    world.db.commit()
    assert virtual.for_account(uow_for(world.db, principal_for_agent(world.db, agent)), card.id).card_id == card.id


def test_a_card_in_production_has_no_virtual_card(world):
    codes = [e.code for e in decisions.deciding(world.db)]
    for person in (world.zhang, world.li):
        have = set(world.db.exec(select(EconomyDecision.economy_code).where(EconomyDecision.person_id == person.id)))
        for code in set(codes) - have:
            act(decisions.record_decision, world.db, world.waiting.id, person.id, code, "approved", today(),
                me=world.reviewer)  # fmt: skip
    review(world, "start_production")
    card = world.db.exec(select(Card).where(Card.person_id == world.zhang.id)).one()
    with pytest.raises(NotFound):
        virtual.for_account(uow_for(world.db, world.me), card.id)


# --- the border check -------------------------------------------------------------------------------------------


def token_of(w, card) -> str:
    return virtual.for_account(uow_for(w.db, w.me), card.id).token


@pytest.mark.parametrize(
    ("status", "standing"),
    [("mailed", "valid"), ("cancelled", "cancelled"), ("replaced", "replaced"), ("producing", "not_issued")],
)
def test_the_check_asks_the_database_whether_the_card_was_cancelled_or_replaced(world, status, standing):
    card = issue(world)
    token = token_of(world, card)
    card.status = status
    world.db.add(card)
    world.db.commit()
    verdict = verification.verify(uow_for(world.db), token)
    assert verdict.standing == standing
    assert verdict.card_number == rules.card_number(card.id)
    assert verdict.passport_number == world.zhang.passport_number


def test_an_older_code_that_says_more_than_is_true_now_is_outdated(world):
    """A screenshot kept from before an approval was corrected to a refusal, or before the passport changed,
    no longer passes as valid: the check compares it with today's decisions and passport."""
    card = issue(world)
    token = token_of(world, card)
    assert verification.verify(uow_for(world.db), token).standing == "valid"
    jp = world.db.exec(
        select(EconomyDecision).where(EconomyDecision.person_id == world.zhang.id, EconomyDecision.economy_code == "JP")
    ).one()
    jp.decision = "refused"  # corrected
    world.db.add(jp)
    world.db.commit()
    assert verification.verify(uow_for(world.db), token).standing == "outdated"
    fresh = token_of(world, card)  # the holder's page signs afresh: without JP
    assert verification.verify(uow_for(world.db), fresh).standing == "valid"
    person = world.db.get(Person, world.zhang.id)
    person.passport_number = "E87654321"  # 仅更换护照
    world.db.add(person)
    world.db.commit()
    assert verification.verify(uow_for(world.db), fresh).standing == "outdated"


def test_a_token_signed_by_us_for_no_card_we_have_is_unknown(world):
    claims = rules.Claims(rules.card_number(99_999), "NOBODY", "E0", today(), (), 0)
    verdict = verification.verify(uow_for(world.db), tokens.sign(claims))
    assert verdict.standing == "unknown"


def test_a_forged_token_is_refused_before_the_database_is_asked(world):
    card = issue(world)
    head, payload, signature = token_of(world, card).split(".")
    with pytest.raises(InvalidInput) as refused:
        verification.verify(uow_for(world.db), f"{head}.{payload}x.{signature}")
    assert refused.value.code in ("token_bad_signature", "token_malformed")


def test_the_status_route_refuses_what_is_not_a_token_without_failing(world, app_engine):
    client = TestClient(Starlette(routes=card_routes.routes))
    deep = client.post("/api/cards/status", content=b"[" * 4000)  # nesting too deep for the JSON parser
    assert (deep.status_code, deep.json()) == (400, {"error": "token_malformed"})
    big = client.post("/api/cards/status", content=b" " * (card_routes.MAX_BODY + 1))
    assert big.status_code == 413


def test_the_http_routes_publish_the_keys_and_answer_the_standing(world, app_engine):
    card = issue(world)
    token = token_of(world, card)
    client = TestClient(Starlette(routes=card_routes.routes))
    published = client.get("/api/cards/keys").json()
    assert published["keys"][0]["kid"] == card_keys.current_kid()
    assert {"kty", "crv", "x", "kid"} <= set(published["keys"][0]) and "d" not in published["keys"][0]
    assert tokens.verify(token, card_keys.from_jwks(published)).claims.card_number == rules.card_number(card.id)
    assert client.post("/api/cards/status", json={"token": token}).json() == {"standing": "valid"}
    card.status = rules.CANCELLED
    world.db.add(card)
    world.db.commit()
    answer = client.post("/api/cards/status", json={"token": token})
    assert answer.json() == {"standing": "cancelled"}  # the standing only: nothing about the holder
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    refused = client.post("/api/cards/status", json={"token": forged})
    assert refused.status_code == 400 and refused.json()["error"] == "token_bad_signature"


def test_the_cli_verifies_a_card_with_the_database_or_offline_with_a_key_file(world, app_engine, capsys, tmp_path):
    card = issue(world)
    token = token_of(world, card)
    assert cli.main(["verify-card", token]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["standing"] == "valid" and out["card_number"] == rules.card_number(card.id)
    card.status = rules.REPLACED
    world.db.add(card)
    world.db.commit()
    assert cli.main(["verify-card", token]) == 1
    assert json.loads(capsys.readouterr().out)["standing"] == "replaced"
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(card_keys.jwks()))
    assert cli.main(["verify-card", token, "--keys", str(keys), "--offline"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["standing"] == "valid" and out["checked_with_server"] is False
    assert cli.main(["verify-card", token[:-3] + "abc"]) == 2
    assert json.loads(capsys.readouterr().out)["verified"] is False



def test_the_offline_page_carries_the_public_keys_and_no_one_s_data(world, app_engine):
    from apec_app.api import verify_page

    card = issue(world)
    page = TestClient(Starlette(routes=verify_page.routes)).get("/verify/offline")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert card_keys.current_kid() in page.text
    assert world.zhang.passport_number not in page.text and world.zhang.pinyin not in page.text
    assert rules.card_number(card.id) not in page.text
    assert '"d":' not in page.text  # no private key part


def test_the_offline_page_cannot_be_closed_early_by_an_economy_name():
    from apec_app.api import verify_page

    page = verify_page.render({"keys": []}, {"XX": ["</script><script>alert(1)</script>", "x"]})
    assert "</script><script>alert(1)" not in page
    assert page.count("</script>") == 2  # the data block's and the script's own
