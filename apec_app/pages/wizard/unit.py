"""Step 1 单位信息: the enterprise's fields (名称 and 统一社会信用代码 from the account) and 上传材料 as configured."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import select_input, text_input, warning_line
from apec_app.components.form_parts import dropzone, material_row
from apec_app.domain.enterprise import INDUSTRIES, NATURES
from apec_app.pages.wizard.state import WizardState as W


def unit_text(key: str, label: str, **kwargs) -> rx.Component:
    return rx.fragment(_unit_text(key, label, **kwargs), warning_line(W.warnings.get(f"unit.{key}", "")))


def _unit_text(key: str, label: str, **kwargs) -> rx.Component:
    return text_input(
        f"unit-{key}",
        label,
        W.errors.get(f"unit.{key}", ""),
        default_value=W.unit.get(key, ""),
        on_save=lambda v: W.set_field("unit", key, v),
        **kwargs,
    )


def unit_select(key: str, label: str, options) -> rx.Component:
    return select_input(
        f"unit-{key}",
        label,
        options,
        W.errors.get(f"unit.{key}", ""),
        default_value=W.unit.get(key, ""),
        on_change=lambda v: W.set_field("unit", key, v),
    )


# Upload zones are their own React components: the dropzone hook must not be hoisted out of rx.foreach.
@rx.memo
def material_dropzone(material_id: rx.Var[str], upload_id: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    return dropzone(upload_id, W.upload_material(rx.upload_files(upload_id=upload_id), material_id), None, label)


def step_unit() -> rx.Component:
    return rx.vstack(
        rx.heading("单位信息", size="4", id="unit"),
        unit_text("name", "名称", read_only=True),
        unit_text("uscc", "统一社会信用代码", read_only=True),
        unit_text("reg_address", "注册地"),
        unit_text("phone", "联系电话"),
        unit_select("nature", "性质", NATURES),
        unit_select("industry", "所属行业", INDUSTRIES),
        unit_text("staff_count", "员工人数", type="number"),
        unit_text("founded", "成立日期", type="date"),
        unit_text("capital", "注册资金（人民币万元）"),
        unit_text("assets", "上年度资产总额（人民币万元）"),
        unit_text("revenue", "上年度营业额（人民币万元）"),
        unit_text("tax", "上年度应纳税额（人民币万元）"),
        unit_text("debt_ratio", "上年度负债率（%）"),
        unit_text("trade", "上年度进出口贸易额（人民币万元）"),
        unit_text("scope", "经营范围"),
        unit_text("apec_relations", "与APEC经济体来往情况"),
        rx.heading("上传材料", size="4", margin_top="16px", id="materials"),
        warning_line(W.warnings.get("materials", "")),
        rx.foreach(W.material_rows, lambda m: material_row(W, material_dropzone, m)),
        spacing="3",
        width="100%",
    )
