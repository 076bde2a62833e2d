"""APEC经济体审核结果 on the reviewer's application page: the matrix of decisions, one decision at a time (录入),
and a CSV file of many (预览, per-row errors, 确认导入)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.economy_matrix import economy_matrix
from apec_app.components.fields import RED, primary_button
from apec_app.components.upload import upload_zone
from apec_app.domain import decisions_csv
from apec_app.pages.staff_review.application_state import StaffReviewState as R


def _select(name: str, label: str, *options) -> rx.Component:
    return rx.el.select(*options, name=name, aria_label=label, height="32px")


def one_decision() -> rx.Component:
    return rx.form(
        rx.hstack(
            _select("person_id", "人员", rx.foreach(R.decision_people, lambda d: rx.el.option(d[1], value=d[0]))),
            _select(
                "economy", "经济体", rx.foreach(R.economy_names, lambda e: rx.el.option(e["name"], value=e["code"]))
            ),
            _select(
                "decision", "审核结果", rx.el.option("批准", value="approved"), rx.el.option("拒绝", value="refused")
            ),
            rx.input(type="date", name="decided_on", aria_label="审核日期"),
            rx.button("录入", type="submit"),
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        on_submit=R.decide,
        reset_on_submit=False,
    )


def csv_upload() -> rx.Component:
    return rx.hstack(
        upload_zone(
            "批量导入CSV：点击或拖拽上传",
            font_size="13px",
            label="经济体审核结果",
            max_bytes=decisions_csv.MAX_BYTES,
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
    )


def csv_errors() -> rx.Component:
    return rx.cond(
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
    )


def csv_progress(shown) -> rx.Component:
    """检查中… while a file is checked, 已处理 N / M 行 while it is imported (the work runs off the page's loop)."""
    return rx.cond(
        shown,
        rx.hstack(
            rx.spinner(size="1"),
            rx.text(R.csv_progress, font_size="13px", role="status", aria_live="polite"),
            spacing="2",
            align="center",
        ),
        rx.fragment(),
    )


def csv_preview() -> rx.Component:
    def line(r) -> rx.Component:
        parts = [r["line"], r["number"], r["passport"], r["economy"], r["decision"], r["date"]]
        text = parts[0]
        for part in parts[1:]:
            text = text + " " + part
        return rx.text(text, font_size="12px")

    return rx.cond(
        (R.csv_preview.length() > 0) & (R.csv_errors.length() == 0),
        rx.vstack(
            rx.text("预览（共 ", R.csv_preview.length(), " 条）：", font_size="13px"),
            rx.foreach(R.csv_preview, line),
            rx.hstack(
                primary_button(
                    rx.cond(R.csv_applying, "导入中…", "确认导入"), on_click=R.apply_csv, disabled=R.csv_busy
                ),
                csv_progress(R.csv_applying),
                align="center",
                spacing="3",
            ),
        ),
        rx.fragment(),
    )


def decisions_panel() -> rx.Component:
    return rx.vstack(
        rx.heading("APEC经济体审核结果", size="4"),
        economy_matrix(R.economy_headers, R.matrix, label="APEC经济体审核结果"),
        rx.cond(
            R.status_code == "economy_review",
            rx.vstack(
                one_decision(),
                csv_upload(),
                csv_progress(R.csv_busy & ~R.csv_applying),  # 检查中…
                csv_errors(),
                csv_preview(),
                spacing="3",
                width="100%",
            ),
            rx.fragment(),
        ),
        spacing="3",
        width="100%",
    )
