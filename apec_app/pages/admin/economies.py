"""APEC经济体 tab: the 21 members, which are active and which transitional, and so which decide on applicants."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import general_error, text_input
from apec_app.components.form_dialog import dialog_buttons, form_dialog
from apec_app.components.scoped import scoped
from apec_app.components.table import simple_table
from apec_app.pages.admin.drafts import DraftsMixin
from apec_app.pages.admin.form_values import text
from apec_app.services.settings import back_office
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import ADMIN, page_load, requires
from apec_app.states.session import PageMixin, SessionState


class EconomiesState(DraftsMixin, PageMixin, SessionState):
    economies: list[dict[str, str]] = []
    deciding_count: int = 0
    economy_dialog: bool = False
    economy_code: str = ""
    economy_version: int = 0
    errors: dict[str, str] = {}
    economy_shown: dict[str, str] = {}

    keep_on_load = ("drafts", "economy_dialog", "economy_code", "economy_version")

    def _row(self, code) -> dict[str, str] | None:
        wanted = str(code)
        return next((e for e in self.economies if e["code"] == wanted), None)

    def _derive(self) -> None:
        # What the dialog shows: the economy as saved, overlaid with the name typed and not saved.
        saved = self._row(self.economy_code) or {}
        self._assign(economy_shown={**saved, **self._draft(f"economy:{self.economy_code}")})

    def _load(self, uow: UnitOfWork) -> None:
        rows = back_office.list_economies(uow)
        self.deciding_count = sum(1 for r in rows if r.deciding)
        self.economies = [
            {
                "code": r.code,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "transitional": "1" if r.transitional else "",
                "active": "1" if r.active else "",
                "deciding": "1" if r.deciding else "",
            }
            for r in rows
        ]

    def _close(self) -> None:
        self.economy_dialog, self.economy_code = False, ""

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        self._load(uow)
        if self.economy_code and self._row(self.economy_code) is None:
            self._close()

    @requires(ADMIN)
    def set_economy_active(self, uow: UnitOfWork, code: str, active: bool):
        back_office.update_economy(uow, str(code), active=bool(active))
        self._load(uow)

    @requires(ADMIN)
    def set_economy_transitional(self, uow: UnitOfWork, code: str, transitional: bool):
        back_office.update_economy(uow, str(code), transitional=bool(transitional))
        self._load(uow)

    @requires(ADMIN)
    def open_edit_economy(self, uow: UnitOfWork, code: str):
        if self._row(code) is not None:
            self.economy_code, self.economy_dialog, self.errors = str(code), True, {}
            self.economy_version += 1

    @requires(ADMIN)
    def close_economy(self, uow: UnitOfWork):
        """Escape or a click beside the dialog: what was typed stays for the next time it is opened."""
        self._close()

    @requires(ADMIN)
    def cancel_economy(self, uow: UnitOfWork):
        """【取消】: what was typed is discarded."""
        self._drop_draft(f"economy:{self.economy_code}")
        self._close()

    @requires(ADMIN)
    def keep_draft(self, uow: UnitOfWork, value: str, version: int):
        row = self._row(self.economy_code)
        if row is not None and version == self.economy_version:
            self._keep_draft(f"economy:{self.economy_code}", "name_zh", value, row["name_zh"])

    @requires(ADMIN)
    def save_economy(self, uow: UnitOfWork, form: dict):
        back_office.update_economy(uow, self.economy_code, name_zh=text(form, "name_zh"))
        self._drop_draft(f"economy:{self.economy_code}")
        self._close()
        self._load(uow)
        return rx.toast.success("经济体名称已保存")


S = EconomiesState


def economy_row(e: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(e["code"]),
        rx.table.cell(e["name_zh"]),
        rx.table.cell(e["name_en"]),
        rx.table.cell(
            rx.switch(
                checked=e["transitional"] != "",
                on_change=lambda value: S.set_economy_transitional(e["code"], value),
                aria_label=e["name_zh"] + "过渡成员",
            )
        ),
        rx.table.cell(
            rx.switch(
                checked=e["active"] != "",
                on_change=lambda value: S.set_economy_active(e["code"], value),
                aria_label=e["name_zh"] + "启用",
            )
        ),
        rx.table.cell(
            rx.cond(
                e["deciding"] != "",
                rx.badge("参与", color_scheme="green", high_contrast=True),
                rx.badge("不参与", color_scheme="gray"),
            )
        ),
        rx.table.cell(rx.button("修改名称", size="1", variant="ghost", on_click=S.open_edit_economy(e["code"]))),
    )


def economy_dialog() -> rx.Component:
    return form_dialog(
        "修改经济体名称",
        rx.form(
            rx.vstack(
                rx.text(S.economy_shown.get("name_en", ""), color="#606266"),
                text_input(
                    "economy-name",
                    "中文名称",
                    S.errors.get("name_zh", ""),
                    name="name_zh",
                    default_value=S.economy_shown.get("name_zh", ""),
                    on_save=lambda value: S.keep_draft(value, S.economy_version),
                ),
                general_error(S.errors.get("", "")),
                dialog_buttons(S.cancel_economy),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_economy,
            reset_on_submit=False,
            key=S.economy_version.to_string(),
        ),
        S.economy_dialog,
        S.close_economy,
    )


def economies_tab() -> rx.Component:
    content = rx.vstack(
        rx.text(
            "中国为本经济体，过渡成员（目前为美国、加拿大）只提供快速通道、不作预审决定，停用的经济体不再显示。"
            "当前参与对中国申请人预审的经济体：",
            rx.text.strong(S.deciding_count),
            " 个。",
            color="#606266",
            font_size="14px",
        ),
        simple_table(
            ("代码", "中文名称", "英文名称", "过渡成员", "启用", "参与预审", "操作"),
            S.economies,
            economy_row,
            "暂无经济体",
        ),
        economy_dialog(),
        spacing="3",
        width="100%",
    )
    return scoped(S, content)
