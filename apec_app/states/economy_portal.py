"""An APEC economy officer's portal (/economy): the people waiting for the officer's economy, approved or
refused one by one or in bulk. The economy is the signed-in officer's own (services/economies/queue.py reads it
from the principal); the ids the browser sends are checked there against that economy's queue."""

from __future__ import annotations

from datetime import date

import reflex as rx

from apec_app.domain.paging import page_count
from apec_app.services.economies import queue
from apec_app.services.review.decisions import EconomyItem
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings
from apec_app.states.gate import ECONOMY_OFFICER, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text.economy_portal import DECISIONS_EN, SEX_EN, describe_en


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class EconomyPortalState(PageMixin, SessionState):
    economy_code: str = ""
    economy_name: str = ""
    deciding: bool = True
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    selected: list[str] = []
    decided_on: str = ""
    problems: list[str] = []
    search: str = ""
    pages: int = 1
    all_selected: bool = False

    def _derive(self) -> None:
        self._assign(
            pages=page_count(self.total, queue.PAGE_SIZE),
            all_selected=bool(self.rows) and len(self.selected) == len(self.rows),
        )

    def _load(self, uow: UnitOfWork) -> None:
        found = queue.queue(uow, page=self.page, search=self.search)
        if not found.people and self.page > 1:
            self.page = 1
            found = queue.queue(uow, page=1, search=self.search)
        self.economy_code, self.economy_name, self.deciding = found.economy_code, found.economy_name, found.deciding
        self.total = found.total
        photos = f"{get_settings().api_url}/economy-photos"
        self.rows = [
            {
                "id": str(p.person_id),
                "name": f"{p.latin_surname} {p.latin_given_names}".strip() or f"{p.surname}{p.given_name}",
                "name_zh": f"{p.surname}{p.given_name}",
                "sex": SEX_EN.get(p.sex, p.sex),
                "birth_date": _day(p.birth_date),
                "nationality": p.nationality,
                "passport_number": p.passport_number,
                "passport_expiry": _day(p.passport_expiry),
                "photo": f"{photos}/{p.person_id}" if p.has_photo else "",
                "waiting_since": _day(p.waiting_since),
            }
            for p in found.people
        ]
        shown = {r["id"] for r in self.rows}
        self.selected = [s for s in self.selected if s in shown]

    @page_load(ECONOMY_OFFICER)
    def on_load(self, uow: UnitOfWork):
        self.decided_on = uow.today().isoformat()
        self._load(uow)

    @requires(ECONOMY_OFFICER)
    def go_page(self, uow: UnitOfWork, page: int):
        self.page = max(1, int(page))
        self.selected = []
        self._load(uow)

    @requires(ECONOMY_OFFICER)
    def find(self, uow: UnitOfWork, form: dict):
        self.search = str(form.get("search", ""))[:60].strip()
        self.page, self.selected, self.problems = 1, [], []
        self._load(uow)

    @requires(ECONOMY_OFFICER)
    def set_decided_on(self, uow: UnitOfWork, value: str):
        self.decided_on = str(value)[:10]

    @requires(ECONOMY_OFFICER)
    def toggle(self, uow: UnitOfWork, person_id: str, checked: bool):
        wanted = str(person_id)
        rest = [s for s in self.selected if s != wanted]
        self.selected = [*rest, wanted] if checked and any(r["id"] == wanted for r in self.rows) else rest

    @requires(ECONOMY_OFFICER)
    def toggle_all(self, uow: UnitOfWork, checked: bool):
        self.selected = [r["id"] for r in self.rows] if checked else []

    def _decide(self, uow: UnitOfWork, person_ids: list[str], decision: str):
        try:
            day = date.fromisoformat(self.decided_on)
        except ValueError:
            return rx.toast.error(describe_en("date_invalid"))
        ids = [int(i) for i in person_ids if str(i).isdigit() and len(str(i)) < 12]
        if not ids:
            return rx.toast.error(describe_en("none_selected"))
        names = {r["id"]: r["name"] for r in self.rows}
        outcomes = queue.decide(uow, [EconomyItem(i, decision, day) for i in ids])
        done = sum(1 for o in outcomes if not o)
        pairs = zip(ids, outcomes, strict=True)
        self.problems = [f"{names.get(str(i), str(i))}: {describe_en(o)}" for i, o in pairs if o]
        self.selected = []
        self._load(uow)
        word = DECISIONS_EN.get(decision, decision).lower()
        if done and not self.problems:
            return rx.toast.success(f"{done} {'person' if done == 1 else 'people'} {word}.")
        if done:
            return rx.toast.warning(f"{done} {word}; {len(self.problems)} not recorded.")
        return rx.toast.error("Nothing was recorded.")

    @requires(ECONOMY_OFFICER)
    def decide_selected(self, uow: UnitOfWork, decision: str):
        return self._decide(uow, list(self.selected), str(decision))

    @requires(ECONOMY_OFFICER)
    def decide_one(self, uow: UnitOfWork, person_id: str, decision: str):
        return self._decide(uow, [str(person_id)], str(decision))
