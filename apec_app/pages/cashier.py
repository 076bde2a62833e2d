"""收银台 (/user/applications/[app_id]/pay) in the manual's words (1.2.6), and 支付凭证确认中 once the voucher is in."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED, RED, field_error, primary_button
from apec_app.components.form_parts import JPEG
from apec_app.components.layout import card, page_frame
from apec_app.components.upload import upload_zone
from apec_app.states.cashier import CashierState as C
from apec_app.ui_text import payments as text

TARGET = {"min_height": "44px"}


def line(label: str, value, **props) -> rx.Component:
    return rx.flex(
        rx.text(label, color=MUTED, flex_shrink="0"),
        rx.text(value, word_break="break-all", **props),
        wrap="wrap",
        align="baseline",
        width="100%",
    )


def amount() -> rx.Component:
    return rx.flex(
        rx.text("应付金额：", flex_shrink="0"),
        rx.text(C.amount, color=RED, font_size="20px", font_weight="700", data_testid="amount"),
        wrap="wrap",
        align="baseline",
        width="100%",
    )


def bank_account() -> rx.Component:
    return rx.box(
        rx.text(text.REMIT_TO, font_weight="600"),
        line("银行：", C.bank["bank"]),
        line("账户名：", C.bank["account_name"]),
        line("卡号：", C.bank["account_number"], font_family="monospace", font_size="16px"),
        background="#f5f7fa",
        border_radius="8px",
        padding="12px 16px",
        width="100%",
        aria_label="收款账户",
        role="group",
    )


def voucher() -> rx.Component:
    return rx.vstack(
        rx.heading(text.UPLOAD_BUTTON, as_="h2", size="4"),
        rx.text(text.UPLOAD_PROMPT),
        upload_zone(
            text.UPLOAD_BUTTON,
            label="支付凭证",
            icon=True,
            id="voucher",
            on_drop=C.upload_voucher(rx.upload_files(upload_id="voucher")),
            on_rejected=C.voucher_refused,
            accept=JPEG,
            max_files=1,
            multiple=False,
            border=rx.cond(C.error != "", f"1px dashed {RED}", "1px dashed #c0c4cc"),
            border_radius="6px",
            padding="10px 16px",
            min_height="44px",
            display="flex",
            align_items="center",
            width="100%",
        ),
        rx.text(text.VOUCHER_HINT, color=MUTED, font_size="13px"),
        field_error(C.error),
        rx.cond(
            C.voucher_name != "",
            rx.hstack(
                rx.image(src=C.voucher_url, alt="支付凭证预览", width="96px", height="72px", object_fit="cover"),
                rx.text("已上传：", C.voucher_name, color="#17612e", font_size="13px", word_break="break-all"),
                align="center",
            ),
            rx.fragment(),
        ),
        spacing="2",
        width="100%",
        align="start",
    )


def buttons() -> rx.Component:
    return rx.hstack(
        rx.button(
            "取消",
            variant="outline",
            size="3",
            color_scheme="gray",
            type="button",
            on_click=rx.redirect("/user/applications/" + C.application_id.to_string()),
            min_height="44px",
            min_width="96px",
        ),
        primary_button("提交", on_click=C.submit, min_height="44px", min_width="96px"),
        justify="center",
        spacing="4",
        margin_top="8px",
        width="100%",
    )


def paying() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("收银台", as_="h1", size="6"),
            rx.text(C.intro),
            line("申请单号：", C.number),
            amount(),
            bank_account(),
            voucher(),
            buttons(),
            spacing="4",
            width="100%",
        ),
    )


def confirming() -> rx.Component:
    """支付凭证确认中: what the manual shows after 【提交】."""
    return card(
        rx.vstack(
            rx.icon("clock", size=40, color="#1f5fa8", aria_hidden="true"),
            rx.heading(text.CONFIRMING_TITLE, as_="h1", size="6"),
            rx.text(text.CONFIRMING, text_align="center"),
            line("申请单号：", C.number),
            rx.link("查看申请单详情", href="/user/applications/" + C.application_id.to_string(), style=TARGET),
            align="center",
            spacing="3",
            width="100%",
        ),
    )


def cashier_page() -> rx.Component:
    return page_frame(
        rx.cond(
            C.found,
            rx.cond(C.stage == "confirming", confirming(), paying()),
            card(
                rx.heading("无需缴费", size="5"),
                rx.text("该申请单不存在或当前无需缴费。"),
                rx.link("返回我的申请单", href="/user", style=TARGET),
            ),
        ),
        signed_in_page=True,
        scope=C,
        width="760px",
    )
