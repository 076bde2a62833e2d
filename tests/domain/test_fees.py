import pytest

from apec_app.domain.fees import (
    AGENCY_FEE_LABEL,
    CARD_FEE_LABEL,
    DEFAULT_AGENCY_FEE_FEN,
    DEFAULT_CARD_FEE_FEN,
    FeeLine,
    fee_breakdown,
    format_yuan,
    parse_yuan,
    plain_yuan,
)


def test_local_channel_pays_card_and_agency_fee_per_person():
    fees = fee_breakdown("new_renew", "local", 3, DEFAULT_CARD_FEE_FEN, DEFAULT_AGENCY_FEE_FEN)
    assert [(line.label, line.per_person_fen, line.people) for line in fees.lines] == [
        (CARD_FEE_LABEL, 72_000, 3),
        (AGENCY_FEE_LABEL, 5_000, 3),
    ]
    assert [line.total_fen for line in fees.lines] == [216_000, 15_000]
    assert fees.total_fen == 231_000
    assert format_yuan(fees.total_fen) == "¥2,310.00"


def test_direct_channel_pays_no_agency_fee():
    fees = fee_breakdown("new_renew", "direct", 2, 72_000, 5_000)
    assert [line.label for line in fees.lines] == [CARD_FEE_LABEL]
    assert fees.total_fen == 144_000


def test_replacement_is_paid_with_the_configured_amounts():
    fees = fee_breakdown("replace", "local", 1, 60_050, 0)
    assert fees.total_fen == 60_050
    assert [line.label for line in fees.lines] == [CARD_FEE_LABEL, AGENCY_FEE_LABEL]


@pytest.mark.parametrize("business_type", ["early_card", "passport_change", "cancel"])
@pytest.mark.parametrize("channel", ["local", "direct"])
def test_unpaid_types_owe_nothing(business_type, channel):
    fees = fee_breakdown(business_type, channel, 1, 72_000, 5_000)
    assert fees.lines == []
    assert fees.total_fen == 0


@pytest.mark.parametrize("people", [0, -1])
def test_paid_types_need_at_least_one_person(people):
    with pytest.raises(ValueError):
        fee_breakdown("new_renew", "local", people, 72_000, 5_000)


@pytest.mark.parametrize(
    "args",
    [
        ("renewal", "local", 1, 72_000, 5_000),
        ("new_renew", "post", 1, 72_000, 5_000),
        ("new_renew", "direct", 1, -1, 5_000),
        ("replace", "local", 1, 72_000, -5_000),
    ],
)
def test_unknown_types_channels_and_negative_fees_are_refused(args):
    with pytest.raises(ValueError):
        fee_breakdown(*args)


def test_fee_line_total():
    assert FeeLine("制卡费", 72_050, 30).total_fen == 2_161_500


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (72_000, "¥720.00"),
        (154_000, "¥1,540.00"),
        (0, "¥0.00"),
        (5, "¥0.05"),
        (72_050, "¥720.50"),
        (123_456_789, "¥1,234,567.89"),
        (-5_000, "-¥50.00"),
    ],
)
def test_format_yuan(fen, text):
    assert format_yuan(fen) == text


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("720", 72_000),
        ("720.5", 72_050),
        ("720.50", 72_050),
        ("720.05", 72_005),
        ("¥720", 72_000),
        ("￥720", 72_000),
        (" ¥ 720.00 ", 72_000),
        ("1,540.00", 154_000),
        ("1540", 154_000),
        ("1,234,567.89", 123_456_789),
        ("0", 0),
        ("0.01", 1),
    ],
)
def test_parse_yuan_accepts_admin_input(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "-720",
        "-¥720",
        "720.505",
        "720.",
        ".5",
        "abc",
        "7 20",
        "1,54",
        "15,40.00",
        "1,,540",
        "720元",
        "¥",
        "+720",
        "1e3",
        "７２０",
        "720\n5",
    ],
)
def test_parse_yuan_refuses_negative_over_precise_or_garbage(text):
    assert parse_yuan(text) is None


def test_format_and_parse_round_trip():
    for fen in (0, 1, 99, 72_000, 154_000, 987_654_321):
        assert parse_yuan(format_yuan(fen)) == fen


@pytest.mark.parametrize(
    ("fen", "text"),
    [(77_000, "770"), (154_000, "1540"), (72_050, "720.50"), (5, "0.05"), (0, "0"), (-5_000, "-50")],
)
def test_plain_yuan_writes_whole_yuan_as_the_manual_does(fen, text):
    assert plain_yuan(fen) == text
