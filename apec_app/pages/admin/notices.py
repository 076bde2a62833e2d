"""申办须知 tab: the notice of each business type, general (外交部 and every institution without its own) or an
institution's own."""

from __future__ import annotations

import reflex as rx

from apec_app.components.choice import choice_input, options
from apec_app.components.fields import autosave, form_row, general_error, primary_button
from apec_app.components.scoped import scoped
from apec_app.domain.lifecycle import BUSINESS_TYPES
from apec_app.pages.admin.drafts import DraftsMixin
from apec_app.pages.admin.form_values import text, to_int
from apec_app.services.settings import back_office
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import ADMIN, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import BUSINESS_TYPE_LABELS

TYPE_OPTIONS = [(t, BUSINESS_TYPE_LABELS[t]) for t in BUSINESS_TYPES]


class NoticesState(DraftsMixin, PageMixin, SessionState):
    institutions: list[dict[str, str]] = []
    notice_type: str = "new_renew"
    notice_inst: str = ""  # "": the general notice
    notice_text: str = ""  # as saved
    notice_version: int = 0
    notice_shown: str = ""
    errors: dict[str, str] = {}

    keep_on_load = ("notice_type", "notice_inst", "drafts", "notice_version")

    def _draft_key(self) -> str:
        return f"notice:{self.notice_type}:{self.notice_inst}"

    def _derive(self) -> None:
        # What the text area shows: the saved text, or what was typed and not saved.
        self._assign(notice_shown=self._draft(self._draft_key()).get("text", self.notice_text))

    def _load(self, uow: UnitOfWork, business_type: str, institution: str) -> None:
        """The notice of `business_type` for `institution`; the choice changes only once its text is read."""
        self.notice_text = back_office.get_notice(uow, business_type, to_int(institution) or None)
        self.notice_type, self.notice_inst = business_type, institution
        self.errors = {}
        self.notice_version += 1

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        self.institutions = [{"id": str(i.id), "name": i.name} for i in back_office.list_institutions(uow)]
        if self.notice_inst not in {i["id"] for i in self.institutions}:
            self.notice_inst = ""
        self._load(uow, self.notice_type, self.notice_inst)

    @requires(ADMIN)
    def pick_notice_type(self, uow: UnitOfWork, business_type: str):
        if business_type in BUSINESS_TYPES:
            self._load(uow, business_type, self.notice_inst)

    @requires(ADMIN)
    def pick_notice_institution(self, uow: UnitOfWork, institution_id: str):
        self._load(uow, self.notice_type, str(to_int(institution_id) or ""))

    @requires(ADMIN)
    def keep_draft(self, uow: UnitOfWork, value: str, version: int):
        if version == self.notice_version:
            self._keep_draft(self._draft_key(), "text", value, self.notice_text)

    @requires(ADMIN)
    def save_notice(self, uow: UnitOfWork, form: dict):
        back_office.set_notice(uow, self.notice_type, to_int(self.notice_inst) or None, text(form, "text"))
        self._drop_draft(self._draft_key())
        self._load(uow, self.notice_type, self.notice_inst)
        return rx.toast.success("申办须知已保存")


S = NoticesState


def notices_tab() -> rx.Component:
    content = rx.vstack(
        choice_input(
            "notice-type",
            "业务类型",
            options(TYPE_OPTIONS),
            value=S.notice_type,
            on_change=S.pick_notice_type,
            placeholder=False,
        ),
        choice_input(
            "notice-institution",
            "适用机构",
            [
                rx.el.option("通用（外交部及未单独设置的机构）", value=""),
                rx.foreach(S.institutions, lambda i: rx.el.option(i["name"], value=i["id"])),
            ],
            value=S.notice_inst,
            on_change=S.pick_notice_institution,
            placeholder=False,
        ),
        rx.form(
            rx.vstack(
                form_row(
                    "申办须知",
                    rx.text_area(
                        id="notice-text",
                        name="text",
                        aria_label="申办须知",
                        default_value=S.notice_shown,
                        rows="16",
                        width="100%",
                        size="3",
                        **autosave(lambda value: S.keep_draft(value, S.notice_version)),
                    ),
                    S.errors.get("text", ""),
                    html_for="notice-text",
                    hint="最多20000字。为某一机构留空保存，将删除该机构的须知，改为显示通用须知。",
                ),
                general_error(S.errors.get("", "")),
                rx.hstack(primary_button("保存申办须知", type="submit"), justify="end", width="100%"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_notice,
            reset_on_submit=False,
            key=S.notice_version.to_string(),
            width="100%",
        ),
        spacing="3",
        width="100%",
    )
    return scoped(S, content)
