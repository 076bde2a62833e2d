"""消息中心 page."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED
from apec_app.components.layout import card, page_frame
from apec_app.components.lists import pager
from apec_app.services.messaging.notifications import PAGE_SIZE
from apec_app.states.messages import MessagesState as S


def message_item(row: dict) -> rx.Component:
    unread = row["read"] == ""
    return rx.box(
        rx.hstack(
            rx.cond(unread, rx.badge("未读", color_scheme="red"), rx.badge("已读", color_scheme="gray")),
            rx.text(row["title"], font_weight=rx.cond(unread, "700", "400")),
            rx.spacer(),
            rx.text(row["time"], color=MUTED, font_size="13px"),
            align="center",
            width="100%",
        ),
        rx.text(row["body"], color="#606266", font_size="14px", margin_top="6px"),
        rx.hstack(
            rx.cond(
                row["link"] != "",
                rx.button("查看详情", size="1", variant="outline", on_click=S.open_message(row["id"], row["link"])),
                rx.fragment(),
            ),
            rx.cond(
                unread, rx.button("标为已读", size="1", variant="ghost", on_click=S.mark_read(row["id"])), rx.fragment()
            ),
            spacing="3",
            margin_top="8px",
        ),
        padding="14px 0",
        border_bottom="1px solid #ebeef5",
    )


def messages_page() -> rx.Component:
    return page_frame(
        card(
            rx.hstack(
                rx.heading("消息中心", size="6"),
                rx.spacer(),
                rx.text("未读 ", S.unread, " 条", color="#606266"),
                rx.button(
                    "全部标为已读", variant="outline", size="2", on_click=S.mark_all_read, disabled=S.unread == 0
                ),
                align="center",
                width="100%",
                spacing="3",
            ),
            rx.cond(
                S.rows.length() > 0,
                rx.box(rx.foreach(S.rows, message_item), margin_top="8px"),
                rx.text("暂无消息", color=MUTED, margin_top="24px"),
            ),
            pager(S.page, S.total, PAGE_SIZE, S.go_page),
        ),
        signed_in_page=True,
        scope=S,
    )
