"""地址管理: list, add, edit, set default and delete the enterprise's mailing addresses."""

from __future__ import annotations

import reflex as rx

from apec_app.services.applications import addresses
from apec_app.services.applications.addresses import AddressForm
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.address_region import AddressRegionMixin
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.states.session import PageMixin, SessionState


class AddressBookState(AddressRegionMixin, PageMixin, SessionState):
    rows: list[dict[str, str]] = []
    dialog: bool = False
    edit_id: int = 0
    form: dict[str, str] = {}
    errors: dict[str, str] = {}
    form_version: int = 0
    # 删除 asks first, naming the address.
    confirm_delete_id: str = ""
    confirm_delete_label: str = ""

    def _load(self, uow: UnitOfWork) -> None:
        self.rows = [
            {
                "id": str(a.id),
                "recipient": a.recipient,
                "phone": a.phone,
                "province": a.province,
                "city": a.city,
                "district": a.district,
                "region": addresses.region_text(a),
                "detail": a.detail,
                "default": "1" if a.is_default else "",
            }
            for a in addresses.list_addresses(uow)
        ]

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        self._load(uow)

    @requires(APPLICANT)
    def open_add(self, uow: UnitOfWork):
        self.edit_id, self.form, self.errors, self.dialog = 0, {}, {}, True
        self._set_region()
        self.form_version += 1

    @requires(APPLICANT)
    def open_edit(self, uow: UnitOfWork, address_id: str):
        row = next((r for r in self.rows if r["id"] == str(address_id)), None)
        if row is not None:
            self.edit_id, self.form, self.errors, self.dialog = int(row["id"]), dict(row), {}, True
            self._set_region(row["province"], row["city"], row["district"])
            self.form_version += 1

    @requires(APPLICANT)
    def close(self, uow: UnitOfWork):
        self.dialog = False

    @requires(APPLICANT)
    def save(self, uow: UnitOfWork, form: dict):
        self.form = {k: str(v) for k, v in form.items()}  # shown again if refused
        addresses.save_address(uow, AddressForm.from_form(form), self.edit_id or None)
        self.dialog = False
        self._load(uow)
        return rx.toast.success("地址已保存")

    def _service_error(self, exc: ServiceError):
        if self.dialog:
            self.errors = self._errors(exc)
            return None
        return rx.toast.error("未找到该地址")

    @requires(APPLICANT)
    def make_default(self, uow: UnitOfWork, address_id: int):
        addresses.set_default(uow, int(address_id))
        self._load(uow)
        return rx.toast.success("已设为默认地址")

    @requires(APPLICANT)
    def ask_delete(self, uow: UnitOfWork, address_id: str):
        row = next((r for r in self.rows if r["id"] == str(address_id)), None)
        if row is not None:
            self.confirm_delete_id = row["id"]
            self.confirm_delete_label = f"{row['recipient']} {row['region']}{row['detail']}"

    @requires(APPLICANT)
    def cancel_delete(self, uow: UnitOfWork):
        self.confirm_delete_id = ""

    @requires(APPLICANT)
    def delete(self, uow: UnitOfWork):
        target, self.confirm_delete_id = self.confirm_delete_id, ""
        addresses.delete_address(uow, int(target or 0))
        self._load(uow)
        return rx.toast.success("地址已删除")
