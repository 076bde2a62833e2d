"""A plain table of rows from a state list, with a line of text when the list is empty."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED


def simple_table(headers: tuple[str, ...], rows: rx.Var, render, empty: str) -> rx.Component:
    """`render(row)` draws one rx.table.row."""
    return rx.fragment(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, render)),
            width="100%",
            margin_top="12px",
        ),
        rx.cond(rows.length() == 0, rx.text(empty, color=MUTED, padding="16px 0"), rx.fragment()),
    )
