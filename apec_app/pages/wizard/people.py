"""Step 2 团组信息: the group's fields and each person (人员信息1 …), with 批量导入."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from apec_app.components.deferred import deferred
from apec_app.components.fields import (
    MUTED,
    RED,
    autosave,
    field_error,
    field_label,
    form_row,
    select_input,
    text_input,
    warning_line,
)
from apec_app.components.form_parts import JPEG, PINYIN_HINT, PINYIN_PROVINCES, dropzone, upload_status
from apec_app.domain import people_import
from apec_app.domain.application_form import CHECKED_ON_LEAVE
from apec_app.domain.enterprise import PROVINCES
from apec_app.domain.person import PASSPORT_TYPES
from apec_app.domain.regions import provinces
from apec_app.pages.wizard.options import city_options
from apec_app.pages.wizard.state import WizardState as W


@rx.memo
def person_dropzone(kind: rx.Var[str], index: rx.Var[int], upload_id: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    return dropzone(upload_id, W.upload_person_doc(rx.upload_files(upload_id=upload_id), kind, index), JPEG, label)


def group_text(key: str, label: str) -> rx.Component:
    return text_input(
        f"group-{key}",
        label,
        W.errors.get(f"group.{key}", ""),
        default_value=W.group.get(key, ""),
        on_save=lambda v: W.set_field("group", key, v),
    )


@dataclass(frozen=True)
class Card:
    """What one person card renders from: its memo component's props, never the page's state, so that a save
    re-renders no card whose props did not change (30 cards are 634 inputs)."""

    p: rx.Var
    i: rx.Var
    errors: rx.Var
    warnings: rx.Var
    preview_urls: rx.Var  # the names file_preview reads
    preview_images: rx.Var

    def id(self, key: str):
        return "p" + self.i.to_string() + "-" + key

    def error(self, key: str):
        return self.errors.get("people." + self.i.to_string() + "." + key, "")

    def warning(self, key: str):
        return self.warnings.get("people." + self.i.to_string() + "." + key, "")


def person_text(c: Card, key: str, label: str, *, required: bool = True, type: str = "text", hint: str | None = None):
    """Saved while typing; 身份证号 and the other fields in CHECKED_ON_LEAVE are also checked on leaving them."""
    i = c.i
    return text_input(
        c.id(key),
        label,
        c.error(key),
        default_value=c.p[key],
        required=required,
        type=type,
        hint=hint,
        on_save=lambda v: W.set_person(i, key, v),
        on_leave=(lambda v: W.leave_person(i, key, v)) if key in CHECKED_ON_LEAVE else None,
    )


def person_select(c: Card, key: str, label: str, options) -> rx.Component:
    i = c.i
    return select_input(
        c.id(key), label, options, c.error(key), default_value=c.p[key], on_change=lambda v: W.set_person(i, key, v)
    )


def person_radio(c: Card, key: str, label: str, options: list[str]) -> rx.Component:
    i = c.i
    return form_row(
        label,
        rx.radio_group.root(
            rx.hstack(
                *[
                    rx.el.label(rx.radio_group.item(value=o), o, display="flex", gap="6px", align_items="center")
                    for o in options
                ],
                spacing="4",
            ),
            default_value=c.p[key],
            on_change=lambda v: W.set_person(i, key, v),
            aria_label=label,
            id=c.id(key),
        ),
        c.error(key),
        html_for=c.id(key),
    )


def person_upload(c: Card, kind: str, label: str, hint: str) -> rx.Component:
    uid = "up-" + kind + "-" + c.i.to_string()
    return rx.hstack(
        field_label(label, uid),
        upload_status(
            c,
            person_dropzone(kind=kind, index=c.i, upload_id=uid, label=label),
            c.p[kind + "_name"],
            c.error(kind + "_doc"),
            hint,
            c.p[kind + "_doc"],
            label,
        ),
        spacing="3",
        width="100%",
        align="start",
        class_name="form-row",
    )


@rx.memo
def person_card(
    p: rx.Var[dict[str, str]],
    i: rx.Var[int],
    count: rx.Var[int],
    pinyin: rx.Var[str],
    errors: rx.Var[dict[str, str]],
    warnings: rx.Var[dict[str, str]],
    preview_urls: rx.Var[dict[str, str]],
    preview_images: rx.Var[dict[str, str]],
    rest: rx.RestProp,
) -> rx.Component:
    c = Card(p, i, errors, warnings, preview_urls, preview_images)
    return rx.box(
        rest,  # the call's `key`
        rx.hstack(
            rx.heading("人员信息" + (i + 1).to_string(), size="3"),
            rx.spacer(),
            rx.cond(
                count > 1,
                rx.button(
                    "删除人员",
                    variant="ghost",
                    color_scheme="red",
                    size="2",
                    min_height="44px",
                    on_click=W.remove_person(i),
                    aria_label="删除人员信息" + (i + 1).to_string(),
                ),
                rx.fragment(),
            ),
            width="100%",
        ),
        rx.vstack(
            person_upload(
                c,
                "passport_page",
                "申请人护照信息页彩色",
                "上传后系统会自动填入您的个人信息；支持jpg、jpeg格式，文件大小需小于5M",
            ),
            person_text(c, "surname", "姓"),
            person_text(c, "given_name", "名"),
            form_row(
                "姓名拼音",
                rx.input(
                    id=c.id("pinyin"),
                    aria_label="姓名拼音",
                    value=pinyin,
                    size="3",
                    width="100%",
                    placeholder="请输入姓名拼音",
                    # Controlled (it follows the Chinese name); saved while typing like every other field.
                    **autosave(lambda v: W.set_person(i, "pinyin", v)),
                ),
                c.error("pinyin"),
                html_for=c.id("pinyin"),
                hint=PINYIN_HINT,
            ),
            person_text(c, "former_name", "曾用名", required=False),
            person_text(c, "id_number", "身份证号"),
            warning_line(c.warning("id_number")),
            person_radio(c, "sex", "性别", ["男", "女"]),
            person_text(c, "birth_date", "出生日期", type="date"),
            person_select(c, "birth_country", "出生国家", ["中国", "其他"]),
            rx.cond(
                p["birth_country"] == "中国",
                rx.fragment(
                    person_select(c, "birth_province", "出生省份", provinces()),
                    # 台湾省, 香港 and 澳门 have no cities in the table: the province is the place.
                    rx.cond(
                        (city_options(p["birth_province"]).length() > 0) | (p["birth_province"] == ""),
                        person_select(c, "birth_city", "出生城市", city_options(p["birth_province"])),
                        rx.fragment(),
                    ),
                ),
                rx.fragment(),
            ),
            person_text(c, "home_address", "家庭住址"),
            person_text(c, "mobile", "手机号码"),
            person_text(c, "email", "电子邮箱"),
            person_select(c, "insured_place", "参保地", PROVINCES),
            person_text(c, "position", "职务"),
            person_text(c, "months_employed", "在所属单位连续工作时间(月)", type="number"),
            warning_line(c.warning("months_employed")),
            person_text(c, "passport_number", "护照号码"),
            person_select(c, "passport_type", "护照种类", PASSPORT_TYPES),
            person_text(c, "issue_date", "签发日期", type="date"),
            person_text(c, "expiry_date", "失效日期", type="date"),
            warning_line(c.warning("expiry_date")),
            person_text(c, "issuing_authority", "签发机关"),
            person_select(c, "issue_place", "签发地点", PINYIN_PROVINCES),
            person_select(c, "apec_visa", "是否有APEC经济体签证记录", ["是", "否"]),
            person_text(c, "residence", "居留国家或地区"),
            person_select(c, "old_card", "是否有旧APEC卡", ["是", "否"]),
            person_upload(
                c, "photo", "申请人照片", "图片长宽需在50*50-600*800像素之间，支持jpg、jpeg格式，文件大小需小于5M"
            ),
            person_upload(
                c,
                "signature",
                "申请人签名",
                "图片长宽需在50*50到600*300像素之间，支持jpg、jpeg格式，文件大小需小于5M",
            ),
            person_upload(c, "social_security", "社保证明", "支持jpg、jpeg格式，文件大小需小于5M"),
            person_upload(c, "no_criminal_record", "无犯罪记录证明", "支持jpg、jpeg格式，文件大小需小于5M"),
            spacing="3",
            width="100%",
        ),
        id="person-" + (i + 1).to_string(),
        border="1px solid #ebeef5",
        border_radius="8px",
        padding="16px",
        width="100%",
    )


FIRST_BUILT = 2  # cards built with the page; the rest follow one per task


def person(p, i) -> rx.Component:
    """One card, re-mounted (key) when the server changes what its inputs show; the cards after the first two
    are built after the page is shown (deferred), once, and stay built when they re-mount."""
    return deferred(
        person_card(
            p=p,
            i=i,
            count=W.people.length(),
            pinyin=W.pinyins[i],
            errors=W.errors,
            warnings=W.warnings,
            preview_urls=W.preview_urls,
            preview_images=W.preview_images,
            key=W.rev.to_string() + "-" + i.to_string(),
        ),
        index=i,
        first=FIRST_BUILT,
        label="人员信息" + (i + 1).to_string() + " 加载中…",
        key=i,
    )


XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"]}


def import_dialog() -> rx.Component:
    """批量导入: template, upload, and the report of every bad cell (the form is unchanged until a clean file)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("批量导入人员"),
            rx.dialog.description(
                "下载模板，每行填写一名人员（最多30人，含已添加的人员），保存后上传。文件中有任何错误时不会导入任何人员；"
                "照片、签名等材料导入后请在每名人员下上传。",
                font_size="13px",
                color="#606266",
            ),
            rx.hstack(
                rx.button("下载模板", variant="outline", on_click=W.download_template),
                dropzone(
                    "people-import",
                    W.upload_people(rx.upload_files(upload_id="people-import")),
                    XLSX,
                    "人员信息表",
                    max_bytes=people_import.MAX_BYTES,
                ),
                spacing="3",
                align="center",
                margin_y="12px",
            ),
            rx.cond(
                W.import_errors.length() > 0,
                rx.box(
                    rx.text("以下内容有误，未导入任何人员：", color=RED, font_size="14px", role="alert"),
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(*[rx.table.column_header_cell(h) for h in ("行", "列", "问题", "填写内容")])
                        ),
                        rx.table.body(
                            rx.foreach(
                                W.import_errors,
                                lambda e: rx.table.row(
                                    rx.table.cell(e["row"]),
                                    rx.table.cell(e["column"]),
                                    rx.table.cell(e["message"]),
                                    rx.table.cell(e["value"]),
                                ),
                            )
                        ),
                        size="1",
                    ),
                    max_height="320px",
                    overflow_y="auto",
                ),
                rx.fragment(),
            ),
            rx.hstack(
                rx.button("关闭", variant="soft", color_scheme="gray", on_click=W.close_import),
                justify="end",
                margin_top="12px",
            ),
            max_width="760px",
        ),
        open=W.import_open,
    )


def step_group() -> rx.Component:
    return rx.vstack(
        rx.heading("团组信息", size="4", id="group"),
        group_text("group_name", "团组名称"),
        group_text("contact_name", "联系人姓名"),
        group_text("contact_phone", "联系人电话"),
        group_text("reason", "申请事由"),
        rx.foreach(W.people, person),
        field_error(W.errors.get("people", "")),
        warning_line(W.warnings.get("people", "")),
        rx.hstack(
            rx.button("新增人员", variant="outline", on_click=W.add_person, disabled=W.people.length() >= 30),
            rx.button("批量导入", variant="outline", on_click=W.open_import),
            rx.text("已添加 ", W.people.length(), " 人，最多30人", font_size="13px", color=MUTED),
            align="center",
            spacing="3",
        ),
        spacing="4",
        width="100%",
    )
