"""The virtual card's pages (docs/rules.md §8): the account's view from 我的APEC卡, the holder's view through the
emailed link and code, and the public /verify page for border officers. Each load reads the card afresh (the
pre-cleared economies are live)."""

from __future__ import annotations

import base64

import reflex as rx

from apec_app.integrations.qr import qr_data_url
from apec_app.services.cards import holder_access, verification, virtual
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import UnitOfWork, unit_of_work
from apec_app.states.countdown import CountdownMixin
from apec_app.states.gate import APPLICANT, page_load, public, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import describe
from apec_app.ui_text.cards import (
    DEFAULT_STANDING_COLOR,
    NATIONALITY_LABELS,
    SEX_LABELS,
    STANDING_COLORS,
    standing_label,
)


def _card_fields(card: virtual.VirtualCard) -> dict[str, str]:
    return {
        "card_number": card.card_number,
        "name": f"{card.surname}{card.given_name}",
        "pinyin": card.pinyin,
        "sex": SEX_LABELS.get(card.sex, card.sex),
        "birth_date": card.birth_date.isoformat() if card.birth_date else "",
        "nationality": NATIONALITY_LABELS.get(card.nationality, card.nationality),
        "passport_number": card.passport_number,
        "valid_until": card.valid_until.isoformat(),
        "standing": card.standing,
        "standing_label": standing_label(card.standing),
        "standing_color": STANDING_COLORS.get(card.standing, DEFAULT_STANDING_COLOR),
    }


class CardViewMixin(rx.State, mixin=True):
    """What the card shows (both views draw it with pages/virtual_card.card_face)."""

    card: dict[str, str] = {}
    economies: list[dict[str, str]] = []
    qr_image: str = ""
    photo: str = ""

    def _show(self, card: virtual.VirtualCard) -> None:
        self.card = _card_fields(card)
        self.economies = [{"code": e.code, "zh": e.name_zh, "en": e.name_en} for e in card.economies]
        self.qr_image = qr_data_url(card.token, box_size=5) if card.token else ""
        self.photo = (
            f"data:{card.photo_type};base64,{base64.b64encode(card.photo).decode()}" if card.photo else ""
        )

    def _hide(self) -> None:
        self.card, self.economies, self.qr_image, self.photo = {}, [], "", ""


class VirtualCardState(CardViewMixin, PageMixin, SessionState):
    """/user/cards/[card_id]: a card of the caller's 我的APEC卡."""

    missing: bool = False

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        self._load(uow)

    @requires(APPLICANT)
    def refresh(self, uow: UnitOfWork):
        self._load(uow)

    def _load(self, uow: UnitOfWork) -> None:
        try:
            with uow.savepoint():
                card = virtual.for_account(uow, self._route_id())
        except ServiceError:
            self.missing = True
            self._hide()
            return
        self.missing = False
        self._show(card)


class HolderCardState(CardViewMixin, CountdownMixin, PageMixin, SessionState):
    """/abtc/[token]: the holder's card, after the code sent to the holder's email. The tab remembers (server
    side) which link it entered the code for, so a reload shows the card again without a new code."""

    link_ok: bool = False
    email_hint: str = ""
    unlocked: bool = False
    errors: dict[str, str] = {}
    _unlocked_link: int = 0
    _unlocked_token: str = ""

    def _token(self) -> str:
        return self.router.url.path.rstrip("/").split("/")[-1]

    @public("the link in the URL is the credential: shows only the masked email the code goes to")
    def on_load(self):
        token = self._token()
        self.errors, self.unlocked = {}, False
        self._hide()
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                self.email_hint = holder_access.masked_email(uow, token)
                self.link_ok = True
                if self._unlocked_token == token and self._unlocked_link:
                    with uow.savepoint():
                        self._show(holder_access.holder_card(uow, token, self._unlocked_link))
                    self.unlocked = True
        except ServiceError:
            self.link_ok, self.email_hint = False, ""
            self._unlocked_link, self._unlocked_token = 0, ""
        self.loaded_path = self._current_path()

    @public("sends a code only to the email the link's card belongs to (the code rules' limits apply)")
    def send_code(self):
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                holder_access.send_code(uow, self._token())
        except ServiceError as exc:
            self.errors = self._errors(exc)
            return None
        self.errors = {}
        return [self._start_countdown(), rx.toast.success("验证码已发送，请查收邮件")]

    @public("the emailed code for this link's card is the credential; the service checks and consumes it")
    def open_card(self, form: dict):
        token = self._token()
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                link_id = holder_access.open_with_code(uow, token, str(form.get("code", "")))
                card = holder_access.holder_card(uow, token, link_id)
        except ServiceError as exc:
            self.errors = self._errors(exc)
            return None
        self._unlocked_link, self._unlocked_token = link_id, token
        self.errors, self.unlocked = {}, True
        self._show(card)
        return None

    @public("shows the card again only to the tab that entered the code for this link")
    def refresh(self):
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                self._show(holder_access.holder_card(uow, self._token(), self._unlocked_link))
        except ServiceError:
            self.unlocked = False
            self._hide()


class VerifyState(PageMixin, SessionState):
    """/verify: a border officer pastes the QR code's content; the page shows what the token holds and the
    card's standing."""

    result: dict[str, str] = {}
    economies: list[dict[str, str]] = []
    error: str = ""

    @public("a page anyone may open; it loads nothing")
    def on_load(self):
        self.result, self.economies, self.error = {}, [], ""
        self.loaded_path = self._current_path()

    @public("answers only for a token signed by our keys, with what the token itself holds and its standing")
    def verify(self, form: dict):
        try:
            with unit_of_work(client_ip=self._client_ip()) as uow:
                verdict = verification.verify(uow, str(form.get("token", "")))
        except ServiceError as exc:
            self.result, self.economies = {}, []
            self.error = describe(exc.code)
            return None
        self.error = ""
        self.result = {
            "standing": verdict.standing,
            "standing_label": standing_label(verdict.standing),
            "standing_color": STANDING_COLORS.get(verdict.standing, DEFAULT_STANDING_COLOR),
            "card_number": verdict.card_number,
            "name": verdict.name,
            "passport_number": verdict.passport_number,
            "valid_until": verdict.valid_until.isoformat(),
            "kid": verdict.kid,
        }
        self.economies = [{"code": c, "zh": zh, "en": en} for c, zh, en in verdict.economies]
        return None
