"""The virtual card's QR token (services/cards/tokens.py) and its keys (integrations/card_keys.py): signed with
the current key, verified with the public keys only; tampering, unknown and retired keys refused; a rotated-out
key keeps verifying until it is retired."""

import base64
import json
from datetime import date, timedelta

import pytest

from apec_app.domain import virtual_card as rules
from apec_app.domain.virtual_card import Claims
from apec_app.integrations import card_keys
from apec_app.services.cards import tokens, verification

TODAY = date(2026, 11, 26)


def claims(**changes) -> Claims:
    base = dict(
        card_number=rules.card_number(123),
        name="ZHANG WEI",
        passport_number="E12345678",
        valid_until=date(2031, 11, 25),
        economies=("AU", "JP", "KR"),
        issued_at=1_795_000_000,
    )
    return Claims(**(base | changes))


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@pytest.fixture()
def root(tmp_path):
    return tmp_path / "card_signing"


def test_a_signed_token_verifies_with_the_public_keys_and_gives_back_the_claims(root):
    token = tokens.sign(claims(), root)
    verified = tokens.verify(token, card_keys.public_keys(root))
    assert verified.claims == claims()
    assert verified.kid == card_keys.current_kid(root)
    header = json.loads(unb64(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "kid": verified.kid}
    # Compact enough for a QR code a phone camera reads at arm's length.
    assert len(token) < 300


def test_the_private_key_stays_in_files_readable_by_the_owner_only(root):
    tokens.sign(claims(), root)
    kid = card_keys.current_kid(root)
    private = root / "private" / f"{kid}.pem"
    assert private.stat().st_mode & 0o077 == 0
    assert "PRIVATE KEY" not in json.dumps(card_keys.jwks(root))


def test_a_changed_payload_fails_the_signature(root):
    token = tokens.sign(claims(), root)
    head, payload, signature = token.split(".")
    body = json.loads(unb64(payload))
    body["pp"] = "E87654321"
    forged = ".".join((head, b64(json.dumps(body, separators=(",", ":")).encode()), signature))
    with pytest.raises(tokens.TokenRejected) as refused:
        tokens.verify(forged, card_keys.public_keys(root))
    assert refused.value.code == "token_bad_signature"


def test_an_added_economy_fails_the_signature(root):
    token = tokens.sign(claims(), root)
    head, payload, signature = token.split(".")
    body = json.loads(unb64(payload))
    body["ec"] += "US"
    forged = ".".join((head, b64(json.dumps(body, separators=(",", ":")).encode()), signature))
    with pytest.raises(tokens.TokenRejected, match="token_bad_signature"):
        tokens.verify(forged, card_keys.public_keys(root))


def test_a_key_we_never_published_is_an_unknown_key(root, tmp_path):
    stranger = tokens.sign(claims(), tmp_path / "someone_else")
    card_keys.signing_key(root)
    with pytest.raises(tokens.TokenRejected) as refused:
        tokens.verify(stranger, card_keys.public_keys(root))
    assert refused.value.code == "token_unknown_key"


def test_a_header_pointing_at_another_of_our_keys_fails_the_signature(root):
    old = tokens.sign(claims(), root)
    card_keys.rotate(root)
    new = tokens.sign(claims(), root)
    old_head = old.split(".")[0]
    swapped = ".".join((old_head, *new.split(".")[1:]))
    with pytest.raises(tokens.TokenRejected, match="token_bad_signature"):
        tokens.verify(swapped, card_keys.public_keys(root))


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not a token",
        "a.b",
        "x" * 3000,
        # alg "none": nothing signs it
        b64(b'{"alg":"none","kid":"abc"}') + "." + b64(b'{"v":1}') + ".",
        # an extra header field (e.g. an embedded key) is not ours
        b64(b'{"alg":"EdDSA","kid":"abc","jwk":{}}') + ".e30.AAAA",
    ],
)
def test_malformed_tokens_are_refused(root, token):
    card_keys.signing_key(root)
    with pytest.raises(tokens.TokenRejected) as refused:
        tokens.verify(token, card_keys.public_keys(root))
    assert refused.value.code == "token_malformed"


def test_an_expired_card_still_verifies_but_reads_as_expired():
    expired = claims(valid_until=TODAY - timedelta(days=1))
    assert verification.offline_standing(expired, TODAY) == rules.EXPIRED
    assert verification.offline_standing(claims(valid_until=TODAY), TODAY) == rules.VALID
    assert rules.standing("mailed", TODAY - timedelta(days=1), TODAY) == rules.EXPIRED


def test_a_rotated_key_keeps_verifying_until_it_is_retired(root):
    first = card_keys.signing_key(root).kid
    old_token = tokens.sign(claims(), root)
    second = card_keys.rotate(root)
    assert second != first and card_keys.current_kid(root) == second
    assert not (root / "private" / f"{first}.pem").exists()  # only the signing key's private half is kept
    new_token = tokens.sign(claims(), root)
    assert json.loads(unb64(new_token.split(".")[0]))["kid"] == second
    keys = card_keys.public_keys(root)
    assert tokens.verify(old_token, keys).kid == first
    assert [k["kid"] for k in card_keys.jwks(root)["keys"]] == [second, first]
    card_keys.retire(first, root)
    with pytest.raises(tokens.TokenRejected, match="token_unknown_key"):
        tokens.verify(old_token, card_keys.public_keys(root))
    assert tokens.verify(new_token, card_keys.public_keys(root)).kid == second


def test_the_signing_key_cannot_be_retired(root):
    kid = card_keys.signing_key(root).kid
    with pytest.raises(card_keys.RetireRefused):
        card_keys.retire(kid, root)
    with pytest.raises(card_keys.RetireRefused):
        card_keys.retire("nokey123", root)


def test_a_published_key_set_verifies_away_from_the_key_folder(root):
    token = tokens.sign(claims(), root)
    published = json.loads(json.dumps(card_keys.jwks(root)))
    assert tokens.verify(token, card_keys.from_jwks(published)).claims == claims()
    # An entry whose kid is not its key's thumbprint is left out.
    published["keys"][0]["kid"] = "forged00"
    assert card_keys.from_jwks(published) == {}


def test_a_public_key_file_renamed_to_another_kid_is_not_trusted(root):
    card_keys.signing_key(root)
    kid = card_keys.current_kid(root)
    (root / "public" / f"{kid}.pem").rename(root / "public" / "renamed0.pem")
    assert card_keys.public_keys(root) == {}


def test_card_numbers_carry_a_check_digit():
    number = rules.card_number(123)
    assert number.startswith("CN00000123") and len(number) == 11
    assert rules.card_id_of(number) == 123
    wrong = number[:-2] + str((int(number[-2]) + 1) % 10) + number[-1]
    assert rules.card_id_of(wrong) is None
    assert rules.card_id_of("XX123") is None


def test_a_payload_of_another_shape_is_malformed():
    with pytest.raises(rules.MalformedClaims):
        rules.claims_from_payload(b'{"v":2}')
    with pytest.raises(rules.MalformedClaims):
        rules.claims_from_payload(claims().payload().replace(b'"AUJPKR"', b'"AUJ"'))
