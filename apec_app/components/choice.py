"""A native select whose options carry their own values (fields.select_input uses each text as its value)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import form_row

SELECT_STYLE = {
    "width": "100%",
    "height": "40px",
    "padding": "0 8px",
    "border": "1px solid #c0c4cc",
    "border_radius": "6px",
    "background": "white",
    "font_size": "15px",
}


def options(pairs: list[tuple[str, str]]) -> list[rx.Component]:
    """(value, text) pairs as options."""
    return [rx.el.option(text, value=value) for value, text in pairs]


def choice_input(
    id: str,
    label: str,
    choices: list[rx.Component],
    error: rx.Var | str = "",
    *,
    name: str | None = None,
    default_value: rx.Var | str | None = None,
    value: rx.Var | str | None = None,
    on_change=None,
    placeholder: bool = True,
    required: bool = True,
) -> rx.Component:
    """Uncontrolled with `default_value`, controlled with `value`; "请选择<label>" first unless `placeholder=False`."""
    props = {"default_value": default_value} if value is None else {"value": value}
    control = rx.el.select(
        *([rx.el.option(f"请选择{label}", value="")] if placeholder else []),
        *choices,
        id=id,
        name=name or id,
        aria_label=label,
        on_change=on_change,
        **props,
        **SELECT_STYLE,
    )
    return form_row(label, control, error, html_for=id, required=required)
