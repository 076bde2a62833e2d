"""List helpers: the pager under a list (上一页 / 第 n 页，共 m 条 / 下一页) and 编辑/删除 row actions."""

from __future__ import annotations

import reflex as rx


def pager(page: rx.Var, total: rx.Var, page_size: int, go_page) -> rx.Component:
    """`go_page` is the state's event handler taking the page number; it clamps the number itself."""
    return rx.hstack(
        rx.button("上一页", variant="soft", size="1", disabled=page <= 1, on_click=go_page(page - 1)),
        rx.text("第 ", page, " 页，共 ", total, " 条", font_size="13px"),
        rx.button("下一页", variant="soft", size="1", disabled=page * page_size >= total, on_click=go_page(page + 1)),
        justify="center",
        align="center",
        spacing="3",
        margin_top="16px",
        class_name="pager",
    )


def edit_delete(on_edit, on_delete) -> rx.Component:
    """编辑 and 删除 in a table row (删除 asks for confirmation where the caller wires a dialog)."""
    return rx.hstack(
        rx.button("编辑", size="1", variant="ghost", on_click=on_edit),
        rx.button("删除", size="1", variant="ghost", color_scheme="red", on_click=on_delete),
        spacing="2",
    )
