"""用户中心 / 我的申请单: one tab per business type, search, pagination and the actions each status allows."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select

from apec_app.db import session_scope
from apec_app.domain import lifecycle
from apec_app.domain.validators import mask_number
from apec_app.models import Institution
from apec_app.services.applications import filing as applications
from apec_app.services.applications import renewals
from apec_app.services.errors import ServiceError
from apec_app.services.followups import forms as followups
from apec_app.services.principal import AGENT, ENTERPRISE, Principal
from apec_app.services.review import workbench as review
from apec_app.states.session import SessionState
from apec_app.time_format import local_time, today_local
from apec_app.ui_text import CARD_STATUS_LABELS, describe, status_label

CARDS_TAB = "cards"


class UserCenterState(SessionState):
    tab: str = lifecycle.NEW_RENEW
    search: str = ""
    status_filter: str = ""
    page: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    confirm_withdraw_id: str = ""
    # The follow-up dialog: which business for which application, and the people it can be started for.
    offer_kind: str = ""
    offer_app: str = ""
    offer_people: list[dict[str, str]] = []
    offer_person: str = ""
    _offers: dict[str, dict[str, list[dict[str, str]]]] = {}
    # 我的APEC卡: the cards the account can see, with 续办 from 6 months before expiry.
    card_rows: list[dict[str, str]] = []

    @rx.var
    def offer_text(self) -> str:
        """What the dialog says for the chosen person (the 提前制卡 wording is the manual's)."""
        person = next((p for p in self.offer_people if p["id"] == self.offer_person), None)
        if person is None:
            return ""
        texts = {
            lifecycle.EARLY_CARD: f"当前获批经济体为{person['approved']}，未包含全部 APEC 经济体，"
            "提前制卡后如获更多经济体批准，可以申请换卡或补卡",
            lifecycle.REPLACE: "换卡或补卡经审核并缴费后制作新卡，新卡制作后原卡即失效。",
            lifecycle.PASSPORT_CHANGE: "用于APEC经济体审核期间、尚未制卡时更换护照；审核通过后以新护照信息为准。",
            lifecycle.CANCEL: "注销经审核通过后，该卡即作废，不能再换补卡。",
        }
        return texts.get(self.offer_kind, "")

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // applications.PAGE_SIZE))

    def _me(self) -> Principal | None:
        return self._current(ENTERPRISE, AGENT)

    def _load(self, principal: Principal) -> None:
        if self.tab == CARDS_TAB:
            self._load_cards(principal)
            return
        with session_scope() as db:
            found, self.total = applications.list_applications(
                db, principal, self.tab, search=self.search, status=self.status_filter, page=self.page
            )
            names = {i.id: i.name for i in db.exec(select(Institution)).all()}
            self._offers = self._offers_of(db, principal, found)
        self.rows = [
            {
                "id": str(a.id),
                "number": a.number or "（未提交）",
                "title": a.group_name or "（未填写团组名称）",
                "people": a.person_names,
                "institution": names.get(a.institution_id, ""),
                "status": status_label(a.status, a.early_card_done),
                "edit": ("/apply/" if a.business_type == lifecycle.NEW_RENEW else "/followup/") + str(a.id),
                "offers": ",".join(self._offers.get(str(a.id), {})),
                "time": local_time(a.submitted_at or a.created_at),
                "actions": ",".join(
                    lifecycle.applicant_actions(
                        a.status, review_started=a.review_started_at is not None, business_type=a.business_type
                    )
                ),
            }
            for a in found
        ]

    def _load_cards(self, principal: Principal) -> None:
        with session_scope() as db:
            names = {e.code: e.name_zh for e in review.economies(db)}
            rows = renewals.my_cards(db, principal, today_local())
        self.card_rows = [
            {
                "id": str(r.card.id),
                "holder": f"{r.person.surname}{r.person.given_name}",
                "passport": mask_number(r.person.passport_number),
                "status": CARD_STATUS_LABELS.get(r.card.status, r.card.status),
                "valid_until": r.card.valid_until.isoformat(),
                "economies": "、".join(names.get(c, c) for c in r.card.approved_economies.split(",") if c),
                "renewable": "1" if r.renewable else "",
                "opens": r.renewal_opens.isoformat(),
            }
            for r in rows
        ]
        self.total = len(rows)

    @rx.event
    def renew(self, card_id: str):
        """【续办】: a 新办/续办 draft with the holder prefilled (the server checks the window again)."""
        principal = self._me()
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                draft_id = renewals.start(db, principal, int(card_id), today_local()).id
        except (ServiceError, ValueError) as exc:
            self._load(principal)
            return rx.toast.error(describe(getattr(exc, "code", "not_found")))
        return rx.redirect(f"/apply/{draft_id}")

    @staticmethod
    def _offers_of(db, principal: Principal, rows) -> dict[str, dict[str, list[dict[str, str]]]]:
        """Application id → business type → the people the follow-up dialog offers (one batch per page)."""
        economy_names = {e.code: e.name_zh for e in review.economies(db)}
        return {
            str(app_id): {
                kind: [
                    {
                        "id": str(o.person.id),
                        "name": f"{o.person.surname}{o.person.given_name}",
                        "passport": mask_number(o.person.passport_number),
                        "approved": "、".join(economy_names.get(c, c) for c in o.approved),
                    }
                    for o in found
                ]
                for kind, found in kinds.items()
            }
            for app_id, kinds in followups.offers_for(db, principal, list(rows)).items()
        }

    @rx.event
    def on_load(self):
        principal = self._enter(ENTERPRISE, AGENT)
        if principal is None:
            return self._denied()
        self.page = 1
        self._load(principal)
        return None

    @rx.event
    def set_tab(self, tab: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        if tab in (*lifecycle.BUSINESS_TYPES, CARDS_TAB):
            self.tab, self.page, self.search, self.status_filter = tab, 1, "", ""
            self._load(principal)
        return None

    @rx.event
    def apply_search(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        self.search = str(form.get("search", "")).strip()[:50]
        status = str(form.get("status", ""))
        self.status_filter = status if status in applications_statuses() else ""
        self.page = 1
        self._load(principal)
        return None

    @rx.event
    def go_page(self, page: int):
        principal = self._me()
        if principal is None:
            return self._denied()
        self.page = min(max(1, int(page)), self.pages)
        self._load(principal)
        return None

    @rx.event
    def delete_draft(self, application_id: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                applications.delete_draft(db, principal, int(application_id))
        except (ServiceError, ValueError) as exc:
            return rx.toast.error(describe(getattr(exc, "code", "not_found")))
        self._load(principal)
        return rx.toast.success("草稿已删除")

    @rx.event
    def ask_withdraw(self, application_id: str):
        self.confirm_withdraw_id = str(application_id)

    @rx.event
    def cancel_withdraw(self):
        self.confirm_withdraw_id = ""

    @rx.event
    def withdraw(self):
        principal = self._me()
        if principal is None:
            return self._denied()
        target, self.confirm_withdraw_id = self.confirm_withdraw_id, ""
        try:
            with session_scope() as db:
                applications.withdraw(db, principal, int(target))
        except (ServiceError, ValueError) as exc:
            return rx.toast.error(describe(getattr(exc, "code", "not_found")))
        self._load(principal)
        return rx.toast.success("已撤回，申请单已回到草稿，可继续填写后重新提交")

    @rx.event
    def open_offer(self, application_id: str, kind: str):
        people = self._offers.get(str(application_id), {}).get(kind, [])
        if not people:
            return None
        self.offer_app, self.offer_kind, self.offer_people = str(application_id), kind, people
        self.offer_person = people[0]["id"]
        return None

    @rx.event
    def choose_offer_person(self, person_id: str):
        self.offer_person = str(person_id)

    @rx.event
    def close_offer(self):
        self.offer_kind = ""

    @rx.event
    def start_followup(self):
        """【确定】: the server checks the rules again; a forged or stale choice gets their refusal."""
        principal = self._me()
        if principal is None:
            return self._denied()
        kind, self.offer_kind = self.offer_kind, ""
        try:
            with session_scope() as db:
                draft = followups.start(db, principal, int(self.offer_app), int(self.offer_person), kind)
                draft_id = draft.id
        except (ServiceError, ValueError) as exc:
            self._load(principal)
            return rx.toast.error(describe(getattr(exc, "code", "not_found")))
        return rx.redirect(f"/followup/{draft_id}")


def applications_statuses() -> list[str]:
    from apec_app.ui_text import STATUS_LABELS

    return list(STATUS_LABELS)
