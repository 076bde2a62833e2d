"""The virtual ABTC (docs/rules.md §8), drawn phone-first (390 px wide and up): the account's view
(/user/cards/[card_id]), the holder's view through the emailed link (/abtc/[token]) and /verify."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED, RED, general_error, primary_button, send_code_button, text_input
from apec_app.components.layout import page_frame
from apec_app.components.scoped import scoped
from apec_app.states.virtual_card import HolderCardState, VerifyState, VirtualCardState

A = VirtualCardState
H = HolderCardState
V = VerifyState
CARD_WIDTH = "420px"
GREEN = "#1e7b45"  # white on it: 5.4:1


def _standing(label, color, name: str, size: str = "13px") -> rx.Component:
    """The card's standing as a white pill in its colour (readable on the red header and on white)."""
    return rx.text(label, as_="span", role="status", aria_label=name, color=color, background="white",
                   border_width="1px", border_style="solid", border_color=color, border_radius="12px",
                   padding="2px 10px", font_size=size, font_weight="600", white_space="nowrap")  # fmt: skip


def _item(label: str, value, wide: bool = False) -> rx.Component:
    return rx.box(
        rx.el.dt(label, font_size="11px", color=MUTED),
        rx.el.dd(value, font_size="15px", font_weight="600", margin="0", word_break="break-all"),
        grid_column="span 2" if wide else "auto",
    )


def _economy_chip(e) -> rx.Component:
    return _chip(e, english=False)


def _economy_chip_en(e) -> rx.Component:
    return _chip(e, english=True)


def _chip(e, *, english: bool) -> rx.Component:
    """One pre-cleared economy: its code and Chinese name (and, for border officers, its English name)."""
    return rx.el.li(
        rx.text(e["code"], as_="span", font_size="12px", font_weight="600", color="white", background=GREEN,
                border_radius="10px", padding="1px 6px"),  # fmt: skip
        rx.text(e["zh"], as_="span", font_size="13px", margin_left="4px"),
        rx.text(e["en"], as_="span", font_size="12px", margin_left="4px", color=MUTED) if english else rx.fragment(),
        display="inline-flex",
        align_items="center",
        padding="2px 8px 2px 2px",
        border="1px solid #d9e8dc",
        border_radius="12px",
        background="#f4faf5",
        title=e["en"],
    )


def card_face(state) -> rx.Component:
    """The card: the holder, the card, the pre-cleared economies and the QR code for the border."""
    c = state.card
    return rx.box(
        rx.hstack(
            rx.vstack(
                rx.text("APEC商务旅行卡", font_weight="700", font_size="17px", color="white"),
                rx.text("APEC BUSINESS TRAVEL CARD", font_size="10px", color="white", letter_spacing="0.08em"),
                spacing="0",
                align="start",
            ),
            rx.spacer(),
            _standing(c["standing_label"], c["standing_color"], "卡状态"),
            background=RED,
            padding="12px 16px",
            align="center",
            width="100%",
        ),
        rx.box(
            rx.hstack(
                rx.cond(
                    state.photo != "",
                    rx.image(src=state.photo, alt="持卡人照片", width="96px", height="128px", object_fit="cover",
                             border_radius="4px", border="1px solid #e4e7ed"),  # fmt: skip
                    rx.center(rx.text("无照片", font_size="12px", color=MUTED), width="96px", height="128px",
                              background="#f0f2f5", border_radius="4px"),  # fmt: skip
                ),
                rx.el.dl(
                    _item("姓名", c["name"]),
                    _item("性别", c["sex"]),
                    _item("姓名拼音", c["pinyin"], wide=True),
                    _item("出生日期", c["birth_date"]),
                    _item("国籍", c["nationality"]),
                    display="grid",
                    grid_template_columns="1fr 1fr",
                    gap="8px 12px",
                    margin="0",
                    flex="1",
                ),
                spacing="3",
                align="start",
                width="100%",
            ),
            rx.el.dl(
                _item("护照号码", c["passport_number"]),
                _item("卡号", c["card_number"]),
                _item("有效期至", c["valid_until"]),
                display="grid",
                grid_template_columns="1fr 1fr",
                gap="8px 12px",
                margin="12px 0 0",
            ),
            rx.box(
                rx.text("已获预先批准的经济体", font_size="11px", color=MUTED, id="precleared-heading"),
                rx.cond(
                    state.economies.length() > 0,
                    rx.el.ul(
                        rx.foreach(state.economies, _economy_chip),
                        display="flex",
                        flex_wrap="wrap",
                        gap="6px",
                        list_style="none",
                        padding="0",
                        margin="6px 0 0",
                        aria_labelledby="precleared-heading",
                    ),
                    rx.text("暂无经济体批准", font_size="13px", margin_top="4px"),
                ),
                margin_top="14px",
            ),
            rx.cond(
                state.qr_image != "",
                rx.vstack(
                    rx.image(src=state.qr_image, alt="边检核验二维码", width="220px", height="220px"),
                    rx.text("请向边检人员出示此二维码 · Show this code at the border", font_size="12px", color=MUTED,
                            text_align="center"),  # fmt: skip
                    align="center",
                    spacing="1",
                    margin_top="16px",
                ),
                rx.callout("此卡当前无效，不提供核验二维码", icon="triangle_alert", color_scheme="red",
                           margin_top="16px"),  # fmt: skip
            ),
            padding="16px",
        ),
        background="white",
        border_radius="12px",
        overflow="hidden",
        box_shadow="0 2px 10px rgba(0,0,0,.10)",
        width="100%",
        max_width=CARD_WIDTH,
        margin="0 auto",
    )


def _phone_frame(*children: rx.Component) -> rx.Component:
    """The holder's and the officer's pages: a slim bar instead of the applicant's header."""
    return rx.box(
        rx.el.header(
            rx.text("APEC商务旅行卡申请管理系统", color="white", font_weight="600", font_size="15px"),
            background=RED,
            padding="12px 16px",
        ),
        rx.el.main(*children, max_width="480px", margin="16px auto", padding="0 12px"),
        background="#f5f7fa",
        min_height="100vh",
    )


# --- the account's view ---------------------------------------------------------------------------------------


def account_card_page() -> rx.Component:
    return page_frame(
        rx.vstack(
            rx.hstack(
                rx.link("← 我的APEC卡", href="/user?tab=cards", font_size="14px"),
                rx.spacer(),
                rx.button("刷新", variant="outline", size="2", on_click=A.refresh),
                width="100%",
                max_width=CARD_WIDTH,
                margin="0 auto",
            ),
            rx.heading("虚拟APEC商务旅行卡", as_="h1", size="5", text_align="center", width="100%"),
            rx.cond(A.missing, rx.text("未找到此卡", role="alert"), card_face(A)),
            spacing="3",
            width="100%",
        ),
        signed_in_page=True,
        width="640px",
        scope=A,
    )


# --- the holder's view ----------------------------------------------------------------------------------------


def _code_form() -> rx.Component:
    E = H.errors  # noqa: N806 - the page's error map
    return rx.form(
        rx.vstack(
            rx.text("为保护您的个人信息，请输入发送到邮箱 ", rx.text(H.email_hint, as_="span", font_weight="600"),
                    " 的验证码后查看虚拟卡。", font_size="14px"),  # fmt: skip
            text_input(
                "code",
                "邮箱验证码",
                E.get("code", ""),
                placeholder="请输入6位验证码",
                autocomplete="one-time-code",
                extra=send_code_button(H, H.send_code),
            ),
            general_error(E.get("", "")),
            primary_button("查看虚拟卡", type="submit", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=H.open_card,
        width="100%",
    )


def holder_card_page() -> rx.Component:
    return _phone_frame(
        rx.heading("虚拟APEC商务旅行卡", as_="h1", size="5", margin_bottom="12px", text_align="center"),
        scoped(
            H,
            rx.cond(
                H.unlocked,
                rx.vstack(
                    card_face(H),
                    rx.button("刷新", variant="outline", size="2", on_click=H.refresh),
                    align="center",
                    spacing="3",
                    width="100%",
                ),
                rx.cond(
                    H.link_ok,
                    rx.box(
                        _code_form(),
                        background="white",
                        border_radius="8px",
                        padding="20px 16px",
                    ),
                    rx.callout("链接无效或已过期，请使用最新邮件中的链接", icon="info", color_scheme="gray",
                               role="alert"),  # fmt: skip
                ),
            ),
        )
    )


# --- /verify ----------------------------------------------------------------------------------------------------


def _verdict() -> rx.Component:
    r = V.result
    return rx.box(
        rx.hstack(
            rx.text("核验结果 Result", font_weight="600"),
            rx.spacer(),
            _standing(r["standing_label"], r["standing_color"], "核验结果", size="15px"),
            align="center",
            width="100%",
        ),
        rx.el.dl(
            _item("卡号 Card number", r["card_number"]),
            _item("有效期至 Valid until", r["valid_until"]),
            _item("姓名 Name", r["name"], wide=True),
            _item("护照号码 Passport number", r["passport_number"], wide=True),
            display="grid",
            grid_template_columns="1fr 1fr",
            gap="8px 12px",
            margin="12px 0 0",
        ),
        rx.text("已获预先批准的经济体 Pre-cleared economies", font_size="11px", color=MUTED, margin_top="12px",
                id="verify-economies"),  # fmt: skip
        rx.el.ul(
            rx.foreach(V.economies, _economy_chip_en),
            display="flex",
            flex_wrap="wrap",
            gap="6px",
            list_style="none",
            padding="0",
            margin="6px 0 0",
            aria_labelledby="verify-economies",
        ),
        rx.text("签名密钥 Key id: ", r["kid"], font_size="11px", color=MUTED, margin_top="12px"),
        background="white",
        border_radius="8px",
        padding="16px",
        margin_top="16px",
    )


def verify_page() -> rx.Component:
    return _phone_frame(
        scoped(
            V,
            rx.box(
                rx.heading("APEC商务旅行卡核验 ABTC verification", as_="h1", size="5", margin_bottom="8px"),
                rx.text("粘贴虚拟卡二维码的内容，核验签名及卡状态。",
                        "Paste the QR code's content to check its signature and the card's standing.",
                        font_size="13px", color=MUTED),  # fmt: skip
                rx.form(
                    rx.vstack(
                        rx.el.label("二维码内容 QR content", html_for="token", font_size="14px"),
                        rx.text_area(id="token", name="token", rows="5", width="100%",
                                     placeholder="eyJhbGciOiJFZERTQSIs…"),  # fmt: skip
                        primary_button("核验 Verify", type="submit", width="100%"),
                        spacing="2",
                        width="100%",
                    ),
                    on_submit=V.verify,
                    margin_top="12px",
                ),
                rx.cond(V.error != "", rx.callout(V.error, icon="triangle_alert", color_scheme="red", role="alert",
                                                  margin_top="16px")),  # fmt: skip
                rx.cond(V.result.contains("standing"), _verdict()),
                rx.text("没有网络时 Without a network: ",
                        # A page outside the app: a full load (in a tab of its own), not the app's own navigation.
                        rx.link("离线核验 Offline check", href="/verify/offline", is_external=True,
                                text_decoration="underline"),
                        font_size="13px", margin_top="16px"),  # fmt: skip
                rx.text("公钥 Public keys: ",
                        rx.link("/api/cards/keys", href="/api/cards/keys", is_external=True,
                                text_decoration="underline"),
                        font_size="11px", color=MUTED, margin_top="8px"),  # fmt: skip
                background="white",
                border_radius="8px",
                padding="16px",
            ),
        )
    )
