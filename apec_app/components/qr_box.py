"""The QR code panel shared by registration, QR login, password recovery and 三要素 updates."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED


def qr_box(state, caption: str = "请使用电子营业执照APP或小程序扫描二维码授权") -> rx.Component:
    return rx.cond(
        state.qr_status == "disabled",
        rx.callout(state.qr_error, icon="info", color_scheme="gray", role="status"),
        _qr_panel(state, caption),
    )


def _qr_panel(state, caption: str) -> rx.Component:
    return rx.vstack(
        rx.cond(
            state.qr_image != "",
            rx.image(src=state.qr_image, alt="电子营业执照授权二维码", width="200px", height="200px"),
            rx.skeleton(width="200px", height="200px"),
        ),
        rx.text(caption, font_size="14px", color="#606266", text_align="center"),
        rx.match(
            state.qr_status,
            ("pending", rx.text("等待授权…", font_size="13px", color=MUTED, role="status")),
            ("authorized", rx.text("授权成功", font_size="13px", color="green", role="status")),
            ("expired", rx.text("二维码已过期，请刷新", font_size="13px", color="#c8161d", role="alert")),
            ("used", rx.text("二维码已使用，请刷新", font_size="13px", color="#c8161d", role="alert")),
            ("refused", rx.text(state.qr_error, font_size="13px", color="#c8161d", role="alert")),
            rx.fragment(),
        ),
        rx.hstack(
            rx.link("手机无法扫码？在浏览器中打开授权页", href=state.qr_link, is_external=True, font_size="13px"),
            rx.button("刷新二维码", variant="ghost", size="1", on_click=state.refresh_qr),
            spacing="3",
            align="center",
        ),
        align="center",
        spacing="3",
    )
