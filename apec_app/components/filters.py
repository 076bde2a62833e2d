"""Controls of a filter form: a visible label above each control, and selects that start with 全部."""

from __future__ import annotations

import reflex as rx


def labelled(label: str, control: rx.Component, id: str) -> rx.Component:  # noqa: A002 - the control's id
    return rx.vstack(rx.el.label(label, html_for=id, font_size="13px", color="#606266"), control, spacing="1")


def choice(id: str, label: str, options, name: str) -> rx.Component:  # noqa: A002
    """A select of (value, text) pairs, a Python list or a list var of [value, text], after 全部 (value "")."""
    if isinstance(options, rx.Var):
        items = [rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))]
    else:
        items = [rx.el.option(text, value=value) for value, text in options]
    return labelled(
        label,
        rx.el.select(
            rx.el.option("全部", value=""),
            *items,
            id=id,
            name=name,
            aria_label=label,
            height="32px",
            border="1px solid #c0c4cc",
            border_radius="6px",
        ),
        id,
    )
