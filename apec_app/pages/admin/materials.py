"""材料设置 tab: the upload slots of the 单位信息 step per business type and channel, with their example images."""

from __future__ import annotations

import reflex as rx

from apec_app.components.choice import choice_input, options
from apec_app.components.confirm import confirm_dialog
from apec_app.components.fields import MUTED, RED, form_row, general_error, primary_button, text_input
from apec_app.components.form_dialog import dialog_buttons, form_dialog
from apec_app.components.lists import edit_delete
from apec_app.components.scoped import scoped
from apec_app.components.table import simple_table
from apec_app.components.upload import upload_zone
from apec_app.domain.lifecycle import BUSINESS_TYPES
from apec_app.pages.admin.drafts import DraftsMixin
from apec_app.pages.admin.form_values import checked, text, to_int
from apec_app.services.errors import InvalidInput
from apec_app.services.settings import back_office
from apec_app.services.settings.back_office import MaterialForm
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import ADMIN, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import BUSINESS_TYPE_LABELS, CHANNEL_LABELS, describe_upload_error

TYPE_OPTIONS = [(t, BUSINESS_TYPE_LABELS[t]) for t in BUSINESS_TYPES]
# What the dialog drafts: its text fields and its two selects.
DRAFT_FIELDS = ("business_type", "channel", "name", "hint", "accepted")
NEW_MATERIAL = {"channel": "all", "required": "1", "accepted": "jpg,jpeg,png,pdf"}


class MaterialsState(DraftsMixin, PageMixin, SessionState):
    material_type: str = "new_renew"
    materials: list[dict[str, str]] = []
    material_dialog: bool = False
    material_id: int = 0  # 0: a new material
    material_version: int = 0
    errors: dict[str, str] = {}
    delete_id: int = 0
    delete_text: str = ""
    material_shown: dict[str, str] = {**NEW_MATERIAL, "business_type": "new_renew"}

    keep_on_load = ("material_type", "drafts", "material_dialog", "material_id", "material_version")

    def _row(self, material_id) -> dict[str, str] | None:
        wanted = str(material_id)
        return next((m for m in self.materials if m["id"] == wanted), None)

    def _saved(self) -> dict[str, str]:
        """The material in the dialog as saved (a new one: its defaults)."""
        return self._row(self.material_id) or {**NEW_MATERIAL, "business_type": self.material_type}

    def _draft_key(self) -> str:
        return f"material:{self.material_id or 'new'}"

    def _derive(self) -> None:
        # What the dialog shows: the saved material, overlaid with what was typed and not saved.
        self._assign(material_shown={**self._saved(), **self._draft(self._draft_key())})

    def _load(self, uow: UnitOfWork) -> None:
        self.materials = [
            {
                "id": str(m.id),
                "business_type": m.business_type,
                "channel": m.channel,
                "channel_label": CHANNEL_LABELS.get(m.channel, m.channel),
                "name": m.name,
                "hint": m.hint,
                "required": "1" if m.required else "",
                "accepted": m.accepted,
                "example": m.example_image,
            }
            for m in back_office.list_materials(uow, self.material_type)
        ]

    def _edit(self, material_id: int) -> None:
        self.material_id, self.material_dialog, self.errors = material_id, True, {}
        self.material_version += 1

    def _close(self) -> None:
        self.material_dialog, self.material_id = False, 0

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        self._load(uow)
        if self.material_id and self._row(self.material_id) is None:
            self._close()  # the material being edited is gone, or listed under another business type

    @requires(ADMIN)
    def pick_material_type(self, uow: UnitOfWork, business_type: str):
        if business_type in BUSINESS_TYPES:
            self.material_type = business_type
            self._load(uow)

    @requires(ADMIN)
    def keep_draft(self, uow: UnitOfWork, field: str, value: str, version: int):
        if field in DRAFT_FIELDS and version == self.material_version:
            self._keep_draft(self._draft_key(), field, value, self._saved().get(field, ""))

    @requires(ADMIN)
    def open_add_material(self, uow: UnitOfWork):
        self._edit(0)

    @requires(ADMIN)
    def open_edit_material(self, uow: UnitOfWork, material_id: str):
        if self._row(material_id) is not None:
            self._edit(to_int(material_id))

    @requires(ADMIN)
    def close_material(self, uow: UnitOfWork):
        """Escape or a click beside the dialog: what was typed stays for the next time it is opened."""
        self._close()

    @requires(ADMIN)
    def cancel_material(self, uow: UnitOfWork):
        """【取消】: what was typed is discarded."""
        self._drop_draft(self._draft_key())
        self._close()

    @requires(ADMIN)
    def save_material(self, uow: UnitOfWork, form: dict):
        values = MaterialForm(
            business_type=text(form, "business_type"),
            channel=text(form, "channel"),
            name=text(form, "name"),
            hint=text(form, "hint"),
            required=checked(form, "required"),
            accepted=text(form, "accepted"),
        )
        added = not self.material_id
        material = back_office.save_material(uow, values, self.material_id or None)
        self._drop_draft(self._draft_key())
        self.material_type = material.business_type
        self._load(uow)
        if added:
            # Stay in the dialog, now editing the new material, so its example image can be uploaded.
            self._edit(material.id)
            return rx.toast.success("材料已添加，可继续上传示例图片")
        self._close()
        return rx.toast.success("材料已保存")

    @requires(ADMIN)
    async def upload_example(self, uow: UnitOfWork, files: list[rx.UploadFile]):
        if not files or not self.material_id:
            return None
        data = await files[0].read(back_office.EXAMPLE_RULE.max_bytes + 1)
        material_id = self.material_id
        try:
            await uow.in_thread(lambda tx: back_office.set_material_example(tx, material_id, data))
        except InvalidInput as exc:
            self.errors = {"example_image": describe_upload_error(exc.code, back_office.EXAMPLE_RULE)}
            return None
        with uow.begin() as tx:
            self._load(tx)
        self.errors = {}
        return rx.toast.success("示例图片已上传")

    @requires(ADMIN)
    def clear_example(self, uow: UnitOfWork):
        if not self.material_id:
            return None
        back_office.clear_material_example(uow, self.material_id)
        self._load(uow)
        return rx.toast.success("示例图片已删除")

    @requires(ADMIN)
    def ask_delete_material(self, uow: UnitOfWork, material_id: str):
        row = self._row(material_id)
        if row is not None:
            self.delete_id = to_int(material_id)
            self.delete_text = f"确定删除材料“{row['name']}”吗？已上传该材料的申请单不受影响。"

    @requires(ADMIN)
    def cancel_delete_material(self, uow: UnitOfWork):
        self.delete_id = 0

    @requires(ADMIN)
    def delete_material(self, uow: UnitOfWork):
        material_id, self.delete_id = self.delete_id, 0
        if not material_id:
            return None
        back_office.delete_material(uow, material_id)
        self._load(uow)
        return rx.toast.success("材料已删除")


S = MaterialsState


# --- the page ---------------------------------------------------------------------------------------------------


def _keep(field: str):
    return lambda value: S.keep_draft(field, value, S.material_version)


def material_row(m: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(m["name"]), rx.text(m["hint"], color=MUTED, font_size="12px"), spacing="1")),
        rx.table.cell(m["channel_label"]),
        rx.table.cell(rx.cond(m["required"] != "", "必填", "选填")),
        rx.table.cell(m["accepted"]),
        rx.table.cell(
            rx.cond(
                m["example"] != "",
                rx.link("查看示例", href=m["example"], is_external=True, font_size="13px"),
                rx.text("无", color=MUTED),
            )
        ),
        rx.table.cell(edit_delete(S.open_edit_material(m["id"]), S.ask_delete_material(m["id"]))),
    )


def example_upload() -> rx.Component:
    example = S.material_shown.get("example", "")
    return rx.cond(
        S.material_id > 0,
        rx.vstack(
            rx.heading("示例图片", size="3", as_="h3"),
            rx.cond(
                example != "",
                rx.hstack(
                    rx.image(src=example, alt="示例图片", max_height="160px", max_width="240px"),
                    rx.button(
                        "删除示例图片",
                        type="button",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=S.clear_example,
                    ),
                    align="end",
                    spacing="3",
                ),
                rx.text("尚未上传示例图片", color=MUTED, font_size="13px"),
            ),
            upload_zone(
                "点击或拖拽上传示例图片（jpg、jpeg、png，小于5M）",
                label="示例图片",
                id="material_example",
                on_drop=S.upload_example(rx.upload_files(upload_id="material_example")),
                max_files=1,
                multiple=False,
                border="1px dashed #c0c4cc",
                padding="12px",
                width="100%",
            ),
            rx.cond(
                S.errors.get("example_image", "") != "",
                rx.text(S.errors.get("example_image", ""), color=RED, font_size="13px", role="alert"),
                rx.fragment(),
            ),
            spacing="2",
            width="100%",
            margin_top="16px",
            padding_top="12px",
            border_top="1px solid #ebeef5",
        ),
        rx.text("保存材料后可上传示例图片。", color=MUTED, font_size="13px", margin_top="12px"),
    )


def material_dialog() -> rx.Component:
    E, F = S.errors, S.material_shown  # noqa: N806 - the dialog's errors and values
    return form_dialog(
        rx.cond(S.material_id > 0, "编辑材料", "新增材料"),
        rx.form(
            rx.vstack(
                choice_input(
                    "material-type",
                    "业务类型",
                    options(TYPE_OPTIONS),
                    E.get("business_type", ""),
                    name="business_type",
                    default_value=F.get("business_type", ""),
                    on_change=_keep("business_type"),
                ),
                choice_input(
                    "material-channel",
                    "适用渠道",
                    options(list(CHANNEL_LABELS.items())),
                    E.get("channel", ""),
                    name="channel",
                    default_value=F.get("channel", ""),
                    on_change=_keep("channel"),
                ),
                text_input(
                    "material-name",
                    "材料名称",
                    E.get("name", ""),
                    name="name",
                    default_value=F.get("name", ""),
                    on_save=_keep("name"),
                ),
                text_input(
                    "material-hint",
                    "提示信息",
                    E.get("hint", ""),
                    name="hint",
                    default_value=F.get("hint", ""),
                    on_save=_keep("hint"),
                    required=False,
                ),
                text_input(
                    "material-accepted",
                    "可接受格式",
                    E.get("accepted", ""),
                    name="accepted",
                    default_value=F.get("accepted", ""),
                    on_save=_keep("accepted"),
                    hint="可选jpg、jpeg、png、pdf，多个格式以逗号分隔",
                ),
                form_row(
                    "是否必填",
                    rx.checkbox(
                        "必填",
                        id="material-required",
                        name="required",
                        default_checked=F.get("required", "") == "1",
                        padding_top="8px",
                    ),
                    html_for="material-required",
                    required=False,
                ),
                general_error(E.get("", "")),
                dialog_buttons(S.cancel_material),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_material,
            reset_on_submit=False,
            key=S.material_version.to_string(),
        ),
        S.material_dialog,
        S.close_material,
        example_upload(),
    )


def materials_tab() -> rx.Component:
    content = rx.vstack(
        rx.hstack(
            rx.box(
                choice_input(
                    "material-filter",
                    "业务类型",
                    options(TYPE_OPTIONS),
                    value=S.material_type,
                    on_change=S.pick_material_type,
                    placeholder=False,
                ),
                width="420px",
            ),
            rx.spacer(),
            primary_button("新增材料", on_click=S.open_add_material),
            width="100%",
            align="center",
        ),
        rx.text(
            "材料显示在申请表“单位信息”步骤的上传材料中；适用渠道为直办的只对外交部直办企业显示，外办的只对经外办办理的企业显示。",
            color=MUTED,
            font_size="13px",
        ),
        simple_table(
            ("材料名称", "适用渠道", "是否必填", "可接受格式", "示例图片", "操作"),
            S.materials,
            material_row,
            "暂无材料",
        ),
        material_dialog(),
        confirm_dialog(
            "请确认",
            S.delete_text,
            open=S.delete_id > 0,
            on_cancel=S.cancel_delete_material,
            on_confirm=S.delete_material,
        ),
        spacing="3",
        width="100%",
    )
    return scoped(S, content)
