"""The detail page's building blocks: labelled lines and sections that read on a phone (label above value) as
well as on a wide screen (label beside value), and lists that are a table on a wide screen and cards on a phone."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED
from apec_app.components.record import field_row as row
from apec_app.ui_text.uploads import DOCUMENT_PURGED

# Radix breakpoints: below sm (768 px) is a phone.
WIDE = ["none", "none", "block"]
NARROW = ["block", "block", "none"]
LINK_TARGET = {"min_height": "44px", "display": "inline-flex", "align_items": "center"}


def section(title, *children, **props) -> rx.Component:
    return rx.el.section(
        rx.heading(title, as_="h2", size="4", margin_bottom="8px"),
        *children,
        margin_top="24px",
        width="100%",
        **props,
    )


def document_link(d) -> rx.Component:
    """A document by what it is (完税证明, 申请人照片, …), its file's name as the link; a file the retention
    period deleted is named, unlinked, with 已按规定删除."""
    return rx.box(
        rx.text(d.label, color=MUTED, width=["auto", "auto", "200px"], flex_shrink="0"),
        rx.cond(
            d.purged,
            rx.text(d.name + "（" + DOCUMENT_PURGED + "）", color=MUTED, word_break="break-all"),
            rx.link(d.name, href=d.url, is_external=True, word_break="break-all", style=LINK_TARGET),
        ),
        display="flex",
        flex_direction=["column", "column", "row"],
        gap=["0", "0", "12px"],
        align_items=["start", "start", "center"],
        width="100%",
    )


def table_or_cards(headers: tuple[tuple[str, str], ...], items: rx.Var, *, label: str) -> rx.Component:
    """`items`: dicts keyed by the headers' keys. A table on a wide screen; on a phone one card per item, each
    value under its header's name."""
    table = rx.box(
        rx.table.root(
            rx.el.caption(label, class_name="sr-only"),  # the table's accessible name
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for _, h in headers])),
            rx.table.body(
                rx.foreach(items, lambda item: rx.table.row(*[rx.table.cell(item[key]) for key, _ in headers]))
            ),
            size="1",
            width="100%",
        ),
        display=WIDE,
        width="100%",
    )
    cards = rx.box(
        rx.foreach(
            items,
            lambda item: rx.box(
                *[row(h, item[key], "96px") for key, h in headers],
                border="1px solid #ebeef5",
                border_radius="8px",
                padding="8px 12px",
                margin_bottom="8px",
            ),
        ),
        display=NARROW,
        width="100%",
    )
    return rx.fragment(table, cards)
