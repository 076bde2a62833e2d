"""Small bar charts with a title, announced to screen readers as figures.

Labels must stay readable from a phone (390 px) to a desktop (1366 px): categories with long Chinese names
(statuses, stages, economies) are drawn as horizontal bars with the names on the left in a column wide enough
for the longest; of the months, a phone shows every second or third (recharts drops a label that would
overlap its neighbour). A legend sits above the bars, never over the axis labels."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED

RED, GREY = "#c8161d", "#6b7280"  # the legend writes its names in these colours: both 4.5:1 on white
TICK = {"fontSize": 12, "fill": "#303133"}
ROW_PX = 30  # height of one category of a horizontal chart


def _figure(title: str, chart: rx.Component, data: rx.Var, empty: str, **props) -> rx.Component:
    return rx.box(
        rx.text(title, font_weight="600", font_size="14px", margin_bottom="4px"),
        chart,
        rx.cond(data.length() == 0, rx.text(empty, color=MUTED, font_size="14px"), rx.fragment()),
        role="figure",
        aria_label=title,
        width="100%",
        min_width="0",
        **props,
    )


def bar_chart(
    title: str, data: rx.Var, x_key: str, y_key: str, unit: str = "", empty: str = "暂无数据"
) -> rx.Component:
    """Vertical bars over short labels (months)."""
    chart = rx.recharts.bar_chart(
        rx.recharts.bar(data_key=y_key, fill=RED, unit=unit, name=title, is_animation_active=False),
        # Every month where there is room (a desktop); on a phone recharts leaves out those that would overlap.
        rx.recharts.x_axis(data_key=x_key, interval="preserveStartEnd", min_tick_gap=6, tick=TICK),
        rx.recharts.y_axis(width=40, allow_decimals=False, tick=TICK),
        rx.recharts.graphing_tooltip(),
        data=data,
        width="100%",
        height=220,
        margin={"top": 8, "right": 28, "left": 0, "bottom": 0},  # room for the last month, centred on its bar
    )
    return _figure(title, chart, data, empty)


def category_chart(
    title: str,
    data: rx.Var,
    name_key: str,
    bars: list[tuple[str, str]],
    *,
    rows: int | rx.Var,
    unit: str = "",
    label_width: int = 132,
    empty: str = "暂无数据",
) -> rx.Component:
    """Horizontal bars, one row per category (status, stage, economy) with its full name on the left;
    `bars` are (data key, legend name), a legend above them when there are two or more."""
    colours = [RED, GREY]
    parts = [
        rx.recharts.bar(
            data_key=key, name=name, fill=colours[i % 2], unit=unit, max_bar_size=18, is_animation_active=False
        )
        for i, (key, name) in enumerate(bars)
    ]
    if len(bars) > 1:
        parts.append(rx.recharts.legend(vertical_align="top", height=28, wrapper_style={"fontSize": "13px"}))
    chart = rx.recharts.bar_chart(
        *parts,
        rx.recharts.x_axis(type_="number", allow_decimals=False, tick=TICK, unit=unit),
        rx.recharts.y_axis(data_key=name_key, type_="category", width=label_width, interval=0, tick=TICK),
        rx.recharts.graphing_tooltip(),
        data=data,
        layout="vertical",
        width="100%",
        height=rows * (ROW_PX if len(bars) == 1 else ROW_PX + 12) + (68 if len(bars) > 1 else 40),
        margin={"top": 4, "right": 32, "left": 0, "bottom": 4},  # room for the last tick label, centred on its line
    )
    return _figure(title, chart, data, empty)
