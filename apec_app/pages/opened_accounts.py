"""企业账号开通 (/admin/enterprises) and 设置密码 (/set-password/[token])."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED, general_error, primary_button, select_input, text_input
from apec_app.components.layout import card, page_frame
from apec_app.components.scoped import scoped
from apec_app.domain.enterprise import INDUSTRIES, NATURES, PROVINCES
from apec_app.states.opened_accounts import OpenedAccountsState as S
from apec_app.states.opened_accounts import SetPasswordState as P

PASSWORD_HINT = "8-64位，包含大写字母、小写字母、数字、特殊符号中的至少三种"


def _keep(key: str):
    return lambda value: S.keep_value(key, value, S.rev)


def _text(key: str, label: str, **kwargs) -> rx.Component:
    return text_input(
        f"open-{key}",
        label,
        S.errors.get(key, ""),
        default_value=S.values.get(key, ""),
        name=key,
        on_save=_keep(key),
        **kwargs,
    )


def _select(key: str, label: str, options) -> rx.Component:
    return select_input(
        f"open-{key}",
        label,
        options,
        S.errors.get(key, ""),
        default_value=S.values.get(key, ""),
        name=key,
        on_change=_keep(key),
    )


def open_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _text("name", "企业名称"),
            _text("uscc", "统一社会信用代码"),
            _text("legal_rep", "法定代表人"),
            _select("reg_province", "注册地", PROVINCES),
            _text("reg_address", "详细地址"),
            _text("phone", "联系电话"),
            _select("nature", "性质", NATURES),
            _select("industry", "所属行业", INDUSTRIES),
            _text("email", "邮箱账号", hint="设置密码链接将发送到此邮箱，企业凭此邮箱登录"),
            general_error(S.errors.get("", "")),
            rx.hstack(primary_button("开通账号", type="submit"), justify="center", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.open_account,
        reset_on_submit=False,
        key=S.rev.to_string(),
    )


def opened_list() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(h)
                    for h in ("企业名称", "统一社会信用代码", "邮箱账号", "开通时间", "状态", "操作")
                ]
            )
        ),
        rx.table.body(
            rx.foreach(
                S.rows,
                lambda r: rx.table.row(
                    rx.table.cell(r["name"]),
                    rx.table.cell(r["uscc"]),
                    rx.table.cell(r["email"]),
                    rx.table.cell(r["opened"]),
                    rx.table.cell(rx.badge(r["state"])),
                    rx.table.cell(
                        rx.cond(
                            r["state"] == "待设置密码",
                            rx.button(
                                "重新发送链接",
                                size="1",
                                variant="outline",
                                on_click=S.resend(r["id"]),
                                aria_label="重新发送链接 " + r["name"],
                            ),
                            rx.fragment(),
                        )
                    ),
                ),
            )
        ),
        width="100%",
    )


def opened_accounts_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("企业账号开通", size="6"),
            rx.text(
                "为没有电子营业执照的企业（外商投资、港澳台资等）开通账号：填写企业信息和邮箱，系统向该邮箱发送"
                "设置密码链接（72小时内有效，仅可使用一次）。工作人员不会看到或设置企业的密码。",
                color="#606266",
                font_size="14px",
                margin_y="12px",
            ),
            scoped(S, open_form()),
        ),
        card(
            rx.heading("已开通的账号", size="5", margin_bottom="12px"),
            scoped(S, rx.cond(S.rows.length() > 0, opened_list(), rx.text("暂无", color=MUTED))),
            margin_top="16px",
        ),
        signed_in_page=True,
        width="1100px",
    )


def set_password_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("设置账号密码", size="6", margin_bottom="12px"),
            scoped(P, set_password_content()),
        ),
        width="700px",
    )


def set_password_content() -> rx.Component:
    E = P.errors  # noqa: N806 - the page's error map
    return rx.cond(
        P.done,
        rx.vstack(
            rx.text("密码已设置，请使用邮箱账号和新密码登录。", role="status"),
            rx.link("去登录", href="/login"),
        ),
        rx.cond(
            P.valid,
            rx.form(
                rx.vstack(
                    rx.text("企业：", P.enterprise_name),
                    rx.text("登录邮箱：", P.email),
                    text_input(
                        "password",
                        "密码",
                        E.get("password", ""),
                        type="password",
                        autocomplete="new-password",
                        hint=PASSWORD_HINT,
                    ),
                    text_input(
                        "password_confirm",
                        "确认密码",
                        E.get("password_confirm", ""),
                        type="password",
                        placeholder="请再次确认密码",
                        autocomplete="new-password",
                    ),
                    general_error(E.get("", "")),
                    rx.hstack(primary_button("设置密码", type="submit"), justify="center", width="100%"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=P.submit,
                reset_on_submit=False,
            ),
            rx.vstack(
                rx.text("链接无效、已使用或已过期，请联系工作人员重新发送。", role="alert"),
                rx.link("返回首页", href="/"),
            ),
        ),
    )
