"""Form fields whose accessible name is exactly the field name (the * is hidden from assistive tech)."""

from __future__ import annotations

import reflex as rx

RED = "#c8161d"
# Secondary text (hints, dates, empty lists): at least 4.5:1 on white and on the page background #f5f7fa.
MUTED = "#6b6e72"
# Non-blocking warnings: the amber darkened to 5:1 on white.
AMBER = "#94661d"
# What is typed is sent this long after the last key (and when the field is left): a reload loses nothing.
AUTOSAVE_MS = 500
ROW = "rt-Flex rt-r-fd-row"


def autosave(save, *, leave=None, typing=None) -> dict:
    """The events that save a field while typing (debounced) and when it is left: the one way every form of the
    app keeps what is typed. `save` is an event handler expecting the value, or a function of the value
    returning the event; `leave` replaces it on leaving the field (to check the value there, e.g. 身份证号);
    `typing` is sent at every keystroke first (a controlled input showing the server's value, e.g. 姓名拼音)."""
    if typing is not None:
        on_change = lambda value: [typing(value), save(value).debounce(AUTOSAVE_MS)]  # noqa: E731
    elif hasattr(save, "debounce"):
        on_change = save.debounce(AUTOSAVE_MS)
    else:
        on_change = lambda value: save(value).debounce(AUTOSAVE_MS)  # noqa: E731
    return {"on_change": on_change, "on_blur": leave if leave is not None else save}


def field_label(label: str, html_for: str, required: bool | rx.Var = True) -> rx.Component:
    """Plain elements styled by app.css (.form-label, .form-required): a form of 30 people has about 1 000 rows,
    and a component that computes its style at every render costs the browser time at each of them."""
    star = rx.el.span("*", aria_hidden="true", class_name="form-required")
    if isinstance(required, rx.Var):
        star = rx.cond(required, star, rx.fragment())
    return rx.el.label(*([star] if required is not False else []), label, html_for=html_for, class_name="form-label")


def field_error(message: rx.Var | str) -> rx.Component:
    return rx.cond(
        message != "",
        rx.el.p(message, role="alert", class_name="rt-Text form-error"),
        rx.fragment(),
    )


def warning_line(message: rx.Var | str) -> rx.Component:
    """A hint that does not block (e.g. an eligibility rule missed): amber, under the field, left of its input."""
    return rx.cond(
        message != "",
        rx.text(message, color=AMBER, font_size="13px", padding_left="162px", role="status", class_name="form-note"),
        rx.fragment(),
    )


def form_row(
    label: str,
    control: rx.Component,
    error: rx.Var | str = "",
    *,
    html_for: str,
    required: bool = True,
    hint: str | None = None,
    extra: rx.Component | None = None,
) -> rx.Component:
    # Radix Themes' own layout classes on plain elements: the look of rx.hstack/rx.vstack without their per-render
    # work (see field_label).
    return rx.el.div(
        field_label(label, html_for, required),
        rx.el.div(
            rx.el.div(
                control,
                *([extra] if extra is not None else []),
                class_name=f"{ROW} rt-r-ai-center rt-r-gap-2 form-control",
            ),
            *([rx.el.p(hint, class_name="rt-Text form-hint")] if hint else []),
            field_error(error),
            class_name="rt-Flex rt-r-fd-column rt-r-ai-stretch rt-r-gap-1 form-control",
        ),
        class_name=f"{ROW} rt-r-ai-start rt-r-gap-3 form-row",
    )


def text_input(
    id: str,
    label: str,
    error: rx.Var | str = "",
    *,
    default_value: rx.Var | str = "",
    type: str = "text",
    placeholder: str | None = None,
    required: bool = True,
    hint: str | None = None,
    on_blur=None,
    on_save=None,
    on_leave=None,
    extra: rx.Component | None = None,
    read_only: bool = False,
    autocomplete: str = "off",
    name: str | None = None,
) -> rx.Component:
    """`on_save` saves while typing and on leaving the field (`on_leave`, when given, on leaving it instead);
    `on_blur` only on leaving it."""
    events = autosave(on_save, leave=on_leave) if on_save is not None else {"on_blur": on_blur}
    # Radix Themes' text field as plain elements with its classes (see field_label).
    control = rx.el.div(
        rx.el.input(
            id=id,
            name=name or id,
            aria_label=label,
            type=type,
            default_value=default_value,
            placeholder=placeholder if placeholder is not None else f"请输入{label}",
            read_only=read_only,
            auto_complete=autocomplete,
            spell_check=False,
            **events,
            aria_invalid=rx.cond(error != "", "true", "false") if not isinstance(error, str) else "false",
            class_name="rt-reset rt-TextFieldInput",
        ),
        class_name="rt-TextFieldRoot rt-r-size-3 rt-variant-surface form-control",
    )
    return form_row(label, control, error, html_for=id, required=required, hint=hint, extra=extra)


def select_input(
    id: str,
    label: str,
    options,
    error: rx.Var | str = "",
    *,
    default_value: rx.Var | str = "",
    required: bool = True,
    on_change=None,
    name: str | None = None,
) -> rx.Component:
    """A native select (accessible by default); `options` is a list of strings or a Var list of strings."""
    if isinstance(options, rx.Var):
        choices = [rx.foreach(options, lambda o: rx.el.option(o, value=o))]
    else:
        choices = [rx.el.option(o, value=o) for o in options]
    control = rx.el.select(
        rx.el.option(f"请选择{label}", value=""),
        *choices,
        id=id,
        name=name or id,
        aria_label=label,
        default_value=default_value,
        on_change=on_change,
        width="100%",
        height="40px",
        padding="0 8px",
        border="1px solid #c0c4cc",
        border_radius="6px",
        background="white",
        font_size="15px",
    )
    return form_row(label, control, error, html_for=id, required=required)


def read_only_row(label: str, value: rx.Var | str, id: str) -> rx.Component:
    return form_row(
        label,
        rx.input(
            id=id,
            value=value,
            read_only=True,
            aria_label=label,
            width="100%",
            size="3",
            variant="soft",
            color_scheme="gray",
        ),
        html_for=id,
        required=True,
    )


def general_error(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
        rx.fragment(),
    )


def primary_button(text: str, **props) -> rx.Component:
    return rx.button(text, size="3", style={"background": RED, "cursor": "pointer"}, **props)


def send_code_button(state, on_click) -> rx.Component:
    """发送验证码, then a 60-second countdown (state is a CountdownMixin state)."""
    return rx.button(
        rx.cond(state.resend_left > 0, f"{state.resend_left}秒后重新发送", "发送验证码"),
        type="button",
        variant="outline",
        size="3",
        disabled=state.resend_left > 0,
        on_click=on_click,
    )


def agreement_checkbox(id: str, error: rx.Var | str) -> rx.Component:
    """我已阅读并同意《中国领事用户协议》和《隐私政策》 (submitted as the form field "agreed")."""
    return rx.vstack(
        rx.el.label(
            rx.el.input(type="checkbox", name="agreed", id=id, value="1"),
            " 我已阅读并同意《中国领事用户协议》和《隐私政策》",
            html_for=id,
            font_size="14px",
        ),
        field_error(error),
        padding_left="162px",
        spacing="1",
    )
