"""The 新办/续办 form page (manual 1.2.1 steps 4-7): the progress bar and the current step."""

from __future__ import annotations

import reflex as rx

from apec_app.components.delivery import delivery_step
from apec_app.components.fields import MUTED, RED
from apec_app.components.form_parts import loaded_form, ocr_dialog, saved_note, step_buttons
from apec_app.components.layout import card, page_frame
from apec_app.pages.wizard.confirm import step_confirm
from apec_app.pages.wizard.people import import_dialog, step_group
from apec_app.pages.wizard.state import WizardState as W
from apec_app.pages.wizard.unit import step_unit

STEPS = ["单位信息", "团组信息", "取卡方式", "信息确认"]


def progress() -> rx.Component:
    items = []
    for i, label in enumerate(STEPS, start=1):
        items.append(
            rx.hstack(
                rx.box(
                    str(i),
                    width="26px",
                    height="26px",
                    border_radius="50%",
                    text_align="center",
                    line_height="26px",
                    color="white",
                    font_size="13px",
                    background=rx.cond(W.step >= i, RED, "#c0c4cc"),
                ),
                rx.text(label, font_weight=rx.cond(W.step == i, "700", "400")),
                spacing="2",
                align="center",
                role="listitem",
                aria_current=rx.cond(W.step == i, "step", "false"),
            )
        )
    return rx.hstack(
        *items, spacing="6", justify="center", margin_bottom="20px", role="list", aria_label="办理进度", wrap="wrap"
    )


def wizard_page() -> rx.Component:
    return page_frame(
        rx.text(
            "APEC商务旅行卡首页 > 新办/续办 > 在线办理",
            color=MUTED,
            font_size="13px",
            margin_bottom="8px",
            id="wizard-top",
        ),
        rx.cond(
            ~W.found,
            card(
                rx.heading("未找到申请单", size="5"),
                rx.text("该申请单不存在或您无权查看。"),
                rx.link("返回我的申请单", href="/user"),
            ),
            rx.fragment(),
        ),
        rx.cond(
            W.found,
            card(
                progress(),
                rx.hstack(
                    rx.text("办理机构：", W.institution_name, font_size="13px", color="#606266"),
                    rx.cond(W.number != "", rx.text("申请单号：", W.number, font_size="13px"), rx.fragment()),
                    rx.spacer(),
                    saved_note(W),
                    width="100%",
                    margin_bottom="12px",
                    wrap="wrap",
                ),
                rx.cond(W.busy != "", rx.callout(W.busy, icon="loader", margin_bottom="12px"), rx.fragment()),
                loaded_form(
                    W,
                    rx.match(
                        W.step,
                        (1, step_unit()),
                        (2, step_group()),
                        (3, delivery_step(W)),
                        (4, step_confirm()),
                        rx.fragment(),
                    ),
                ),
                step_buttons(W, 4),
            ),
            rx.fragment(),
        ),
        ocr_dialog(W, holder_fields=True, expiry_label="失效日期"),
        import_dialog(),
        signed_in_page=True,
        scope=W,
        width="1100px",
    )
