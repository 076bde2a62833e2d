"""Development mailbox page (/dev/mailbox)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED
from apec_app.components.layout import card, page_frame
from apec_app.states.mailbox import MailboxState as S


def mail_item(row: dict) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(row["subject"], font_weight="600"),
            rx.spacer(),
            rx.text(row["time"], font_size="12px", color=MUTED),
            width="100%",
        ),
        rx.text("收件人：", row["to"], "　状态：", row["status"], font_size="13px", color="#606266"),
        rx.el.pre(row["body"], white_space="pre-wrap", font_size="14px", margin_top="6px", class_name="mail-body"),
        padding="12px 0",
        border_bottom="1px solid #ebeef5",
        data_to=row["to"],
    )


def mailbox_page() -> rx.Component:
    return page_frame(
        card(
            rx.hstack(rx.heading("开发邮箱", size="6"), rx.spacer(), rx.button("刷新", on_click=S.load), width="100%"),
            rx.match(
                S.refused,
                ("off", rx.text("开发邮箱未启用（DEV_MAILBOX 未开启）。", color=MUTED, margin_top="12px")),
                ("remote", rx.text("开发邮箱仅限在本机访问。", color=MUTED, margin_top="12px")),
                (
                    "admin",
                    rx.hstack(
                        rx.text("开发邮箱仅限管理员查看，请先", color=MUTED),
                        rx.link("登录工作人员账号", href="/staff/login"),
                        margin_top="12px",
                        spacing="1",
                    ),
                ),
                rx.box(rx.foreach(S.rows, mail_item)),
            ),
        ),
        width="1000px",
    )
