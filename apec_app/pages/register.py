"""企业账号注册 page: 电子营业执照扫码 → 企业信息 → 账户信息."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import (
    agreement_checkbox,
    general_error,
    primary_button,
    read_only_row,
    select_input,
    send_code_button,
    text_input,
)
from apec_app.components.layout import card, page_frame, steps
from apec_app.components.qr_box import qr_box
from apec_app.domain.enterprise import INDUSTRIES, NATURES, PROVINCES
from apec_app.states.register import RegisterState

E = RegisterState.errors


def identity_rows(state) -> rx.Component:
    return rx.vstack(
        read_only_row("企业名称", state.ent_name, "ent_name"),
        read_only_row("统一社会信用代码", state.ent_uscc, "ent_uscc"),
        read_only_row("法定代表人", state.ent_legal_rep, "ent_legal_rep"),
        spacing="3",
        width="100%",
    )


def enterprise_info_fields(state, errors) -> rx.Component:
    """注册地, 联系电话, 性质, 所属行业: shared by registration and 账号信息; what is typed is kept in the state
    while typing (`state.draft_info`), so a reload before 【提交】 loses nothing."""
    return rx.vstack(
        select_input(
            "reg_province",
            "注册地",
            PROVINCES,
            errors.get("reg_province", ""),
            default_value=state.info["reg_province"],
            on_change=state.draft_info("reg_province"),
        ),
        text_input(
            "reg_address",
            "详细地址",
            errors.get("reg_address", ""),
            default_value=state.info["reg_address"],
            placeholder="请输入注册地详细地址（市、区县、街道门牌）",
            on_save=state.draft_info("reg_address"),
        ),
        text_input(
            "phone", "联系电话", errors.get("phone", ""), default_value=state.info["phone"],
            on_save=state.draft_info("phone"),
        ),
        select_input(
            "nature", "性质", NATURES, errors.get("nature", ""), default_value=state.info["nature"],
            on_change=state.draft_info("nature"),
        ),
        select_input(
            "industry", "所属行业", INDUSTRIES, errors.get("industry", ""), default_value=state.info["industry"],
            on_change=state.draft_info("industry"),
        ),
        spacing="3",
        width="100%",
    )


def step_scan() -> rx.Component:
    return rx.vstack(
        rx.text(
            "请先完成电子营业执照APP或小程序的注册备案，然后使用电子营业执照扫描下方二维码授权注册。",
            color="#606266",
            font_size="14px",
        ),
        qr_box(RegisterState),
        general_error(E.get("", "")),
        align="center",
        spacing="4",
        width="100%",
    )


def step_info() -> rx.Component:
    return rx.form(
        rx.vstack(
            identity_rows(RegisterState),
            enterprise_info_fields(RegisterState, E),
            rx.hstack(primary_button("下一步", type="submit"), justify="center", width="100%", margin_top="12px"),
            spacing="3",
            width="100%",
        ),
        on_submit=RegisterState.submit_info,
        reset_on_submit=False,
        width="100%",
    )


def step_account() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_input(
                "email",
                "邮箱账号",
                E.get("email", ""),
                default_value=RegisterState.email,
                on_save=RegisterState.set_email,
                autocomplete="email",
            ),
            text_input(
                "password",
                "密码",
                E.get("password", ""),
                type="password",
                autocomplete="new-password",
                hint="8-64位，包含大写字母、小写字母、数字、特殊符号中的至少三种",
            ),
            text_input(
                "password_confirm",
                "确认密码",
                E.get("password_confirm", ""),
                type="password",
                placeholder="请再次确认密码",
                autocomplete="new-password",
            ),
            text_input(
                "code",
                "邮箱验证码",
                E.get("code", ""),
                extra=send_code_button(RegisterState, RegisterState.send_code),
            ),
            agreement_checkbox("agreed", E.get("agreed", "")),
            general_error(E.get("", "")),
            rx.hstack(
                rx.button("上一步", type="button", variant="outline", size="3", on_click=RegisterState.back),
                primary_button("立即注册", type="submit"),
                justify="center",
                spacing="4",
                width="100%",
                margin_top="12px",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=RegisterState.register,
        reset_on_submit=False,
        width="100%",
    )


def register_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("企业账号注册", size="6", text_align="center", margin_bottom="16px"),
            steps(["电子营业执照扫码", "企业信息", "账户信息"], RegisterState.step),
            rx.match(
                RegisterState.step,
                (1, step_scan()),
                (2, step_info()),
                (3, step_account()),
                rx.fragment(),
            ),
            rx.hstack(
                rx.text("已有账号？"),
                rx.link("立即登录", href="/login"),
                justify="center",
                margin_top="16px",
                font_size="14px",
            ),
        ),
        width="760px",
    )
