"""审核工作台 pages: the queue and one application."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import AMBER, MUTED, RED, primary_button
from apec_app.components.layout import card, page_frame
from apec_app.components.lists import pager
from apec_app.components.upload import upload_zone
from apec_app.services.review.workbench import PAGE_SIZE
from apec_app.states.session import SessionState
from apec_app.states.staff_review import StaffQueueState as Q
from apec_app.states.staff_review import StaffReviewState as R
from apec_app.ui_text import BUSINESS_TYPE_LABELS, STATUS_LABELS


def _labelled(label: str, control: rx.Component, id: str) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=id, font_size="13px", color="#606266"), control, spacing="1")


def _select(id: str, label: str, options: list[tuple[str, str]], name: str) -> rx.Component:
    return _labelled(
        label,
        rx.el.select(
            rx.el.option("全部", value=""),
            *[rx.el.option(t, value=v) for v, t in options],
            id=id,
            name=name,
            aria_label=label,
            height="32px",
            border="1px solid #c0c4cc",
            border_radius="6px",
        ),
        id,
    )


def filters() -> rx.Component:
    return rx.form(
        rx.hstack(
            _select("f-status", "状态", list(STATUS_LABELS.items()), "status"),
            _select("f-type", "业务类型", list(BUSINESS_TYPE_LABELS.items()), "business_type"),
            rx.cond(
                Q.is_admin,
                _labelled(
                    "办理机构",
                    rx.el.select(
                        rx.el.option("全部", value=""),
                        rx.foreach(Q.institutions, lambda i: rx.el.option(i["name"], value=i["id"])),
                        id="f-inst",
                        name="institution_id",
                        aria_label="办理机构",
                        height="32px",
                    ),
                    "f-inst",
                ),
                rx.fragment(),
            ),
            _labelled("申请单号", rx.input(id="f-number", name="number", aria_label="申请单号"), "f-number"),
            _labelled("企业或人员姓名", rx.input(id="f-name", name="name", aria_label="企业或人员姓名"), "f-name"),
            _labelled(
                "提交日期从", rx.input(id="f-from", name="date_from", type="date", aria_label="提交日期从"), "f-from"
            ),
            _labelled("至", rx.input(id="f-to", name="date_to", type="date", aria_label="至"), "f-to"),
            rx.button("查询", type="submit"),
            wrap="wrap",
            align="end",
            spacing="3",
        ),
        on_submit=Q.apply_filters,
        reset_on_submit=False,
        margin_y="12px",
    )


def chart(title: str, data, x_key: str, y_key: str, unit: str = "") -> rx.Component:
    return rx.box(
        rx.text(title, font_weight="600", font_size="14px"),
        rx.recharts.bar_chart(
            rx.recharts.bar(data_key=y_key, fill="#c8161d", unit=unit),
            rx.recharts.x_axis(data_key=x_key, font_size=11),
            rx.recharts.y_axis(font_size=11),
            rx.recharts.graphing_tooltip(),
            data=data,
            width="100%",
            height=200,
        ),
        flex="1",
        min_width="300px",
        role="figure",
        aria_label=title,
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
            chart("每月申请单数", Q.per_month, "month", "count"),
            chart("各状态申请单数", Q.per_status, "status", "count"),
            chart("各环节平均用时（中位数，天）", Q.stage_days, "stage", "days", "天"),
            spacing="4",
            width="100%",
            wrap="wrap",
        ),
        economy_chart(),
        width="100%",
        margin_top="16px",
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
            rx.hstack(
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
            ),
            charts(),
            filters(),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("申请单号", "企业", "申请人", "业务类型", "办理机构", "状态", "提交时间")
                        ]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        Q.rows,
                        lambda r: rx.table.row(
                            rx.table.cell(rx.link(r["number"], href="/staff/applications/" + r["id"])),
                            rx.table.cell(r["enterprise"]),
                            rx.table.cell(r["people"]),
                            rx.table.cell(r["type"]),
                            rx.table.cell(r["institution"]),
                            rx.table.cell(rx.badge(r["status"])),
                            rx.table.cell(r["time"]),
                        ),
                    )
                ),
                width="100%",
            ),
            rx.cond(Q.rows.length() == 0, rx.text("暂无申请单", color=MUTED, padding="16px 0"), rx.fragment()),
            pager(Q.page, Q.total, PAGE_SIZE, Q.go_page),
        ),
        signed_in_page=True,
        width="1300px",
    )


def row(label: str, value) -> rx.Component:
    return rx.hstack(rx.text(label, color=MUTED, width="220px", flex_shrink="0"), rx.text(value), width="100%")


def action_form(action: str, text: str, *, reason: bool = False, tracking: bool = False, danger: bool = False):
    return rx.form(
        rx.hstack(
            rx.el.input(type="hidden", name="action", value=action),
            rx.cond(
                reason,
                rx.input(name="reason", placeholder="请填写原因", aria_label=f"{text}原因", width="260px"),
                rx.fragment(),
            )
            if reason
            else rx.fragment(),
            rx.input(name="tracking_number", placeholder="快递单号", aria_label="快递单号", width="200px")
            if tracking
            else rx.fragment(),
            rx.button(
                text,
                type="submit",
                color_scheme="red" if danger else "gray" if reason else None,
                variant="outline" if reason or danger else "solid",
            ),
            spacing="2",
            align="center",
        ),
        on_submit=R.act,
        reset_on_submit=True,
    )


def actions() -> rx.Component:
    """Exactly the buttons lifecycle.staff_actions allows for this status, business type and 取卡方式."""
    can = R.allowed.contains
    return rx.vstack(
        rx.heading("审核操作", size="4"),
        rx.cond(can("approve"), review_actions(), rx.fragment()),
        rx.cond(can("confirm_payment"), action_form("confirm_payment", "确认收款"), rx.fragment()),
        rx.cond(can("refuse_payment"), action_form("refuse_payment", "退回支付凭证", reason=True), rx.fragment()),
        rx.cond(can("start_production"), action_form("start_production", "开始制卡"), rx.fragment()),
        rx.cond(can("mail"), action_form("mail", "已邮寄", tracking=True), rx.fragment()),
        rx.cond(can("card_ready"), action_form("card_ready", "制卡完成"), rx.fragment()),
        rx.cond(can("picked_up"), action_form("picked_up", "已自取"), rx.fragment()),
        rx.cond(R.allowed.length() == 0, rx.text("当前状态无需操作", color=MUTED), rx.fragment()),
        rx.cond(
            R.action_error != "",
            rx.callout(R.action_error, icon="triangle_alert", color_scheme="red", role="alert"),
            rx.fragment(),
        ),
        spacing="3",
        width="100%",
        border="1px solid #ebeef5",
        border_radius="8px",
        padding="16px",
    )


def review_actions() -> rx.Component:
    return rx.vstack(
        action_form("approve", "通过"),
        action_form("return", "退回修改", reason=True),
        action_form("reject", "不通过", reason=True, danger=True),
        spacing="2",
    )


def decisions() -> rx.Component:
    return rx.vstack(
        rx.heading("APEC经济体审核结果", size="4"),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("人员"),
                        rx.foreach(R.economy_names, lambda e: rx.table.column_header_cell(e["name"])),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        R.decisions,
                        lambda d: rx.table.row(
                            rx.table.cell(d["person"]),
                            rx.foreach(R.economy_names, lambda e: rx.table.cell(d[e["code"]], font_size="12px")),
                        ),
                    )
                ),
                size="1",
            ),
            overflow_x="auto",
            width="100%",
        ),
        rx.cond(R.status_code == "economy_review", decision_forms(), rx.fragment()),
        spacing="3",
        width="100%",
    )


def decision_forms() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.el.select(
                    rx.foreach(R.decisions, lambda d: rx.el.option(d["person"], value=d["person_id"])),
                    name="person_id",
                    aria_label="人员",
                    height="32px",
                ),
                rx.el.select(
                    rx.foreach(R.economy_names, lambda e: rx.el.option(e["name"], value=e["code"])),
                    name="economy",
                    aria_label="经济体",
                    height="32px",
                ),
                rx.el.select(
                    rx.el.option("批准", value="approved"),
                    rx.el.option("拒绝", value="refused"),
                    name="decision",
                    aria_label="审核结果",
                    height="32px",
                ),
                rx.input(type="date", name="decided_on", aria_label="审核日期"),
                rx.button("录入", type="submit"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            on_submit=R.decide,
            reset_on_submit=False,
        ),
        rx.hstack(
            upload_zone(
                "批量导入CSV：点击或拖拽上传",
                font_size="13px",
                label="经济体审核结果",
                id="decisions-csv",
                on_drop=R.preview_csv(rx.upload_files(upload_id="decisions-csv")),
                accept={"text/csv": [".csv"]},
                max_files=1,
                multiple=False,
                border="1px dashed #c0c4cc",
                padding="8px 12px",
            ),
            rx.button("下载模板", variant="ghost", on_click=R.download_template),
            spacing="3",
            align="center",
        ),
        rx.cond(
            R.csv_errors.length() > 0,
            rx.vstack(
                rx.text("文件中有以下错误，未导入任何记录：", color=RED),
                rx.foreach(
                    R.csv_errors,
                    lambda e: rx.text(
                        "第" + e["line"] + "行 " + e["column"] + "：" + e["message"] + "（" + e["value"] + "）",
                        font_size="13px",
                        role="alert",
                    ),
                ),
            ),
            rx.fragment(),
        ),
        rx.cond(
            (R.csv_preview.length() > 0) & (R.csv_errors.length() == 0),
            rx.vstack(
                rx.text("预览（共 ", R.csv_preview.length(), " 条）：", font_size="13px"),
                rx.foreach(
                    R.csv_preview,
                    lambda r: rx.text(
                        r["line"]
                        + " "
                        + r["number"]
                        + " "
                        + r["passport"]
                        + " "
                        + r["economy"]
                        + " "
                        + r["decision"]
                        + " "
                        + r["date"],
                        font_size="12px",
                    ),
                ),
                primary_button("确认导入", on_click=R.apply_csv),
            ),
            rx.fragment(),
        ),
        spacing="3",
        width="100%",
    )


def person_block(p) -> rx.Component:
    return rx.box(
        rx.text(p["surname"] + p["given_name"] + "（" + p["pinyin"] + "）", font_weight="600"),
        row("身份证号", p["id_number"]),
        row("性别 / 出生日期", p["sex"] + " / " + p["birth_date"]),
        row("出生地点", p["birth_country"] + " " + p["birth_province"] + " " + p["birth_city"]),
        row("手机号码 / 电子邮箱", p["mobile"] + " / " + p["email"]),
        row("职务 / 连续工作(月)", p["position"] + " / " + p["months_employed"]),
        row("护照号码 / 种类", p["passport_number"] + " / " + p["passport_type"]),
        row("签发日期 / 失效日期", p["issue_date"] + " / " + p["expiry_date"]),
        row("签发机关 / 地点", p["issuing_authority"] + " / " + p["issue_place"]),
        rx.cond(p["history"] != "", row("曾用护照", p["history"]), rx.fragment()),
        padding="12px",
        border="1px solid #ebeef5",
        border_radius="8px",
        margin_bottom="8px",
        width="100%",
    )


def review_page() -> rx.Component:
    return page_frame(
        rx.cond(
            R.found,
            rx.vstack(
                card(
                    rx.hstack(
                        rx.heading("申请单 ", R.number, size="5"),
                        rx.badge(R.status, size="2"),
                        rx.spacer(),
                        rx.button("打印申请表（PDF）", variant="outline", on_click=R.download_pdf, loading=R.pdf_busy),
                        rx.link("返回审核工作台", href="/staff"),
                        align="center",
                        width="100%",
                    ),
                    row("业务类型 / 办理机构", R.business_type + " / " + R.institution),
                    row("企业", R.enterprise["name"] + "（" + R.enterprise["uscc"] + "）"),
                    rx.cond(
                        R.parent_number != "",
                        rx.fragment(
                            row("原申请单", R.parent_number),
                            rx.foreach(R.followup_rows, lambda r: row(r[0], r[1])),
                        ),
                        rx.fragment(
                            row("团组名称", R.group.get("group_name", "")),
                            row("联系人", R.group.get("contact_name", "") + " " + R.group.get("contact_phone", "")),
                            row("上年度进出口贸易额（人民币万元）", R.unit.get("trade", "")),
                            row("员工人数", R.unit.get("staff_count", "")),
                        ),
                    ),
                    width="100%",
                ),
                rx.cond(
                    R.rule_misses.length() > 0,
                    card(
                        rx.heading("未满足的申办条件", size="4"),
                        rx.foreach(R.rule_misses, lambda m: rx.text("• " + m, color=AMBER)),
                        width="100%",
                        role="region",
                        aria_label="未满足的申办条件",
                    ),
                    rx.fragment(),
                ),
                card(actions(), width="100%"),
                card(
                    rx.heading("人员信息", size="4", margin_bottom="8px"),
                    rx.foreach(R.people, person_block),
                    width="100%",
                ),
                card(
                    rx.heading("材料", size="4"),
                    rx.hstack(
                        rx.foreach(
                            R.documents,
                            lambda d: rx.vstack(
                                rx.cond(
                                    d["image"] != "",
                                    rx.el.button(
                                        rx.image(
                                            src=d["url"],
                                            alt=d["label"],
                                            width="120px",
                                            height="90px",
                                            object_fit="cover",
                                        ),
                                        type="button",
                                        aria_label="放大查看" + d["label"],
                                        on_click=R.zoom(d["url"]),
                                        padding="0",
                                        border="none",
                                        background="none",
                                        cursor="zoom-in",
                                    ),
                                    rx.fragment(),
                                ),
                                rx.link(
                                    d["label"] + "：" + d["name"], href=d["url"], is_external=True, font_size="12px"
                                ),
                                align="center",
                            ),
                        ),
                        wrap="wrap",
                        spacing="4",
                    ),
                    width="100%",
                ),
                rx.cond(R.decisions.length() > 0, card(decisions(), width="100%"), rx.fragment()),
                card(
                    rx.heading("缴费记录", size="4"),
                    rx.foreach(
                        R.payments,
                        lambda p: rx.text(p["time"] + " " + p["amount"] + " " + p["status"] + " " + p["reason"]),
                    ),
                    width="100%",
                ),
                card(
                    rx.heading("办理记录", size="4"),
                    rx.foreach(
                        R.history,
                        lambda e: rx.text(
                            e["time"] + " " + e["from"] + " → " + e["to"] + " " + e["actor"] + " " + e["reason"],
                            font_size="13px",
                        ),
                    ),
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            card(
                rx.heading("未找到申请单", size="5"),
                rx.text("该申请单不存在或不属于您的机构。"),
                rx.link("返回审核工作台", href="/staff"),
            ),
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title("材料大图", class_name="sr-only"),
                rx.image(src=R.zoom_url, alt="材料大图", width="100%"),
                rx.button("关闭", on_click=R.close_zoom, margin_top="8px"),
                max_width="90vw",
            ),
            open=R.zoom_url != "",
        ),
        signed_in_page=True,
        width="1300px",
    )
