"""用户中心 / 我的申请单 page."""

from __future__ import annotations

import reflex as rx

from apec_app.components.confirm import confirm_dialog
from apec_app.components.fields import MUTED, RED
from apec_app.components.layout import card, page_frame
from apec_app.components.lists import pager
from apec_app.services.applications.filing import PAGE_SIZE
from apec_app.states.user_center import UserCenterState as S
from apec_app.ui_text import BUSINESS_TYPE_LABELS, STATUS_LABELS

FOLLOWUP_BUTTONS = {k: BUSINESS_TYPE_LABELS[k] for k in ("early_card", "replace", "passport_change", "cancel")}


def actions(row: dict) -> rx.Component:
    has = lambda name: row["actions"].contains(name)  # noqa: E731 - tiny local helper
    return rx.hstack(
        rx.cond(has("edit"), rx.link("继续填写", href=row["edit"]), rx.fragment()),
        rx.cond(has("view"), rx.link("查看详情", href="/user/applications/" + row["id"]), rx.fragment()),
        rx.cond(
            has("withdraw"),
            rx.button(
                "撤回",
                size="2",
                min_height="44px",
                variant="ghost",
                color_scheme="orange",
                on_click=S.ask_withdraw(row["id"]),
            ),
            rx.fragment(),
        ),
        rx.cond(
            has("delete"),
            rx.button(
                "删除",
                size="2",
                min_height="44px",
                variant="ghost",
                color_scheme="red",
                on_click=S.ask_delete(row["id"]),
            ),
            rx.fragment(),
        ),
        rx.cond(has("pay"), rx.link("上传支付凭证", href="/user/applications/" + row["id"] + "/pay"), rx.fragment()),
        *[
            rx.cond(
                row["offers"].contains(kind),
                rx.button(
                    label,
                    size="1",
                    variant="outline",
                    color_scheme="red",
                    on_click=S.open_offer(row["id"], kind),
                    aria_label=label + " " + row["number"],
                ),
                rx.fragment(),
            )
            for kind, label in FOLLOWUP_BUTTONS.items()
        ],
        spacing="3",
        wrap="wrap",
        align="center",
    )


def offer_dialog() -> rx.Component:
    """Choose the person (a follow-up is for one person), read what it means, 【确定】."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.match(S.offer_kind, *FOLLOWUP_BUTTONS.items(), "")),
            rx.text("请选择办理人员", font_size="14px", margin_bottom="8px"),
            rx.radio_group.root(
                rx.vstack(
                    rx.foreach(
                        S.offer_people,
                        lambda p: rx.el.label(
                            rx.radio_group.item(value=p["id"]),
                            p["name"] + "（护照号码 " + p["passport"] + "）",
                            display="flex",
                            gap="6px",
                        ),
                    ),
                    spacing="2",
                ),
                value=S.offer_person,
                on_change=S.choose_offer_person,
                aria_label="办理人员",
            ),
            rx.callout(S.offer_text, icon="info", margin_top="12px", role="note"),
            rx.hstack(
                rx.button("取消", variant="soft", color_scheme="gray", on_click=S.close_offer),
                rx.button("确定", style={"background": RED}, on_click=S.start_followup),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="560px",
        ),
        open=S.offer_kind != "",
    )


def labelled(label: str, *children, **props) -> rx.Component:
    """A cell that, on a phone, shows its column's name above its value (the .stack-table cards)."""
    return rx.table.cell(*children, custom_attrs={"data-label": label}, **props)


def table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(h)
                    for h in ("申请单号", "团组名称/申请人", "办理机构", "状态", "时间", "操作")
                ]
            )
        ),
        rx.table.body(
            rx.foreach(
                S.rows,
                lambda r: rx.table.row(
                    labelled("申请单号", r["number"]),
                    labelled(
                        "团组名称/申请人",
                        rx.vstack(
                            rx.text(r["title"]), rx.text(r["people"], font_size="12px", color=MUTED), spacing="0"
                        ),
                    ),
                    labelled("办理机构", r["institution"]),
                    labelled("状态", rx.badge(r["status"])),
                    labelled("时间", r["time"]),
                    labelled("操作", actions(r)),
                ),
            )
        ),
        width="100%",
        class_name="stack-table",
    )


def cards_table() -> rx.Component:
    """我的APEC卡: each current card, with 【续办】 from 6 months before it expires."""
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(h)
                    for h in ("持卡人", "护照号码", "卡状态", "有效期至", "获批经济体", "操作")
                ]
            )
        ),
        rx.table.body(
            rx.foreach(
                S.card_rows,
                lambda c: rx.table.row(
                    labelled("持卡人", c["holder"]),
                    labelled("护照号码", c["passport"]),
                    labelled("卡状态", rx.badge(c["status"])),
                    labelled("有效期至", c["valid_until"]),
                    labelled("获批经济体", c["economies"], max_width="320px", font_size="12px"),
                    labelled(
                        "操作",
                        rx.cond(
                            c["virtual"] != "",
                            rx.link("虚拟卡", href="/user/cards/" + c["id"], aria_label="虚拟卡 " + c["holder"],
                                    font_size="13px", margin_right="8px"),  # fmt: skip
                        ),
                        rx.cond(
                            c["renewable"] != "",
                            rx.button(
                                "续办",
                                size="1",
                                variant="outline",
                                color_scheme="red",
                                on_click=S.renew(c["id"]),
                                aria_label="续办 " + c["holder"],
                            ),
                            rx.text(c["opens"] + " 起可续办", font_size="12px", color=MUTED),
                        )
                    ),
                ),
            )
        ),
        width="100%",
        class_name="stack-table",
    )


def cards_panel() -> rx.Component:
    return rx.box(
        rx.cond(
            S.card_rows.length() > 0,
            cards_table(),
            rx.text("暂无APEC商务旅行卡", color=MUTED, padding="24px 0"),
        ),
        margin_top="16px",
    )


def applications_panel() -> rx.Component:
    """The search and the list of the chosen business type (the same panel under each business tab)."""
    return rx.fragment(
        rx.form(
            rx.hstack(
                rx.el.label("搜索", html_for="uc-search", class_name="sr-only"),
                rx.input(
                    id="uc-search",
                    name="search",
                    placeholder="申请单号、团组名称、申请人姓名或身份证号",
                    default_value=S.search,
                    width=["100%", "320px"],
                ),
                rx.el.label("状态", html_for="uc-status", class_name="sr-only"),
                rx.el.select(
                    rx.el.option("全部状态", value=""),
                    *[rx.el.option(label, value=key) for key, label in STATUS_LABELS.items()],
                    id="uc-status",
                    name="status",
                    aria_label="状态",
                    height="32px",
                    border="1px solid #c0c4cc",
                    border_radius="6px",
                ),
                rx.button("查询", type="submit", min_height="44px"),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            on_submit=S.apply_search,
            reset_on_submit=False,
            margin_y="16px",
        ),
        rx.cond(S.rows.length() > 0, table(), rx.text("暂无申请单", color=MUTED, padding="24px 0")),
        pager(S.page, S.total, PAGE_SIZE, S.go_page),
    )


def user_center_page() -> rx.Component:
    return page_frame(
        card(
            rx.hstack(
                rx.heading("我的申请单", size="6"),
                rx.spacer(),
                rx.link(
                    "新办/续办 立即办理",
                    href="/apply/new-renew",
                    color=RED,
                    min_height="44px",
                    display="inline-flex",
                    align_items="center",
                ),
                width="100%",
                align="center",
            ),
            # Each tab has its panel (the tabs' aria-controls point at them).
            rx.tabs.root(
                rx.tabs.list(
                    *[rx.tabs.trigger(label, value=key) for key, label in BUSINESS_TYPE_LABELS.items()],
                    rx.tabs.trigger("我的APEC卡", value="cards"),
                ),
                *[rx.tabs.content(applications_panel(), value=key) for key in BUSINESS_TYPE_LABELS],
                rx.tabs.content(cards_panel(), value="cards"),
                value=S.tab,
                on_change=S.set_tab,
                margin_top="12px",
                class_name="tabs-wrap",
            ),
        ),
        offer_dialog(),
        confirm_dialog(
            "撤回申请单",
            "确定撤回申请单“" + S.confirm_label + "”吗？撤回后申请单回到草稿状态，可修改后重新提交。",
            open=S.confirm_withdraw_id != "",
            on_cancel=S.cancel_withdraw,
            on_confirm=S.withdraw,
        ),
        confirm_dialog(
            "删除申请单",
            "确定删除申请单“" + S.confirm_label + "”吗？删除后草稿及已上传的材料不能恢复。",
            open=S.confirm_delete_id != "",
            on_cancel=S.cancel_delete,
            on_confirm=S.delete_draft,
        ),
        signed_in_page=True,
        scope=S,
        width="1200px",
    )
