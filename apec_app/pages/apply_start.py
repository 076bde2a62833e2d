"""申办须知 page of 新办/续办."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED, general_error, primary_button
from apec_app.components.layout import card, page_frame
from apec_app.states.apply_start import ApplyStartState as S

STATUS_MARKS = {"passed": ("✓ 符合", "green"), "missed": ("✗ 不符合", "red"), "unknown": ("? 待填写", "gray")}


def fact_input(f: dict) -> rx.Component:
    """One question of the self-check (a date, a yes/no, or a number or list typed as text)."""
    control = rx.match(
        f["type"],
        ("date", rx.input(id="fact-" + f["key"], name=f["key"], type="date", default_value=S.facts.get(f["key"], ""))),
        (
            "flag",
            rx.el.select(
                rx.el.option("请选择", value=""),
                rx.el.option("是", value="1"),
                rx.el.option("否", value="0"),
                id="fact-" + f["key"],
                name=f["key"],
                default_value=S.facts.get(f["key"], ""),
                height="32px",
            ),
        ),
        rx.input(id="fact-" + f["key"], name=f["key"], default_value=S.facts.get(f["key"], "")),
    )
    return rx.hstack(
        rx.el.label(f["label"], html_for="fact-" + f["key"], width="300px", flex_shrink="0", font_size="14px"),
        control,
        align="center",
        width="100%",
    )


def self_check() -> rx.Component:
    """申办条件自查: the institution's conditions, checked against what the applicant types; nothing is saved."""
    return rx.cond(
        S.rule_texts.length() > 0,
        rx.box(
            rx.heading("申办条件自查", size="4"),
            rx.text("本机构的申办条件：", font_size="14px", margin_top="6px"),
            rx.foreach(S.rule_texts, lambda t: rx.text("· " + t, font_size="14px")),
            rx.form(
                rx.vstack(
                    rx.foreach(S.fact_fields, fact_input),
                    rx.button("开始自查", type="submit", variant="outline"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.run_self_check,
                reset_on_submit=False,
                margin_top="10px",
            ),
            rx.vstack(
                rx.foreach(
                    S.check_results,
                    lambda r: rx.hstack(
                        rx.match(
                            r["status"],
                            *[(k, rx.badge(text, color_scheme=color)) for k, (text, color) in STATUS_MARKS.items()],
                            rx.fragment(),
                        ),
                        rx.text(r["message"], font_size="14px"),
                        align="center",
                    ),
                ),
                margin_top="10px",
                role="status",
                aria_label="自查结果",
            ),
            padding="16px",
            border="1px solid #ebeef5",
            border_radius="6px",
            margin_top="16px",
            width="100%",
        ),
        rx.fragment(),
    )


def apply_start_page() -> rx.Component:
    return page_frame(
        rx.text("APEC商务旅行卡首页 > 新办/续办 > 申办须知", color=MUTED, font_size="13px", margin_bottom="8px"),
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
                    self_check(),
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
        scope=S,
    )
