"""账号设置 page: 账号信息, 修改邮箱, 修改密码, 经办人管理."""

from __future__ import annotations

import reflex as rx

from apec_app.components.confirm import confirm_dialog
from apec_app.components.fields import (
    MUTED,
    agreement_checkbox,
    field_error,
    general_error,
    primary_button,
    send_code_button,
    text_input,
)
from apec_app.components.layout import card, page_frame
from apec_app.components.qr_box import qr_box
from apec_app.pages.register import enterprise_info_fields, identity_rows
from apec_app.states.account_settings import AccountSettingsState as S

E = S.errors
AE = S.agent_errors


def info_tab() -> rx.Component:
    return rx.vstack(
        identity_rows(S),
        rx.hstack(
            rx.button("更新企业三要素信息", variant="outline", on_click=S.open_identity_dialog),
            rx.text("企业三要素不可手动修改，需使用电子营业执照扫码更新", font_size="13px", color=MUTED),
            padding_left="162px",
            align="center",
            spacing="3",
        ),
        rx.form(
            rx.vstack(
                enterprise_info_fields(S, E),
                rx.hstack(primary_button("提交修改", type="submit"), justify="center", width="100%"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_info,
            reset_on_submit=False,
            key=S.form_version.to_string(),
            width="100%",
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title("更新企业三要素信息"),
                rx.dialog.description("请使用电子营业执照APP或小程序扫码授权，授权后企业名称、法定代表人将自动更新。"),
                rx.center(qr_box(S), padding="16px"),
                field_error(E.get("identity", "")),
                rx.hstack(rx.button("关闭", variant="soft", on_click=S.close_identity_dialog), justify="end"),
            ),
            open=S.identity_dialog,
        ),
        spacing="4",
        width="100%",
    )


def email_tab() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("当前邮箱：", S.ent_email, color="#606266", padding_left="162px"),
            text_input(
                "new_email",
                "新邮箱",
                E.get("new_email", ""),
                default_value=S.new_email,
                on_save=S.set_new_email,
                autocomplete="email",
            ),
            text_input(
                "email_code",
                "邮箱验证码",
                E.get("code", ""),
                name="code",
                extra=send_code_button(S, S.send_email_code),
            ),
            agreement_checkbox("email_agreed", E.get("agreed", "")),
            general_error(E.get("", "")),
            rx.hstack(primary_button("确认", type="submit"), justify="center", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.change_email,
        reset_on_submit=False,
        key=S.form_version.to_string(),
    )


def password_tab() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_input(
                "old_password", "原密码", E.get("old_password", ""), type="password", autocomplete="current-password"
            ),
            text_input(
                "new_password",
                "新密码",
                E.get("new_password", ""),
                type="password",
                autocomplete="new-password",
                hint="8-64位，包含大写字母、小写字母、数字、特殊符号中的至少三种",
            ),
            text_input(
                "confirm_password",
                "确认新密码",
                E.get("confirm_password", ""),
                type="password",
                autocomplete="new-password",
            ),
            general_error(E.get("", "")),
            rx.hstack(primary_button("确认", type="submit"), justify="center", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.change_password,
        reset_on_submit=True,
        key=S.form_version.to_string(),
    )


def agent_row(row: dict) -> rx.Component:
    authorised = row["authorised"] != ""
    return rx.table.row(
        rx.table.cell(row["name"]),
        rx.table.cell(row["username"]),
        rx.table.cell(row["mobile"]),
        rx.table.cell(row["email"]),
        rx.table.cell(
            rx.cond(
                authorised,
                rx.badge("已授权", color_scheme="green", high_contrast=True),
                rx.badge("已取消授权", color_scheme="gray"),
            )
        ),
        rx.table.cell(
            rx.hstack(
                rx.button("编辑", size="1", variant="ghost", on_click=S.open_edit_agent(row["id"])),
                rx.cond(
                    authorised,
                    rx.button(
                        "取消授权",
                        size="1",
                        variant="ghost",
                        color_scheme="orange",
                        on_click=S.ask_confirm("deauthorise", row["id"]),
                    ),
                    rx.button("授权", size="1", variant="ghost", color_scheme="green", on_click=S.authorise(row["id"])),
                ),
                rx.button(
                    "删除", size="1", variant="ghost", color_scheme="red", on_click=S.ask_confirm("delete", row["id"])
                ),
                spacing="2",
            )
        ),
    )


def agent_dialog() -> rx.Component:
    F = S.agent_form
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.agent_edit_id > 0, "编辑经办人", "添加经办人")),
            rx.form(
                rx.vstack(
                    text_input("agent_name", "姓名", AE.get("name", ""), name="name", default_value=F["name"]),
                    text_input(
                        "agent_username", "用户名", AE.get("username", ""), name="username", default_value=F["username"]
                    ),
                    text_input(
                        "agent_password",
                        "密码",
                        AE.get("password", ""),
                        name="password",
                        type="password",
                        autocomplete="new-password",
                        required=S.agent_edit_id == 0,
                        placeholder=rx.cond(S.agent_edit_id > 0, "不修改请留空", "请输入密码"),
                    ),
                    text_input(
                        "agent_mobile", "手机号码", AE.get("mobile", ""), name="mobile", default_value=F["mobile"]
                    ),
                    text_input("agent_email", "电子邮箱", AE.get("email", ""), name="email", default_value=F["email"]),
                    general_error(AE.get("", "")),
                    rx.hstack(
                        rx.button(
                            "取消", type="button", variant="soft", color_scheme="gray", on_click=S.close_agent_dialog
                        ),
                        primary_button("确定", type="submit"),
                        justify="end",
                        spacing="3",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.save_agent,
                reset_on_submit=False,
                key=S.form_version.to_string(),
            ),
            max_width="640px",
        ),
        open=S.agent_dialog,
        on_open_change=lambda open: rx.cond(open, rx.noop(), S.close_agent_dialog()),
    )


def agent_confirm_dialog() -> rx.Component:
    return confirm_dialog(
        rx.cond(S.confirm_action == "delete", "删除经办人", "取消授权"),
        rx.cond(
            S.confirm_action == "delete",
            "确定删除经办人“" + S.confirm_agent_name + "”吗？删除后该账号不可登录。",
            "确定取消经办人“" + S.confirm_agent_name + "”的授权吗？取消授权后，该经办人账号不可以登录。",
        ),
        open=S.confirm_action != "",
        on_cancel=S.cancel_confirm,
        on_confirm=S.do_confirm,
    )


def agents_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(primary_button("添加经办人", on_click=S.open_add_agent), width="100%", justify="end"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(h)
                        for h in ("姓名", "用户名", "手机号码", "电子邮箱", "状态", "操作")
                    ]
                )
            ),
            rx.table.body(rx.foreach(S.agent_rows, agent_row)),
            width="100%",
        ),
        rx.cond(S.agent_rows.length() == 0, rx.text("暂无经办人", color=MUTED), rx.fragment()),
        agent_dialog(),
        agent_confirm_dialog(),
        spacing="3",
        width="100%",
    )


def account_settings_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("账号设置", size="6", margin_bottom="12px"),
            rx.cond(
                S.principal_kind == "enterprise",
                rx.tabs.root(
                    rx.tabs.list(
                        rx.tabs.trigger("账号信息", value="info"),
                        rx.tabs.trigger("修改邮箱", value="email"),
                        rx.tabs.trigger("修改密码", value="password"),
                        rx.tabs.trigger("经办人管理", value="agents"),
                    ),
                    rx.tabs.content(rx.box(info_tab(), padding_top="20px"), value="info"),
                    rx.tabs.content(rx.box(email_tab(), padding_top="20px"), value="email"),
                    rx.tabs.content(rx.box(password_tab(), padding_top="20px"), value="password"),
                    rx.tabs.content(rx.box(agents_tab(), padding_top="20px"), value="agents"),
                    value=S.tab,
                    on_change=S.set_tab,
                ),
                rx.tabs.root(
                    rx.tabs.list(rx.tabs.trigger("修改密码", value="password")),
                    rx.tabs.content(rx.box(password_tab(), padding_top="20px"), value="password"),
                    value="password",
                ),
            ),
        ),
        signed_in_page=True,
        scope=S,
    )
