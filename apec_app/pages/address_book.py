"""地址管理 page: the addresses cards are mailed to (省/市/区, 详细地址, 收件人, 联系电话)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.address_form import address_fields
from apec_app.components.confirm import confirm_dialog
from apec_app.components.fields import MUTED, general_error, primary_button
from apec_app.components.layout import card, page_frame
from apec_app.states.address_book import AddressBookState as S


def address_row(a: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(a["recipient"]),
        rx.table.cell(a["phone"]),
        rx.table.cell(a["region"] + a["detail"]),
        rx.table.cell(
            rx.cond(a["default"] != "", rx.badge("默认", color_scheme="green", high_contrast=True), rx.fragment())
        ),
        rx.table.cell(
            rx.hstack(
                rx.button("编辑", size="2", variant="ghost", on_click=S.open_edit(a["id"]), min_height="44px"),
                rx.cond(
                    a["default"] == "",
                    rx.button(
                        "设为默认", size="2", variant="ghost", on_click=S.make_default(a["id"]), min_height="44px"
                    ),
                    rx.fragment(),
                ),
                rx.button(
                    "删除",
                    size="2",
                    variant="ghost",
                    color_scheme="red",
                    on_click=S.ask_delete(a["id"]),
                    min_height="44px",
                    aria_label="删除 " + a["recipient"] + " " + a["region"] + a["detail"],
                ),
                spacing="2",
                wrap="wrap",
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
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[rx.table.column_header_cell(h) for h in ("收件人", "联系电话", "地址", "默认", "操作")]
                        )
                    ),
                    rx.table.body(rx.foreach(S.rows, address_row)),
                    width="100%",
                    margin_top="12px",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.cond(S.rows.length() == 0, rx.text("暂无地址", color=MUTED, padding="16px 0"), rx.fragment()),
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(rx.cond(S.edit_id > 0, "编辑地址", "新增地址")),
                rx.form(
                    rx.vstack(
                        address_fields(S, "ab", E, S.form),
                        general_error(E.get("", "")),
                        rx.hstack(
                            rx.button(
                                "取消", type="button", variant="soft", color_scheme="gray", size="3", on_click=S.close
                            ),
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
        confirm_dialog(
            "删除地址",
            "确定删除地址“" + S.confirm_delete_label + "”吗？删除后不能恢复。",
            open=S.confirm_delete_id != "",
            on_cancel=S.cancel_delete,
            on_confirm=S.delete,
        ),
        signed_in_page=True,
        scope=S,
    )
