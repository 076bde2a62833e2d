"""Small bar charts with a title, announced to screen readers as figures."""

from __future__ import annotations

import reflex as rx


def bar_chart(title: str, data: rx.Var, x_key: str, y_key: str, unit: str = "") -> rx.Component:
    return rx.box(
        rx.text(title, font_weight="600", font_size="14px"),
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key=y_key, fill="#c8161d", unit=unit),
            rx.recharts.x_axis(data_key=x_key, font_size=11),
            rx.recharts.y_axis(font_size=11),
            rx.recharts.graphing_tooltip(),
            data=data,
            width="100%",
            height=200,
        ),
        flex="1",
        min_width="300px",
        role="figure",
        aria_label=title,
    )
