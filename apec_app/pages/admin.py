"""后台设置 page (admins only): 机构信息, 材料设置, 申办须知, APEC经济体, 工作人员."""

from __future__ import annotations

import reflex as rx

from apec_app.components.confirm import confirm_dialog
from apec_app.components.fields import MUTED, RED, form_row, general_error, primary_button, text_input
from apec_app.components.layout import card, page_frame
from apec_app.components.lists import edit_delete
from apec_app.components.upload import upload_zone
from apec_app.domain.eligibility import RULE_KINDS
from apec_app.domain.lifecycle import BUSINESS_TYPES, PAID_TYPES
from apec_app.states.admin import CHANNEL_LABELS, ROLE_LABELS
from apec_app.states.admin import AdminSettingsState as S
from apec_app.ui_text import BUSINESS_TYPE_LABELS

TYPE_OPTIONS = [(t, BUSINESS_TYPE_LABELS[t]) for t in BUSINESS_TYPES]
PAID_TYPE_LIST = [t for t in BUSINESS_TYPES if t in PAID_TYPES]
SELECT_STYLE = {
    "width": "100%",
    "height": "40px",
    "padding": "0 8px",
    "border": "1px solid #c0c4cc",
    "border_radius": "6px",
    "background": "white",
    "font_size": "15px",
}


# --- small pieces -----------------------------------------------------------------------------------------


def choice_input(
    id: str,
    label: str,
    choices: list[rx.Component],
    error: rx.Var | str = "",
    *,
    name: str | None = None,
    default_value: rx.Var | str | None = None,
    value: rx.Var | str | None = None,
    on_change=None,
    placeholder: bool = True,
    required: bool = True,
) -> rx.Component:
    """A native select whose options have their own values (select_input uses the text as the value)."""
    props = {"default_value": default_value} if value is None else {"value": value}
    control = rx.el.select(
        *([rx.el.option(f"请选择{label}", value="")] if placeholder else []),
        *choices,
        id=id,
        name=name or id,
        aria_label=label,
        on_change=on_change,
        **props,
        **SELECT_STYLE,
    )
    return form_row(label, control, error, html_for=id, required=required)


def options(pairs: list[tuple[str, str]]) -> list[rx.Component]:
    return [rx.el.option(text, value=value) for value, text in pairs]


def institution_options(value_key: str) -> list[rx.Component]:
    return [rx.foreach(S.institutions, lambda i: rx.el.option(i["name"], value=i[value_key]))]


def table(headers: tuple[str, ...], rows, render, empty: str) -> rx.Component:
    return rx.fragment(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(rows, render)),
            width="100%",
            margin_top="12px",
        ),
        rx.cond(rows.length() == 0, rx.text(empty, color=MUTED, padding="16px 0"), rx.fragment()),
    )


def dialog_buttons(on_cancel) -> rx.Component:
    return rx.hstack(
        rx.button("取消", type="button", variant="soft", color_scheme="gray", on_click=on_cancel),
        primary_button("保存", type="submit"),
        justify="end",
        spacing="3",
        width="100%",
    )


def dialog(title, form: rx.Component, open_var: rx.Var, on_close, *extra: rx.Component) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            form,
            *extra,
            max_width="680px",
        ),
        open=open_var,
        on_open_change=lambda is_open: rx.cond(is_open, rx.noop(), on_close()),
    )


def section(title: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="4", as_="h2"),
        *children,
        spacing="3",
        width="100%",
        padding_top="16px",
    )


# --- 机构信息 ---------------------------------------------------------------------------------------------


def institution_form() -> rx.Component:
    E = S.inst_errors
    return rx.form(
        rx.vstack(
            text_input("inst-name", "机构名称", E.get("name", ""), name="name", default_value=S.inst.get("name", "")),
            text_input(
                "inst-phone",
                "联系电话",
                E.get("contact_phone", ""),
                name="contact_phone",
                default_value=S.inst.get("contact_phone", ""),
            ),
            text_input(
                "inst-address", "地址", E.get("address", ""), name="address", default_value=S.inst.get("address", "")
            ),
            text_input(
                "inst-bank",
                "开户银行",
                E.get("bank_name", ""),
                name="bank_name",
                default_value=S.inst.get("bank_name", ""),
            ),
            text_input(
                "inst-account-name",
                "账户名称",
                E.get("bank_account_name", ""),
                name="bank_account_name",
                default_value=S.inst.get("bank_account_name", ""),
            ),
            text_input(
                "inst-account-number",
                "银行账号",
                E.get("bank_account_number", ""),
                name="bank_account_number",
                default_value=S.inst.get("bank_account_number", ""),
            ),
            form_row(
                "取卡方式",
                rx.hstack(
                    rx.checkbox(
                        "允许自取",
                        id="inst-allow-pickup",
                        name="allow_pickup",
                        default_checked=S.inst.get("allow_pickup", "") == "1",
                    ),
                    rx.checkbox(
                        "允许邮寄",
                        id="inst-allow-mail",
                        name="allow_mail",
                        default_checked=S.inst.get("allow_mail", "") == "1",
                    ),
                    spacing="5",
                    padding_top="8px",
                    role="group",
                    aria_label="取卡方式",
                ),
                E.get("delivery", ""),
                html_for="inst-allow-pickup",
            ),
            general_error(E.get("", "")),
            rx.hstack(primary_button("保存机构信息", type="submit"), justify="end", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save_institution,
        reset_on_submit=False,
        key=S.inst_version.to_string(),
        width="100%",
    )


def fee_inputs(business_type: str) -> rx.Component:
    label = BUSINESS_TYPE_LABELS[business_type]
    E = S.fee_errors
    return rx.fragment(
        text_input(
            f"fee-card-{business_type}",
            f"{label}制卡费",
            E.get(f"card_fee.{business_type}", ""),
            name=f"card_fee.{business_type}",
            default_value=S.fees.get(f"card.{business_type}", ""),
            placeholder="如720.00",
            extra=rx.text("元/人，当前", S.fees.get(f"card_now.{business_type}", ""), white_space="nowrap"),
        ),
        rx.cond(
            S.inst.get("kind", "") != "ministry",
            text_input(
                f"fee-agency-{business_type}",
                f"{label}外办代办费",
                E.get(f"agency_fee.{business_type}", ""),
                name=f"agency_fee.{business_type}",
                default_value=S.fees.get(f"agency.{business_type}", ""),
                placeholder="如50.00",
                extra=rx.text("元/人，当前", S.fees.get(f"agency_now.{business_type}", ""), white_space="nowrap"),
            ),
            rx.fragment(),
        ),
    )


def fee_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(
                "按人收取，金额以元为单位，最多两位小数。修改后仅影响新打开的收银台页面，已提交的支付凭证金额不变。",
                color=MUTED,
                font_size="13px",
            ),
            *[fee_inputs(t) for t in PAID_TYPE_LIST],
            general_error(S.fee_errors.get("", "")),
            rx.hstack(primary_button("保存收费标准", type="submit"), justify="end", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save_fees,
        reset_on_submit=False,
        key=S.inst_version.to_string(),
        width="100%",
    )


def rule_input(kind) -> rx.Component:
    E = S.rule_errors  # noqa: N806
    if kind.value_type == "flag":
        return choice_input(
            f"rule-{kind.kind}",
            kind.label,
            [rx.el.option("不要求", value=""), rx.el.option("要求", value="1")],
            default_value=S.rules.get(kind.kind, ""),
            name=kind.kind,
            placeholder=False,
            required=False,
        )
    return text_input(
        f"rule-{kind.kind}",
        kind.label,
        E.get(kind.kind, ""),
        name=kind.kind,
        default_value=S.rules.get(kind.kind, ""),
        placeholder="不限",
        required=False,
    )


def rules_form() -> rx.Component:
    """申办条件: what the applicant's self-check and the form's warnings check (留空表示不限)."""
    return rx.form(
        rx.vstack(
            rx.text(
                "留空表示不限。申请人办理前可按这些条件自查；填表时不满足的条件会在相应栏目提示，审核时也会列出，"
                "但不阻止提交。",
                color=MUTED,
                font_size="13px",
            ),
            *[rule_input(k) for k in RULE_KINDS],
            general_error(S.rule_errors.get("", "")),
            rx.hstack(primary_button("保存申办条件", type="submit"), justify="end", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save_rules,
        reset_on_submit=False,
        key=S.inst_version.to_string(),
        width="100%",
    )


def point_row(p: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(p["name"]),
        rx.table.cell(p["address"]),
        rx.table.cell(p["hours"]),
        rx.table.cell(p["phone"]),
        rx.table.cell(edit_delete(S.open_edit_point(p["id"]), S.ask_confirm("delete_point", p["id"]))),
    )


def point_dialog() -> rx.Component:
    E = S.point_errors
    F = S.point_form
    return dialog(
        rx.cond(S.point_id > 0, "编辑代办点", "新增代办点"),
        rx.form(
            rx.vstack(
                text_input("point-name", "代办点名称", E.get("name", ""), name="name", default_value=F.get("name", "")),
                text_input(
                    "point-address", "地址", E.get("address", ""), name="address", default_value=F.get("address", "")
                ),
                text_input(
                    "point-hours",
                    "办公时间",
                    E.get("hours", ""),
                    name="hours",
                    default_value=F.get("hours", ""),
                    required=False,
                    placeholder="如：工作日 9:00-11:30，13:30-17:00",
                ),
                text_input(
                    "point-phone",
                    "联系电话",
                    E.get("phone", ""),
                    name="phone",
                    default_value=F.get("phone", ""),
                    required=False,
                ),
                general_error(E.get("", "")),
                dialog_buttons(S.close_point),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_point,
            reset_on_submit=False,
            key=S.point_version.to_string(),
        ),
        S.point_dialog,
        S.close_point,
    )


def institutions_tab() -> rx.Component:
    return rx.vstack(
        choice_input(
            "inst-select",
            "机构",
            institution_options("id"),
            value=S.inst_id.to_string(),
            on_change=S.pick_institution,
            placeholder=False,
        ),
        section("基本信息", institution_form()),
        section("收费标准", fee_form()),
        section("申办条件", rules_form()),
        section(
            "代办点",
            rx.hstack(
                rx.text("申请人选择自取时可选的代办点。", color=MUTED, font_size="13px"),
                rx.spacer(),
                primary_button("新增代办点", on_click=S.open_add_point),
                width="100%",
                align="center",
            ),
            table(("代办点名称", "地址", "办公时间", "联系电话", "操作"), S.points, point_row, "暂无代办点"),
        ),
        point_dialog(),
        spacing="3",
        width="100%",
    )


# --- 材料设置 ---------------------------------------------------------------------------------------------


def material_row(m: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(m["name"]), rx.text(m["hint"], color=MUTED, font_size="12px"), spacing="1")),
        rx.table.cell(m["channel_label"]),
        rx.table.cell(rx.cond(m["required"] != "", "必填", "选填")),
        rx.table.cell(m["accepted"]),
        rx.table.cell(
            rx.cond(
                m["example"] != "",
                rx.link("查看示例", href=m["example"], is_external=True, font_size="13px"),
                rx.text("无", color=MUTED),
            )
        ),
        rx.table.cell(edit_delete(S.open_edit_material(m["id"]), S.ask_confirm("delete_material", m["id"]))),
    )


def example_upload() -> rx.Component:
    return rx.cond(
        S.material_id > 0,
        rx.vstack(
            rx.heading("示例图片", size="3", as_="h3"),
            rx.cond(
                S.material_example != "",
                rx.hstack(
                    rx.image(src=S.material_example, alt="示例图片", max_height="160px", max_width="240px"),
                    rx.button(
                        "删除示例图片",
                        type="button",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=S.clear_example,
                    ),
                    align="end",
                    spacing="3",
                ),
                rx.text("尚未上传示例图片", color=MUTED, font_size="13px"),
            ),
            upload_zone(
                "点击或拖拽上传示例图片（jpg、jpeg、png，小于5M）",
                label="示例图片",
                id="material_example",
                on_drop=S.upload_example(rx.upload_files(upload_id="material_example")),
                max_files=1,
                multiple=False,
                border="1px dashed #c0c4cc",
                padding="12px",
                width="100%",
            ),
            rx.cond(
                S.material_errors.get("example_image", "") != "",
                rx.text(S.material_errors.get("example_image", ""), color=RED, font_size="13px", role="alert"),
                rx.fragment(),
            ),
            spacing="2",
            width="100%",
            margin_top="16px",
            padding_top="12px",
            border_top="1px solid #ebeef5",
        ),
        rx.text("保存材料后可上传示例图片。", color=MUTED, font_size="13px", margin_top="12px"),
    )


def material_dialog() -> rx.Component:
    E = S.material_errors
    F = S.material_form
    return dialog(
        rx.cond(S.material_id > 0, "编辑材料", "新增材料"),
        rx.form(
            rx.vstack(
                choice_input(
                    "material-type",
                    "业务类型",
                    options(TYPE_OPTIONS),
                    E.get("business_type", ""),
                    name="business_type",
                    default_value=F.get("business_type", ""),
                ),
                choice_input(
                    "material-channel",
                    "适用渠道",
                    options(list(CHANNEL_LABELS.items())),
                    E.get("channel", ""),
                    name="channel",
                    default_value=F.get("channel", ""),
                ),
                text_input(
                    "material-name", "材料名称", E.get("name", ""), name="name", default_value=F.get("name", "")
                ),
                text_input(
                    "material-hint",
                    "提示信息",
                    E.get("hint", ""),
                    name="hint",
                    default_value=F.get("hint", ""),
                    required=False,
                ),
                text_input(
                    "material-accepted",
                    "可接受格式",
                    E.get("accepted", ""),
                    name="accepted",
                    default_value=F.get("accepted", ""),
                    hint="可选jpg、jpeg、png、pdf，多个格式以逗号分隔",
                ),
                form_row(
                    "是否必填",
                    rx.checkbox(
                        "必填",
                        id="material-required",
                        name="required",
                        default_checked=F.get("required", "") == "1",
                        padding_top="8px",
                    ),
                    html_for="material-required",
                    required=False,
                ),
                general_error(E.get("", "")),
                dialog_buttons(S.close_material),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_material,
            reset_on_submit=False,
            key=S.material_version.to_string(),
        ),
        S.material_dialog,
        S.close_material,
        example_upload(),
    )


def materials_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.box(
                choice_input(
                    "material-filter",
                    "业务类型",
                    options(TYPE_OPTIONS),
                    value=S.material_type,
                    on_change=S.pick_material_type,
                    placeholder=False,
                ),
                width="420px",
            ),
            rx.spacer(),
            primary_button("新增材料", on_click=S.open_add_material),
            width="100%",
            align="center",
        ),
        rx.text(
            "材料显示在申请表“单位信息”步骤的上传材料中；适用渠道为直办的只对外交部直办企业显示，外办的只对经外办办理的企业显示。",
            color=MUTED,
            font_size="13px",
        ),
        table(
            ("材料名称", "适用渠道", "是否必填", "可接受格式", "示例图片", "操作"),
            S.materials,
            material_row,
            "暂无材料",
        ),
        material_dialog(),
        spacing="3",
        width="100%",
    )


# --- 申办须知 ---------------------------------------------------------------------------------------------


def notices_tab() -> rx.Component:
    return rx.vstack(
        choice_input(
            "notice-type",
            "业务类型",
            options(TYPE_OPTIONS),
            value=S.notice_type,
            on_change=S.pick_notice_type,
            placeholder=False,
        ),
        choice_input(
            "notice-institution",
            "适用机构",
            [rx.el.option("通用（外交部及未单独设置的机构）", value=""), *institution_options("id")],
            value=S.notice_inst,
            on_change=S.pick_notice_institution,
            placeholder=False,
        ),
        rx.form(
            rx.vstack(
                form_row(
                    "申办须知",
                    rx.text_area(
                        id="notice-text",
                        name="text",
                        aria_label="申办须知",
                        default_value=S.notice_text,
                        rows="16",
                        width="100%",
                        size="3",
                    ),
                    S.notice_errors.get("text", ""),
                    html_for="notice-text",
                    hint="最多20000字。为某一机构留空保存，将删除该机构的须知，改为显示通用须知。",
                ),
                general_error(S.notice_errors.get("", "")),
                rx.hstack(primary_button("保存申办须知", type="submit"), justify="end", width="100%"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_notice,
            reset_on_submit=False,
            key=S.notice_version.to_string(),
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


# --- APEC经济体 -------------------------------------------------------------------------------------------


def economy_row(e: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(e["code"]),
        rx.table.cell(e["name_zh"]),
        rx.table.cell(e["name_en"]),
        rx.table.cell(
            rx.switch(
                checked=e["transitional"] != "",
                on_change=lambda value: S.set_economy_transitional(e["code"], value),
                aria_label=e["name_zh"] + "过渡成员",
            )
        ),
        rx.table.cell(
            rx.switch(
                checked=e["active"] != "",
                on_change=lambda value: S.set_economy_active(e["code"], value),
                aria_label=e["name_zh"] + "启用",
            )
        ),
        rx.table.cell(
            rx.cond(
                e["deciding"] != "",
                rx.badge("参与", color_scheme="green", high_contrast=True),
                rx.badge("不参与", color_scheme="gray"),
            )
        ),
        rx.table.cell(rx.button("修改名称", size="1", variant="ghost", on_click=S.open_edit_economy(e["code"]))),
    )


def economy_dialog() -> rx.Component:
    return dialog(
        "修改经济体名称",
        rx.form(
            rx.vstack(
                rx.text(S.economy_form.get("name_en", ""), color="#606266"),
                text_input(
                    "economy-name",
                    "中文名称",
                    S.economy_errors.get("name_zh", ""),
                    name="name_zh",
                    default_value=S.economy_form.get("name_zh", ""),
                ),
                general_error(S.economy_errors.get("", "")),
                dialog_buttons(S.close_economy),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_economy,
            reset_on_submit=False,
            key=S.economy_version.to_string(),
        ),
        S.economy_dialog,
        S.close_economy,
    )


def economies_tab() -> rx.Component:
    return rx.vstack(
        rx.text(
            "中国为本经济体，过渡成员（目前为美国、加拿大）只提供快速通道、不作预审决定，停用的经济体不再显示。"
            "当前参与对中国申请人预审的经济体：",
            rx.text.strong(S.deciding_count),
            " 个。",
            color="#606266",
            font_size="14px",
        ),
        table(
            ("代码", "中文名称", "英文名称", "过渡成员", "启用", "参与预审", "操作"),
            S.economies,
            economy_row,
            "暂无经济体",
        ),
        economy_dialog(),
        spacing="3",
        width="100%",
    )


# --- 工作人员 ---------------------------------------------------------------------------------------------


def staff_row(s: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(s["username"]),
        rx.table.cell(s["name"]),
        rx.table.cell(s["role"]),
        rx.table.cell(s["institution"]),
        rx.table.cell(
            rx.cond(
                s["active"] != "",
                rx.badge("正常", color_scheme="green", high_contrast=True),
                rx.badge("已停用", color_scheme="gray"),
            )
        ),
        rx.table.cell(
            rx.cond(
                s["active"] != "",
                rx.button(
                    "停用",
                    size="1",
                    variant="ghost",
                    color_scheme="red",
                    on_click=S.ask_confirm("deactivate_staff", s["id"]),
                ),
                rx.button("启用", size="1", variant="ghost", on_click=S.activate_staff(s["id"])),
            )
        ),
    )


def staff_dialog() -> rx.Component:
    E = S.staff_errors
    F = S.staff_form
    return dialog(
        "新增工作人员",
        rx.form(
            rx.vstack(
                text_input(
                    "staff-username",
                    "用户名",
                    E.get("username", ""),
                    name="username",
                    default_value=F.get("username", ""),
                ),
                text_input("staff-name", "姓名", E.get("name", ""), name="name", default_value=F.get("name", "")),
                text_input(
                    "staff-password",
                    "密码",
                    E.get("password", ""),
                    name="password",
                    type="password",
                    autocomplete="new-password",
                    hint="8-64位，至少包含大写字母、小写字母、数字、特殊符号中的三种",
                ),
                choice_input(
                    "staff-role",
                    "角色",
                    options(list(ROLE_LABELS.items())),
                    E.get("role", ""),
                    name="role",
                    default_value=F.get("role", ""),
                ),
                choice_input(
                    "staff-institution",
                    "所属机构",
                    institution_options("code"),
                    E.get("institution", ""),
                    name="institution",
                    default_value=F.get("institution", ""),
                    required=False,
                ),
                rx.text(
                    "审核员须选择所属机构，只能审核该机构的申请单；管理员可管理全部机构。",
                    color=MUTED,
                    font_size="12px",
                ),
                general_error(E.get("", "")),
                dialog_buttons(S.close_staff),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save_staff,
            reset_on_submit=False,
            key=S.staff_version.to_string(),
        ),
        S.staff_dialog,
        S.close_staff,
    )


def staff_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(primary_button("新增工作人员", on_click=S.open_add_staff), width="100%", justify="end"),
        table(("用户名", "姓名", "角色", "所属机构", "状态", "操作"), S.staff_rows, staff_row, "暂无工作人员"),
        staff_dialog(),
        spacing="3",
        width="100%",
    )


# --- the page ---------------------------------------------------------------------------------------------


def settings_confirm_dialog() -> rx.Component:
    return confirm_dialog(
        "请确认", S.confirm_text, open=S.confirm_action != "", on_cancel=S.cancel_confirm, on_confirm=S.do_confirm
    )


def admin_settings_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("后台设置", size="6"),
            rx.tabs.root(
                rx.tabs.list(
                    rx.tabs.trigger("机构信息", value="institutions"),
                    rx.tabs.trigger("材料设置", value="materials"),
                    rx.tabs.trigger("申办须知", value="notices"),
                    rx.tabs.trigger("APEC经济体", value="economies"),
                    rx.tabs.trigger("工作人员", value="staff"),
                ),
                rx.tabs.content(rx.box(institutions_tab(), padding_top="20px"), value="institutions"),
                rx.tabs.content(rx.box(materials_tab(), padding_top="20px"), value="materials"),
                rx.tabs.content(rx.box(notices_tab(), padding_top="20px"), value="notices"),
                rx.tabs.content(rx.box(economies_tab(), padding_top="20px"), value="economies"),
                rx.tabs.content(rx.box(staff_tab(), padding_top="20px"), value="staff"),
                value=S.tab,
                on_change=S.set_tab,
                margin_top="12px",
            ),
        ),
        settings_confirm_dialog(),
        signed_in_page=True,
        width="1200px",
    )
