"""Home: APEC商务旅行卡业务在线办理."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED, RED
from apec_app.components.layout import card, page_frame
from apec_app.states.session import SessionState

LINK_BUTTON = {
    "background": RED,
    "color": "white",
    "padding": "8px 20px",
    "border_radius": "6px",
    "border": f"1px solid {RED}",
    "text_decoration": "none",
}

BUSINESSES = [
    ("新办/续办", "首次申请APEC商务旅行卡，或原卡即将到期时续办。每个申请单最多30人。"),
    ("提前制卡", "部分经济体已批准时，可先行制卡，后续获批更多经济体后换卡。"),
    ("换补卡", "获批经济体增加、信息变更，或卡片遗失、损坏时申请换卡或补卡。"),
    ("未制卡仅更换护照", "经济体审核期间尚未制卡而更换了护照时，更新护照信息。"),
    ("注销卡", "持卡人离职等情况下注销APEC商务旅行卡。"),
]


def business_row(title: str, text: str) -> rx.Component:
    """新办/续办 starts here; the follow-up businesses start from a person in 用户中心."""
    action = (
        # Always the same target: the 申办须知 page sends a signed-out visitor to sign in first.
        rx.link("立即办理", href="/apply/new-renew", style=LINK_BUTTON)
        if title == "新办/续办"
        else rx.text("请在用户中心从已办理的申请单发起", font_size="13px", color=MUTED)
    )
    return rx.hstack(
        rx.box(
            rx.heading(title, size="4"),
            rx.text(text, color="#606266", font_size="14px", margin_top="4px"),
        ),
        rx.spacer(),
        action,
        align="center",
        justify="between",
        width="100%",
        padding="18px 0",
        border_bottom="1px solid #ebeef5",
    )


def home_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("APEC商务旅行卡业务在线办理", size="6", margin_bottom="8px"),
            rx.text(
                "企业为本单位人员在线申请APEC商务旅行卡，并随时查看外办、外交部及各APEC经济体的审核进度。",
                color="#606266",
            ),
            rx.cond(
                SessionState.signed_in,
                rx.text("欢迎，", SessionState.display_name, margin_top="12px", font_weight="600"),
                rx.cond(
                    SessionState.session_known,
                    rx.hstack(
                        rx.link("登录", href="/login", style=LINK_BUTTON),
                        rx.link(
                            "注册新账号", href="/register", style={**LINK_BUTTON, "background": "white", "color": RED}
                        ),
                        spacing="3",
                        margin_top="16px",
                    ),
                    rx.box(height="52px"),  # the same height, until the tab knows who is signed in
                ),
            ),
            rx.box(*[business_row(t, d) for t, d in BUSINESSES], margin_top="20px"),
        ),
        signed_in_page=True,
    )
