"""机构信息 tab: one institution's 基本信息 (contact, bank account, allowed 取卡方式), 收费标准, 申办条件 and 代办点 —
four forms, each saved by its own button, for the institution chosen at the top."""

from __future__ import annotations

import reflex as rx

from apec_app.components.choice import choice_input
from apec_app.components.confirm import confirm_dialog
from apec_app.components.fields import MUTED, form_row, general_error, primary_button, text_input
from apec_app.components.form_dialog import dialog_buttons, form_dialog
from apec_app.components.lists import edit_delete
from apec_app.components.scoped import scoped
from apec_app.components.table import simple_table
from apec_app.domain.eligibility import RULE_KINDS
from apec_app.domain.fees import format_yuan
from apec_app.domain.lifecycle import BUSINESS_TYPES, PAID_TYPES
from apec_app.pages.admin.drafts import DraftsMixin
from apec_app.pages.admin.form_values import checked, text, to_int, yuan_input
from apec_app.services.applications import eligibility_rules
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.settings import back_office
from apec_app.services.settings.back_office import InstitutionForm, PickupPointForm
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import ADMIN, page_load, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import BUSINESS_TYPE_LABELS
from apec_app.ui_text.eligibility import describe_eligibility_error

PAID_TYPE_LIST = [t for t in BUSINESS_TYPES if t in PAID_TYPES]
INSTITUTION_FIELDS = ("name", "contact_phone", "address", "bank_name", "bank_account_name", "bank_account_number")
POINT_FIELDS = ("name", "address", "hours", "phone")
# The text fields of each form, as drafts and errors name them ("<form>:<field>").
DRAFT_FIELDS = {
    "institution": INSTITUTION_FIELDS,
    "fees": tuple(f"{part}.{t}" for t in PAID_TYPE_LIST for part in ("card_fee", "agency_fee")),
    "rules": tuple(k.kind for k in RULE_KINDS),
    "point": POINT_FIELDS,
}


class InstitutionsState(DraftsMixin, PageMixin, SessionState):
    institutions: list[dict[str, str]] = []
    inst_id: int = 0
    # The saved values of the chosen institution, by form field.
    inst: dict[str, str] = {}
    fees: dict[str, str] = {}  # "card_fee.<type>" / "agency_fee.<type>": 720.00
    fees_now: dict[str, str] = {}  # the same keys: ¥720.00
    rules: dict[str, str] = {}  # rule kind → threshold ("" = off)
    points: list[dict[str, str]] = []
    # Bumped whenever the server changes what the three institution forms show, so they re-mount.
    inst_version: int = 0
    # Messages of a refused save, keyed "<form>:<field>" ("fees:card_fee.new_renew"; "<form>:" for the form).
    errors: dict[str, str] = {}
    point_dialog: bool = False
    point_id: int = 0
    point_version: int = 0
    delete_point_id: int = 0
    delete_point_text: str = ""
    _saving: str = ""  # the form a save handler is saving: where a refusal's messages go

    keep_on_load = ("inst_id", "drafts", "inst_version", "point_dialog", "point_id", "point_version")

    # What the forms show: saved values, overlaid with what was typed and not saved.
    inst_shown: dict[str, str] = {}
    fees_shown: dict[str, str] = {}
    rules_shown: dict[str, str] = {}
    point_shown: dict[str, str] = {}

    def _derive(self) -> None:
        self._assign(
            inst_shown={**self.inst, **self._draft(f"institution:{self.inst_id}")},
            fees_shown={**self.fees, **self._draft(f"fees:{self.inst_id}")},
            rules_shown={**self.rules, **self._draft(f"rules:{self.inst_id}")},
            point_shown={**(self._point_row(self.point_id) or {}), **self._draft(self._point_key())},
        )

    # --- helpers -----------------------------------------------------------------------------------------------

    def _point_row(self, point_id) -> dict[str, str] | None:
        wanted = str(point_id)
        return next((p for p in self.points if p["id"] == wanted), None)

    def _point_key(self) -> str:
        return f"point:{self.inst_id}:{self.point_id or 'new'}"

    def _form_of(self, form: str) -> tuple[str, int, dict[str, str]]:
        """The draft key of `form` for the record on screen, the form's version and its saved values."""
        if form == "point":
            return self._point_key(), self.point_version, self._point_row(self.point_id) or {}
        saved = {"institution": self.inst, "fees": self.fees, "rules": self.rules}[form]
        return f"{form}:{self.inst_id}", self.inst_version, saved

    def _load_list(self, uow: UnitOfWork) -> None:
        rows = back_office.list_institutions(uow)
        self.institutions = [{"id": str(i.id), "code": i.code, "name": i.name, "kind": i.kind} for i in rows]
        if self.inst_id not in {i.id for i in rows}:
            self.inst_id = rows[0].id if rows else 0

    def _load_institution(self, uow: UnitOfWork) -> None:
        self.inst_version += 1
        if not self.inst_id:
            self.inst, self.fees, self.fees_now, self.rules, self.points = {}, {}, {}, {}, []
            return
        settings = back_office.institution_settings(uow, self.inst_id)
        i = settings.institution
        self.inst = {
            "kind": i.kind,
            "name": i.name,
            "contact_phone": i.contact_phone,
            "address": i.address,
            "bank_name": i.bank_name,
            "bank_account_name": i.bank_account_name,
            "bank_account_number": i.bank_account_number,
            "allow_pickup": "1" if i.allow_pickup else "",
            "allow_mail": "1" if i.allow_mail else "",
        }
        self.fees, self.fees_now = {}, {}
        for f in settings.fees:
            for part, fen in (("card_fee", f.card_fee_fen), ("agency_fee", f.agency_fee_fen)):
                self.fees[f"{part}.{f.business_type}"] = yuan_input(fen)
                self.fees_now[f"{part}.{f.business_type}"] = format_yuan(fen)
        self.points = [
            {"id": str(p.id), "name": p.name, "address": p.address, "hours": p.hours, "phone": p.phone}
            for p in settings.pickup_points
        ]
        self.rules = eligibility_rules.admin_form_values(uow, self.inst_id)

    def _saving_form(self, form: str) -> None:
        """A save of `form` begins: its old messages go; a refusal's messages will be put at it."""
        self._saving = form
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith(f"{form}:")}

    def _service_error(self, exc: ServiceError):
        if not isinstance(exc, InvalidInput) or not self._saving:
            return super()._service_error(exc)
        if self._saving == "rules":
            messages = {
                f.removeprefix("rule."): describe_eligibility_error(f.removeprefix("rule."), code)
                for f, code in exc.errors.items()
            }
        else:
            messages = self._errors(exc)
        self.errors = {**self.errors, **{f"{self._saving}:{field}": m for field, m in messages.items()}}
        return None

    # --- the tab -----------------------------------------------------------------------------------------------

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        self._load_list(uow)
        self._load_institution(uow)
        if self.point_id and self._point_row(self.point_id) is None:
            self.point_dialog, self.point_id = False, 0  # the 代办点 being edited is gone

    @requires(ADMIN)
    def pick_institution(self, uow: UnitOfWork, institution_id: str):
        chosen = to_int(institution_id)
        if chosen in {to_int(i["id"]) for i in self.institutions}:
            self.inst_id, self.errors = chosen, {}
            self._load_institution(uow)

    @requires(ADMIN)
    def keep_draft(self, uow: UnitOfWork, form: str, field: str, value: str, version: int):
        if field not in DRAFT_FIELDS.get(form, ()):
            return
        key, current, saved = self._form_of(form)
        if version == current:
            self._keep_draft(key, field, value, saved.get(field, ""))

    @requires(ADMIN)
    def save_institution(self, uow: UnitOfWork, form: dict):
        self._saving_form("institution")
        values = {k: text(form, k) for k in INSTITUTION_FIELDS}
        delivery = {"allow_pickup": checked(form, "allow_pickup"), "allow_mail": checked(form, "allow_mail")}
        back_office.update_institution(uow, self.inst_id, InstitutionForm(**values, **delivery))
        self._drop_draft(f"institution:{self.inst_id}")
        self._load_list(uow)  # the chooser shows the new name
        self._load_institution(uow)
        return rx.toast.success("机构信息已保存")

    @requires(ADMIN)
    def save_fees(self, uow: UnitOfWork, form: dict):
        self._saving_form("fees")
        fees = {t: (text(form, f"card_fee.{t}"), text(form, f"agency_fee.{t}")) for t in PAID_TYPE_LIST}
        back_office.update_fees(uow, self.inst_id, fees)
        self._drop_draft(f"fees:{self.inst_id}")
        self._load_institution(uow)
        return rx.toast.success("收费标准已保存，新的收银台页面将按新标准计费")

    @requires(ADMIN)
    def save_rules(self, uow: UnitOfWork, form: dict):
        self._saving_form("rules")
        eligibility_rules.update(uow, self.inst_id, {k.kind: text(form, k.kind) for k in RULE_KINDS})
        self._drop_draft(f"rules:{self.inst_id}")
        self._load_institution(uow)
        return rx.toast.success("申办条件已保存，申请人自查和填表时按新条件提示")

    # --- 代办点 ------------------------------------------------------------------------------------------------

    def _open_point(self, point_id: int) -> None:
        self.point_id, self.point_dialog = point_id, True
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith("point:")}
        self.point_version += 1

    @requires(ADMIN)
    def open_add_point(self, uow: UnitOfWork):
        self._open_point(0)

    @requires(ADMIN)
    def open_edit_point(self, uow: UnitOfWork, point_id: str):
        if self._point_row(point_id) is not None:
            self._open_point(to_int(point_id))

    @requires(ADMIN)
    def close_point(self, uow: UnitOfWork):
        """Escape or a click beside the dialog: what was typed stays for the next time it is opened."""
        self.point_dialog, self.point_id = False, 0

    @requires(ADMIN)
    def cancel_point(self, uow: UnitOfWork):
        """【取消】: what was typed is discarded."""
        self._drop_draft(self._point_key())
        self.point_dialog, self.point_id = False, 0

    @requires(ADMIN)
    def save_point(self, uow: UnitOfWork, form: dict):
        self._saving_form("point")
        values = PickupPointForm(**{k: text(form, k) for k in POINT_FIELDS})
        back_office.save_pickup_point(uow, self.inst_id, values, self.point_id or None)
        self._drop_draft(self._point_key())
        self.point_dialog, self.point_id = False, 0
        self._load_institution(uow)
        return rx.toast.success("代办点已保存")

    @requires(ADMIN)
    def ask_delete_point(self, uow: UnitOfWork, point_id: str):
        row = self._point_row(point_id)
        if row is not None:
            self.delete_point_id = to_int(point_id)
            self.delete_point_text = f"确定删除代办点“{row['name']}”吗？"

    @requires(ADMIN)
    def cancel_delete_point(self, uow: UnitOfWork):
        self.delete_point_id = 0

    @requires(ADMIN)
    def delete_point(self, uow: UnitOfWork):
        point_id, self.delete_point_id = self.delete_point_id, 0
        if not point_id:
            return None
        back_office.delete_pickup_point(uow, point_id)
        self._load_institution(uow)
        return rx.toast.success("代办点已删除")


S = InstitutionsState


# --- the page ---------------------------------------------------------------------------------------------------


def _error(form: str, field: str) -> rx.Var:
    return S.errors.get(f"{form}:{field}", "")


def _keep(form: str, field: str, version: rx.Var):
    return lambda value: S.keep_draft(form, field, value, version)


def section(title: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(rx.heading(title, size="4", as_="h2"), *children, spacing="3", width="100%", padding_top="16px")


def _inst_input(id: str, label: str, field: str) -> rx.Component:
    return text_input(
        id,
        label,
        _error("institution", field),
        name=field,
        default_value=S.inst_shown.get(field, ""),
        on_save=_keep("institution", field, S.inst_version),
    )


def institution_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _inst_input("inst-name", "机构名称", "name"),
            _inst_input("inst-phone", "联系电话", "contact_phone"),
            _inst_input("inst-address", "地址", "address"),
            _inst_input("inst-bank", "开户银行", "bank_name"),
            _inst_input("inst-account-name", "账户名称", "bank_account_name"),
            _inst_input("inst-account-number", "银行账号", "bank_account_number"),
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
                _error("institution", "delivery"),
                html_for="inst-allow-pickup",
            ),
            general_error(_error("institution", "")),
            rx.hstack(primary_button("保存机构信息", type="submit"), justify="end", width="100%"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.save_institution,
        reset_on_submit=False,
        key=S.inst_version.to_string(),
        width="100%",
    )


def _fee_input(part: str, business_type: str, label: str, placeholder: str) -> rx.Component:
    field = f"{part}.{business_type}"
    return text_input(
        f"fee-{part.removesuffix('_fee')}-{business_type}",
        label,
        _error("fees", field),
        name=field,
        default_value=S.fees_shown.get(field, ""),
        on_save=_keep("fees", field, S.inst_version),
        placeholder=placeholder,
        extra=rx.text("元/人，当前", S.fees_now.get(field, ""), white_space="nowrap"),
    )


def fee_inputs(business_type: str) -> rx.Component:
    label = BUSINESS_TYPE_LABELS[business_type]
    return rx.fragment(
        _fee_input("card_fee", business_type, f"{label}制卡费", "如720.00"),
        rx.cond(
            S.inst.get("kind", "") != "ministry",
            _fee_input("agency_fee", business_type, f"{label}外办代办费", "如50.00"),
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
            general_error(_error("fees", "")),
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
    if kind.value_type == "flag":
        return choice_input(
            f"rule-{kind.kind}",
            kind.label,
            [rx.el.option("不要求", value=""), rx.el.option("要求", value="1")],
            default_value=S.rules_shown.get(kind.kind, ""),
            name=kind.kind,
            on_change=_keep("rules", kind.kind, S.inst_version),
            placeholder=False,
            required=False,
        )
    return text_input(
        f"rule-{kind.kind}",
        kind.label,
        _error("rules", kind.kind),
        name=kind.kind,
        default_value=S.rules_shown.get(kind.kind, ""),
        on_save=_keep("rules", kind.kind, S.inst_version),
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
            general_error(_error("rules", "")),
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
        rx.table.cell(edit_delete(S.open_edit_point(p["id"]), S.ask_delete_point(p["id"]))),
    )


def _point_input(id: str, label: str, field: str, **props) -> rx.Component:
    return text_input(
        id,
        label,
        _error("point", field),
        name=field,
        default_value=S.point_shown.get(field, ""),
        on_save=_keep("point", field, S.point_version),
        **props,
    )


def point_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.point_id > 0, "编辑代办点", "新增代办点"),
        rx.form(
            rx.vstack(
                _point_input("point-name", "代办点名称", "name"),
                _point_input("point-address", "地址", "address"),
                _point_input(
                    "point-hours", "办公时间", "hours", required=False, placeholder="如：工作日 9:00-11:30，13:30-17:00"
                ),
                _point_input("point-phone", "联系电话", "phone", required=False),
                general_error(_error("point", "")),
                dialog_buttons(S.cancel_point),
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
    content = rx.vstack(
        choice_input(
            "inst-select",
            "机构",
            [rx.foreach(S.institutions, lambda i: rx.el.option(i["name"], value=i["id"]))],
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
            simple_table(("代办点名称", "地址", "办公时间", "联系电话", "操作"), S.points, point_row, "暂无代办点"),
        ),
        point_dialog(),
        confirm_dialog(
            "请确认",
            S.delete_point_text,
            open=S.delete_point_id > 0,
            on_cancel=S.cancel_delete_point,
            on_confirm=S.delete_point,
        ),
        spacing="3",
        width="100%",
    )
    return scoped(S, content)
