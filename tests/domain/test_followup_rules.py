"""Pure rules of the follow-up businesses: who may start which (SPEC §3), the step validations, and the
lifecycle additions (transitions per business type, open follow-ups, the reviewer's buttons)."""

from datetime import date, timedelta

import pytest

from apec_app.domain import followups as fu
from apec_app.domain import lifecycle as lc

TODAY = date(2026, 11, 26)

EARLY, REPLACE, PASSPORT, CANCEL = lc.EARLY_CARD, lc.REPLACE, lc.PASSPORT_CHANGE, lc.CANCEL
KINDS = (EARLY, REPLACE, PASSPORT, CANCEL)

ALL_STATUSES = (
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
)

# name → (card status, card expired)
CARDS = {
    "none": ("", False),
    "producing": ("producing", False),
    "ready": ("ready", False),
    "picked_up": ("picked_up", False),
    "mailed": ("mailed", False),
    "cancelled": ("cancelled", False),
    "cancelled_expired": ("cancelled", True),
    "picked_up_expired": ("picked_up", True),
    "mailed_expired": ("mailed", True),
    "producing_expired": ("producing", True),
}


def situation(
    status=lc.ECONOMY_REVIEW, *, card="", expired=False, approved=1, open_=(), parent_type=lc.NEW_RENEW
) -> fu.PersonSituation:
    return fu.PersonSituation(
        parent_type=parent_type,
        parent_status=status,
        approved_economies=approved,
        card=card,
        card_expired=expired,
        open_followups=frozenset(open_),
    )


def spec_refusal(kind: str, status: str, card: str, expired: bool, approved: int) -> str | None:
    """The SPEC, written out independently of the code under test (no open follow-ups)."""
    if kind == EARLY:
        if status != lc.ECONOMY_REVIEW or card != "":
            return "followup_not_allowed"
        return None if approved >= 1 else "followup_no_economy_approved"
    if kind == PASSPORT:
        return None if status == lc.ECONOMY_REVIEW and card == "" else "followup_not_allowed"
    # replace / cancel: a delivered, unexpired card; a cancelled one says so.
    if card == "cancelled":
        return "followup_card_cancelled"
    return None if card in ("picked_up", "mailed") and not expired else "followup_not_allowed"


def test_status_list_covers_every_status_of_the_lifecycle():
    seen = set(lc.OPEN_STATUSES) | set(lc.FINAL_STATUSES) | {lc.APPROVED}
    for transition in lc.TRANSITIONS.values():
        seen |= transition.sources
    for action in lc.TRANSITIONS:
        for status in ALL_STATUSES:
            for business_type in lc.BUSINESS_TYPES:
                try:
                    seen.add(lc.next_status(action, status, channel="local", business_type=business_type))
                except lc.TransitionRefused:
                    pass
    assert seen == set(ALL_STATUSES)
    assert len(ALL_STATUSES) == len(set(ALL_STATUSES))


def test_followup_types_are_the_four_businesses():
    assert set(lc.FOLLOWUP_TYPES) == {EARLY, REPLACE, PASSPORT, CANCEL}
    assert lc.NEW_RENEW not in lc.FOLLOWUP_TYPES
    assert lc.CARD_FOLLOWUPS == {EARLY, REPLACE}
    assert set(lc.BUSINESS_TYPES) == {lc.NEW_RENEW, *lc.FOLLOWUP_TYPES}


# --- the offer matrix -------------------------------------------------------------------------------------


@pytest.mark.parametrize("approved", [0, 1, 3])
@pytest.mark.parametrize("card_name", sorted(CARDS))
@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("kind", KINDS)
def test_offer_matrix(kind, status, card_name, approved):
    card, expired = CARDS[card_name]
    s = situation(status, card=card, expired=expired, approved=approved)
    expected = spec_refusal(kind, status, card, expired, approved)
    assert fu.refusal(kind, s) == expected
    assert (kind in fu.offered(s)) == (expected is None)


@pytest.mark.parametrize("card_name", sorted(CARDS))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_offered_lists_exactly_the_allowed_kinds_in_a_stable_order(status, card_name):
    card, expired = CARDS[card_name]
    s = situation(status, card=card, expired=expired, approved=2)
    expected = [k for k in lc.FOLLOWUP_TYPES if spec_refusal(k, status, card, expired, 2) is None]
    assert fu.offered(s) == expected


def test_offered_examples_written_out():
    assert fu.offered(situation(lc.ECONOMY_REVIEW, approved=2)) == [EARLY, PASSPORT]
    assert fu.offered(situation(lc.ECONOMY_REVIEW, approved=0)) == [PASSPORT]
    assert fu.offered(situation(lc.ECONOMIES_DONE, approved=5)) == []
    assert fu.offered(situation(lc.AWAITING_PAYMENT, approved=0)) == []
    assert fu.offered(situation(lc.MAILED, card="mailed")) == [REPLACE, CANCEL]
    assert fu.offered(situation(lc.PICKED_UP, card="picked_up")) == [REPLACE, CANCEL]
    # An early card in the holder's hands while the parent still waits for economies.
    assert fu.offered(situation(lc.ECONOMY_REVIEW, card="mailed", approved=2)) == [REPLACE, CANCEL]
    assert fu.offered(situation(lc.ECONOMY_REVIEW, card="producing", approved=2)) == []
    assert fu.offered(situation(lc.MAILED, card="mailed", expired=True)) == []
    assert fu.offered(situation(lc.MAILED, card="cancelled")) == []
    assert fu.refusal(CANCEL, situation(lc.MAILED, card="cancelled")) == "followup_card_cancelled"
    assert fu.refusal(REPLACE, situation(lc.MAILED, card="ready")) == "followup_not_allowed"
    assert fu.refusal(EARLY, situation(lc.ECONOMY_REVIEW, approved=0)) == "followup_no_economy_approved"
    # No economy approved is only the reason while an early card would otherwise be possible.
    assert fu.refusal(EARLY, situation(lc.FAO_REVIEW, approved=0)) == "followup_not_allowed"
    assert fu.refusal(EARLY, situation(lc.ECONOMY_REVIEW, card="mailed", approved=0)) == "followup_not_allowed"


@pytest.mark.parametrize("parent_type", lc.FOLLOWUP_TYPES + ("", "other"))
@pytest.mark.parametrize("kind", KINDS)
def test_only_new_renew_parents_have_followups(parent_type, kind):
    eligible = {
        EARLY: situation(lc.ECONOMY_REVIEW, approved=3, parent_type=parent_type),
        PASSPORT: situation(lc.ECONOMY_REVIEW, approved=3, parent_type=parent_type),
        REPLACE: situation(lc.MAILED, card="mailed", parent_type=parent_type),
        CANCEL: situation(lc.PICKED_UP, card="picked_up", parent_type=parent_type),
    }[kind]
    assert fu.refusal(kind, eligible) == "followup_not_allowed"
    assert fu.offered(eligible) == []
    # The same situation under a 新办/续办 parent is allowed: the parent type alone refused it.
    assert fu.refusal(kind, situation(eligible.parent_status, card=eligible.card, approved=3)) is None


@pytest.mark.parametrize("kind", [lc.NEW_RENEW, "", "renew", "EARLY_CARD"])
def test_unknown_kinds_are_refused(kind):
    assert fu.refusal(kind, situation(lc.ECONOMY_REVIEW, approved=3)) == "followup_not_allowed"
    assert fu.refusal(kind, situation(lc.MAILED, card="mailed")) == "followup_not_allowed"


# --- conflicts --------------------------------------------------------------------------------------------

CONFLICTING = {
    EARLY: {EARLY, PASSPORT},
    PASSPORT: {EARLY, PASSPORT},
    REPLACE: {REPLACE, CANCEL},
    CANCEL: {REPLACE, CANCEL},
}


def _eligible(kind, open_=()):
    if kind in (EARLY, PASSPORT):
        return situation(lc.ECONOMY_REVIEW, approved=2, open_=open_)
    return situation(lc.MAILED, card="mailed", open_=open_)


@pytest.mark.parametrize("open_kind", KINDS)
@pytest.mark.parametrize("kind", KINDS)
def test_conflict_matrix(kind, open_kind):
    assert fu.refusal(kind, _eligible(kind)) is None  # eligible without the open follow-up
    refused = fu.refusal(kind, _eligible(kind, {open_kind}))
    if open_kind in CONFLICTING[kind]:
        assert refused == "followup_in_progress"
        assert kind not in fu.offered(_eligible(kind, {open_kind}))
    else:
        assert refused is None
        assert kind in fu.offered(_eligible(kind, {open_kind}))


def test_conflicts_are_symmetric():
    for kind, others in fu.CONFLICTS.items():
        for other in others:
            assert kind in fu.CONFLICTS[other]
    assert {k: set(v) for k, v in fu.CONFLICTS.items()} == CONFLICTING


def test_open_followups_of_both_groups():
    s = situation(lc.ECONOMY_REVIEW, approved=2, open_={REPLACE, CANCEL})
    assert fu.offered(s) == [EARLY, PASSPORT]
    s = situation(lc.MAILED, card="mailed", open_={EARLY, PASSPORT})
    assert fu.offered(s) == [REPLACE, CANCEL]
    s = situation(lc.ECONOMY_REVIEW, approved=2, open_={PASSPORT})
    assert fu.offered(s) == []


def test_ineligibility_is_reported_before_a_conflict():
    s = situation(lc.ECONOMY_REVIEW, card="mailed", approved=2, open_={PASSPORT})
    assert fu.refusal(EARLY, s) == "followup_not_allowed"
    s = situation(lc.MAILED, card="cancelled", open_={REPLACE})
    assert fu.refusal(CANCEL, s) == "followup_card_cancelled"
    s = situation(lc.ECONOMY_REVIEW, approved=0, open_={PASSPORT})
    assert fu.refusal(EARLY, s) == "followup_no_economy_approved"


# --- steps ------------------------------------------------------------------------------------------------


def test_steps_and_delivery():
    assert [fu.has_delivery(k) for k in KINDS] == [True, True, False, False]
    assert fu.step_name(EARLY, 1) == "contact"
    assert fu.step_name(REPLACE, 1) == "replace_reason"
    assert fu.step_name(PASSPORT, 1) == "passport"
    assert fu.step_name(CANCEL, 1) == "cancel_reason"
    assert fu.step_name(REPLACE, 3) == "delivery"
    assert fu.step_name(CANCEL, 3) == "confirm"
    assert fu.step_name(EARLY, 0) == "contact"  # clamped
    assert fu.step_name(EARLY, 99) == "confirm"
    assert fu.step_name(PASSPORT, -5) == "passport"


# --- validation -------------------------------------------------------------------------------------------

GOOD_CONTACT = {"contact_name": "李四", "contact_phone": "13912345678"}


def test_validate_contact():
    assert fu.validate_contact(GOOD_CONTACT) == {}
    assert fu.validate_contact({"contact_name": "李四", "contact_phone": "010-12345678"}) == {}
    assert fu.validate_contact({}) == {"contact.contact_name": "required", "contact.contact_phone": "required"}
    assert fu.validate_contact({"contact_name": "   ", "contact_phone": "12345"}) == {
        "contact.contact_name": "required",
        "contact.contact_phone": "phone_format",
    }
    assert fu.validate_contact({"contact_name": "名" * 51, "contact_phone": "13912345678"}) == {
        "contact.contact_name": "too_long"
    }
    assert fu.validate_contact({"contact_name": "名" * 50, "contact_phone": "13912345678"}) == {}


@pytest.mark.parametrize("reason", ["获批更多经济体", "持卡人信息变更"])
def test_replace_exchange_needs_no_statement(reason):
    assert fu.validate_replace_reason({"kind": "换卡", "reason": reason}) == {}


@pytest.mark.parametrize("reason", ["遗失", "损坏"])
def test_replace_reissue_needs_the_statement(reason):
    assert fu.validate_replace_reason({"kind": "补卡", "reason": reason}) == {"reason.statement_doc": "upload_required"}
    assert fu.validate_replace_reason({"kind": "补卡", "reason": reason, "statement_doc": ""}) == {
        "reason.statement_doc": "upload_required"
    }
    assert fu.validate_replace_reason({"kind": "补卡", "reason": reason, "statement_doc": "17"}) == {}


def test_replace_reason_must_match_its_kind():
    assert fu.validate_replace_reason({}) == {"reason.kind": "required", "reason.reason": "required"}
    assert fu.validate_replace_reason({"kind": "换卡", "reason": "遗失"}) == {"reason.reason": "required"}
    assert fu.validate_replace_reason({"kind": "补卡", "reason": "获批更多经济体", "statement_doc": "1"}) == {
        "reason.reason": "required"
    }
    assert fu.validate_replace_reason({"kind": "注销", "reason": "遗失"}) == {
        "reason.kind": "required",
        "reason.reason": "required",
    }
    assert fu.validate_replace_reason({"kind": "换卡", "reason": "获批更多经济体", "note": "x" * 501}) == {
        "reason.note": "too_long"
    }
    assert fu.validate_replace_reason({"kind": "换卡", "reason": "获批更多经济体", "note": "x" * 500}) == {}


@pytest.mark.parametrize("reason", ["持卡人离职", "持卡人不再需要", "持卡人信息有误"])
def test_cancel_reasons_other_than_other_need_no_note(reason):
    assert fu.validate_cancel_reason({"reason": reason}) == {}
    assert fu.validate_cancel_reason({"reason": reason, "note": "补充说明"}) == {}


def test_cancel_reason_other_needs_a_note():
    assert fu.validate_cancel_reason({"reason": "其他"}) == {"reason.note": "required"}
    assert fu.validate_cancel_reason({"reason": "其他", "note": "   "}) == {"reason.note": "required"}
    assert fu.validate_cancel_reason({"reason": "其他", "note": "x" * 501}) == {"reason.note": "too_long"}
    assert fu.validate_cancel_reason({"reason": "其他", "note": "公司已注销"}) == {}
    assert fu.validate_cancel_reason({}) == {"reason.reason": "required"}
    assert fu.validate_cancel_reason({"reason": "遗失"}) == {"reason.reason": "required"}


OLD_NUMBER = "E12345678"


def new_passport(**changes) -> dict[str, str]:
    return {
        "reason": "护照有效期不足换发",
        "passport_type": "普通",
        "passport_number": "E87654321",
        "issue_date": (TODAY - timedelta(days=30)).isoformat(),
        "expiry_date": (TODAY + timedelta(days=3650)).isoformat(),
        "issuing_authority": "公安部出入境管理局",
        "issue_place": "江苏",
        "passport_page_doc": "12",
    } | changes


def test_valid_new_passport():
    assert fu.validate_new_passport(new_passport(), OLD_NUMBER, TODAY) == {}
    for reason in fu.PASSPORT_REASONS:
        assert fu.validate_new_passport(new_passport(reason=reason), OLD_NUMBER, TODAY) == {}


@pytest.mark.parametrize("number", ["E12345678", "e12345678", " E12345678 ", "e12345678  "])
def test_same_passport_number_is_refused(number):
    errors = fu.validate_new_passport(new_passport(passport_number=number), OLD_NUMBER, TODAY)
    assert errors == {"passport.passport_number": "passport_unchanged"}
    # The old number is compared the same way, however it is stored.
    errors = fu.validate_new_passport(new_passport(passport_number=number), " e12345678", TODAY)
    assert errors == {"passport.passport_number": "passport_unchanged"}


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"reason": ""}, {"passport.reason": "required"}),
        ({"reason": "想换"}, {"passport.reason": "required"}),
        ({"passport_page_doc": ""}, {"passport.passport_page_doc": "upload_required"}),
        ({"issuing_authority": " "}, {"passport.issuing_authority": "required"}),
        ({"issue_place": ""}, {"passport.issue_place": "required"}),
        ({"issuing_authority": "x" * 201}, {"passport.issuing_authority": "too_long"}),
        ({"passport_number": ""}, {"passport.passport_number": "required"}),
        ({"passport_number": "G12345678"}, {"passport.passport_number": "passport_format_ordinary"}),
        (
            {"passport_type": "外交", "passport_number": "E87654321"},
            {"passport.passport_number": "passport_format_diplomatic"},
        ),
        ({"passport_type": "外交", "passport_number": "DE1234567"}, {}),
        ({"passport_type": "公务", "passport_number": "SE1234567"}, {}),
        ({"passport_type": "公务普通", "passport_number": "PE1234567"}, {}),
        ({"passport_type": "", "passport_number": "E87654321"}, {"passport.passport_type": "required"}),
        (
            {"passport_type": "护照", "passport_number": "XYZ"},
            {"passport.passport_type": "required", "passport.passport_number": "passport_format"},
        ),
        ({"issue_date": ""}, {"passport.issue_date": "required"}),
        ({"issue_date": "2026-13-01"}, {"passport.issue_date": "required"}),
        ({"issue_date": (TODAY + timedelta(days=1)).isoformat()}, {"passport.issue_date": "date_future"}),
        ({"expiry_date": ""}, {"passport.expiry_date": "required"}),
        (
            {"expiry_date": (TODAY - timedelta(days=31)).isoformat()},
            {"passport.expiry_date": "passport_expiry_before_issue"},
        ),
        (
            {"issue_date": (TODAY - timedelta(days=4000)).isoformat(), "expiry_date": TODAY.isoformat()},
            {"passport.expiry_date": "passport_expired"},
        ),
        ({"expiry_date": (TODAY + timedelta(days=60)).isoformat()}, {"passport.expiry_date": "passport_expires_soon"}),
    ],
)
def test_new_passport_errors(changes, expected):
    assert fu.validate_new_passport(new_passport(**changes), OLD_NUMBER, TODAY) == expected


def test_empty_new_passport_names_every_field():
    errors = fu.validate_new_passport({}, OLD_NUMBER, TODAY)
    assert errors == {
        "passport.reason": "required",
        "passport.passport_page_doc": "upload_required",
        "passport.issuing_authority": "required",
        "passport.issue_place": "required",
        "passport.passport_type": "required",
        "passport.passport_number": "required",
        "passport.issue_date": "required",
        "passport.expiry_date": "required",
    }


def test_first_step_checks_the_business_specific_section():
    bad = {"contact": {}, "reason": {}, "passport": {}}
    contact_errors = {"contact.contact_name", "contact.contact_phone"}
    assert set(fu.validate_first_step(EARLY, bad, OLD_NUMBER, TODAY)) == contact_errors
    assert set(fu.validate_first_step(REPLACE, bad, OLD_NUMBER, TODAY)) == contact_errors | {
        "reason.kind",
        "reason.reason",
    }
    assert set(fu.validate_first_step(CANCEL, bad, OLD_NUMBER, TODAY)) == contact_errors | {"reason.reason"}
    passport_errors = set(fu.validate_first_step(PASSPORT, bad, OLD_NUMBER, TODAY)) - contact_errors
    assert passport_errors and all(k.startswith("passport.") for k in passport_errors)
    good = {
        "contact": GOOD_CONTACT,
        "reason": {"kind": "换卡", "reason": "获批更多经济体"},
        "passport": new_passport(),
    }
    for kind in (EARLY, REPLACE, PASSPORT):
        assert fu.validate_first_step(kind, good, OLD_NUMBER, TODAY) == {}
    assert fu.validate_first_step(CANCEL, good | {"reason": {"reason": "持卡人离职"}}, OLD_NUMBER, TODAY) == {}
    # A 仅更换护照 with the old number fails only there.
    assert fu.validate_first_step(PASSPORT, good, "E87654321", TODAY) == {
        "passport.passport_number": "passport_unchanged"
    }
    # Cancel reasons are not replace reasons and vice versa.
    assert fu.validate_first_step(CANCEL, good, OLD_NUMBER, TODAY) == {"reason.reason": "required"}


def test_summary_lines():
    form = {
        "contact": GOOD_CONTACT,
        "reason": {"kind": "补卡", "reason": "遗失", "note": "出差途中遗失"},
        "passport": new_passport(passport_number="e87654321"),
        "source": {"passport_number": OLD_NUMBER},
    }
    contact = [("联系人姓名", "李四"), ("联系人电话", "13912345678")]
    assert fu.summary(EARLY, form) == contact
    assert fu.summary(REPLACE, form) == contact + [("换卡/补卡", "补卡"), ("原因", "遗失"), ("说明", "出差途中遗失")]
    cancel_form = form | {"reason": {"reason": "持卡人离职"}}
    assert fu.summary(CANCEL, cancel_form) == contact + [("注销原因", "持卡人离职")]
    lines = dict(fu.summary(PASSPORT, form))
    assert lines["原护照号码"] == OLD_NUMBER and lines["新护照号码"] == "E87654321"
    assert lines["更换护照原因"] == "护照有效期不足换发" and lines["护照种类"] == "普通"
    assert fu.summary(EARLY, {}) == [("联系人姓名", ""), ("联系人电话", "")]


# --- lifecycle additions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("review", [lc.FAO_REVIEW, lc.MFA_REVIEW])
@pytest.mark.parametrize("business_type", lc.BUSINESS_TYPES)
def test_approve_goes_to_payment_only_for_paid_types(business_type, review):
    expected = lc.AWAITING_PAYMENT if business_type in (lc.NEW_RENEW, REPLACE) else lc.APPROVED
    assert lc.next_status("approve", review, channel="local", business_type=business_type) == expected


@pytest.mark.parametrize("business_type", lc.BUSINESS_TYPES)
@pytest.mark.parametrize("channel, review", [("local", lc.FAO_REVIEW), ("direct", lc.MFA_REVIEW)])
def test_submit_goes_to_the_channels_review(business_type, channel, review):
    for status in (lc.DRAFT, lc.RETURNED):
        assert lc.next_status("submit", status, channel=channel, business_type=business_type) == review


def test_confirm_payment_per_business_type():
    assert lc.next_status("confirm_payment", lc.PAYMENT_REVIEW, channel="local", business_type=lc.NEW_RENEW) == (
        lc.ECONOMY_REVIEW
    )
    assert lc.next_status("confirm_payment", lc.PAYMENT_REVIEW, channel="local", business_type=REPLACE) == (lc.APPROVED)
    assert lc.next_status("pay", lc.AWAITING_PAYMENT, channel="local", business_type=REPLACE) == lc.PAYMENT_REVIEW
    assert lc.next_status("refuse_payment", lc.PAYMENT_REVIEW, channel="local", business_type=REPLACE) == (
        lc.AWAITING_PAYMENT
    )


START_PRODUCTION_FROM = {
    lc.NEW_RENEW: {lc.ECONOMIES_DONE},
    EARLY: {lc.APPROVED},
    REPLACE: {lc.APPROVED},
    PASSPORT: set(),
    CANCEL: set(),
}


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("business_type", lc.BUSINESS_TYPES)
def test_start_production_per_business_type(business_type, status):
    if status in START_PRODUCTION_FROM[business_type]:
        assert lc.next_status("start_production", status, channel="local", business_type=business_type) == (
            lc.CARD_PRODUCTION
        )
    else:
        with pytest.raises(lc.TransitionRefused) as exc:
            lc.next_status("start_production", status, channel="local", business_type=business_type)
        assert exc.value.action == "start_production" and exc.value.status == status


@pytest.mark.parametrize("business_type", [EARLY, REPLACE])
def test_card_followups_are_delivered_like_new_renew(business_type):
    assert lc.next_status("mail", lc.CARD_PRODUCTION, channel="local", business_type=business_type) == lc.MAILED
    assert lc.next_status("card_ready", lc.CARD_PRODUCTION, channel="local", business_type=business_type) == (
        lc.AWAITING_PICKUP
    )
    assert lc.next_status("picked_up", lc.AWAITING_PICKUP, channel="local", business_type=business_type) == (
        lc.PICKED_UP
    )


def test_early_card_path():
    path = [("submit", lc.FAO_REVIEW), ("approve", lc.APPROVED), ("start_production", lc.CARD_PRODUCTION)]
    status = lc.DRAFT
    for action, expected in path + [("mail", lc.MAILED)]:
        status = lc.next_status(action, status, channel="local", business_type=EARLY)
        assert status == expected


def test_replace_path():
    status = lc.DRAFT
    for action, expected in [
        ("submit", lc.MFA_REVIEW),
        ("approve", lc.AWAITING_PAYMENT),
        ("pay", lc.PAYMENT_REVIEW),
        ("confirm_payment", lc.APPROVED),
        ("start_production", lc.CARD_PRODUCTION),
        ("card_ready", lc.AWAITING_PICKUP),
        ("picked_up", lc.PICKED_UP),
    ]:
        status = lc.next_status(action, status, channel="direct", business_type=REPLACE)
        assert status == expected


@pytest.mark.parametrize("business_type", [PASSPORT, CANCEL])
def test_unpaid_non_card_followups_end_at_approved(business_type):
    assert lc.next_status("approve", lc.FAO_REVIEW, channel="local", business_type=business_type) == lc.APPROVED
    for action in lc.TRANSITIONS:
        with pytest.raises(lc.TransitionRefused):
            lc.next_status(action, lc.APPROVED, channel="local", business_type=business_type)


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("business_type", lc.BUSINESS_TYPES)
def test_is_open(business_type, status):
    if status in (lc.REJECTED, lc.PICKED_UP, lc.MAILED):
        expected = False
    elif status == lc.APPROVED:
        expected = business_type in (EARLY, REPLACE)  # still to be produced
    else:
        expected = True  # drafts, returned, review, payment, production, awaiting pickup
    assert lc.is_open(business_type, status) is expected


def test_drafts_count_as_open():
    for kind in KINDS:
        assert lc.is_open(kind, lc.DRAFT)
        assert lc.is_open(kind, lc.RETURNED)


@pytest.mark.parametrize("business_type", lc.BUSINESS_TYPES)
def test_staff_actions_deliver_only_the_chosen_way(business_type):
    assert lc.staff_actions(lc.CARD_PRODUCTION, business_type=business_type, delivery="mail") == ["mail"]
    assert lc.staff_actions(lc.CARD_PRODUCTION, business_type=business_type, delivery="pickup") == ["card_ready"]
    assert lc.staff_actions(lc.CARD_PRODUCTION, business_type=business_type, delivery="") == []
    assert lc.staff_actions(lc.AWAITING_PICKUP, business_type=business_type, delivery="pickup") == ["picked_up"]


@pytest.mark.parametrize("business_type", lc.BUSINESS_TYPES)
@pytest.mark.parametrize("status", [lc.FAO_REVIEW, lc.MFA_REVIEW])
def test_staff_actions_in_review(business_type, status):
    assert lc.staff_actions(status, business_type=business_type, delivery="mail") == ["approve", "return", "reject"]


@pytest.mark.parametrize("business_type", lc.BUSINESS_TYPES)
def test_staff_actions_without_buttons(business_type):
    for status in (lc.DRAFT, lc.RETURNED, lc.REJECTED, lc.AWAITING_PAYMENT, lc.ECONOMY_REVIEW, lc.MAILED):
        assert lc.staff_actions(status, business_type=business_type, delivery="mail") == []
    assert lc.staff_actions(lc.PAYMENT_REVIEW, business_type=business_type, delivery="mail") == [
        "confirm_payment",
        "refuse_payment",
    ]


def test_staff_actions_for_production():
    assert lc.staff_actions(lc.APPROVED, business_type=EARLY, delivery="mail") == ["start_production"]
    assert lc.staff_actions(lc.APPROVED, business_type=REPLACE, delivery="pickup") == ["start_production"]
    assert lc.staff_actions(lc.APPROVED, business_type=PASSPORT, delivery="") == []
    assert lc.staff_actions(lc.APPROVED, business_type=CANCEL, delivery="") == []
    assert lc.staff_actions(lc.ECONOMIES_DONE, business_type=lc.NEW_RENEW, delivery="mail") == ["start_production"]
    for kind in (EARLY, REPLACE):
        assert lc.staff_actions(lc.ECONOMIES_DONE, business_type=kind, delivery="mail") == []


@pytest.mark.parametrize("business_type", [PASSPORT, CANCEL])
def test_no_production_button_for_non_card_followups_in_any_status(business_type):
    for status in ALL_STATUSES:
        assert "start_production" not in lc.staff_actions(status, business_type=business_type, delivery="mail")


def test_applicant_pays_only_paid_types():
    for business_type in lc.BUSINESS_TYPES:
        actions = lc.applicant_actions(lc.AWAITING_PAYMENT, review_started=True, business_type=business_type)
        assert ("pay" in actions) == (business_type in (lc.NEW_RENEW, REPLACE))
