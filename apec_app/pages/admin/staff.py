"""工作人员 tab: reviewer, admin and APEC economy officer accounts, created here, 停用 (sessions end at once) and
启用 again. An economy officer (角色 经济体官员) decides for the one economy chosen here, on the English portal."""

from __future__ import annotations

import reflex as rx

from apec_app.components.choice import choice_input, options
from apec_app.components.confirm import confirm_dialog
from apec_app.components.fields import MUTED, general_error, primary_button, text_input
from apec_app.components.form_dialog import dialog_buttons, form_dialog
from apec_app.components.scoped import scoped
from apec_app.components.table import simple_table
from apec_app.pages.admin.drafts import DraftsMixin
from apec_app.pages.admin.form_values import text, to_int
from apec_app.services.settings import back_office
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import ADMIN, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import ROLE_LABELS

ALL_INSTITUTIONS = "全部机构"
# What the dialog drafts; never the password, which is not sent back to the browser.
DRAFT_FIELDS = ("username", "name", "role", "institution", "economy")
DRAFT_KEY = "staff:new"
NEW_STAFF = {"role": "reviewer"}


class StaffState(DraftsMixin, PageMixin, SessionState):
    institutions: list[dict[str, str]] = []
    # The economies an officer can be created for: the deciding ones (not China, not the transitional members).
    economies: list[dict[str, str]] = []
    staff_rows: list[dict[str, str]] = []
    staff_dialog: bool = False
    staff_version: int = 0
    errors: dict[str, str] = {}
    deactivate_id: int = 0
    deactivate_text: str = ""
    staff_shown: dict[str, str] = dict(NEW_STAFF)

    keep_on_load = ("drafts", "staff_dialog", "staff_version")

    def _derive(self) -> None:
        # What the dialog shows: a new account's defaults, overlaid with what was typed and not saved.
        self._assign(staff_shown={**NEW_STAFF, **self._draft(DRAFT_KEY)})

    def _works_for(self, institution: str | None, economy_code: str | None) -> str:
        if economy_code:
            name = next((e["name"] for e in self.economies if e["code"] == economy_code), economy_code)
            return f"经济体：{name}"
        return institution if institution is not None else ALL_INSTITUTIONS

    def _load(self, uow: UnitOfWork) -> None:
        self.staff_rows = [
            {
                "id": str(s.id),
                "username": s.username,
                "name": s.name,
                "role": ROLE_LABELS.get(s.role, s.role),
                "institution": self._works_for(s.institution, s.economy_code),
                "active": "1" if s.active else "",
            }
            for s in back_office.list_staff(uow)
        ]

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        self.institutions = [{"code": i.code, "name": i.name} for i in back_office.list_institutions(uow)]
        self.economies = [
            {"code": e.code, "name": f"{e.name_zh}（{e.code}）"} for e in back_office.list_economies(uow) if e.deciding
        ]
        self._load(uow)

    @requires(ADMIN)
    def open_add_staff(self, uow: UnitOfWork):
        self.staff_dialog, self.errors = True, {}
        self.staff_version += 1

    @requires(ADMIN)
    def close_staff(self, uow: UnitOfWork):
        """Escape or a click beside the dialog: what was typed stays for the next time it is opened."""
        self.staff_dialog = False

    @requires(ADMIN)
    def cancel_staff(self, uow: UnitOfWork):
        """【取消】: what was typed is discarded."""
        self._drop_draft(DRAFT_KEY)
        self.staff_dialog = False

    @requires(ADMIN)
    def keep_draft(self, uow: UnitOfWork, field: str, value: str, version: int):
        if field in DRAFT_FIELDS and version == self.staff_version:
            self._keep_draft(DRAFT_KEY, field, value, NEW_STAFF.get(field, ""))

    @requires(ADMIN)
    def save_staff(self, uow: UnitOfWork, form: dict):
        back_office.create_staff_account(
            uow,
            username=text(form, "username"),
            name=text(form, "name"),
            password=text(form, "password"),
            role=text(form, "role"),
            institution_code=text(form, "institution"),
            economy_code=text(form, "economy"),
        )
        self._drop_draft(DRAFT_KEY)
        self.staff_dialog = False
        self._load(uow)
        return rx.toast.success("工作人员账号已创建")

    @requires(ADMIN)
    def activate_staff(self, uow: UnitOfWork, staff_id: str):
        back_office.set_staff_active(uow, to_int(staff_id), True)
        self._load(uow)
        return rx.toast.success("已启用")

    @requires(ADMIN)
    def ask_deactivate_staff(self, uow: UnitOfWork, staff_id: str):
        wanted = str(staff_id)
        row = next((r for r in self.staff_rows if r["id"] == wanted), None)
        if row is not None:
            self.deactivate_id = to_int(staff_id)
            self.deactivate_text = f"确定停用工作人员“{row['name']}”吗？停用后该账号不可登录，已登录的会话立即失效。"

    @requires(ADMIN)
    def cancel_deactivate_staff(self, uow: UnitOfWork):
        self.deactivate_id = 0

    @requires(ADMIN)
    def deactivate_staff(self, uow: UnitOfWork):
        staff_id, self.deactivate_id = self.deactivate_id, 0
        if not staff_id:
            return None
        back_office.set_staff_active(uow, staff_id, False)
        self._load(uow)
        return rx.toast.success("已停用")


S = StaffState


def _keep(field: str):
    return lambda value: S.keep_draft(field, value, S.staff_version)


def staff_row(s: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(s["username"]),
        rx.table.cell(s["name"]),
        rx.table.cell(s["role"]),
        rx.table.cell(s["institution"]),
        rx.table.cell(
            rx.cond(
                s["active"] != "",
                rx.badge("正常", color_scheme="green", high_contrast=True),
                rx.badge("已停用", color_scheme="gray"),
            )
        ),
        rx.table.cell(
            rx.cond(
                s["active"] != "",
                rx.button(
                    "停用",
                    size="1",
                    variant="ghost",
                    color_scheme="red",
                    on_click=S.ask_deactivate_staff(s["id"]),
                ),
                rx.button("启用", size="1", variant="ghost", on_click=S.activate_staff(s["id"])),
            )
        ),
    )


def staff_dialog() -> rx.Component:
    E, F = S.errors, S.staff_shown  # noqa: N806 - the dialog's errors and values
    return form_dialog(
        "新增工作人员",
        rx.form(
            rx.vstack(
                text_input(
                    "staff-username",
                    "用户名",
                    E.get("username", ""),
                    name="username",
                    default_value=F.get("username", ""),
                    on_save=_keep("username"),
                ),
                text_input(
                    "staff-name",
                    "姓名",
                    E.get("name", ""),
                    name="name",
                    default_value=F.get("name", ""),
                    on_save=_keep("name"),
                ),
                text_input(
                    "staff-password",
                    "密码",
                    E.get("password", ""),
                    name="password",
                    type="password",
                    autocomplete="new-password",
                    hint="8-64位，至少包含大写字母、小写字母、数字、特殊符号中的三种",
                ),
                choice_input(
                    "staff-role",
                    "角色",
                    options(list(ROLE_LABELS.items())),
                    E.get("role", ""),
                    name="role",
                    default_value=F.get("role", ""),
                    on_change=_keep("role"),
                ),
                choice_input(
                    "staff-institution",
                    "所属机构",
                    [rx.foreach(S.institutions, lambda i: rx.el.option(i["name"], value=i["code"]))],
                    E.get("institution", ""),
                    name="institution",
                    default_value=F.get("institution", ""),
                    on_change=_keep("institution"),
                    required=False,
                ),
                choice_input(
                    "staff-economy",
                    "所属经济体",
                    [rx.foreach(S.economies, lambda e: rx.el.option(e["name"], value=e["code"]))],
                    E.get("economy", ""),
                    name="economy",
                    default_value=F.get("economy", ""),
                    on_change=_keep("economy"),
                    required=False,
                ),
                rx.text(
                    "审核员须选择所属机构，只能审核该机构的申请单；管理员可管理全部机构；"
                    "经济体官员须选择所属经济体，只能在英文预审页面查看和决定提交给该经济体的人员。",
                    color=MUTED,
                    font_size="12px",
                ),
                general_error(E.get("", "")),
                dialog_buttons(S.cancel_staff),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_staff,
            reset_on_submit=False,
            key=S.staff_version.to_string(),
        ),
        S.staff_dialog,
        S.close_staff,
    )


def staff_tab() -> rx.Component:
    content = rx.vstack(
        rx.hstack(primary_button("新增工作人员", on_click=S.open_add_staff), width="100%", justify="end"),
        simple_table(("用户名", "姓名", "角色", "所属机构", "状态", "操作"), S.staff_rows, staff_row, "暂无工作人员"),
        staff_dialog(),
        confirm_dialog(
            "请确认",
            S.deactivate_text,
            open=S.deactivate_id > 0,
            on_cancel=S.cancel_deactivate_staff,
            on_confirm=S.deactivate_staff,
        ),
        spacing="3",
        width="100%",
    )
    return scoped(S, content)
