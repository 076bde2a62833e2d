"""The follow-up forms (manual 1.2.2 – 1.2.5): the person's data read-only, the business's own fields, materials,
取卡方式 where a card is made, and 信息确认."""

from __future__ import annotations

import reflex as rx

from apec_app.components.delivery import delivery_step
from apec_app.components.fields import (
    MUTED,
    RED,
    field_label,
    form_row,
    read_only_row,
    select_input,
    text_input,
)
from apec_app.components.form_parts import (
    JPEG,
    PINYIN_PROVINCES,
    document_summary,
    dropzone,
    loaded_form,
    material_row,
    module,
    ocr_dialog,
    saved_note,
    step_buttons,
    summary_row,
    upload_status,
)
from apec_app.components.layout import card, page_frame
from apec_app.domain import followups as rules
from apec_app.domain.person import PASSPORT_TYPES
from apec_app.states.followup import FollowupState as F
from apec_app.ui_text.forms import SOURCE_LABELS


@rx.memo
def followup_material_zone(material_id: rx.Var[str], upload_id: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    return dropzone(upload_id, F.upload_material(rx.upload_files(upload_id=upload_id), material_id), None, label)


def progress() -> rx.Component:
    return rx.hstack(
        rx.foreach(
            F.step_labels,
            lambda label, i: rx.hstack(
                rx.box(
                    (i + 1).to_string(),
                    width="26px",
                    height="26px",
                    border_radius="50%",
                    text_align="center",
                    line_height="26px",
                    color="white",
                    font_size="13px",
                    background=rx.cond(F.step >= i + 1, RED, "#c0c4cc"),
                ),
                rx.text(label, font_weight=rx.cond(F.step == i + 1, "700", "400")),
                spacing="2",
                align="center",
                role="listitem",
                aria_current=rx.cond(F.step == i + 1, "step", "false"),
            ),
        ),
        spacing="6",
        justify="center",
        margin_bottom="20px",
        role="list",
        aria_label="办理进度",
        wrap="wrap",
    )


def field(section: str, key: str, label: str, **kwargs) -> rx.Component:
    return text_input(
        f"{section}-{key}",
        label,
        F.errors.get(f"{section}.{key}", ""),
        default_value=getattr(F, section).get(key, ""),
        on_save=lambda v: F.set_field(section, key, v),
        **kwargs,
    )


def choice(section: str, key: str, label: str, options) -> rx.Component:
    return select_input(
        f"{section}-{key}",
        label,
        options,
        F.errors.get(f"{section}.{key}", ""),
        default_value=getattr(F, section).get(key, ""),
        on_change=lambda v: F.set_field(section, key, v),
    )


def slot_upload(slot: str, label: str, hint: str, accept: dict | None = None) -> rx.Component:
    """情况说明 or the new passport page (each appears once on the page, so no memo is needed)."""
    section = rules.UPLOAD_SLOTS[slot]
    uid = f"slot-{slot}"
    return rx.hstack(
        field_label(label, uid),
        upload_status(
            F,
            dropzone(uid, F.upload_slot(rx.upload_files(upload_id=uid), slot), accept, label),
            getattr(F, section).get(f"{slot}_name", ""),
            F.errors.get(f"{section}.{slot}_doc", ""),
            hint,
            getattr(F, section).get(f"{slot}_doc", ""),
            label,
        ),
        spacing="3",
        width="100%",
        align="start",
        class_name="form-row",
    )


def replace_fields() -> rx.Component:
    kind = F.reason.get("kind", "")
    return rx.vstack(
        form_row(
            "换卡/补卡",
            rx.radio_group.root(
                rx.hstack(
                    *[
                        rx.el.label(rx.radio_group.item(value=k), k, display="flex", gap="6px")
                        for k in rules.REPLACE_KINDS
                    ],
                    spacing="5",
                ),
                value=kind,
                on_change=lambda v: F.set_field("reason", "kind", v),
                aria_label="换卡/补卡",
                id="reason-kind",
            ),
            F.errors.get("reason.kind", ""),
            html_for="reason-kind",
        ),
        rx.match(
            kind,
            *[(k, choice("reason", "reason", "原因", list(reasons))) for k, reasons in rules.REPLACE_KINDS.items()],
            rx.fragment(),
        ),
        rx.cond(
            kind == "补卡",
            slot_upload("statement", "情况说明", "遗失的请上传报失证明，损坏的请上传情况说明（jpg、png或pdf）"),
            rx.fragment(),
        ),
        field("reason", "note", "补充说明", required=False),
        spacing="4",
        width="100%",
    )


def passport_fields() -> rx.Component:
    return rx.vstack(
        choice("passport", "reason", "更换护照原因", list(rules.PASSPORT_REASONS)),
        slot_upload("passport_page", "新护照信息页", "jpg格式，上传后自动识别护照信息", JPEG),
        choice("passport", "passport_type", "护照种类", list(PASSPORT_TYPES)),
        field("passport", "passport_number", "新护照号码"),
        field("passport", "issue_date", "签发日期", type="date"),
        field("passport", "expiry_date", "有效期至", type="date"),
        field("passport", "issuing_authority", "签发机关"),
        choice("passport", "issue_place", "签发地点", PINYIN_PROVINCES),
        spacing="4",
        width="100%",
    )


def cancel_fields() -> rx.Component:
    return rx.vstack(
        choice("reason", "reason", "注销原因", list(rules.CANCEL_REASONS)),
        field("reason", "note", "补充说明", required=False, hint="注销原因为“其他”时必填"),
        spacing="4",
        width="100%",
    )


def first_step() -> rx.Component:
    return rx.vstack(
        *[read_only_row(label, F.source.get(key, ""), f"source-{key}") for key, label in SOURCE_LABELS],
        rx.match(
            F.kind,
            ("replace", replace_fields()),
            ("passport_change", passport_fields()),
            ("cancel", cancel_fields()),
            rx.fragment(),
        ),
        field("contact", "contact_name", "联系人姓名"),
        field("contact", "contact_phone", "联系人电话"),
        spacing="4",
        width="100%",
    )


def materials_step() -> rx.Component:
    return rx.vstack(
        rx.heading("线上材料", size="4"),
        rx.foreach(F.material_rows, lambda m: material_row(F, followup_material_zone, m, label_width="180px")),
        rx.cond(F.material_rows.length() == 0, rx.text("本业务无需上传材料", color=MUTED), rx.fragment()),
        spacing="4",
        width="100%",
    )


def slot_summary(slot: str, label: str) -> rx.Component:
    section = getattr(F, rules.UPLOAD_SLOTS[slot])
    return document_summary(F, label, section.get(f"{slot}_doc", ""), section.get(f"{slot}_name", ""))


def confirm_step() -> rx.Component:
    """信息确认: every module of the form with its 【修改】 (the step's 【保存】 comes straight back here)."""
    return rx.vstack(
        rx.heading("信息确认", size="4"),
        module(
            F,
            F.step_labels[0],
            1,
            *[summary_row(label, F.source.get(key, "")) for key, label in SOURCE_LABELS],
            rx.foreach(F.summary_rows, lambda r: summary_row(r[0], r[1])),
            rx.match(
                F.kind,
                ("passport_change", slot_summary("passport_page", "新护照信息页")),
                (
                    "replace",
                    rx.cond(F.reason.get("kind", "") == "补卡", slot_summary("statement", "情况说明"), rx.fragment()),
                ),
                rx.fragment(),
            ),
        ),
        rx.cond(
            F.steps.contains("materials"),
            module(
                F,
                "上传材料",
                2,
                rx.foreach(
                    F.material_rows,
                    lambda m: document_summary(
                        F, m["name"], F.materials.get("m" + m["id"], ""), F.materials.get("m" + m["id"] + "_name", "")
                    ),
                ),
                rx.cond(F.material_rows.length() == 0, rx.text("本业务无需上传材料"), rx.fragment()),
            ),
            rx.fragment(),
        ),
        rx.cond(
            F.steps.contains("delivery"),
            module(
                F,
                "取卡方式",
                3,
                summary_row(
                    "取卡方式", rx.match(F.delivery.get("method", ""), ("mail", "邮寄"), ("pickup", "自取"), "")
                ),
                rx.foreach(
                    F.pickup_rows,
                    lambda r: rx.cond(
                        r["id"] == F.delivery.get("pickup_point_id", ""),
                        summary_row("代办点", r["name"] + "（" + r["address"] + "，" + r["hours"] + "）"),
                        rx.fragment(),
                    ),
                ),
                rx.foreach(
                    F.address_rows,
                    lambda a: rx.cond(
                        a["id"] == F.delivery.get("address_id", ""), summary_row("邮寄地址", a["text"]), rx.fragment()
                    ),
                ),
            ),
            rx.fragment(),
        ),
        spacing="4",
        width="100%",
    )


def followup_page() -> rx.Component:
    return page_frame(
        rx.text("APEC商务旅行卡首页 > ", F.kind_label, " > 在线办理", color=MUTED, font_size="13px", id="wizard-top"),
        rx.cond(
            F.found,
            card(
                rx.heading(F.kind_label + " 在线办理", class_name="sr-only"),
                progress(),
                rx.hstack(
                    rx.text("办理机构：", F.institution_name, font_size="13px", color="#606266"),
                    rx.text("原申请单号：", F.parent_number, font_size="13px"),
                    rx.cond(F.number != "", rx.text("申请单号：", F.number, font_size="13px"), rx.fragment()),
                    rx.spacer(),
                    saved_note(F),
                    width="100%",
                    margin_bottom="12px",
                    wrap="wrap",
                ),
                rx.cond(F.busy != "", rx.callout(F.busy, icon="loader", margin_bottom="12px"), rx.fragment()),
                loaded_form(
                    F,
                    rx.fragment(
                        rx.cond(F.step == 1, first_step(), rx.fragment()),
                        rx.match(
                            F.step_name,
                            ("materials", materials_step()),
                            ("delivery", delivery_step(F)),
                            ("confirm", confirm_step()),
                            rx.fragment(),
                        ),
                    ),
                ),
                step_buttons(F, F.last_step),
            ),
            card(
                rx.heading("未找到申请单", size="5"),
                rx.text("该申请单不存在或您无权查看。"),
                rx.link("返回我的申请单", href="/user"),
            ),
        ),
        ocr_dialog(F, holder_fields=False, expiry_label="有效期至"),
        signed_in_page=True,
        scope=F,
        width="1000px",
    )
