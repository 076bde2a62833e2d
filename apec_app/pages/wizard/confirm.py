"""Step 4 信息确认 (manual 1.2.1 step 7): everything entered, grouped as the form is, each module with 【修改】 that
opens its part of the form; that step's 【保存】 comes straight back here."""

from __future__ import annotations

import reflex as rx

from apec_app.components.form_parts import document_summary, module, summary_row
from apec_app.domain.people_import import LABELS
from apec_app.pages.wizard.state import WizardState as W
from apec_app.ui_text.forms import GROUP_LINES, PERSON_DOC_LABELS, UNIT_LINES

# Every typed field of a person in the form's order; 出生国家/省份/城市 make one line, 出生地点, as in the manual.
BIRTH_PLACE = ("birth_country", "birth_province", "birth_city")
PERSON_KEYS = [k for k in LABELS if k not in BIRTH_PLACE]
PERSON_KEYS.insert(PERSON_KEYS.index("birth_date") + 1, "birth_place")


def _birth_place(p) -> rx.Var:
    joined = p["birth_country"]
    for key in ("birth_province", "birth_city"):
        joined = joined + rx.cond(p[key] != "", " / " + p[key], "")
    return joined


def person_summary(p, i) -> rx.Component:
    number = (i + 1).to_string()
    rows = [
        summary_row("出生地点", _birth_place(p)) if key == "birth_place" else summary_row(LABELS[key], p[key])
        for key in PERSON_KEYS
    ]
    docs = [document_summary(W, label, p[kind + "_doc"], p[kind + "_name"]) for kind, label in PERSON_DOC_LABELS]
    return module(W, "人员信息" + number, 2, *rows, *docs, anchor="person-" + number)


def step_confirm() -> rx.Component:
    U, G, D = W.unit, W.group, W.delivery
    return rx.vstack(
        rx.heading("信息确认", size="4"),
        module(W, "单位信息", 1, *[summary_row(label, U.get(key, "")) for label, key in UNIT_LINES], anchor="unit"),
        module(
            W,
            "上传材料",
            1,
            rx.foreach(
                W.material_rows,
                lambda m: document_summary(
                    W, m["name"], W.materials.get("m" + m["id"], ""), W.materials.get("m" + m["id"] + "_name", "")
                ),
            ),
            rx.cond(W.material_rows.length() == 0, rx.text("本业务无需上传材料"), rx.fragment()),
            anchor="materials",
        ),
        module(
            W,
            "团组信息",
            2,
            *[summary_row(label, G.get(key, "")) for label, key in GROUP_LINES],
            summary_row("人员数量", W.people.length().to_string() + " 人"),
            anchor="group",
        ),
        rx.foreach(W.people, person_summary),
        module(
            W,
            "取卡方式",
            3,
            summary_row("取卡方式", rx.match(D.get("method", ""), ("mail", "邮寄"), ("pickup", "自取"), "")),
            rx.foreach(
                W.pickup_rows,
                lambda r: rx.cond(
                    r["id"] == D.get("pickup_point_id", ""),
                    summary_row("代办点", r["name"] + "（" + r["address"] + "，" + r["hours"] + "）"),
                    rx.fragment(),
                ),
            ),
            rx.foreach(
                W.address_rows,
                lambda a: rx.cond(
                    a["id"] == D.get("address_id", ""), summary_row("邮寄地址", a["text"]), rx.fragment()
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )
