"""申请单详情 page."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED
from apec_app.components.layout import card, page_frame
from apec_app.states.detail import DetailState as S


def row(label: str, value) -> rx.Component:
    return rx.hstack(rx.text(label, color=MUTED, width="240px", flex_shrink="0"), rx.text(value), width="100%")


def section(title: str, *children) -> rx.Component:
    return rx.box(rx.heading(title, size="4", margin_bottom="8px"), *children, margin_top="20px", width="100%")


def person_block(p) -> rx.Component:
    return rx.box(
        rx.text(p["surname"] + p["given_name"] + "（" + p["pinyin"] + "）", font_weight="600"),
        row("身份证号", p["id_number"]),
        row("性别 / 出生日期", p["sex"] + " / " + p["birth_date"]),
        row("出生地点", p["birth_country"] + " " + p["birth_province"] + " " + p["birth_city"]),
        row("家庭住址", p["home_address"]),
        row("手机号码 / 电子邮箱", p["mobile"] + " / " + p["email"]),
        row("参保地 / 职务", p["insured_place"] + " / " + p["position"]),
        row("在所属单位连续工作时间(月)", p["months_employed"]),
        row("护照号码 / 种类", p["passport_number"] + " / " + p["passport_type"]),
        row("签发日期 / 失效日期", p["issue_date"] + " / " + p["expiry_date"]),
        row("签发机关 / 签发地点", p["issuing_authority"] + " / " + p["issue_place"]),
        row("是否有APEC经济体签证记录 / 是否有旧APEC卡", p["apec_visa"] + " / " + p["old_card"]),
        rx.cond(p["history"] != "", row("曾用护照", p["history"]), rx.fragment()),
        padding="12px",
        border="1px solid #ebeef5",
        border_radius="8px",
        margin_bottom="8px",
    )


def review_results() -> rx.Component:
    """Payment button, per-economy decisions, cards and payments: what happens after submission."""
    return rx.fragment(
        rx.cond(
            S.status_code == "awaiting_payment",
            rx.link(
                "上传支付凭证",
                href="/user/applications/" + S.application_id.to_string() + "/pay",
                style={"background": "#c8161d", "color": "white", "padding": "8px 20px", "border_radius": "6px"},
                margin_top="12px",
                display="inline-block",
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.decisions.length() > 0,
            section(
                "APEC经济体审核情况",
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("申请人"),
                                rx.foreach(S.economy_names, lambda e: rx.table.column_header_cell(e["name"])),
                            )
                        ),
                        rx.table.body(
                            rx.foreach(
                                S.decisions,
                                lambda d: rx.table.row(
                                    rx.table.cell(d["person"]),
                                    rx.foreach(
                                        S.economy_names, lambda e: rx.table.cell(d[e["code"]], font_size="12px")
                                    ),
                                ),
                            )
                        ),
                        size="1",
                    ),
                    overflow_x="auto",
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.waits.length() > 0,
            section(
                "尚未出结果的经济体：近12个月的审核用时",
                rx.text(
                    "根据本系统近12个月的记录统计（自提交各经济体之日起算），仅供参考，各经济体的实际审核时间可能不同。",
                    font_size="13px",
                    color=MUTED,
                    margin_bottom="8px",
                ),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in (
                                    "经济体",
                                    "中位数",
                                    "90%在此之内",
                                    "通常在此日期前出结果",
                                    "较晚在此日期前",
                                    "样本数",
                                )
                            ]
                        )
                    ),
                    rx.table.body(
                        rx.foreach(
                            S.waits,
                            lambda w: rx.table.row(
                                rx.table.cell(w["economy"]),
                                rx.table.cell(w["median"]),
                                rx.table.cell(w["p90"]),
                                rx.table.cell(w["usual_by"]),
                                rx.table.cell(w["late_by"]),
                                rx.table.cell(w["count"]),
                            ),
                        )
                    ),
                    size="1",
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.cards.length() > 0,
            section(
                "APEC商务旅行卡",
                rx.foreach(
                    S.cards,
                    lambda c: rx.text(
                        c["person"]
                        + "："
                        + c["status"]
                        + "，有效期至 "
                        + c["valid_until"]
                        + "，获批经济体："
                        + c["economies"]
                        + rx.cond(c["tracking"] != "", "，快递单号 " + c["tracking"], "")
                    ),
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            S.payments.length() > 0,
            section(
                "缴费记录",
                rx.foreach(
                    S.payments, lambda p: rx.text(p["time"] + " " + p["amount"] + " " + p["status"] + " " + p["reason"])
                ),
            ),
            rx.fragment(),
        ),
    )


def detail_page() -> rx.Component:
    return page_frame(
        rx.cond(
            S.found,
            card(
                rx.hstack(
                    rx.vstack(
                        rx.heading("申请单详情", size="6"),
                        rx.text("申请单号：", S.number),
                        rx.text("业务类型：", S.business_type),
                        rx.hstack(rx.text("状态："), rx.badge(S.status, size="2"), align="center"),
                        spacing="1",
                    ),
                    rx.spacer(),
                    rx.cond(
                        S.number != "",
                        rx.button(
                            "打印申请表（PDF）",
                            variant="outline",
                            on_click=S.download_pdf,
                            loading=S.pdf_busy,
                            margin_right="16px",
                        ),
                        rx.fragment(),
                    ),
                    rx.cond(
                        S.barcode != "",
                        rx.image(src=S.barcode, alt="申请单号条形码 " + S.number, height="80px"),
                        rx.fragment(),
                    ),
                    width="100%",
                ),
                review_results(),
                section(
                    "办理机构",
                    row("名称", S.institution["name"]),
                    row("联系电话", S.institution["phone"]),
                    row("地址", S.institution["address"]),
                ),
                rx.cond(
                    S.parent_id != "",
                    section(
                        "业务信息",
                        row("原申请单", rx.link(S.parent_number, href="/user/applications/" + S.parent_id)),
                        rx.foreach(S.followup_rows, lambda r: row(r[0], r[1])),
                        rx.foreach(S.people, person_block),
                    ),
                    rx.fragment(
                        section(
                            "单位信息",
                            row("名称", S.unit.get("name", "")),
                            row("统一社会信用代码", S.unit.get("uscc", "")),
                            row("注册地", S.unit.get("reg_address", "")),
                            row("联系电话", S.unit.get("phone", "")),
                            row("性质 / 所属行业", S.unit.get("nature", "") + " / " + S.unit.get("industry", "")),
                            row("员工人数", S.unit.get("staff_count", "")),
                            row("成立日期", S.unit.get("founded", "")),
                            row("上年度进出口贸易额（人民币万元）", S.unit.get("trade", "")),
                            row("经营范围", S.unit.get("scope", "")),
                        ),
                        section(
                            "团组信息",
                            row("团组名称", S.group.get("group_name", "")),
                            row("联系人", S.group.get("contact_name", "") + " " + S.group.get("contact_phone", "")),
                            row("申请事由", S.group.get("reason", "")),
                            rx.foreach(S.people, person_block),
                        ),
                    ),
                ),
                rx.cond(S.delivery_text != "", section("取卡方式", rx.text(S.delivery_text)), rx.fragment()),
                section(
                    "材料",
                    rx.foreach(
                        S.documents,
                        lambda d: rx.hstack(
                            rx.text(d["label"], width="160px"),
                            rx.link(d["name"], href=d["url"], is_external=True),
                            align="center",
                        ),
                    ),
                ),
                section(
                    "办理记录",
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                *[
                                    rx.table.column_header_cell(h)
                                    for h in ("时间", "原状态", "新状态", "操作人", "说明")
                                ]
                            )
                        ),
                        rx.table.body(
                            rx.foreach(
                                S.history,
                                lambda e: rx.table.row(
                                    rx.table.cell(e["time"]),
                                    rx.table.cell(e["from"]),
                                    rx.table.cell(e["to"]),
                                    rx.table.cell(e["actor"]),
                                    rx.table.cell(e["reason"]),
                                ),
                            )
                        ),
                        width="100%",
                    ),
                ),
                rx.link("返回我的申请单", href="/user", margin_top="20px", display="block"),
            ),
            card(
                rx.heading("未找到申请单", size="5"),
                rx.text("该申请单不存在或您无权查看。"),
                rx.link("返回我的申请单", href="/user"),
            ),
        ),
        signed_in_page=True,
        scope=S,
        width="1100px",
    )
