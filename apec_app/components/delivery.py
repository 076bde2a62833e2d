"""取卡方式 (自取 at a 代办点 or 邮寄 to an address from the address book), for any state with DeliveryMixin."""

from __future__ import annotations

import reflex as rx

from apec_app.components.address_form import address_fields
from apec_app.components.fields import MUTED, form_row, primary_button


def delivery_step(S) -> rx.Component:
    """S: a state with DeliveryMixin (the wizard's or a follow-up's)."""
    method = S.delivery.get("method", "")
    return rx.vstack(
        rx.heading("取卡方式", size="4"),
        form_row(
            "取卡方式",
            rx.radio_group.root(
                rx.hstack(
                    rx.cond(
                        S.allow_pickup,
                        rx.el.label(rx.radio_group.item(value="pickup"), "自取", display="flex", gap="6px"),
                        rx.fragment(),
                    ),
                    rx.cond(
                        S.allow_mail,
                        rx.el.label(rx.radio_group.item(value="mail"), "邮寄", display="flex", gap="6px"),
                        rx.fragment(),
                    ),
                    spacing="5",
                ),
                value=method,
                on_change=S.set_delivery_method,
                aria_label="取卡方式",
                id="delivery-method",
            ),
            S.errors.get("delivery.method", ""),
            html_for="delivery-method",
        ),
        rx.cond(
            method == "pickup",
            form_row(
                "代办点",
                rx.el.select(
                    rx.el.option("请选择代办点", value=""),
                    rx.foreach(
                        S.pickup_rows,
                        lambda r: rx.el.option(
                            r["name"] + "（" + r["address"] + "，" + r["hours"] + "）", value=r["id"]
                        ),
                    ),
                    id="delivery-pickup",
                    aria_label="代办点",
                    value=S.delivery.get("pickup_point_id", ""),
                    on_change=S.set_pickup_point,
                    width="100%",
                    height="40px",
                    border="1px solid #c0c4cc",
                    border_radius="6px",
                    padding="0 8px",
                ),
                S.errors.get("delivery.pickup_point_id", ""),
                html_for="delivery-pickup",
            ),
            rx.fragment(),
        ),
        rx.cond(
            method == "mail",
            form_row(
                "邮寄地址",
                rx.vstack(
                    rx.foreach(
                        S.address_rows,
                        lambda a: rx.cond(
                            a["id"] == S.delivery.get("address_id", ""),
                            rx.text(a["text"], role="status", aria_label="已选地址"),
                            rx.fragment(),
                        ),
                    ),
                    rx.button("选择地址", variant="outline", on_click=S.open_address_dialog, type="button"),
                    align="start",
                ),
                S.errors.get("delivery.address_id", ""),
                html_for="delivery-address",
            ),
            rx.fragment(),
        ),
        address_dialog(S),
        spacing="4",
        width="100%",
    )


def address_dialog(S) -> rx.Component:
    AE = S.address_errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("选择地址"),
            rx.vstack(
                rx.foreach(
                    S.address_rows,
                    lambda a: rx.hstack(
                        rx.text(a["text"], flex="1"),
                        rx.cond(a["default"] != "", rx.badge("默认"), rx.fragment()),
                        rx.button(
                            "选择",
                            size="2",
                            min_height="44px",
                            on_click=S.choose_address(a["id"]),
                            aria_label="选择 " + a["text"],
                        ),
                        width="100%",
                        align="center",
                        padding_y="4px",
                        border_bottom="1px solid #ebeef5",
                    ),
                ),
                rx.cond(S.address_rows.length() == 0, rx.text("暂无地址，请新增", color=MUTED), rx.fragment()),
                spacing="2",
                width="100%",
            ),
            rx.heading("新增地址", size="3", margin_top="16px"),
            rx.form(
                rx.vstack(
                    address_fields(S, "addr", AE, {}),
                    rx.hstack(
                        rx.button(
                            "取消",
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            size="3",
                            on_click=S.close_address_dialog,
                        ),
                        primary_button("保存并使用", type="submit"),
                        justify="end",
                        width="100%",
                        spacing="3",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.add_address,
                reset_on_submit=False,
            ),
            max_width="640px",
        ),
        open=S.address_dialog,
    )
