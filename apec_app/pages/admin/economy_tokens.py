"""经济体接口 tab: the API tokens of the APEC economies' systems (/api/economy/v1), issued here (the token is
shown once and only its hash is kept) and revoked here (the next request with it is refused)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.choice import choice_input
from apec_app.components.confirm import confirm_dialog
from apec_app.components.fields import MUTED, general_error, primary_button, text_input
from apec_app.components.form_dialog import dialog_buttons, form_dialog
from apec_app.components.scoped import scoped
from apec_app.components.table import simple_table
from apec_app.pages.admin.form_values import text, to_int
from apec_app.services.economies import api_tokens
from apec_app.services.settings import back_office
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import ADMIN, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.time_format import local_time


class EconomyTokensState(PageMixin, SessionState):
    economies: list[dict[str, str]] = []
    token_rows: list[dict[str, str]] = []
    token_dialog: bool = False
    token_version: int = 0
    errors: dict[str, str] = {}
    # The token just issued, shown once in its own dialog; cleared when that dialog closes.
    issued_token: str = ""
    revoke_id: int = 0
    revoke_text: str = ""

    def _load(self, uow: UnitOfWork) -> None:
        names = {e["code"]: e["name"] for e in self.economies}
        self.token_rows = [
            {
                "id": str(t.id),
                "economy": names.get(t.economy_code, t.economy_code),
                "label": t.label,
                "prefix": t.prefix + "…",
                "created": local_time(t.created_at),
                "last_used": local_time(t.last_used_at) or "未使用",
                "revoked": local_time(t.revoked_at),
            }
            for t in api_tokens.list_tokens(uow)
        ]

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        self.economies = [
            {"code": e.code, "name": f"{e.name_zh}（{e.code}）"} for e in back_office.list_economies(uow) if e.deciding
        ]
        self._load(uow)

    @requires(ADMIN)
    def open_issue(self, uow: UnitOfWork):
        self.token_dialog, self.errors = True, {}
        self.token_version += 1

    @requires(ADMIN)
    def close_issue(self, uow: UnitOfWork):
        self.token_dialog = False

    @requires(ADMIN)
    def issue(self, uow: UnitOfWork, form: dict):
        made = api_tokens.create_token(uow, text(form, "label"), economy_code=text(form, "economy"))
        self.token_dialog, self.errors = False, {}
        self.issued_token = made.token
        self._load(uow)

    @requires(ADMIN)
    def forget_issued(self, uow: UnitOfWork):
        self.issued_token = ""

    @requires(ADMIN)
    def ask_revoke(self, uow: UnitOfWork, token_id: str):
        row = next((r for r in self.token_rows if r["id"] == str(token_id)), None)
        if row is not None and not row["revoked"]:
            self.revoke_id = to_int(token_id)
            self.revoke_text = f"确定撤销{row['economy']}的令牌“{row['label']}”吗？撤销后使用该令牌的请求将被拒绝。"

    @requires(ADMIN)
    def cancel_revoke(self, uow: UnitOfWork):
        self.revoke_id = 0

    @requires(ADMIN)
    def revoke(self, uow: UnitOfWork):
        token_id, self.revoke_id = self.revoke_id, 0
        if token_id:
            api_tokens.revoke_token(uow, token_id)
            self._load(uow)
            return rx.toast.success("令牌已撤销")
        return None


S = EconomyTokensState


def token_row(t: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(t["economy"]),
        rx.table.cell(t["label"]),
        rx.table.cell(rx.code(t["prefix"])),
        rx.table.cell(t["created"]),
        rx.table.cell(t["last_used"]),
        rx.table.cell(
            rx.cond(
                t["revoked"] != "",
                rx.badge("已撤销 " + t["revoked"], color_scheme="gray"),
                rx.badge("有效", color_scheme="green", high_contrast=True),
            )
        ),
        rx.table.cell(
            rx.cond(
                t["revoked"] == "",
                rx.button("撤销", size="1", variant="ghost", color_scheme="red", on_click=S.ask_revoke(t["id"])),
                rx.fragment(),
            )
        ),
    )


def issue_dialog() -> rx.Component:
    return form_dialog(
        "签发接口令牌",
        rx.form(
            rx.vstack(
                choice_input(
                    "token-economy",
                    "经济体",
                    [rx.foreach(S.economies, lambda e: rx.el.option(e["name"], value=e["code"]))],
                    S.errors.get("economy", ""),
                    name="economy",
                ),
                text_input("token-label", "令牌名称", S.errors.get("label", ""), name="label",
                           hint="例如：日本出入境管理系统"),  # fmt: skip
                general_error(S.errors.get("", "")),
                dialog_buttons(S.close_issue),
                spacing="3",
                width="100%",
            ),
            on_submit=S.issue,
            reset_on_submit=False,
            key=S.token_version.to_string(),
        ),
        S.token_dialog,
        S.close_issue,
    )


def issued_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("令牌已签发"),
            rx.text("请立即复制并交给该经济体的系统管理员。令牌只显示这一次，系统只保存其摘要。", color=MUTED),
            rx.code(S.issued_token, aria_label="新令牌", style={"word_break": "break-all"}, margin_y="12px"),
            rx.hstack(
                rx.button("复制", variant="soft", on_click=rx.set_clipboard(S.issued_token)),
                rx.button("我已保存", on_click=S.forget_issued),
                justify="end",
                spacing="3",
            ),
        ),
        open=S.issued_token != "",
        on_open_change=lambda is_open: rx.cond(is_open, rx.noop(), S.forget_issued()),
    )


def economy_tokens_tab() -> rx.Component:
    content = rx.vstack(
        rx.text(
            "APEC经济体的系统通过 /api/economy/v1 读取待预审人员并提交决定（接口说明：/api/economy/v1/openapi.json）。"
            "每个令牌只能访问其所属经济体的人员。",
            color=MUTED,
            font_size="13px",
        ),
        rx.hstack(primary_button("签发令牌", on_click=S.open_issue), width="100%", justify="end"),
        simple_table(("经济体", "令牌名称", "前缀", "签发时间", "最近使用", "状态", "操作"), S.token_rows, token_row,
                     "暂无令牌"),  # fmt: skip
        issue_dialog(),
        issued_dialog(),
        confirm_dialog("请确认", S.revoke_text, open=S.revoke_id > 0, on_cancel=S.cancel_revoke, on_confirm=S.revoke),
        spacing="3",
        width="100%",
    )
    return scoped(S, content)
