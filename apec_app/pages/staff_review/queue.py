"""审核工作台 (/staff): counts by status, the charts, the filters and the queue."""

from __future__ import annotations

import reflex as rx

from apec_app.components.charts import bar_chart, category_chart
from apec_app.components.fields import MUTED
from apec_app.components.filters import choice, labelled
from apec_app.components.layout import card, page_frame
from apec_app.components.lists import pager
from apec_app.components.scoped import scoped
from apec_app.pages.staff_review.queue_state import StaffQueueState as Q
from apec_app.services.review.queue import PAGE_SIZE
from apec_app.states.session import SessionState
from apec_app.ui_text import BUSINESS_TYPE_LABELS

COLUMNS = ("申请单号", "企业", "申请人", "业务类型", "办理机构", "状态", "提交时间")


def _text_filter(id: str, label: str, name: str, **props) -> rx.Component:  # noqa: A002 - the input's id
    return labelled(label, rx.input(id=id, name=name, aria_label=label, **props), id)


def filters() -> rx.Component:
    return rx.form(
        rx.hstack(
            choice("f-status", "状态", Q.status_choices, "status"),
            choice("f-type", "业务类型", list(BUSINESS_TYPE_LABELS.items()), "business_type"),
            rx.cond(Q.is_admin, choice("f-inst", "办理机构", Q.institutions, "institution_id"), rx.fragment()),
            _text_filter("f-number", "申请单号", "number"),
            _text_filter("f-name", "企业、人员姓名或身份证号", "name"),
            _text_filter("f-from", "提交日期从", "date_from", type="date"),
            _text_filter("f-to", "至", "date_to", type="date"),
            rx.button("查询", type="submit"),
            wrap="wrap",
            align="end",
            spacing="3",
        ),
        on_submit=Q.apply_filters,
        reset_on_submit=False,
        margin_y="12px",
    )


def charts() -> rx.Component:
    """Two columns on a desktop, one on a phone; the month chart and the economies' take the whole width."""
    return rx.box(
        rx.box(
            bar_chart("每月申请单数", Q.per_month, "month", "count", empty="近12个月暂无申请单"), grid_column="1 / -1"
        ),
        category_chart("各状态申请单数", Q.per_status, "status", [("count", "申请单数")], rows=Q.per_status.length()),
        category_chart(
            "各环节平均用时（中位数，天）",
            Q.stage_days,
            "stage",
            [("days", "中位数")],
            rows=Q.stage_days.length(),
            unit="天",
        ),
        rx.box(
            category_chart(
                "各经济体审核用时（近12个月，天）",
                Q.economy_days,
                "economy",
                [("median", "中位数"), ("p90", "90%在此之内")],
                rows=Q.economy_days.length(),
                unit="天",
                empty="近12个月暂无经济体审核结果",
            ),
            grid_column="1 / -1",
        ),
        display="grid",
        grid_template_columns=["minmax(0, 1fr)", "minmax(0, 1fr)", "minmax(0, 1fr) minmax(0, 1fr)"],
        gap="20px 32px",
        width="100%",
        margin_top="16px",
    )


def chip(label, count, pressed, on_click) -> rx.Component:
    """A queue: its name and how many it holds; the chosen one is pressed (solid, aria-pressed)."""
    return rx.button(
        rx.text(label, as_="span"),
        rx.text(count, as_="span", font_weight="700"),
        variant=rx.cond(pressed, "solid", "surface"),
        aria_pressed=rx.cond(pressed, "true", "false"),
        on_click=on_click,
        font_size="14px",
        min_height=["44px", "44px", "36px"],
        padding_x="12px",
        gap="6px",
        cursor="pointer",
    )


def counts() -> rx.Component:
    chosen = Q.chosen_status
    return rx.flex(
        chip("全部", Q.all_count, chosen == "", Q.show_status("")),
        rx.foreach(Q.counts, lambda c: chip(c["label"], c["count"], chosen == c["status"], Q.show_status(c["status"]))),
        wrap="wrap",
        gap="8px",
        margin_top="12px",
        role="group",
        aria_label="审核队列",
    )


def cell(label: str, *children) -> rx.Component:
    """A cell that, on a phone, shows its column's name above its value (the .stack-table cards)."""
    return rx.el.td(*children, custom_attrs={"data-label": label}, class_name="rt-TableCell")


def table() -> rx.Component:
    return rx.fragment(
        rx.text("快捷键：J / K 在列表中下移 / 上移，Enter 打开选中的申请单", color=MUTED, font_size="13px"),
        # Radix's table look on a <table> of our own: the grid role (rows that can be selected) must sit on the
        # table itself, and rx.table.root would put it on its wrapping <div>.
        rx.box(
            rx.el.table(
                rx.el.thead(
                    rx.el.tr(
                        *[
                            rx.el.th(h, scope="col", class_name="rt-TableCell rt-TableColumnHeaderCell")
                            for h in COLUMNS
                        ],
                        class_name="rt-TableRow",
                    ),
                    class_name="rt-TableHeader",
                ),
                rx.el.tbody(
                    rx.foreach(
                        Q.rows,
                        lambda r: rx.el.tr(
                            cell(COLUMNS[0], rx.link(r["number"], href="/staff/applications/" + r["id"])),
                            cell(COLUMNS[1], r["enterprise"]),
                            cell(COLUMNS[2], r["people"]),
                            cell(COLUMNS[3], r["type"]),
                            cell(COLUMNS[4], r["institution"]),
                            cell(
                                COLUMNS[5],
                                rx.hstack(
                                    rx.badge(r["status"]),
                                    rx.cond(
                                        r["flag"] != "",
                                        rx.badge(r["flag"], color_scheme="red", variant="solid"),
                                        rx.fragment(),
                                    ),
                                    spacing="1",
                                    wrap="wrap",
                                ),
                            ),
                            cell(COLUMNS[6], r["time"]),
                            tab_index=-1,
                            custom_attrs={"data-queue-row": r["id"]},
                            class_name="rt-TableRow queue-row",
                        ),
                    ),
                    class_name="rt-TableBody",
                ),
                role="grid",
                aria_label="申请单列表",
                aria_readonly="true",
                custom_attrs={"data-queue-table": "1"},
                class_name="rt-TableRootTable",
            ),
            width="100%",
            class_name="rt-TableRoot rt-r-size-2 rt-variant-ghost stack-table",
        ),
        rx.cond(Q.rows.length() == 0, rx.text("暂无申请单", color=MUTED, padding="16px 0"), rx.fragment()),
        pager(Q.page, Q.total, PAGE_SIZE, Q.go_page),
    )


def queue_page() -> rx.Component:
    return page_frame(
        card(
            rx.hstack(
                rx.heading("审核工作台", size="6"),
                rx.text(SessionState.display_name, "（", Q.scope_name, "）", color="#606266"),
                align="center",
                spacing="3",
            ),
            scoped(Q, rx.fragment(counts(), charts(), filters(), table())),
        ),
        signed_in_page=True,
        width="1300px",
    )
