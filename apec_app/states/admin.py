"""后台设置 (admins only): 机构信息, 材料设置, 申办须知, APEC经济体, 工作人员.

Thin: each action loads the signed-in staff member from the database and makes one call to
services/admin_settings.py in the same transaction; the service refuses anyone but an admin. A reviewer who
calls a handler by name is logged and sent back to the review dashboard.
"""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.domain.economies import Economy, deciding_economies
from apec_app.domain.eligibility import RULE_KINDS
from apec_app.domain.fees import format_yuan
from apec_app.domain.lifecycle import BUSINESS_TYPES, PAID_TYPES
from apec_app.services.applications import eligibility_rules
from apec_app.services.errors import InvalidInput, PermissionDenied, ServiceError
from apec_app.services.principal import STAFF, Principal
from apec_app.services.security_log import log_event
from apec_app.services.settings import back_office as admin
from apec_app.services.settings.back_office import InstitutionForm, MaterialForm, PickupPointForm
from apec_app.states.session import SessionState
from apec_app.ui_text.eligibility import describe_eligibility_error
from apec_app.ui_text.uploads import describe_upload_error

TABS = ("institutions", "materials", "notices", "economies", "staff")
CHANNEL_LABELS = {"all": "全部", "direct": "直办（外交部）", "local": "外办"}
ROLE_LABELS = {"reviewer": "审核员", "admin": "管理员"}
CONFIRM_ACTIONS = ("delete_point", "delete_material", "deactivate_staff")


class _Stop(Exception):
    """The caller may not act: return these events (sign in again, or go back to the own home page)."""

    def __init__(self, events) -> None:
        super().__init__("refused")
        self.events = events


def _text(form: dict, key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else str(value)


def _checked(form: dict, key: str) -> bool:
    return form.get(key) in (True, "on", "true", "1")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _yuan_input(fen: int) -> str:
    """720.00 — the fee as the admin would type it back."""
    return format_yuan(fen).removeprefix("¥")


class AdminSettingsState(SessionState):
    tab: str = "institutions"
    confirm_action: str = ""
    confirm_id: int = 0
    confirm_text: str = ""

    # 机构信息
    institutions: list[dict[str, str]] = []
    inst_id: int = 0
    inst: dict[str, str] = {}
    inst_errors: dict[str, str] = {}
    inst_version: int = 0
    # "card.<type>" / "agency.<type>": the input value in yuan; "card_now.<type>" / "agency_now.<type>": ¥ text.
    fees: dict[str, str] = {}
    fee_errors: dict[str, str] = {}
    # 申办条件: rule kind → threshold text ("" = off).
    rules: dict[str, str] = {}
    rule_errors: dict[str, str] = {}
    points: list[dict[str, str]] = []
    point_dialog: bool = False
    point_id: int = 0
    point_form: dict[str, str] = {}
    point_errors: dict[str, str] = {}
    point_version: int = 0

    # 材料设置
    material_type: str = "new_renew"
    materials: list[dict[str, str]] = []
    material_dialog: bool = False
    material_id: int = 0
    material_form: dict[str, str] = {}
    material_errors: dict[str, str] = {}
    material_version: int = 0
    material_example: str = ""

    # 申办须知
    notice_type: str = "new_renew"
    notice_inst: str = ""
    notice_text: str = ""
    notice_errors: dict[str, str] = {}
    notice_version: int = 0

    # APEC经济体
    economies: list[dict[str, str]] = []
    deciding_count: int = 0
    economy_dialog: bool = False
    economy_code: str = ""
    economy_form: dict[str, str] = {}
    economy_errors: dict[str, str] = {}
    economy_version: int = 0

    # 工作人员
    staff_rows: list[dict[str, str]] = []
    staff_dialog: bool = False
    staff_form: dict[str, str] = {}
    staff_errors: dict[str, str] = {}
    staff_version: int = 0

    # --- helpers (not callable from the browser) ----------------------------------------------------------

    def _call(self, fn, *args, **kwargs):
        """One service call as the signed-in staff member, in one transaction with the session check.

        Raises _Stop for a signed-out caller or a non-admin (logged); other ServiceErrors reach the handler.
        """
        principal: Principal | None = None
        try:
            with session_scope() as db:
                principal = self._require(db, STAFF)
                if principal is not None:
                    return fn(db, principal, *args, **kwargs)
        except PermissionDenied:
            with session_scope() as db:
                log_event(
                    db,
                    "access_refused",
                    actor=principal.label if principal else "anonymous",
                    detail=f"admin settings {fn.__name__} needs admin",
                    client_ip=self._client_ip(),
                )
            raise _Stop(self._denied()) from None
        raise _Stop(self._denied())

    def _load_institutions(self) -> None:
        rows = self._call(admin.list_institutions)
        self.institutions = [{"id": str(i.id), "code": i.code, "name": i.name, "kind": i.kind} for i in rows]
        if self.inst_id not in {int(r["id"]) for r in self.institutions}:
            self.inst_id = int(self.institutions[0]["id"]) if self.institutions else 0
        self._load_institution()

    def _load_institution(self) -> None:
        if not self.inst_id:
            self.inst, self.fees, self.points = {}, {}, []
            return
        settings = self._call(admin.institution_settings, self.inst_id)
        i = settings.institution
        self.inst = {
            "id": str(i.id),
            "code": i.code,
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
        self.fees = {}
        for f in settings.fees:
            self.fees |= {
                f"card.{f.business_type}": _yuan_input(f.card_fee_fen),
                f"agency.{f.business_type}": _yuan_input(f.agency_fee_fen),
                f"card_now.{f.business_type}": format_yuan(f.card_fee_fen),
                f"agency_now.{f.business_type}": format_yuan(f.agency_fee_fen),
            }
        self.points = [
            {"id": str(p.id), "name": p.name, "address": p.address, "hours": p.hours, "phone": p.phone}
            for p in settings.pickup_points
        ]
        self.rules = self._call(eligibility_rules.admin_form_values, self.inst_id)
        self.inst_errors, self.fee_errors, self.rule_errors = {}, {}, {}
        self.inst_version += 1

    def _load_materials(self) -> None:
        rows = self._call(admin.list_materials, self.material_type)
        self.materials = [
            {
                "id": str(m.id),
                "business_type": m.business_type,
                "channel": m.channel,
                "channel_label": CHANNEL_LABELS.get(m.channel, m.channel),
                "name": m.name,
                "hint": m.hint,
                "required": "1" if m.required else "",
                "accepted": m.accepted,
                "example": m.example_image,
            }
            for m in rows
        ]

    def _notice_institution(self) -> int | None:
        return _int(self.notice_inst) or None

    def _load_notice(self) -> None:
        self.notice_text = self._call(admin.get_notice, self.notice_type, self._notice_institution())
        self.notice_errors = {}
        self.notice_version += 1

    def _load_economies(self) -> None:
        rows = self._call(admin.list_economies)
        active = [Economy(r.code, r.name_zh, r.name_en, r.transitional, r.sort) for r in rows if r.active]
        deciding = {e.code for e in deciding_economies(active)}
        self.deciding_count = len(deciding)
        self.economies = [
            {
                "code": r.code,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "transitional": "1" if r.transitional else "",
                "active": "1" if r.active else "",
                "deciding": "1" if r.code in deciding else "",
            }
            for r in rows
        ]

    def _load_staff(self) -> None:
        self.staff_rows = [
            {
                "id": str(s.id),
                "username": s.username,
                "name": s.name,
                "role": ROLE_LABELS.get(s.role, s.role),
                "institution": s.institution,
                "active": "1" if s.active else "",
            }
            for s in self._call(admin.list_staff)
        ]

    def _toast_error(self, exc: ServiceError):
        return rx.toast.error(next(iter(self._errors(exc).values())))

    # --- page ---------------------------------------------------------------------------------------------

    @rx.event
    def on_load(self):
        principal = self._enter(STAFF)
        if principal is None:
            return self._denied()
        self.confirm_action = ""
        self.point_dialog = self.material_dialog = self.economy_dialog = self.staff_dialog = False
        try:
            self._load_institutions()
            self._load_materials()
            self._load_notice()
            self._load_economies()
            self._load_staff()
        except _Stop as stop:
            return stop.events
        return None

    @rx.event
    def set_tab(self, tab: str):
        if tab in TABS:
            self.tab = tab

    @rx.event
    def ask_confirm(self, action: str, item_id: str):
        if action not in CONFIRM_ACTIONS:
            return
        rows = {"delete_point": self.points, "delete_material": self.materials, "deactivate_staff": self.staff_rows}
        row = next((r for r in rows[action] if r["id"] == str(item_id)), None)
        if row is None:
            return
        self.confirm_action, self.confirm_id = action, int(row["id"])
        self.confirm_text = {
            "delete_point": f"确定删除代办点“{row['name']}”吗？",
            "delete_material": f"确定删除材料“{row['name']}”吗？已上传该材料的申请单不受影响。",
            "deactivate_staff": f"确定停用工作人员“{row['name']}”吗？停用后该账号不可登录，已登录的会话立即失效。",
        }[action]

    @rx.event
    def cancel_confirm(self):
        self.confirm_action = ""

    @rx.event
    def do_confirm(self):
        action, item_id = self.confirm_action, self.confirm_id
        self.confirm_action = ""
        try:
            if action == "delete_point":
                self._call(admin.delete_pickup_point, item_id)
                self._load_institution()
                message = "代办点已删除"
            elif action == "delete_material":
                self._call(admin.delete_material, item_id)
                self._load_materials()
                message = "材料已删除"
            elif action == "deactivate_staff":
                self._call(admin.set_staff_active, item_id, False)
                self._load_staff()
                message = "已停用"
            else:
                return None
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            return self._toast_error(exc)
        return rx.toast.success(message)

    # --- 机构信息 ------------------------------------------------------------------------------------------

    @rx.event
    def pick_institution(self, institution_id: str):
        if not _int(institution_id):
            return None
        self.inst_id = _int(institution_id)
        try:
            self._load_institution()
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            return self._toast_error(exc)
        return None

    @rx.event
    def save_institution(self, form: dict):
        values = InstitutionForm(
            name=_text(form, "name"),
            contact_phone=_text(form, "contact_phone"),
            address=_text(form, "address"),
            bank_name=_text(form, "bank_name"),
            bank_account_name=_text(form, "bank_account_name"),
            bank_account_number=_text(form, "bank_account_number"),
            allow_pickup=_checked(form, "allow_pickup"),
            allow_mail=_checked(form, "allow_mail"),
        )
        try:
            self._call(admin.update_institution, self.inst_id, values)
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            self.inst_errors = self._errors(exc)
            return None
        try:
            self._load_institutions()
        except _Stop as stop:
            return stop.events
        return rx.toast.success("机构信息已保存")

    @rx.event
    def save_fees(self, form: dict):
        fees = {
            business_type: (_text(form, f"card_fee.{business_type}"), _text(form, f"agency_fee.{business_type}"))
            for business_type in BUSINESS_TYPES
            if business_type in PAID_TYPES
        }
        try:
            self._call(admin.update_fees, self.inst_id, fees)
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            self.fee_errors = self._errors(exc)
            return None
        try:
            self._load_institution()
        except _Stop as stop:
            return stop.events
        return rx.toast.success("收费标准已保存，新的收银台页面将按新标准计费")

    @rx.event
    def save_rules(self, form: dict):
        raw = {k.kind: _text(form, k.kind) for k in RULE_KINDS}
        try:
            self._call(eligibility_rules.update, self.inst_id, raw)
        except _Stop as stop:
            return stop.events
        except InvalidInput as exc:
            self.rule_errors = {
                field.removeprefix("rule."): describe_eligibility_error(field.removeprefix("rule."), code)
                for field, code in exc.errors.items()
            }
            return None
        except ServiceError as exc:
            self.rule_errors = self._errors(exc)
            return None
        try:
            self._load_institution()
        except _Stop as stop:
            return stop.events
        return rx.toast.success("申办条件已保存，申请人自查和填表时按新条件提示")

    @rx.event
    def open_add_point(self):
        self.point_id, self.point_form, self.point_errors, self.point_dialog = 0, {}, {}, True
        self.point_version += 1

    @rx.event
    def open_edit_point(self, point_id: str):
        row = next((r for r in self.points if r["id"] == str(point_id)), None)
        if row is not None:
            self.point_id, self.point_form, self.point_errors, self.point_dialog = int(row["id"]), dict(row), {}, True
            self.point_version += 1

    @rx.event
    def close_point(self):
        self.point_dialog = False

    @rx.event
    def save_point(self, form: dict):
        values = PickupPointForm(
            name=_text(form, "name"),
            address=_text(form, "address"),
            hours=_text(form, "hours"),
            phone=_text(form, "phone"),
        )
        try:
            self._call(admin.save_pickup_point, self.inst_id, values, self.point_id or None)
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            self.point_form = {k: _text(form, k) for k in ("name", "address", "hours", "phone")}
            self.point_errors = self._errors(exc)
            return None
        self.point_dialog = False
        try:
            self._load_institution()
        except _Stop as stop:
            return stop.events
        return rx.toast.success("代办点已保存")

    # --- 材料设置 ------------------------------------------------------------------------------------------

    @rx.event
    def pick_material_type(self, business_type: str):
        if business_type not in BUSINESS_TYPES:
            return None
        self.material_type = business_type
        try:
            self._load_materials()
        except _Stop as stop:
            return stop.events
        return None

    @rx.event
    def open_add_material(self):
        self.material_id, self.material_errors, self.material_example = 0, {}, ""
        self.material_form = {
            "business_type": self.material_type,
            "channel": "all",
            "required": "1",
            "accepted": "jpg,jpeg,png,pdf",
        }
        self.material_dialog = True
        self.material_version += 1

    @rx.event
    def open_edit_material(self, material_id: str):
        row = next((r for r in self.materials if r["id"] == str(material_id)), None)
        if row is not None:
            self.material_id, self.material_form, self.material_errors = int(row["id"]), dict(row), {}
            self.material_example = row["example"]
            self.material_dialog = True
            self.material_version += 1

    @rx.event
    def close_material(self):
        self.material_dialog = False

    @rx.event
    def save_material(self, form: dict):
        values = MaterialForm(
            business_type=_text(form, "business_type"),
            channel=_text(form, "channel"),
            name=_text(form, "name"),
            hint=_text(form, "hint"),
            required=_checked(form, "required"),
            accepted=_text(form, "accepted"),
        )
        try:
            material = self._call(admin.save_material, values, self.material_id or None)
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            self.material_form = {
                **{k: _text(form, k) for k in ("business_type", "channel", "name", "hint", "accepted")},
                "required": "1" if values.required else "",
            }
            self.material_errors = self._errors(exc)
            return None
        added = not self.material_id
        self.material_type = material.business_type
        try:
            self._load_materials()
        except _Stop as stop:
            return stop.events
        if added:
            # Stay in the dialog, now editing the new material, so its example image can be uploaded.
            self.material_id = material.id
            self.material_form = next((r for r in self.materials if r["id"] == str(material.id)), {})
            self.material_errors = {}
            self.material_version += 1
            return rx.toast.success("材料已添加，可继续上传示例图片")
        self.material_dialog = False
        return rx.toast.success("材料已保存")

    @rx.event
    async def upload_example(self, files: list[rx.UploadFile]):
        if not files or not self.material_id:
            return None
        data = await files[0].read(admin.EXAMPLE_RULE.max_bytes + 1)
        try:
            material = self._call(admin.set_material_example, self.material_id, data)
        except _Stop as stop:
            return stop.events
        except InvalidInput as exc:
            self.material_errors = {"example_image": describe_upload_error(exc.code, admin.EXAMPLE_RULE)}
            return None
        except ServiceError as exc:
            self.material_errors = self._errors(exc)
            return None
        self.material_example = material.example_image
        self.material_errors = {}
        try:
            self._load_materials()
        except _Stop as stop:
            return stop.events
        return rx.toast.success("示例图片已上传")

    @rx.event
    def clear_example(self):
        if not self.material_id:
            return None
        try:
            self._call(admin.clear_material_example, self.material_id)
            self._load_materials()
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            return self._toast_error(exc)
        self.material_example = ""
        return rx.toast.success("示例图片已删除")

    # --- 申办须知 ------------------------------------------------------------------------------------------

    @rx.event
    def pick_notice_type(self, business_type: str):
        if business_type not in BUSINESS_TYPES:
            return None
        self.notice_type = business_type
        return self._reload_notice()

    @rx.event
    def pick_notice_institution(self, institution_id: str):
        self.notice_inst = str(_int(institution_id) or "")
        return self._reload_notice()

    def _reload_notice(self):
        try:
            self._load_notice()
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            self.notice_inst = ""
            return self._toast_error(exc)
        return None

    @rx.event
    def save_notice(self, form: dict):
        text = _text(form, "text")
        try:
            self._call(admin.set_notice, self.notice_type, self._notice_institution(), text)
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            self.notice_text = text
            self.notice_errors = self._errors(exc)
            return None
        refused = self._reload_notice()
        return refused if refused is not None else rx.toast.success("申办须知已保存")

    # --- APEC经济体 ----------------------------------------------------------------------------------------

    def _update_economy(self, code: str, **changes):
        try:
            self._call(admin.update_economy, str(code), **changes)
            self._load_economies()
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            return self._toast_error(exc)
        return None

    @rx.event
    def set_economy_active(self, code: str, active: bool):
        return self._update_economy(code, active=bool(active))

    @rx.event
    def set_economy_transitional(self, code: str, transitional: bool):
        return self._update_economy(code, transitional=bool(transitional))

    @rx.event
    def open_edit_economy(self, code: str):
        row = next((r for r in self.economies if r["code"] == str(code)), None)
        if row is not None:
            self.economy_code, self.economy_form, self.economy_errors = row["code"], dict(row), {}
            self.economy_dialog = True
            self.economy_version += 1

    @rx.event
    def close_economy(self):
        self.economy_dialog = False

    @rx.event
    def save_economy(self, form: dict):
        try:
            self._call(admin.update_economy, self.economy_code, name_zh=_text(form, "name_zh"))
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            self.economy_form = {**self.economy_form, "name_zh": _text(form, "name_zh")}
            self.economy_errors = self._errors(exc)
            return None
        self.economy_dialog = False
        try:
            self._load_economies()
        except _Stop as stop:
            return stop.events
        return rx.toast.success("经济体名称已保存")

    # --- 工作人员 ------------------------------------------------------------------------------------------

    @rx.event
    def open_add_staff(self):
        self.staff_form, self.staff_errors, self.staff_dialog = {"role": "reviewer"}, {}, True
        self.staff_version += 1

    @rx.event
    def close_staff(self):
        self.staff_dialog = False

    @rx.event
    def save_staff(self, form: dict):
        try:
            self._call(
                admin.create_staff_account,
                username=_text(form, "username"),
                name=_text(form, "name"),
                password=_text(form, "password"),
                role=_text(form, "role"),
                institution_code=_text(form, "institution"),
            )
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            # The password is never sent back to the browser.
            self.staff_form = {k: _text(form, k) for k in ("username", "name", "role", "institution")}
            self.staff_errors = self._errors(exc)
            return None
        self.staff_dialog = False
        try:
            self._load_staff()
        except _Stop as stop:
            return stop.events
        return rx.toast.success("工作人员账号已创建")

    @rx.event
    def activate_staff(self, staff_id: str):
        try:
            self._call(admin.set_staff_active, _int(staff_id), True)
            self._load_staff()
        except _Stop as stop:
            return stop.events
        except ServiceError as exc:
            return self._toast_error(exc)
        return rx.toast.success("已启用")
