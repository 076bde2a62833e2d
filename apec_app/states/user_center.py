"""用户中心 / 我的申请单: one tab per business type, search, pagination and the actions each status allows."""

from __future__ import annotations

import reflex as rx

from apec_app.domain import lifecycle
from apec_app.domain.paging import page_count
from apec_app.services.applications import filing, renewals
from apec_app.services.errors import ServiceError
from apec_app.services.followups import forms as followup_forms
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views import user_center
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time
from apec_app.ui_text import CARD_STATUS_LABELS, STATUS_LABELS, status_label

CARDS_TAB = "cards"
OFFER_TEXTS = {
    lifecycle.REPLACE: "换卡或补卡经审核并缴费后制作新卡，新卡制作后原卡即失效。",
    lifecycle.PASSPORT_CHANGE: "用于APEC经济体审核期间、尚未制卡时更换护照；审核通过后以新护照信息为准。",
    lifecycle.CANCEL: "注销经审核通过后，该卡即作废，不能再换补卡。",
}


class UserCenterState(PageMixin, SessionState):
    tab: str = lifecycle.NEW_RENEW
    search: str = ""
    status_filter: str = ""
    page: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    # 撤回 and 删除 ask first, naming the application ("APEC20260101000001 赴日韩商务考察团").
    confirm_withdraw_id: str = ""
    confirm_delete_id: str = ""
    confirm_label: str = ""
    # The follow-up dialog: which business for which application, and the people it can be started for.
    offer_kind: str = ""
    offer_app: str = ""
    offer_people: list[dict[str, str]] = []
    offer_person: str = ""
    _offers: dict[str, dict[str, list[dict[str, str]]]] = {}
    # 我的APEC卡: the cards the account can see, with 续办 from 6 months before expiry.
    card_rows: list[dict[str, str]] = []
    # The tab and the search stay when the user comes back to the list.
    keep_on_load = ("tab", "search", "status_filter")

    offer_text: str = ""
    pages: int = 1

    def _derive(self) -> None:
        self._assign(offer_text=self._offer_text(), pages=page_count(self.total, filing.PAGE_SIZE))

    def _offer_text(self) -> str:
        """What the dialog says for the chosen person (the 提前制卡 wording is the manual's)."""
        person = next((p for p in self.offer_people if p["id"] == self.offer_person), None)
        if person is None:
            return ""
        if self.offer_kind == lifecycle.EARLY_CARD:
            return (
                f"当前获批经济体为{person['approved']}，未包含全部 APEC 经济体，"
                "提前制卡后如获更多经济体批准，可以申请换卡或补卡"
            )
        return OFFER_TEXTS.get(self.offer_kind, "")

    def _load(self, uow: UnitOfWork) -> None:
        if self.tab == CARDS_TAB:
            self._load_cards(uow)
            return
        found = user_center.applications_page(
            uow, self.tab, search=self.search, status=self.status_filter, page=self.page
        )
        self.total = found.total
        self._offers = {
            str(r.id): {
                kind: [
                    {"id": str(p.id), "name": p.name, "passport": p.passport, "approved": "、".join(p.approved)}
                    for p in people
                ]
                for kind, people in r.offers.items()
            }
            for r in found.rows
        }
        self.rows = [
            {
                "id": str(r.id),
                "number": r.number or "（未提交）",
                "title": r.group_name or "（未填写团组名称）",
                "people": r.people,
                "institution": r.institution,
                "status": status_label(r.status, r.early_card_done),
                "edit": ("/apply/" if r.business_type == lifecycle.NEW_RENEW else "/followup/") + str(r.id),
                "offers": ",".join(r.offers),
                "time": local_time(r.at),
                "actions": ",".join(r.actions),
            }
            for r in found.rows
        ]

    def _load_cards(self, uow: UnitOfWork) -> None:
        rows = user_center.my_cards(uow)
        self.card_rows = [
            {
                "id": str(r.id),
                "holder": r.holder,
                "passport": r.passport,
                "status": CARD_STATUS_LABELS.get(r.status, r.status),
                "valid_until": r.valid_until.isoformat(),
                "economies": "、".join(r.economies),
                "renewable": "1" if r.renewable else "",
                "opens": r.renewal_opens.isoformat(),
                "virtual": "" if r.status == "producing" else "1",
            }
            for r in rows
        ]
        self.total = len(rows)

    def _service_error(self, exc: ServiceError):
        """A refused action (a stale row, a forged id): say why, and show the list as it is now."""
        return [*super()._service_error_events(exc), type(self).refresh]

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        self._load(uow)

    @requires(APPLICANT)
    def refresh(self, uow: UnitOfWork):
        self._load(uow)

    @requires(APPLICANT)
    def renew(self, uow: UnitOfWork, card_id: int):
        """【续办】: a 新办/续办 draft with the holder prefilled (the server checks the window again)."""
        draft_id = renewals.start(uow, int(card_id)).id
        return rx.redirect(f"/apply/{draft_id}")

    @requires(APPLICANT)
    def set_tab(self, uow: UnitOfWork, tab: str):
        if tab in (*lifecycle.BUSINESS_TYPES, CARDS_TAB):
            self.tab, self.page, self.search, self.status_filter = tab, 1, "", ""
            self._load(uow)

    @requires(APPLICANT)
    def apply_search(self, uow: UnitOfWork, form: dict):
        self.search = str(form.get("search", "")).strip()[:50]
        status = str(form.get("status", ""))
        self.status_filter = status if status in STATUS_LABELS else ""
        self.page = 1
        self._load(uow)

    @requires(APPLICANT)
    def go_page(self, uow: UnitOfWork, page: int):
        self.page = min(max(1, int(page)), self.pages)
        self._load(uow)

    def _label_of(self, application_id: str) -> str | None:
        row = next((r for r in self.rows if r["id"] == str(application_id)), None)
        if row is None:
            return None
        number = "" if row["number"] == "（未提交）" else row["number"] + " "
        return f"{number}{row['title']}"

    @requires(APPLICANT)
    def ask_delete(self, uow: UnitOfWork, application_id: str):
        label = self._label_of(application_id)
        if label is not None:
            self.confirm_delete_id, self.confirm_label = str(application_id), label

    @requires(APPLICANT)
    def cancel_delete(self, uow: UnitOfWork):
        self.confirm_delete_id = ""

    @requires(APPLICANT)
    def delete_draft(self, uow: UnitOfWork):
        target, self.confirm_delete_id = self.confirm_delete_id, ""
        filing.delete_draft(uow, int(target or 0))
        self._load(uow)
        return rx.toast.success("草稿已删除")

    @requires(APPLICANT)
    def ask_withdraw(self, uow: UnitOfWork, application_id: str):
        label = self._label_of(application_id)
        if label is not None:
            self.confirm_withdraw_id, self.confirm_label = str(application_id), label

    @requires(APPLICANT)
    def cancel_withdraw(self, uow: UnitOfWork):
        self.confirm_withdraw_id = ""

    @requires(APPLICANT)
    def withdraw(self, uow: UnitOfWork):
        target, self.confirm_withdraw_id = self.confirm_withdraw_id, ""
        filing.withdraw(uow, int(target or 0))
        self._load(uow)
        return rx.toast.success("已撤回，申请单已回到草稿，可继续填写后重新提交")

    @requires(APPLICANT)
    def open_offer(self, uow: UnitOfWork, application_id: str, kind: str):
        people = self._offers.get(str(application_id), {}).get(kind, [])
        if not people:
            return None
        self.offer_app, self.offer_kind, self.offer_people = str(application_id), kind, people
        self.offer_person = people[0]["id"]
        return None

    @requires(APPLICANT)
    def choose_offer_person(self, uow: UnitOfWork, person_id: str):
        self.offer_person = str(person_id)

    @requires(APPLICANT)
    def close_offer(self, uow: UnitOfWork):
        self.offer_kind = ""

    @requires(APPLICANT)
    def start_followup(self, uow: UnitOfWork):
        """【确定】: the server checks the rules again; a forged or stale choice gets their refusal."""
        kind, self.offer_kind = self.offer_kind, ""
        draft = followup_forms.start(uow, int(self.offer_app or 0), int(self.offer_person or 0), kind)
        return rx.redirect(f"/followup/{draft.id}")
