"""申请单详情 (/user/applications/[app_id]), as the manual shows it (1.2.6): the status and what to do next, the
申请单信息 block with the barcode, the institution's contact (“<机构名称>信息”), the economies' decisions, cards and
payments, every field, each material by name and each person's documents under that person, and 办理记录."""

from __future__ import annotations

import reflex as rx

from apec_app.components.economy_matrix import economy_matrix
from apec_app.components.fields import MUTED, RED
from apec_app.components.layout import card, page_frame
from apec_app.components.record import field_row as row
from apec_app.components.record import field_rows as rows
from apec_app.pages.detail.parts import LINK_TARGET, document_link, section, table_or_cards
from apec_app.pages.detail.state import DetailState as S
from apec_app.ui_text import payments as pay_text

BUTTON_LINK = {
    "background": RED,
    "color": "white",
    "padding": "0 20px",
    "border_radius": "6px",
    "min_height": "44px",
    "display": "inline-flex",
    "align_items": "center",
    "text_decoration": "none",
    "font_weight": "600",
}


def heading() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading("申请单详情", as_="h1", size="6"),
            rx.badge(S.status, size="2", aria_label="申请单状态：" + S.status),
            align="center",
            wrap="wrap",
        ),
        rx.spacer(),
        rx.cond(
            S.number != "",
            rx.button(
                "打印申请表（PDF）",
                variant="outline",
                size="3",
                min_height="44px",
                on_click=S.download_pdf,
                loading=S.pdf_busy,
            ),
            rx.fragment(),
        ),
        display="flex",
        flex_direction=["column", "column", "row"],
        align_items=["start", "start", "center"],
        gap="12px",
        width="100%",
    )


def next_step() -> rx.Component:
    """What the applicant does or waits for now: pay (待缴费), or wait for the voucher's check."""
    return rx.match(
        S.status_code,
        (
            "awaiting_payment",
            rx.callout.root(
                rx.callout.text("申请单已审核通过，请付款并上传支付凭证。"),
                rx.link(
                    "上传支付凭证",
                    href="/user/applications/" + S.application_id.to_string() + "/pay",
                    style=BUTTON_LINK,
                    margin_top="8px",
                ),
                color_scheme="amber",
                margin_top="16px",
                width="100%",
            ),
        ),
        (
            "payment_review",
            rx.callout.root(
                rx.callout.text(pay_text.CONFIRMING_TITLE, weight="bold"),
                rx.callout.text(pay_text.CONFIRMING),
                color_scheme="blue",
                role="status",
                margin_top="16px",
                width="100%",
            ),
        ),
        rx.fragment(),
    )


def barcode() -> rx.Component:
    """申请单条码: whole CSS pixels per module (2, or 1 on a phone), the number as text beneath."""
    return rx.cond(
        S.barcode != "",
        rx.box(
            rx.text("申请单条码", color=MUTED, width=["auto", "auto", "200px"], flex_shrink="0"),
            rx.vstack(
                rx.image(
                    src=S.barcode,
                    alt="申请单条码 " + S.number,
                    width=[S.barcode_width_narrow, S.barcode_width_narrow, S.barcode_width],
                    height="64px",
                    max_width="none",
                    style={"image_rendering": "pixelated"},
                    data_testid="barcode",
                ),
                rx.text(S.number, font_family="monospace", letter_spacing="1px"),
                spacing="1",
                align="start",
            ),
            display="flex",
            flex_direction=["column", "column", "row"],
            gap=["4px", "4px", "12px"],
            width="100%",
            padding_y="3px",
        ),
        rx.fragment(),
    )


def application_info() -> rx.Component:
    return section(
        "申请单信息",
        barcode(),
        rows(S.info),
        aria_label="申请单信息",
    )


def institution_info() -> rx.Component:
    return section(S.institution_name + "信息", rows(S.institution_lines))


WAIT_HEADERS = (
    ("economy", "经济体"),
    ("median", "中位数"),
    ("p90", "90%在此之内"),
    ("usual_by", "通常在此日期前出结果"),
    ("late_by", "较晚在此日期前"),
    ("count", "样本数"),
)
HISTORY_HEADERS = (("time", "时间"), ("from", "原状态"), ("to", "新状态"), ("actor", "操作人"), ("reason", "说明"))


def economies() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.matrix.length() > 0,
            section("APEC经济体审核情况", economy_matrix(S.economy_names, S.matrix)),
            rx.fragment(),
        ),
        rx.cond(
            S.waits.length() > 0,
            section(
                "尚未出结果的经济体：近12个月的审核用时",
                rx.text(
                    "根据本系统近12个月的记录统计（自提交各经济体之日起算），仅供参考，各经济体的实际审核时间可能不同。",
                    font_size="13px",
                    color=MUTED,
                    margin_bottom="8px",
                ),
                table_or_cards(WAIT_HEADERS, S.waits, label="尚未出结果的经济体审核用时"),
            ),
            rx.fragment(),
        ),
    )


def cards_and_payments() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.cards.length() > 0,
            section(
                "APEC商务旅行卡",
                rx.foreach(
                    S.cards,
                    lambda c: rx.text(
                        c["person"]
                        + "："
                        + c["status"]
                        + "，有效期至 "
                        + c["valid_until"]
                        + "，获批经济体："
                        + c["economies"]
                        + rx.cond(c["tracking"] != "", "，快递单号 " + c["tracking"], "")
                    ),
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.payments.length() > 0,
            section(
                "缴费记录",
                rx.foreach(
                    S.payments,
                    lambda p: rx.text(p["time"] + " " + p["amount"] + " " + p["status"] + " " + p["reason"]),
                ),
            ),
            rx.fragment(),
        ),
    )


def person_block(p) -> rx.Component:
    return rx.box(
        rx.heading(p.title, as_="h3", size="3", margin_bottom="4px"),
        rows(p.lines, "240px"),
        rx.cond(
            p.documents.length() > 0,
            rx.box(
                rx.text("证件及材料", font_weight="600", margin_top="8px"),
                rx.foreach(p.documents, document_link),
                aria_label=p.title + "的证件及材料",
                role="group",
            ),
            rx.fragment(),
        ),
        padding="12px",
        border="1px solid #ebeef5",
        border_radius="8px",
        margin_bottom="8px",
        data_testid="person",
    )


def form_fields() -> rx.Component:
    return rx.cond(
        S.parent_id != "",
        section(
            "业务信息",
            row("原申请单", rx.link(S.parent_number, href="/user/applications/" + S.parent_id, style=LINK_TARGET)),
            rows(S.followup_rows),
            rx.foreach(S.people, person_block),
        ),
        rx.fragment(
            section("单位信息", rows(S.unit_lines)),
            section(
                "团组信息",
                rows(S.group_lines),
                rx.heading("人员信息", as_="h3", size="3", margin="12px 0 8px"),
                rx.foreach(S.people, person_block),
            ),
        ),
    )


def documents() -> rx.Component:
    """Each configured material by its name; a follow-up's own uploads by theirs."""
    return rx.cond(
        (S.materials.length() > 0) | (S.other_documents.length() > 0),
        section(
            "材料",
            rx.foreach(S.materials, document_link),
            rx.foreach(S.other_documents, document_link),
        ),
        rx.fragment(),
    )


def record() -> rx.Component:
    return card(
        heading(),
        next_step(),
        application_info(),
        institution_info(),
        economies(),
        cards_and_payments(),
        form_fields(),
        documents(),
        rx.cond(S.delivery_text != "", section("取卡方式", rx.text(S.delivery_text)), rx.fragment()),
        section("办理记录", table_or_cards(HISTORY_HEADERS, S.history, label="办理记录")),
        rx.link("返回我的申请单", href="/user", margin_top="20px", style=LINK_TARGET),
    )


def not_found() -> rx.Component:
    return card(
        rx.heading("未找到申请单", size="5"),
        rx.text("该申请单不存在或您无权查看。"),
        rx.link("返回我的申请单", href="/user", style=LINK_TARGET),
    )


def detail_page() -> rx.Component:
    return page_frame(
        rx.cond(S.found, record(), not_found()),
        signed_in_page=True,
        scope=S,
        width="1100px",
    )
