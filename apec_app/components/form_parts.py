"""Pieces both application forms show (新办/续办 and the follow-ups), for a state with DraftFormMixin and the
OCR fields (ocr_open, ocr_fields, ocr_note, close_ocr, confirm_ocr)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import (
    MUTED,
    RED,
    field_error,
    general_error,
    primary_button,
    select_input,
    text_input,
)
from apec_app.components.upload import upload_zone
from apec_app.domain import uploads


def module(S, title, step, *rows: rx.Component) -> rx.Component:  # noqa: N803 - the state class
    """One part of 信息确认, with 【修改】 back to its step."""
    return rx.box(
        rx.hstack(
            rx.heading(title, size="4"),
            rx.spacer(),
            rx.button("修改", variant="outline", size="1", on_click=S.go_step(step), aria_label="修改" + title),
            width="100%",
            align="center",
        ),
        rx.vstack(*rows, spacing="1", margin_top="8px", width="100%"),
        border="1px solid #ebeef5",
        border_radius="8px",
        padding="16px",
        width="100%",
    )


def ocr_dialog(S, *, holder_fields: bool, expiry_label: str = "失效日期") -> rx.Component:  # noqa: N803
    """请确认以下护照信息的正确性: what OCR read, editable; `holder_fields` adds 姓名拼音, 性别 and 出生日期
    (a new person; a follow-up's holder is known already)."""
    values = S.ocr_fields
    holder = [
        text_input("ocr-pinyin", "姓名拼音", default_value=values.get("pinyin", ""), name="pinyin"),
        select_input("ocr-sex", "性别", ["男", "女"], default_value=values.get("sex", ""), name="sex"),
        text_input("ocr-birth", "出生日期", default_value=values.get("birth_date", ""), name="birth_date", type="date"),
    ]
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("请确认以下护照信息的正确性"),
            rx.dialog.description("如有误，请手工修改至正确", font_size="13px", color=MUTED),
            rx.cond(
                S.ocr_note != "",
                rx.callout(S.ocr_note, icon="info", color_scheme="amber", high_contrast=True, margin_top="8px"),
                rx.fragment(),
            ),
            rx.form(
                rx.vstack(
                    *(holder if holder_fields else []),
                    text_input(
                        "ocr-number",
                        "护照号码",
                        default_value=values.get("passport_number", ""),
                        name="passport_number",
                    ),
                    text_input(
                        "ocr-issue",
                        "签发日期",
                        default_value=values.get("issue_date", ""),
                        name="issue_date",
                        type="date",
                        hint="推算值：失效日期前10年的次日，请与护照核对",
                    ),
                    text_input(
                        "ocr-expiry",
                        expiry_label,
                        default_value=values.get("expiry_date", ""),
                        name="expiry_date",
                        type="date",
                    ),
                    rx.hstack(
                        rx.button("取消", type="button", variant="soft", color_scheme="gray", on_click=S.close_ocr),
                        primary_button("确认护照信息", type="submit"),
                        justify="end",
                        width="100%",
                        spacing="3",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.confirm_ocr,
                reset_on_submit=False,
                key=S.rev.to_string(),
            ),
            max_width="640px",
        ),
        open=S.ocr_open,
    )


def step_buttons(S, last_step) -> rx.Component:  # noqa: N803
    """上一步 / 保存草稿 / 下一步, and 提交 on the last step."""
    return rx.fragment(
        general_error(S.errors.get("", "")),
        rx.hstack(
            rx.button("上一步", variant="outline", size="3", on_click=S.go_step(S.step - 1), disabled=S.step <= 1),
            rx.cond(
                S.step < last_step,
                rx.button("保存草稿", variant="soft", size="3", on_click=S.save_draft),
                rx.fragment(),
            ),
            rx.cond(
                S.step < last_step,
                primary_button("下一步", on_click=S.next_step),
                primary_button("提交", on_click=S.submit, loading=S.submitting),
            ),
            justify="center",
            spacing="4",
            margin_top="24px",
            width="100%",
        ),
    )


def loaded_form(S, content: rx.Component) -> rx.Component:  # noqa: N803
    """The form's body once its draft is loaded (a spinner before), re-mounted when the server changes values."""
    return rx.cond(
        S.loaded,
        rx.box(content, key=S.rev.to_string(), width="100%"),
        rx.center(rx.spinner(size="3"), padding="40px", aria_label="正在加载"),
    )


def saved_note(S) -> rx.Component:  # noqa: N803
    return rx.cond(
        S.saved_at != "",
        rx.text("草稿已自动保存 ", S.saved_at, font_size="12px", color=MUTED, role="status"),
        rx.fragment(),
    )


def dropzone(upload_id, on_drop, accept: dict | None, label, max_bytes: int = uploads.MAX_BYTES) -> rx.Component:
    """One file, clicked or dropped (the zone is a keyboard button too, see components/upload.py)."""
    return upload_zone(
        "点击或拖拽文件上传",
        label=label,
        icon=True,
        max_bytes=max_bytes,
        id=upload_id,
        on_drop=on_drop,
        accept=accept,
        max_files=1,
        multiple=False,
        border="1px dashed #c0c4cc",
        border_radius="6px",
        padding="10px 16px",
        cursor="pointer",
    )


def upload_status(zone: rx.Component, file_name, error, hint: str | rx.Var) -> rx.Component:
    return rx.vstack(
        zone,
        rx.cond(file_name != "", rx.text("已上传：", file_name, font_size="13px", color="green"), rx.fragment()),
        rx.text(hint, font_size="12px", color=MUTED),
        field_error(error),
        spacing="1",
        align="start",
        width="100%",
    )


def material_row(S, zone, m: dict, label_width: str = "150px") -> rx.Component:  # noqa: N803
    """One configured material: name (* when required), 查看示例, the upload `zone` (a memo component bound to
    the form's state) and what was uploaded."""
    return rx.hstack(
        rx.box(
            rx.cond(m["required"] != "", rx.el.span("*", aria_hidden="true", color=RED), rx.fragment()),
            rx.text(m["name"], as_="span", font_size="14px"),
            width=label_width,
            flex_shrink="0",
            text_align="right",
            padding_top="8px",
        ),
        rx.vstack(
            rx.link("查看示例", href=m["example"], is_external=True, font_size="13px"),
            upload_status(
                zone(material_id=m["id"], upload_id="material-" + m["id"], label=m["name"]),
                S.materials.get("m" + m["id"] + "_name", ""),
                S.errors.get("materials." + m["id"], ""),
                m["hint"],
            ),
            align="start",
            spacing="1",
            width="100%",
        ),
        spacing="3",
        width="100%",
        align="start",
    )
