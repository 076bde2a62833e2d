"""忘记密码 page."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import general_error, primary_button, send_code_button, text_input
from apec_app.components.layout import card, page_frame, steps
from apec_app.components.qr_box import qr_box
from apec_app.states.forgot import ForgotState

E = ForgotState.errors


def identity_step() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger("扫描二维码找回", value="qr"),
            rx.tabs.trigger("手动输入信息", value="manual"),
        ),
        rx.tabs.content(
            rx.vstack(qr_box(ForgotState), general_error(E.get("", "")), align="center", padding_top="16px"),
            value="qr",
        ),
        rx.tabs.content(
            rx.form(
                rx.vstack(
                    text_input("name", "企业名称", E.get("name", "")),
                    text_input("uscc", "统一社会信用代码", E.get("uscc", "")),
                    text_input("legal_rep", "法定代表人", E.get("legal_rep", "")),
                    general_error(E.get("", "")),
                    rx.hstack(primary_button("下一步", type="submit"), justify="center", width="100%"),
                    spacing="3",
                    width="100%",
                    padding_top="16px",
                ),
                on_submit=ForgotState.confirm_identity,
                reset_on_submit=False,
            ),
            value="manual",
        ),
        value=ForgotState.mode,
        on_change=ForgotState.set_mode,
        width="100%",
    )


def verify_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(
                "如所填信息与已注册企业一致，验证码将发送至该企业的账号邮箱；未收到邮件请核对所填信息后重试。",
                color="#606266",
            ),
            text_input(
                "code",
                "邮箱验证码",
                E.get("code", ""),
                extra=send_code_button(ForgotState, ForgotState.send_code),
            ),
            general_error(E.get("", "")),
            rx.hstack(primary_button("下一步", type="submit"), justify="center", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=ForgotState.verify_code,
        reset_on_submit=False,
    )


def password_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_input(
                "password",
                "新密码",
                E.get("password", ""),
                type="password",
                autocomplete="new-password",
                hint="8-64位，包含大写字母、小写字母、数字、特殊符号中的至少三种",
            ),
            text_input(
                "password_confirm",
                "确认新密码",
                E.get("password_confirm", ""),
                type="password",
                autocomplete="new-password",
            ),
            general_error(E.get("", "")),
            rx.hstack(primary_button("确认", type="submit"), justify="center", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=ForgotState.set_new_password,
        reset_on_submit=False,
    )


def done_step() -> rx.Component:
    return rx.vstack(
        rx.text("密码修改成功，请使用新密码登录。", font_size="16px", role="status"),
        rx.link("去登录", href="/login", font_size="16px"),
        align="center",
        spacing="4",
    )


def forgot_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("忘记密码", size="6", text_align="center", margin_bottom="16px"),
            steps(["身份确认", "安全验证", "修改密码"], ForgotState.step),
            rx.match(
                ForgotState.step,
                (1, identity_step()),
                (2, verify_step()),
                (3, password_step()),
                (4, done_step()),
                rx.fragment(),
            ),
        ),
        width="760px",
    )
