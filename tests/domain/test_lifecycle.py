import pytest

from apec_app.domain import lifecycle as lc
from apec_app.domain.numbering import format_number, number_day, parse_day

ALL = [
    lc.DRAFT,
    lc.FAO_REVIEW,
    lc.MFA_REVIEW,
    lc.RETURNED,
    lc.REJECTED,
    lc.AWAITING_PAYMENT,
    lc.PAYMENT_REVIEW,
    lc.ECONOMY_REVIEW,
    lc.ECONOMIES_DONE,
    lc.CARD_PRODUCTION,
    lc.AWAITING_PICKUP,
    lc.PICKED_UP,
    lc.MAILED,
    lc.APPROVED,
]

EXPECTED = {
    ("submit", lc.DRAFT): lc.FAO_REVIEW,
    ("submit", lc.RETURNED): lc.FAO_REVIEW,
    ("withdraw", lc.FAO_REVIEW): lc.DRAFT,
    ("withdraw", lc.MFA_REVIEW): lc.DRAFT,
    ("approve", lc.FAO_REVIEW): lc.AWAITING_PAYMENT,
    ("approve", lc.MFA_REVIEW): lc.AWAITING_PAYMENT,
    ("return", lc.FAO_REVIEW): lc.RETURNED,
    ("return", lc.MFA_REVIEW): lc.RETURNED,
    ("reject", lc.FAO_REVIEW): lc.REJECTED,
    ("reject", lc.MFA_REVIEW): lc.REJECTED,
    ("pay", lc.AWAITING_PAYMENT): lc.PAYMENT_REVIEW,
    ("confirm_payment", lc.PAYMENT_REVIEW): lc.ECONOMY_REVIEW,
    ("refuse_payment", lc.PAYMENT_REVIEW): lc.AWAITING_PAYMENT,
    ("economies_complete", lc.ECONOMY_REVIEW): lc.ECONOMIES_DONE,
    ("start_production", lc.ECONOMIES_DONE): lc.CARD_PRODUCTION,
    ("card_ready", lc.CARD_PRODUCTION): lc.AWAITING_PICKUP,
    ("mail", lc.CARD_PRODUCTION): lc.MAILED,
    ("picked_up", lc.AWAITING_PICKUP): lc.PICKED_UP,
}


@pytest.mark.parametrize("action", sorted(lc.TRANSITIONS))
@pytest.mark.parametrize("status", ALL)
def test_transition_table_for_new_renew(action, status):
    expected = EXPECTED.get((action, status))
    if expected is None:
        with pytest.raises(lc.TransitionRefused):
            lc.next_status(action, status, channel="local", business_type=lc.NEW_RENEW)
    else:
        assert lc.next_status(action, status, channel="local", business_type=lc.NEW_RENEW) == expected


def test_direct_enterprises_go_to_the_ministry():
    assert lc.next_status("submit", lc.DRAFT, channel="direct", business_type=lc.NEW_RENEW) == lc.MFA_REVIEW


def test_unpaid_follow_ups_skip_payment():
    assert lc.next_status("approve", lc.FAO_REVIEW, channel="local", business_type=lc.CANCEL) == lc.APPROVED
    assert lc.next_status("approve", lc.FAO_REVIEW, channel="local", business_type=lc.REPLACE) == lc.AWAITING_PAYMENT


def test_applicant_actions_follow_the_status():
    assert lc.applicant_actions(lc.DRAFT, review_started=False, business_type=lc.NEW_RENEW) == ["edit", "delete"]
    assert "withdraw" in lc.applicant_actions(lc.FAO_REVIEW, review_started=False, business_type=lc.NEW_RENEW)
    assert "withdraw" not in lc.applicant_actions(lc.FAO_REVIEW, review_started=True, business_type=lc.NEW_RENEW)
    assert "pay" in lc.applicant_actions(lc.AWAITING_PAYMENT, review_started=True, business_type=lc.NEW_RENEW)
    assert lc.applicant_actions(lc.RETURNED, review_started=True, business_type=lc.NEW_RENEW) == ["edit", "view"]


def test_application_number_format():
    from datetime import datetime, timezone

    # 2022-10-25 20:00 UTC is already 26 October in Beijing.
    day = number_day(datetime(2022, 10, 25, 20, 0, tzinfo=timezone.utc))
    assert format_number(day, 29) == "APEC20221026000029"
    assert parse_day("APEC20221026000029").isoformat() == "2022-10-26"
    # Not a day: a 13th month, 30 February, too few digits, a sign or a space among them.
    for number in (
        "APEC20221326000029",
        "APEC20230230000001",
        "APEC2022102",
        "APEC+2022102000001",
        "APEC2022 026000001",
    ):
        assert parse_day(number) is None
    with pytest.raises(ValueError):
        format_number(day, 1_000_000)
