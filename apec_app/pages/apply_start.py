"""申办须知 page of 新办/续办."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import general_error, primary_button
from apec_app.components.layout import card, page_frame
from apec_app.states.apply_start import ApplyStartState as S


def apply_start_page() -> rx.Component:
    return page_frame(
        rx.text("APEC商务旅行卡首页 > 新办/续办 > 申办须知", color="#909399", font_size="13px", margin_bottom="8px"),
        card(
            rx.heading("新办/续办 申办须知", size="6", margin_bottom="12px"),
            rx.cond(
                S.direct,
                rx.text("办理机构：", S.institution_name, "（直办）", color="#606266"),
                rx.hstack(
                    rx.el.label("办理机构", html_for="institution", font_weight="600"),
                    rx.el.select(
                        rx.el.option("请选择需要办理的外办机构", value=""),
                        rx.foreach(S.institutions, lambda i: rx.el.option(i["name"], value=i["id"])),
                        id="institution",
                        aria_label="办理机构",
                        value=S.institution_id,
                        on_change=S.choose_institution,
                        height="38px",
                        padding="0 8px",
                        border="1px solid #c0c4cc",
                        border_radius="6px",
                        min_width="320px",
                    ),
                    align="center",
                    spacing="3",
                ),
            ),
            rx.cond(
                S.notice != "",
                rx.vstack(
                    rx.box(
                        rx.text(S.notice, white_space="pre-wrap", line_height="1.9"),
                        padding="16px",
                        background="#fafafa",
                        border="1px solid #ebeef5",
                        border_radius="6px",
                        max_height="360px",
                        overflow_y="auto",
                        width="100%",
                        tab_index=0,
                        aria_label="申办须知内容",
                    ),
                    rx.checkbox("我已阅读并知晓", checked=S.agreed, on_change=S.set_agreed),
                    general_error(S.error),
                    rx.hstack(
                        primary_button("立即办理", on_click=S.start, disabled=~S.agreed), justify="center", width="100%"
                    ),
                    spacing="4",
                    width="100%",
                    margin_top="16px",
                ),
                rx.fragment(),
            ),
        ),
        signed_in_page=True,
    )
