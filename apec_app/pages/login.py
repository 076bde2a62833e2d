"""登录 page: 账号登录 / 经办人登录 tabs and the 电子营业执照扫码 login."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import general_error, primary_button
from apec_app.components.layout import card, page_frame
from apec_app.components.qr_box import qr_box
from apec_app.states.login import LoginState


def _password_form(identifier_label: str, prefix: str) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label(identifier_label, html_for=f"{prefix}_identifier", class_name="sr-only"),
            rx.input(
                id=f"{prefix}_identifier",
                name="identifier",
                placeholder=f"请输入{identifier_label}",
                size="3",
                width="100%",
                auto_complete="username",
            ),
            rx.el.label("密码", html_for=f"{prefix}_password", class_name="sr-only"),
            rx.input(
                id=f"{prefix}_password",
                name="password",
                type="password",
                placeholder="请输入密码",
                size="3",
                width="100%",
                auto_complete="current-password",
            ),
            general_error(LoginState.error),
            primary_button("确认", type="submit", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=LoginState.sign_in,
        reset_on_submit=False,
        width="100%",
    )


def login_page() -> rx.Component:
    return page_frame(
        rx.center(
            card(
                rx.hstack(
                    rx.heading(rx.cond(LoginState.qr_mode, "电子营业执照扫码登录", "账号登录"), size="5"),
                    rx.spacer(),
                    rx.button(
                        rx.cond(LoginState.qr_mode, "账号密码登录", "电子营业执照扫码登录"),
                        variant="ghost",
                        on_click=LoginState.toggle_qr,
                    ),
                    width="100%",
                    align="center",
                    margin_bottom="12px",
                ),
                rx.cond(
                    LoginState.qr_mode,
                    rx.vstack(qr_box(LoginState), general_error(LoginState.error), align="center", width="100%"),
                    rx.tabs.root(
                        rx.tabs.list(
                            rx.tabs.trigger("账号登录", value="account"),
                            rx.tabs.trigger("经办人登录", value="agent"),
                        ),
                        rx.tabs.content(
                            rx.box(_password_form("邮箱账号", "account"), padding_top="16px"), value="account"
                        ),
                        rx.tabs.content(rx.box(_password_form("用户名", "agent"), padding_top="16px"), value="agent"),
                        value=LoginState.tab,
                        on_change=LoginState.set_tab,
                        width="100%",
                    ),
                ),
                rx.hstack(
                    rx.link("注册新账号", href="/register"),
                    rx.spacer(),
                    rx.link("忘记密码", href="/forgot-password"),
                    width="100%",
                    margin_top="16px",
                    font_size="14px",
                ),
                width="420px",
            ),
        ),
    )
