"""审核工作台 (/staff): counts by status, the charts, the filters and the queue."""

from __future__ import annotations

import reflex as rx

from apec_app.components.charts import bar_chart
from apec_app.components.fields import MUTED
from apec_app.components.filters import choice, labelled
from apec_app.components.layout import card, page_frame
from apec_app.components.lists import pager
from apec_app.components.scoped import scoped
from apec_app.pages.staff_review.queue_state import StaffQueueState as Q
from apec_app.services.review.queue import PAGE_SIZE
from apec_app.states.session import SessionState
from apec_app.ui_text import BUSINESS_TYPE_LABELS, STATUS_LABELS

COLUMNS = ("申请单号", "企业", "申请人", "业务类型", "办理机构", "状态", "提交时间")


def _text_filter(id: str, label: str, name: str, **props) -> rx.Component:  # noqa: A002 - the input's id
    return labelled(label, rx.input(id=id, name=name, aria_label=label, **props), id)


def filters() -> rx.Component:
    return rx.form(
        rx.hstack(
            choice("f-status", "状态", list(STATUS_LABELS.items()), "status"),
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


def economy_chart() -> rx.Component:
    """Per economy, the median and 90th-percentile days to a decision over the last 12 months."""
    title = "各经济体审核用时（近12个月，天）"
    return rx.box(
        rx.text(title, font_weight="600", font_size="14px"),
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key="median", name="中位数", fill="#c8161d", unit="天"),
            rx.recharts.bar(data_key="p90", name="90%在此之内", fill="#f0a0a4", unit="天"),
            rx.recharts.x_axis(data_key="economy", font_size=11, interval=0, angle=-30, text_anchor="end", height=50),
            rx.recharts.y_axis(font_size=11),
            rx.recharts.legend(),
            rx.recharts.graphing_tooltip(),
            data=Q.economy_days,
            width="100%",
            height=260,
        ),
        rx.cond(Q.economy_days.length() == 0, rx.text("近12个月暂无经济体审核结果", color=MUTED), rx.fragment()),
        width="100%",
        role="figure",
        aria_label=title,
    )


def charts() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            bar_chart("每月申请单数", Q.per_month, "month", "count"),
            bar_chart("各状态申请单数", Q.per_status, "status", "count"),
            bar_chart("各环节平均用时（中位数，天）", Q.stage_days, "stage", "days", "天"),
            spacing="4",
            width="100%",
            wrap="wrap",
        ),
        economy_chart(),
        width="100%",
        margin_top="16px",
    )


def counts() -> rx.Component:
    return rx.hstack(
        rx.foreach(
            Q.counts,
            lambda c: rx.button(
                c["label"] + " " + c["count"], variant="soft", size="1", on_click=Q.show_status(c["status"])
            ),
        ),
        wrap="wrap",
        spacing="2",
        margin_top="12px",
        aria_label="各状态数量",
    )


def table() -> rx.Component:
    return rx.fragment(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in COLUMNS])),
            rx.table.body(
                rx.foreach(
                    Q.rows,
                    lambda r: rx.table.row(
                        rx.table.cell(rx.link(r["number"], href="/staff/applications/" + r["id"])),
                        rx.table.cell(r["enterprise"]),
                        rx.table.cell(r["people"]),
                        rx.table.cell(r["type"]),
                        rx.table.cell(r["institution"]),
                        rx.table.cell(
                            rx.hstack(
                                rx.badge(r["status"]),
                                rx.cond(
                                    r["flag"] != "",
                                    rx.badge(r["flag"], color_scheme="red", variant="solid"),
                                    rx.fragment(),
                                ),
                                spacing="1",
                                wrap="wrap",
                            )
                        ),
                        rx.table.cell(r["time"]),
                    ),
                )
            ),
            width="100%",
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
