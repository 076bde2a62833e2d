"""The confirmation dialog shown before irreversible or access-changing actions (取消授权, 撤回, 删除…)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import RED


def confirm_dialog(title, description, *, open, on_cancel, on_confirm) -> rx.Component:  # noqa: A002 - Radix prop
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("取消", variant="soft", color_scheme="gray", on_click=on_cancel)),
                rx.alert_dialog.action(rx.button("确定", style={"background": RED}, on_click=on_confirm)),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
        ),
        open=open,
    )
