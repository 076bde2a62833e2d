import pytest

from apec_app.domain.passwords import check_password_policy, hash_password, verify_password


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("", "required"),
        ("Ab1!", "password_length"),
        ("A" * 30 + "a" * 30 + "1!!!!", "password_length"),
        ("abcdefgh", "password_classes"),
        ("abcdefg1", "password_classes"),
        ("Abc def1!", "password_space"),
        ("Password1", "password_common"),
        ("Zq8!kLm2p", None),
        ("zq8!klm2p", None),  # lower, digit, symbol: three classes
    ],
)
def test_password_policy(password, code):
    assert check_password_policy(password) == code


def test_hash_is_argon2id_and_verifies():
    h = hash_password("Zq8!kLm2p")
    assert h.startswith("$argon2id$")
    assert verify_password("Zq8!kLm2p", h)
    assert not verify_password("Zq8!kLm2P", h)
    assert not verify_password("x", "")
