"""地址管理: list, add, edit, set default and delete the enterprise's mailing addresses."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.services.applications import addresses
from apec_app.services.applications.addresses import AddressForm
from apec_app.services.errors import ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE, Principal
from apec_app.states.session import SessionState


class AddressBookState(SessionState):
    rows: list[dict[str, str]] = []
    dialog: bool = False
    edit_id: int = 0
    form: dict[str, str] = {}
    errors: dict[str, str] = {}
    form_version: int = 0

    def _me(self) -> Principal | None:
        return self._current(ENTERPRISE, AGENT)

    def _load(self, principal: Principal) -> None:
        with session_scope() as db:
            self.rows = [
                {
                    "id": str(a.id),
                    "recipient": a.recipient,
                    "phone": a.phone,
                    "province": a.province,
                    "detail": a.detail,
                    "default": "1" if a.is_default else "",
                }
                for a in addresses.list_addresses(db, principal)
            ]

    @rx.event
    def on_load(self):
        principal = self._enter(ENTERPRISE, AGENT)
        if principal is None:
            return self._denied()
        self._load(principal)
        return None

    @rx.event
    def open_add(self):
        self.edit_id, self.form, self.errors, self.dialog = 0, {}, {}, True
        self.form_version += 1

    @rx.event
    def open_edit(self, address_id: str):
        row = next((r for r in self.rows if r["id"] == str(address_id)), None)
        if row is not None:
            self.edit_id, self.form, self.errors, self.dialog = int(row["id"]), dict(row), {}, True
            self.form_version += 1

    @rx.event
    def close(self):
        self.dialog = False

    @rx.event
    def save(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        values = AddressForm.from_form(form)
        try:
            with session_scope() as db:
                addresses.save_address(db, principal, values, self.edit_id or None)
        except ServiceError as exc:
            self.form = {k: str(v) for k, v in form.items()}
            self.errors = self._errors(exc)
            return None
        self.dialog = False
        self._load(principal)
        return rx.toast.success("地址已保存")

    @rx.event
    def make_default(self, address_id: str):
        return self._act(address_id, addresses.set_default, "已设为默认地址")

    @rx.event
    def delete(self, address_id: str):
        return self._act(address_id, addresses.delete_address, "地址已删除")

    def _act(self, address_id: str, action, message: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        try:
            with session_scope() as db:
                action(db, principal, int(address_id))
        except (ServiceError, ValueError):
            return rx.toast.error("未找到该地址")
        self._load(principal)
        return rx.toast.success(message)
