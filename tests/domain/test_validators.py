from apec_app.domain.enterprise import DIRECT, LOCAL, channel_for
from apec_app.domain.validators import (
    check_code,
    check_email,
    check_mobile,
    check_phone,
    check_uscc,
    check_username,
    mask_email,
    mask_number,
)
from apec_app.services.operations import demo_data


def test_valid_credit_code_passes_and_lowercase_is_accepted():
    assert check_uscc("91320100MA1MXXYC1G") is None
    assert check_uscc("91320100ma1mxxyc1g") is None


def test_manual_sample_credit_code_fails_its_check_character():
    assert check_uscc("91370104MA3N1HWCFM") == "uscc_checksum"


def test_credit_code_format_errors():
    assert check_uscc("") == "required"
    assert check_uscc("12345") == "uscc_format"
    assert check_uscc("91320100MA1MXXYC1I") in ("uscc_format", "uscc_checksum")


def test_demo_enterprise_uses_a_valid_credit_code():
    assert check_uscc(demo_data.DEMO_ENTERPRISE["uscc"]) is None


def test_email_mobile_phone_username_and_code():
    assert check_email("a.b@example.com") is None
    assert check_email("a@b") == "email_format"
    assert check_email("") == "required"
    assert check_mobile("13912345678") is None
    assert check_mobile("12912345678") == "mobile_format"
    assert check_phone("025-52345678") is None
    assert check_phone("15102988337") is None
    assert check_phone("12345") == "phone_format"
    assert check_username("jingban01") is None
    assert check_username("1abc") == "username_format"
    assert check_username("ab") == "username_format"
    assert check_code("123456") is None
    assert check_code("12345a") == "code_format"


def test_masks_keep_only_the_ends():
    assert mask_number("321284199401202419") == "3212**********2419"
    assert mask_email("demo@example.com") == "d**o@example.com"


def test_channel_central_enterprises_go_direct_unless_overridden():
    assert channel_for("中央企业") == DIRECT
    assert channel_for("民营企业") == LOCAL
    assert channel_for("民营企业", override=DIRECT) == DIRECT
