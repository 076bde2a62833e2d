"""The 新办/续办 form pages (manual 1.2.1 steps 4-7)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.delivery import delivery_step, summary_row
from apec_app.components.fields import (
    AUTOSAVE_MS,
    MUTED,
    RED,
    field_error,
    field_label,
    form_row,
    select_input,
    text_input,
    warning_line,
)
from apec_app.components.form_parts import (
    dropzone,
    loaded_form,
    material_row,
    module,
    ocr_dialog,
    saved_note,
    step_buttons,
    upload_status,
)
from apec_app.components.layout import card, page_frame
from apec_app.domain import people_import
from apec_app.domain.enterprise import INDUSTRIES, NATURES, PROVINCES
from apec_app.domain.person import PASSPORT_TYPES
from apec_app.domain.regions import provinces
from apec_app.pages.wizard_parts import PINYIN_PROVINCES, city_options
from apec_app.states.wizard import WizardState as W

JPEG = {"image/jpeg": [".jpg", ".jpeg"]}
STEPS = ["单位信息", "团组信息", "取卡方式", "信息确认"]


def progress() -> rx.Component:
    items = []
    for i, label in enumerate(STEPS, start=1):
        items.append(
            rx.hstack(
                rx.box(
                    str(i),
                    width="26px",
                    height="26px",
                    border_radius="50%",
                    text_align="center",
                    line_height="26px",
                    color="white",
                    font_size="13px",
                    background=rx.cond(W.step >= i, RED, "#c0c4cc"),
                ),
                rx.text(label, font_weight=rx.cond(W.step == i, "700", "400")),
                spacing="2",
                align="center",
                role="listitem",
                aria_current=rx.cond(W.step == i, "step", "false"),
            )
        )
    return rx.hstack(
        *items, spacing="6", justify="center", margin_bottom="20px", role="list", aria_label="办理进度", wrap="wrap"
    )


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


@rx.memo
def person_dropzone(kind: rx.Var[str], index: rx.Var[int], upload_id: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    return dropzone(upload_id, W.upload_person_doc(rx.upload_files(upload_id=upload_id), kind, index), JPEG, label)


def step_unit() -> rx.Component:
    return rx.vstack(
        rx.heading("单位信息", size="4"),
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
        rx.heading("上传材料", size="4", margin_top="16px"),
        warning_line(W.warnings.get("materials", "")),
        rx.foreach(W.material_rows, lambda m: material_row(W, material_dropzone, m)),
        spacing="3",
        width="100%",
    )


def group_text(key: str, label: str) -> rx.Component:
    return text_input(
        f"group-{key}",
        label,
        W.errors.get(f"group.{key}", ""),
        default_value=W.group.get(key, ""),
        on_save=lambda v: W.set_field("group", key, v),
    )


def _pid(i, key: str):
    return "p" + i.to_string() + "-" + key


def _perr(i, key: str):
    return W.errors.get("people." + i.to_string() + "." + key, "")


def person_text(p, i, key: str, label: str, *, required: bool = True, type: str = "text", hint: str | None = None):
    return text_input(
        _pid(i, key),
        label,
        _perr(i, key),
        default_value=p[key],
        required=required,
        type=type,
        hint=hint,
        on_save=lambda v: W.set_person(i, key, v),
    )


def person_select(p, i, key: str, label: str, options) -> rx.Component:
    return select_input(
        _pid(i, key), label, options, _perr(i, key), default_value=p[key], on_change=lambda v: W.set_person(i, key, v)
    )


def person_radio(p, i, key: str, label: str, options: list[str]) -> rx.Component:
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
            value=p[key],
            on_change=lambda v: W.set_person(i, key, v),
            aria_label=label,
            id=_pid(i, key),
        ),
        _perr(i, key),
        html_for=_pid(i, key),
    )


def person_upload(p, i, kind: str, label: str, hint: str) -> rx.Component:
    uid = "up-" + kind + "-" + i.to_string()
    return rx.hstack(
        field_label(label, uid),
        upload_status(
            person_dropzone(kind=kind, index=i, upload_id=uid, label=label),
            p[kind + "_name"],
            _perr(i, kind + "_doc"),
            hint,
        ),
        spacing="3",
        width="100%",
        align="start",
    )


def person_card(p, i) -> rx.Component:
    warning = W.warnings.get("people." + i.to_string() + ".expiry_date", "")
    id_warning = W.warnings.get("people." + i.to_string() + ".id_number", "")
    months_warning = W.warnings.get("people." + i.to_string() + ".months_employed", "")
    return rx.box(
        rx.hstack(
            rx.heading("人员信息" + (i + 1).to_string(), size="3"),
            rx.spacer(),
            rx.cond(
                W.people.length() > 1,
                rx.button("删除人员", variant="ghost", color_scheme="red", size="1", on_click=W.remove_person(i)),
                rx.fragment(),
            ),
            width="100%",
        ),
        rx.vstack(
            person_upload(
                p,
                i,
                "passport_page",
                "申请人护照信息页彩色",
                "上传后系统会自动填入您的个人信息；支持jpg、jpeg格式，文件大小需小于5M",
            ),
            person_text(p, i, "surname", "姓"),
            person_text(p, i, "given_name", "名"),
            form_row(
                "姓名拼音",
                rx.input(
                    id=_pid(i, "pinyin"),
                    aria_label="姓名拼音",
                    value=p["pinyin"],
                    size="3",
                    width="100%",
                    placeholder="请输入姓名拼音",
                    # Controlled (it follows the Chinese name); saved while typing like every other field.
                    on_change=lambda v: [W.type_pinyin(i, v), W.set_person(i, "pinyin", v).debounce(AUTOSAVE_MS)],
                    on_blur=lambda v: W.set_person(i, "pinyin", v),
                ),
                _perr(i, "pinyin"),
                html_for=_pid(i, "pinyin"),
                hint="请检查姓名拼音是否正确，拼音姓和拼音名之间用空格隔开，多个拼音名之间不加空格",
            ),
            person_text(p, i, "former_name", "曾用名", required=False),
            person_text(p, i, "id_number", "身份证号"),
            warning_line(id_warning),
            person_radio(p, i, "sex", "性别", ["男", "女"]),
            person_text(p, i, "birth_date", "出生日期", type="date"),
            person_select(p, i, "birth_country", "出生国家", ["中国", "其他"]),
            rx.cond(
                p["birth_country"] == "中国",
                rx.fragment(
                    person_select(p, i, "birth_province", "出生省份", provinces()),
                    person_select(p, i, "birth_city", "出生城市", city_options(p["birth_province"])),
                ),
                rx.fragment(),
            ),
            person_text(p, i, "home_address", "家庭住址"),
            person_text(p, i, "mobile", "手机号码"),
            person_text(p, i, "email", "电子邮箱"),
            person_select(p, i, "insured_place", "参保地", PROVINCES),
            person_text(p, i, "position", "职务"),
            person_text(p, i, "months_employed", "在所属单位连续工作时间(月)", type="number"),
            warning_line(months_warning),
            person_text(p, i, "passport_number", "护照号码"),
            person_select(p, i, "passport_type", "护照种类", PASSPORT_TYPES),
            person_text(p, i, "issue_date", "签发日期", type="date"),
            person_text(p, i, "expiry_date", "失效日期", type="date"),
            warning_line(warning),
            person_text(p, i, "issuing_authority", "签发机关"),
            person_select(p, i, "issue_place", "签发地点", PINYIN_PROVINCES),
            person_select(p, i, "apec_visa", "是否有APEC经济体签证记录", ["是", "否"]),
            person_text(p, i, "residence", "居留国家或地区", required=False),
            person_select(p, i, "old_card", "是否有旧APEC卡", ["是", "否"]),
            person_upload(
                p, i, "photo", "申请人照片", "图片长宽需在50*50-600*800像素之间，支持jpg、jpeg格式，文件大小需小于5M"
            ),
            person_upload(
                p,
                i,
                "signature",
                "申请人签名",
                "图片长宽需在50*50到600*300像素之间，支持jpg、jpeg格式，文件大小需小于5M",
            ),
            person_upload(p, i, "social_security", "社保证明", "支持jpg、jpeg格式，文件大小需小于5M"),
            person_upload(p, i, "no_criminal_record", "无犯罪记录证明", "支持jpg、jpeg格式，文件大小需小于5M"),
            spacing="3",
            width="100%",
        ),
        key=W.rev.to_string() + "-" + i.to_string(),
        border="1px solid #ebeef5",
        border_radius="8px",
        padding="16px",
        width="100%",
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
        rx.heading("团组信息", size="4"),
        group_text("group_name", "团组名称"),
        group_text("contact_name", "联系人姓名"),
        group_text("contact_phone", "联系人电话"),
        group_text("reason", "申请事由"),
        rx.foreach(W.people, person_card),
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


def person_summary(p, i) -> rx.Component:
    return rx.vstack(
        rx.text("人员信息" + (i + 1).to_string(), font_weight="600", margin_top="8px"),
        summary_row("姓名", p["surname"] + p["given_name"]),
        summary_row("姓名拼音", p["pinyin"]),
        summary_row("身份证号", p["id_number"]),
        summary_row("性别 / 出生日期", p["sex"] + " / " + p["birth_date"]),
        summary_row("手机号码 / 电子邮箱", p["mobile"] + " / " + p["email"]),
        summary_row("护照号码 / 种类", p["passport_number"] + " / " + p["passport_type"]),
        summary_row("签发日期 / 失效日期", p["issue_date"] + " / " + p["expiry_date"]),
        summary_row("职务", p["position"]),
        spacing="1",
        width="100%",
    )


def step_confirm() -> rx.Component:
    U, G = W.unit, W.group
    return rx.vstack(
        module(
            W,
            "单位信息",
            1,
            summary_row("名称", U.get("name", "")),
            summary_row("统一社会信用代码", U.get("uscc", "")),
            summary_row("注册地", U.get("reg_address", "")),
            summary_row("联系电话", U.get("phone", "")),
            summary_row("性质 / 所属行业", U.get("nature", "") + " / " + U.get("industry", "")),
            summary_row("员工人数", U.get("staff_count", "")),
            summary_row("上年度进出口贸易额（人民币万元）", U.get("trade", "")),
        ),
        module(
            W,
            "团组信息",
            2,
            summary_row("团组名称", G.get("group_name", "")),
            summary_row("联系人", G.get("contact_name", "") + " " + G.get("contact_phone", "")),
            summary_row("申请事由", G.get("reason", "")),
            rx.foreach(W.people, person_summary),
        ),
        module(
            W,
            "取卡方式",
            3,
            summary_row("取卡方式", rx.cond(W.delivery.get("method", "") == "mail", "邮寄", "自取")),
            rx.foreach(
                W.pickup_rows,
                lambda r: rx.cond(
                    r["id"] == W.delivery.get("pickup_point_id", ""), summary_row("代办点", r["name"]), rx.fragment()
                ),
            ),
            rx.foreach(
                W.address_rows,
                lambda a: rx.cond(
                    a["id"] == W.delivery.get("address_id", ""), summary_row("邮寄地址", a["text"]), rx.fragment()
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )


def wizard_page() -> rx.Component:
    return page_frame(
        rx.text(
            "APEC商务旅行卡首页 > 新办/续办 > 在线办理",
            color=MUTED,
            font_size="13px",
            margin_bottom="8px",
            id="wizard-top",
        ),
        rx.cond(
            ~W.found,
            card(
                rx.heading("未找到申请单", size="5"),
                rx.text("该申请单不存在或您无权查看。"),
                rx.link("返回我的申请单", href="/user"),
            ),
            rx.fragment(),
        ),
        rx.cond(
            W.found,
            card(
                progress(),
                rx.hstack(
                    rx.text("办理机构：", W.institution_name, font_size="13px", color="#606266"),
                    rx.cond(W.number != "", rx.text("申请单号：", W.number, font_size="13px"), rx.fragment()),
                    rx.spacer(),
                    saved_note(W),
                    width="100%",
                    margin_bottom="12px",
                ),
                rx.cond(W.busy != "", rx.callout(W.busy, icon="loader", margin_bottom="12px"), rx.fragment()),
                loaded_form(
                    W,
                    rx.match(
                        W.step,
                        (1, step_unit()),
                        (2, step_group()),
                        (3, delivery_step(W)),
                        (4, step_confirm()),
                        rx.fragment(),
                    ),
                ),
                step_buttons(W, 4),
            ),
            rx.fragment(),
        ),
        ocr_dialog(W, holder_fields=True, expiry_label="失效日期"),
        import_dialog(),
        signed_in_page=True,
        scope=W,
        width="1100px",
    )
