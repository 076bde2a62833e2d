"""A dialog holding one form (新增/编辑 …) with 【取消】 and 【保存】, closed by Escape, the overlay or 【取消】."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import primary_button


def dialog_buttons(on_cancel) -> rx.Component:
    return rx.hstack(
        rx.button("取消", type="button", variant="soft", color_scheme="gray", on_click=on_cancel),
        primary_button("保存", type="submit"),
        justify="end",
        spacing="3",
        width="100%",
    )


def form_dialog(title, form: rx.Component, open_var: rx.Var, on_close, *extra: rx.Component) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(rx.dialog.title(title), form, *extra, max_width="680px"),
        open=open_var,
        on_open_change=lambda is_open: rx.cond(is_open, rx.noop(), on_close()),
    )
