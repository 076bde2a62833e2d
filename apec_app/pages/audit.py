"""安全与审计日志 page (admins)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.layout import card, page_frame
from apec_app.components.lists import pager
from apec_app.components.scoped import scoped
from apec_app.states.audit import PAGE_SIZE
from apec_app.states.audit import AuditState as A

ACTIONS = [
    ("", "全部"),
    ("sign_in", "登录"),
    ("sign_in_failed", "登录失败"),
    ("access_refused", "拒绝访问"),
    ("staff_", "工作人员操作"),
    ("staff_view", "查看申请单"),
    ("staff_document_view", "查看材料"),
    ("admin_", "系统设置"),
]


def audit_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(*[rx.table.column_header_cell(h) for h in ("时间", "操作人", "类型", "内容", "IP")])
        ),
        rx.table.body(
            rx.foreach(
                A.rows,
                lambda r: rx.table.row(
                    rx.table.cell(r["time"]),
                    rx.table.cell(r["actor"]),
                    rx.table.cell(r["action"]),
                    rx.table.cell(r["detail"]),
                    rx.table.cell(r["ip"]),
                ),
            )
        ),
        width="100%",
        size="1",
    )


def audit_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("安全与审计日志", size="6"),
            rx.form(
                rx.hstack(
                    rx.input(name="text", placeholder="操作人、内容或IP", aria_label="关键字", width="240px"),
                    rx.el.select(
                        *[rx.el.option(label, value=value) for value, label in ACTIONS],
                        name="action",
                        aria_label="类型",
                        height="32px",
                    ),
                    rx.input(name="date_from", type="date", aria_label="开始日期"),
                    rx.input(name="date_to", type="date", aria_label="结束日期"),
                    rx.button("查询", type="submit"),
                    spacing="3",
                    wrap="wrap",
                ),
                on_submit=A.search,
                reset_on_submit=False,
                margin_y="12px",
            ),
            scoped(A, rx.fragment(audit_table(), pager(A.page, A.total, PAGE_SIZE, A.go_page))),
        ),
        signed_in_page=True,
        width="1300px",
    )
