"""地址管理 page."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED, general_error, primary_button, select_input, text_input
from apec_app.components.layout import card, page_frame
from apec_app.domain.enterprise import PROVINCES
from apec_app.states.address_book import AddressBookState as S


def address_row(a: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(a["recipient"]),
        rx.table.cell(a["phone"]),
        rx.table.cell(a["province"] + a["detail"]),
        rx.table.cell(
            rx.cond(a["default"] != "", rx.badge("默认", color_scheme="green", high_contrast=True), rx.fragment())
        ),
        rx.table.cell(
            rx.hstack(
                rx.button("编辑", size="1", variant="ghost", on_click=S.open_edit(a["id"])),
                rx.cond(
                    a["default"] == "",
                    rx.button("设为默认", size="1", variant="ghost", on_click=S.make_default(a["id"])),
                    rx.fragment(),
                ),
                rx.button("删除", size="1", variant="ghost", color_scheme="red", on_click=S.delete(a["id"])),
                spacing="2",
            )
        ),
    )


def address_book_page() -> rx.Component:
    E = S.errors
    return page_frame(
        card(
            rx.hstack(
                rx.heading("地址管理", size="6"),
                rx.spacer(),
                primary_button("新增地址", on_click=S.open_add),
                width="100%",
                align="center",
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h) for h in ("收件人", "手机号码", "地址", "默认", "操作")]
                    )
                ),
                rx.table.body(rx.foreach(S.rows, address_row)),
                width="100%",
                margin_top="12px",
            ),
            rx.cond(S.rows.length() == 0, rx.text("暂无地址", color=MUTED, padding="16px 0"), rx.fragment()),
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(rx.cond(S.edit_id > 0, "编辑地址", "新增地址")),
                rx.form(
                    rx.vstack(
                        text_input(
                            "ab-recipient",
                            "收件人",
                            E.get("recipient", ""),
                            name="recipient",
                            default_value=S.form.get("recipient", ""),
                        ),
                        text_input(
                            "ab-phone",
                            "手机号码",
                            E.get("phone", ""),
                            name="phone",
                            default_value=S.form.get("phone", ""),
                        ),
                        select_input(
                            "ab-province",
                            "省份",
                            PROVINCES,
                            E.get("province", ""),
                            name="province",
                            default_value=S.form.get("province", ""),
                        ),
                        text_input(
                            "ab-detail",
                            "详细地址",
                            E.get("detail", ""),
                            name="detail",
                            default_value=S.form.get("detail", ""),
                        ),
                        rx.checkbox("设为默认地址", name="is_default"),
                        general_error(E.get("", "")),
                        rx.hstack(
                            rx.button("取消", type="button", variant="soft", color_scheme="gray", on_click=S.close),
                            primary_button("保存", type="submit"),
                            justify="end",
                            spacing="3",
                            width="100%",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=S.save,
                    reset_on_submit=False,
                    key=S.form_version.to_string(),
                ),
                max_width="640px",
            ),
            open=S.dialog,
        ),
        signed_in_page=True,
        scope=S,
    )
