"""Pieces both application forms show (新办/续办 and the follow-ups), for a state with DraftFormMixin and the
OCR fields (ocr_open, ocr_fields, ocr_note, close_ocr, confirm_ocr)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import (
    AMBER,
    MUTED,
    RED,
    field_error,
    form_row,
    general_error,
    primary_button,
    select_input,
    text_input,
)
from apec_app.components.upload import upload_zone
from apec_app.domain import uploads
from apec_app.domain.passport_visual import UNREAD
from apec_app.domain.person import ISSUE_PLACES

JPEG = {"image/jpeg": [".jpg", ".jpeg"]}
PINYIN_PROVINCES = list(ISSUE_PLACES)
# The manual's hint under 姓名拼音 (in the form and in the OCR dialog).
PINYIN_HINT = "请检查姓名拼音是否正确，拼音姓和拼音名之间默认空格隔开，多个拼音名之间不加空格"
UNREAD_HINT = f"{UNREAD}，请手工填写"


def summary_row(label, value) -> rx.Component:
    """One line of 信息确认: the field's name and what was entered ("未填写" when nothing was)."""
    return rx.hstack(
        rx.text(label, color=MUTED, width="220px", flex_shrink="0", class_name="summary-label"),
        rx.text(rx.cond(value != "", value, "未填写"), word_break="break-all"),
        width="100%",
        class_name="summary-row",
    )


def module(S, title, step, *rows: rx.Component, anchor: str = "wizard-top") -> rx.Component:  # noqa: N803
    """One part of 信息确认, with 【修改】 that opens its step at the part (`anchor`, an element id there); the
    step's 【保存】 comes straight back here."""
    return rx.box(
        rx.hstack(
            rx.heading(title, size="4"),
            rx.spacer(),
            rx.button(
                "修改",
                variant="outline",
                size="2",
                min_height="44px",
                min_width="64px",
                on_click=S.edit_part(step, anchor),
                aria_label="修改" + title,
            ),
            width="100%",
            align="center",
        ),
        rx.vstack(*rows, spacing="1", margin_top="8px", width="100%"),
        role="region",
        aria_label=title,
        border="1px solid #ebeef5",
        border_radius="8px",
        padding="16px",
        width="100%",
    )


def file_preview(S, doc_id, name, label) -> rx.Component:  # noqa: N803
    """An uploaded file: a thumbnail for an image, an icon and its name for a PDF, each opening the file; only
    the name while no link is known."""
    url = S.preview_urls.get(doc_id, "")
    return rx.cond(
        url != "",
        rx.link(
            rx.cond(
                S.preview_images.get(doc_id, "") != "",
                rx.image(
                    src=url,
                    alt=label + "：" + name,
                    width="96px",
                    height="72px",
                    object_fit="cover",
                    border="1px solid #dcdfe6",
                    border_radius="4px",
                ),
                rx.hstack(
                    rx.icon("file-text", size=28, color=RED, aria_hidden="true"),
                    rx.text(name, font_size="13px", word_break="break-all"),
                    role="img",
                    aria_label=label + "：" + name,
                    align="center",
                    spacing="2",
                    padding="6px 10px",
                    border="1px solid #dcdfe6",
                    border_radius="4px",
                    min_height="44px",
                ),
            ),
            href=url,
            is_external=True,
        ),
        rx.text(name, font_size="13px"),
    )


def document_summary(S, label, doc_id, name) -> rx.Component:  # noqa: N803
    """信息确认's line of one upload: its name and preview, or 未上传."""
    return rx.hstack(
        rx.text(label, color=MUTED, width="220px", flex_shrink="0", class_name="summary-label"),
        rx.cond(doc_id != "", file_preview(S, doc_id, name, label), rx.text("未上传", color=RED)),
        width="100%",
        align="center",
        class_name="summary-row",
    )


def _marked(S, key: str) -> rx.Component:  # noqa: N803
    return rx.cond(
        S.ocr_unread.contains(key),
        rx.badge(UNREAD, color_scheme="amber", high_contrast=True, flex_shrink="0"),
        rx.fragment(),
    )


def _ocr_text(S, key: str, label: str, id: str, **kwargs) -> rx.Component:  # noqa: N803, A002
    return text_input(
        id,
        label,
        default_value=S.ocr_fields.get(key, ""),
        name=key,
        placeholder=rx.cond(S.ocr_unread.contains(key), UNREAD_HINT, f"请输入{label}"),
        extra=_marked(S, key),
        **kwargs,
    )


def _ocr_sex(S) -> rx.Component:  # noqa: N803
    sex = S.ocr_fields.get("sex", "")
    return form_row(
        "性别",
        rx.hstack(
            *[
                rx.el.label(
                    rx.el.input(
                        type="radio", name="sex", value=o, default_checked=sex == o, width="18px", height="18px"
                    ),
                    o,
                    display="flex",
                    gap="6px",
                    align_items="center",
                    min_height="44px",
                    min_width="56px",
                    cursor="pointer",
                )
                for o in ("男", "女")
            ],
            _marked(S, "sex"),
            role="radiogroup",
            aria_label="性别",
            id="ocr-sex",
            spacing="4",
            align="center",
        ),
        html_for="ocr-sex",
    )


def ocr_dialog(S, *, holder_fields: bool, expiry_label: str = "失效日期") -> rx.Component:  # noqa: N803
    """自动识别护照信息 (manual 1.2.1 step 5): 请确认以下护照信息的正确性, editable. For a new person the manual's
    fields 姓, 名, 姓名拼音, 性别, 出生日期, 护照号码, 签发日期, 失效日期 and 签发地点; a follow-up's holder is known
    already (`holder_fields` False), so only the passport's. A field the reader could not read is empty and
    marked 未能识别, never guessed; a 签发日期 inferred from the expiry date says so."""
    holder = [
        _ocr_text(S, "surname", "姓", "ocr-surname"),
        _ocr_text(S, "given_name", "名", "ocr-given"),
        _ocr_text(S, "pinyin", "姓名拼音", "ocr-pinyin", hint=PINYIN_HINT),
        _ocr_sex(S),
        _ocr_text(S, "birth_date", "出生日期", "ocr-birth", type="date"),
    ]
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("请确认以下护照信息的正确性"),
            rx.dialog.description("自动识别护照信息，如有误，请手工修改至正确", font_size="13px", color=MUTED),
            rx.cond(
                S.ocr_note != "",
                rx.callout(S.ocr_note, icon="info", color_scheme="amber", high_contrast=True, margin_top="8px"),
                rx.fragment(),
            ),
            rx.form(
                rx.vstack(
                    *(holder if holder_fields else []),
                    _ocr_text(S, "passport_number", "护照号码", "ocr-number"),
                    _ocr_text(S, "issue_date", "签发日期", "ocr-issue", type="date"),
                    rx.cond(
                        S.ocr_inferred,
                        rx.text(
                            "签发日期为根据失效日期推算的值，请与护照核对",
                            color=AMBER,
                            font_size="13px",
                            class_name="form-note",
                            padding_left="162px",
                        ),
                        rx.fragment(),
                    ),
                    _ocr_text(S, "expiry_date", expiry_label, "ocr-expiry", type="date"),
                    select_input(
                        "ocr-place",
                        "签发地点",
                        PINYIN_PROVINCES,
                        default_value=S.ocr_fields.get("issue_place", ""),
                        name="issue_place",
                    ),
                    rx.cond(
                        S.ocr_unread.contains("issue_place"),
                        rx.text(
                            UNREAD_HINT, color=AMBER, font_size="13px", class_name="form-note", padding_left="162px"
                        ),
                        rx.fragment(),
                    ),
                    rx.hstack(
                        rx.button(
                            "取消", type="button", variant="soft", color_scheme="gray", size="3", on_click=S.close_ocr
                        ),
                        primary_button("确认护照信息", type="submit"),
                        justify="end",
                        width="100%",
                        spacing="3",
                    ),
                    rx.text("确认后自动填入申请单", font_size="12px", color=MUTED, align_self="end"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.confirm_ocr,
                reset_on_submit=False,
                key=S.rev.to_string(),
            ),
            max_width="640px",
            max_height="90vh",
            overflow_y="auto",
        ),
        open=S.ocr_open,
    )


def step_buttons(S, last_step) -> rx.Component:  # noqa: N803
    """上一步 / 保存草稿 / 下一步, and 提交 on the last step; after a 【修改】 of 信息确认, 【保存】 (checks the step
    and goes straight back to 信息确认) instead of 上一步 and 下一步."""
    return rx.fragment(
        general_error(S.errors.get("", "")),
        rx.hstack(
            rx.cond(
                S.returning,
                rx.fragment(),
                rx.button("上一步", variant="outline", size="3", on_click=S.go_step(S.step - 1), disabled=S.step <= 1),
            ),
            rx.cond(
                S.step < last_step,
                rx.button("保存草稿", variant="soft", size="3", on_click=S.save_draft),
                rx.fragment(),
            ),
            rx.cond(
                S.step < last_step,
                rx.cond(
                    S.returning,
                    primary_button("保存", on_click=S.next_step),
                    primary_button("下一步", on_click=S.next_step),
                ),
                primary_button("提交", on_click=S.submit, loading=S.submitting),
            ),
            rx.cond(
                S.returning,
                rx.text("保存后返回信息确认", font_size="12px", color=MUTED, width="100%", text_align="center"),
                rx.fragment(),
            ),
            justify="center",
            spacing="4",
            margin_top="24px",
            width="100%",
            wrap="wrap",
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


def upload_status(
    S,
    zone: rx.Component,
    file_name,
    error,
    hint: str | rx.Var,
    doc_id="",
    label="文件",  # noqa: N803
) -> rx.Component:
    """The drop zone, what was uploaded (its name and a preview) and the hint and error under it."""
    return rx.vstack(
        zone,
        rx.cond(
            file_name != "",
            rx.hstack(
                rx.text("已上传：", file_name, font_size="13px", color="#1e7b34"),
                file_preview(S, doc_id, file_name, label),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.fragment(),
        ),
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
            class_name="form-label",
        ),
        rx.vstack(
            rx.link("查看示例", href=m["example"], is_external=True, font_size="13px"),
            upload_status(
                S,
                zone(material_id=m["id"], upload_id="material-" + m["id"], label=m["name"]),
                S.materials.get("m" + m["id"] + "_name", ""),
                S.errors.get("materials." + m["id"], ""),
                m["hint"],
                S.materials.get("m" + m["id"], ""),
                m["name"],
            ),
            align="start",
            spacing="1",
            width="100%",
        ),
        spacing="3",
        width="100%",
        align="start",
        class_name="form-row",
    )
