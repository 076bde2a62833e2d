"""Read-only record lines: a muted label beside its value, one line or a list of [label, value] lines."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED


def label_row(label: str | rx.Var, value, label_width: str = "220px") -> rx.Component:
    return rx.hstack(rx.text(label, color=MUTED, width=label_width, flex_shrink="0"), rx.text(value), width="100%")


def label_rows(lines: rx.Var, label_width: str = "220px") -> rx.Component:
    """`lines`: a list var of [label, value] pairs (e.g. ui_text.forms.person_lines)."""
    return rx.foreach(lines, lambda line: label_row(line[0], line[1], label_width))


def field_row(label, value, label_width: str = "200px") -> rx.Component:
    """"label：value" as the manual writes it, one text (read and found as one line); on a wide screen the labels
    line up in a column, on a phone (below 768 px) the label stands above its value."""
    return rx.text(
        rx.text.span(
            label + "：",
            color=MUTED,
            display=["block", "block", "inline-block"],
            width=["auto", "auto", label_width],
            vertical_align="top",
        ),
        rx.text.span(value, word_break="break-word"),
        width="100%",
        padding_y="3px",
    )


def field_rows(lines: rx.Var, label_width: str = "200px") -> rx.Component:
    """`lines`: a list var of [label, value] pairs, one field_row each."""
    return rx.foreach(lines, lambda line: field_row(line[0], line[1], label_width))
