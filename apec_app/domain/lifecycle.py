"""Business types, statuses and the transitions between them (docs/rules.md §3). The only place that knows which
status follows which; services call `next_status` and record the StatusEvent."""

from __future__ import annotations

from dataclasses import dataclass

NEW_RENEW = "new_renew"
EARLY_CARD = "early_card"
REPLACE = "replace"
PASSPORT_CHANGE = "passport_change"
CANCEL = "cancel"
BUSINESS_TYPES = (NEW_RENEW, EARLY_CARD, REPLACE, PASSPORT_CHANGE, CANCEL)
PAID_TYPES = frozenset({NEW_RENEW, REPLACE})
FOLLOWUP_TYPES = (EARLY_CARD, REPLACE, PASSPORT_CHANGE, CANCEL)
# Follow-ups that end in a new card (the others change the person or the card when approved).
CARD_FOLLOWUPS = frozenset({EARLY_CARD, REPLACE})

DRAFT = "draft"
FAO_REVIEW = "fao_review"
MFA_REVIEW = "mfa_review"
RETURNED = "returned"
REJECTED = "rejected"
AWAITING_PAYMENT = "awaiting_payment"
PAYMENT_REVIEW = "payment_review"
ECONOMY_REVIEW = "economy_review"
ECONOMIES_DONE = "economies_done"
CARD_PRODUCTION = "card_production"
AWAITING_PICKUP = "awaiting_pickup"
PICKED_UP = "picked_up"
MAILED = "mailed"
APPROVED = "approved"  # a follow-up approved (and paid, for 换补卡); card follow-ups then go to production
FINAL_STATUSES = frozenset({REJECTED, PICKED_UP, MAILED})
# A 新办/续办 whose people have been sent to the APEC economies (payment confirmed): their decisions are news.
WITH_ECONOMIES = frozenset({ECONOMY_REVIEW, ECONOMIES_DONE, CARD_PRODUCTION, AWAITING_PICKUP, PICKED_UP, MAILED})

REVIEW_STATUSES = frozenset({FAO_REVIEW, MFA_REVIEW})
OPEN_STATUSES = frozenset(
    {
        DRAFT,
        FAO_REVIEW,
        MFA_REVIEW,
        RETURNED,
        AWAITING_PAYMENT,
        PAYMENT_REVIEW,
        ECONOMY_REVIEW,
        ECONOMIES_DONE,
        CARD_PRODUCTION,
    }
)

APPLICANT = "applicant"
REVIEWER = "reviewer"
SYSTEM = "system"


class TransitionRefused(Exception):
    """The action is not allowed in the application's current status."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"{action} not allowed in {status}")
        self.action = action
        self.status = status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    actor: str
    needs_reason: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("submit", frozenset({DRAFT, RETURNED}), APPLICANT),
        Transition("withdraw", REVIEW_STATUSES, APPLICANT),
        Transition("approve", REVIEW_STATUSES, REVIEWER),
        Transition("return", REVIEW_STATUSES, REVIEWER, needs_reason=True),
        Transition("reject", REVIEW_STATUSES, REVIEWER, needs_reason=True),
        Transition("pay", frozenset({AWAITING_PAYMENT}), APPLICANT),
        Transition("confirm_payment", frozenset({PAYMENT_REVIEW}), REVIEWER),
        Transition("refuse_payment", frozenset({PAYMENT_REVIEW}), REVIEWER, needs_reason=True),
        Transition("economies_complete", frozenset({ECONOMY_REVIEW}), SYSTEM),
        Transition("start_production", frozenset({ECONOMIES_DONE, APPROVED}), REVIEWER),
        Transition("card_ready", frozenset({CARD_PRODUCTION}), REVIEWER),
        Transition("mail", frozenset({CARD_PRODUCTION}), REVIEWER),
        Transition("picked_up", frozenset({AWAITING_PICKUP}), REVIEWER),
        # A 提前制卡 not yet in production when its 新办/续办 cards go into production has nothing left to do.
        Transition("supersede", frozenset({FAO_REVIEW, MFA_REVIEW, RETURNED, APPROVED}), SYSTEM),
    )
}


def review_status(channel: str) -> str:
    return MFA_REVIEW if channel == "direct" else FAO_REVIEW


def next_status(action: str, status: str, *, channel: str, business_type: str) -> str:
    """The status an action leads to from `status`, or TransitionRefused."""
    transition = TRANSITIONS.get(action)
    if transition is None or status not in transition.sources:
        raise TransitionRefused(action, status)
    if action == "submit":
        return review_status(channel)
    if action == "withdraw":
        return DRAFT
    if action == "supersede" and business_type != EARLY_CARD:
        raise TransitionRefused(action, status)
    if action == "approve":
        return AWAITING_PAYMENT if business_type in PAID_TYPES else APPROVED
    if action == "confirm_payment":
        return ECONOMY_REVIEW if business_type == NEW_RENEW else APPROVED
    if action == "start_production":
        # 新办/续办 cards wait for every economy; card follow-ups are made once approved; the others make none.
        new_renew_ready = status == ECONOMIES_DONE and business_type == NEW_RENEW
        followup_ready = status == APPROVED and business_type in CARD_FOLLOWUPS
        if not (new_renew_ready or followup_ready):
            raise TransitionRefused(action, status)
    targets = {
        "return": RETURNED,
        "reject": REJECTED,
        "supersede": REJECTED,
        "pay": PAYMENT_REVIEW,
        "refuse_payment": AWAITING_PAYMENT,
        "economies_complete": ECONOMIES_DONE,
        "start_production": CARD_PRODUCTION,
        "card_ready": AWAITING_PICKUP,
        "mail": MAILED,
        "picked_up": PICKED_UP,
    }
    return targets[action]


def reachable_statuses(channel: str) -> frozenset[str]:
    """Every status an application of `channel` can be in once submitted, followed through the transitions
    for every business type: a 外办 never holds 外交部审核中 and the Ministry never 外办审核中."""
    found = {review_status(channel)}
    frontier = list(found)
    while frontier:
        status = frontier.pop()
        for action in TRANSITIONS:
            for business_type in BUSINESS_TYPES:
                try:
                    target = next_status(action, status, channel=channel, business_type=business_type)
                except TransitionRefused:
                    continue
                if target not in found and target != DRAFT:  # a withdrawn application is the applicant's again
                    found.add(target)
                    frontier.append(target)
    return frozenset(found)


def is_open(business_type: str, status: str) -> bool:
    """Still in progress: drafts count (a person's second follow-up of a conflicting kind waits for it)."""
    if status in FINAL_STATUSES:
        return False
    return not (status == APPROVED and business_type not in CARD_FOLLOWUPS)


STAFF_ACTIONS = (
    "approve",
    "return",
    "reject",
    "confirm_payment",
    "refuse_payment",
    "start_production",
    "card_ready",
    "mail",
    "picked_up",
)


def staff_actions(status: str, *, business_type: str, delivery: str) -> list[str]:
    """The reviewer's buttons now: the transitions that status and business type allow, and for a finished
    card only the delivery the applicant chose (制卡完成 for 自取, 已邮寄 for 邮寄)."""
    allowed = []
    for action in STAFF_ACTIONS:
        try:
            next_status(action, status, channel="", business_type=business_type)
        except TransitionRefused:
            continue
        if (action == "mail" and delivery != "mail") or (action == "card_ready" and delivery != "pickup"):
            continue
        allowed.append(action)
    return allowed


def applicant_actions(status: str, *, review_started: bool, business_type: str) -> list[str]:
    """What the applicant may do now (the user centre shows exactly these buttons)."""
    actions = []
    if status in (DRAFT, RETURNED):
        actions.append("edit")
    if status != DRAFT:
        actions.append("view")
    if status in REVIEW_STATUSES and not review_started:
        actions.append("withdraw")
    if status == AWAITING_PAYMENT and business_type in PAID_TYPES:
        actions.append("pay")
    if status == DRAFT:
        actions.append("delete")
    return actions
