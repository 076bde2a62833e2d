"""The reviewer's application page (/staff/applications/[app_id]): every field, the review actions, people,
documents, economy decisions, payments and history. Shown only once this path's application has loaded."""

from __future__ import annotations

import reflex as rx

from apec_app.components.confirm import confirm_dialog
from apec_app.components.documents import document_gallery, person_documents, zoom_dialog
from apec_app.components.fields import AMBER, MUTED
from apec_app.components.layout import card, page_frame
from apec_app.components.record import field_row, field_rows
from apec_app.components.scoped import scoped
from apec_app.pages.staff_review.application_state import StaffReviewState as R
from apec_app.pages.staff_review.decisions_panel import decisions_panel
from apec_app.ui_text.review_actions import ECONOMY_ENTRY, NEXT_BUTTON, NO_NEXT


def labelled(label: str, field: rx.Component) -> rx.Component:
    """An input with its name shown before it (the accessible name is the same words)."""
    return rx.el.label(
        rx.hstack(rx.text(label, font_size="13px", color=MUTED, white_space="nowrap"), field, align="center",
                  wrap="wrap"),  # fmt: skip
        max_width="100%",
    )


def action_form(action: str, text: str, *, reason: bool = False, tracking: bool = False, danger: bool = False):
    return rx.form(
        rx.hstack(
            rx.el.input(type="hidden", name="action", value=action),
            labelled(
                f"{text}原因",
                rx.input(name="reason", placeholder="请填写原因", aria_label=f"{text}原因", width="260px",
                         max_width="100%"),  # fmt: skip
            )
            if reason
            else rx.fragment(),
            labelled(
                "快递单号",
                rx.input(name="tracking_number", placeholder="快递单号", aria_label="快递单号", width="200px",
                         max_width="100%"),  # fmt: skip
            )
            if tracking
            else rx.fragment(),
            rx.button(
                text,
                type="submit",
                color_scheme="red" if danger else "gray" if reason else None,
                variant="outline" if reason or danger else "solid",
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        on_submit=R.act,
        max_width="100%",
        reset_on_submit=True,
    )


# (action, button, needs a reason, needs a tracking number, shown as dangerous), in the order shown
BUTTONS = (
    ("approve", "通过", False, False, False),
    ("return", "退回修改", True, False, False),
    ("reject", "不通过", True, False, True),
    ("confirm_payment", "确认收款", False, False, False),
    ("refuse_payment", "退回支付凭证", True, False, False),
    ("start_production", "开始制卡", False, False, False),
    ("mail", "已邮寄", False, True, False),
    ("card_ready", "制卡完成", False, False, False),
    ("picked_up", "已自取", False, False, False),
)


def actions() -> rx.Component:
    """Exactly the buttons lifecycle.staff_actions allows for this status, business type and 取卡方式."""
    return rx.vstack(
        rx.heading("审核操作", size="4"),
        *[
            rx.cond(
                R.allowed.contains(action),
                action_form(action, text, reason=reason, tracking=tracking, danger=danger),
                rx.fragment(),
            )
            for action, text, reason, tracking, danger in BUTTONS
        ],
        rx.cond(
            R.allowed.length() == 0,
            rx.cond(
                R.status_code == "economy_review",
                rx.link(ECONOMY_ENTRY, href="#economy-decisions"),
                rx.text("当前状态无需操作", color=MUTED),
            ),
            rx.fragment(),
        ),
        rx.cond(
            R.acted,
            rx.cond(
                R.next_id > 0,
                rx.button(NEXT_BUTTON, on_click=R.open_next, variant="solid"),
                rx.text(NO_NEXT, color=MUTED),
            ),
            rx.fragment(),
        ),
        rx.cond(
            R.action_error != "",
            rx.callout(R.action_error, icon="triangle_alert", color_scheme="red", role="alert"),
            rx.fragment(),
        ),
        spacing="3",
        width="100%",
        border="1px solid #ebeef5",
        border_radius="8px",
        padding="16px",
    )


def heading_card() -> rx.Component:
    return card(
        rx.flex(
            rx.heading("申请单 ", R.number, size="5", word_break="break-all"),
            rx.badge(R.status, size="2"),
            rx.spacer(),
            rx.button("打印申请表（PDF）", variant="outline", on_click=R.download_pdf, loading=R.pdf_busy),
            rx.link("返回审核工作台", href="/staff", min_height="44px", display="inline-flex", align_items="center"),
            align="center",
            wrap="wrap",
            gap="8px 12px",
            width="100%",
            margin_bottom="8px",
        ),
        field_row("业务类型 / 办理机构", R.business_type + " / " + R.institution),
        field_row("企业", R.enterprise["name"] + "（" + R.enterprise["uscc"] + "）"),
        rx.cond(
            R.parent_number != "",
            rx.fragment(field_row("原申请单", R.parent_number), field_rows(R.followup_rows)),
            rx.fragment(),
        ),
        rx.cond(R.delivery_text != "", field_row("取卡方式", R.delivery_text), rx.fragment()),
        width="100%",
    )


def section(title: str, *children: rx.Component, **props) -> rx.Component:
    return card(rx.heading(title, size="4", margin_bottom="8px"), *children, width="100%", **props)


def rule_misses() -> rx.Component:
    return rx.cond(
        R.rule_misses.length() > 0,
        section(
            "未满足的申办条件",
            rx.foreach(R.rule_misses, lambda m: rx.text("• " + m, color=AMBER)),
            role="region",
            aria_label="未满足的申办条件",
        ),
        rx.fragment(),
    )


def precheck_line(c) -> rx.Component:
    badge = rx.match(
        c["code"],
        ("pass", rx.badge(c["status"], color_scheme="green", variant="soft", high_contrast=True)),
        ("warn", rx.badge(c["status"], color_scheme="amber", variant="soft", high_contrast=True)),
        rx.badge(c["status"], color_scheme="red", variant="solid"),
    )
    return rx.hstack(
        rx.box(badge, min_width="56px"),
        rx.vstack(
            rx.text(c["item"], font_weight="600", font_size="13px"),
            rx.text(c["reason"], font_size="13px", color=rx.cond(c["code"] == "fail", "#c0392b", "inherit")),
            spacing="0",
        ),
        role="listitem",
        align="start",
        spacing="2",
        width="100%",
    )


def prechecks(p) -> rx.Component:
    """The person's automatic pre-checks, beside their data."""
    return rx.vstack(
        rx.text("自动预审", font_weight="600"),
        rx.cond(p.checks_note != "", rx.text(p.checks_note, color=MUTED, font_size="13px"), rx.fragment()),
        rx.vstack(rx.foreach(p.checks, precheck_line), role="list", aria_label="自动预审", spacing="2", width="100%"),
        spacing="2",
        padding="8px 12px",
        background="#fafbfc",
        border_radius="6px",
        width="100%",
    )


def person_block(p) -> rx.Component:
    """A person's card: every field of 团组信息 on the left, their pre-checks and documents on the right on a wide
    screen (the passport page large beside the data it should match); one above the other on a phone."""
    return rx.el.section(
        rx.heading(p.heading, as_="h3", size="3", margin_bottom="8px"),
        rx.grid(
            rx.box(field_rows(p.lines, label_width="220px"), min_width="0"),
            rx.vstack(prechecks(p), person_documents(p.documents, R.zoom), spacing="3", min_width="0", width="100%"),
            grid_template_columns=["minmax(0, 1fr)", "minmax(0, 1fr)", "minmax(0, 1fr) minmax(0, 1fr)",
                                   "minmax(0, 1fr) minmax(0, 1fr)", "minmax(0, 1fr) 640px"],  # fmt: skip
            gap="16px",
            width="100%",
        ),
        aria_label=p.heading,
        data_testid="person",
        padding="12px",
        border="1px solid #ebeef5",
        border_radius="8px",
        margin_bottom="12px",
        width="100%",
    )


def record() -> rx.Component:
    return rx.vstack(
        heading_card(),
        rule_misses(),
        card(actions(), width="100%"),
        rx.cond(
            R.parent_number == "",
            section("单位信息", field_rows(R.unit_lines, label_width="270px")),
            rx.fragment(),
        ),
        section(rx.cond(R.parent_number == "", "上传材料", "材料"), document_gallery(R.documents, R.zoom),
                role="region", aria_label="申请单材料"),  # fmt: skip
        rx.cond(R.parent_number == "", section("团组信息", field_rows(R.group_lines)), rx.fragment()),
        section("人员信息", rx.foreach(R.people, person_block)),
        rx.cond(R.parent_number == "", section("取卡方式", field_rows(R.delivery_lines)), rx.fragment()),
        rx.cond(R.matrix.length() > 0, card(decisions_panel(), width="100%", id="economy-decisions"), rx.fragment()),
        section(
            "缴费记录",
            rx.foreach(
                R.payments, lambda p: rx.text(p["time"] + " " + p["amount"] + " " + p["status"] + " " + p["reason"])
            ),
        ),
        section(
            "办理记录",
            rx.foreach(
                R.history,
                lambda e: rx.text(
                    e["time"] + " " + e["from"] + " → " + e["to"] + " " + e["actor"] + " " + e["reason"],
                    font_size="13px",
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )


def not_found() -> rx.Component:
    return card(
        rx.heading("未找到申请单", size="5"),
        rx.text("该申请单不存在或不属于您的机构。"),
        rx.link("返回审核工作台", href="/staff"),
    )


def review_page() -> rx.Component:
    return page_frame(
        scoped(R, rx.cond(R.found, record(), not_found())),
        zoom_dialog(R.zoom_url, R.close_zoom, scale=R.zoom_scale, on_zoom_in=R.zoom_in, on_zoom_out=R.zoom_out,
                    on_reset=R.zoom_reset, on_fit=R.zoom_fit),  # fmt: skip
        confirm_dialog(
            R.confirm_title, R.confirm_text, open=R.confirm_open, on_cancel=R.cancel_act, on_confirm=R.confirm_act
        ),
        signed_in_page=True,
        width="1300px",
    )
