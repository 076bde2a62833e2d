"""Staff sign-in page."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED, general_error, primary_button
from apec_app.components.layout import card, page_frame
from apec_app.states.staff import StaffLoginState


def staff_login_page() -> rx.Component:
    return page_frame(
        rx.center(
            card(
                rx.heading("工作人员登录", size="5", margin_bottom="4px"),
                rx.text("外办、外交部审核人员及系统管理员", color=MUTED, font_size="13px", margin_bottom="16px"),
                rx.form(
                    rx.vstack(
                        rx.el.label("用户名", html_for="staff_username", class_name="sr-only"),
                        rx.input(
                            id="staff_username",
                            name="username",
                            placeholder="请输入用户名",
                            size="3",
                            width="100%",
                            auto_complete="username",
                        ),
                        rx.el.label("密码", html_for="staff_password", class_name="sr-only"),
                        rx.input(
                            id="staff_password",
                            name="password",
                            type="password",
                            placeholder="请输入密码",
                            size="3",
                            width="100%",
                            auto_complete="current-password",
                        ),
                        general_error(StaffLoginState.error),
                        primary_button("登录", type="submit", width="100%"),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=StaffLoginState.sign_in,
                    reset_on_submit=False,
                ),
                width="420px",
            )
        )
    )
