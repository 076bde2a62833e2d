"""收银台 page."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import RED, general_error, primary_button
from apec_app.components.layout import card, page_frame
from apec_app.components.upload import upload_zone
from apec_app.states.cashier import CashierState as C


def cashier_page() -> rx.Component:
    return page_frame(
        rx.cond(
            C.found,
            card(
                rx.heading("收银台", size="6"),
                rx.text("申请单号：", C.number, margin_top="8px"),
                rx.hstack(
                    rx.text("应付金额："),
                    rx.text(C.amount, color=RED, font_size="22px", font_weight="700"),
                    align="center",
                ),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(*[rx.table.column_header_cell(h) for h in ("费用项目", "单价", "人数", "小计")])
                    ),
                    rx.table.body(
                        rx.foreach(
                            C.lines,
                            lambda line: rx.table.row(
                                rx.table.cell(line["label"]),
                                rx.table.cell(line["per"]),
                                rx.table.cell(line["people"]),
                                rx.table.cell(line["total"]),
                            ),
                        )
                    ),
                    width="100%",
                    margin_y="12px",
                ),
                rx.heading("收款账户", size="4"),
                rx.text("收款单位：", C.bank["account_name"]),
                rx.text("开户银行：", C.bank["bank"]),
                rx.text("账号：", C.bank["account_number"]),
                rx.heading("上传支付凭证", size="4", margin_top="16px"),
                upload_zone(
                    "点击或拖拽上传支付凭证（jpg、jpeg、png、pdf，小于5M）",
                    label="支付凭证",
                    id="voucher",
                    on_drop=C.upload_voucher(rx.upload_files(upload_id="voucher")),
                    max_files=1,
                    multiple=False,
                    border="1px dashed #c0c4cc",
                    padding="12px",
                ),
                rx.cond(
                    C.voucher_name != "",
                    rx.text("已上传：", C.voucher_name, color="green", font_size="13px"),
                    rx.fragment(),
                ),
                general_error(C.error),
                rx.hstack(primary_button("提交", on_click=C.submit), justify="center", margin_top="16px"),
            ),
            card(
                rx.heading("无需缴费", size="5"),
                rx.text("该申请单不存在或当前无需缴费。"),
                rx.link("返回我的申请单", href="/user"),
            ),
        ),
        signed_in_page=True,
        scope=C,
    )
