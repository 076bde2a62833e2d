"""取卡方式 with the address book dialog: shared by the 新办/续办 wizard and the card follow-ups (提前制卡, 换补卡)."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.services.applications import addresses
from apec_app.services.applications import filing as applications
from apec_app.services.applications.addresses import AddressForm
from apec_app.services.errors import ServiceError
from apec_app.services.principal import Principal


class DeliveryMixin(rx.State, mixin=True):
    """Needs `_me()`, `_errors()` and `_set_delivery(key, value)` (which saves the draft) from its state."""

    delivery: dict[str, str] = {}
    pickup_rows: list[dict[str, str]] = []
    address_rows: list[dict[str, str]] = []
    allow_pickup: bool = True
    allow_mail: bool = True
    address_dialog: bool = False
    address_errors: dict[str, str] = {}

    def _load_delivery(self, db, principal: Principal, institution) -> None:
        self.allow_pickup, self.allow_mail = institution.allow_pickup, institution.allow_mail
        self.pickup_rows = [
            {"id": str(p.id), "name": p.name, "address": p.address, "hours": p.hours}
            for p in applications.pickup_points(db, institution.id)
        ]
        self._load_addresses(db, principal)

    def _load_addresses(self, db, principal: Principal) -> None:
        self.address_rows = [
            {"id": str(a.id), "text": addresses.describe(a), "default": "1" if a.is_default else ""}
            for a in addresses.list_addresses(db, principal)
        ]

    @rx.event
    def set_delivery_method(self, method: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        return self._set_delivery(principal, "method", method)

    @rx.event
    def set_pickup_point(self, point_id: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        return self._set_delivery(principal, "pickup_point_id", point_id)

    @rx.event
    def open_address_dialog(self):
        self.address_dialog = True
        self.address_errors = {}

    @rx.event
    def close_address_dialog(self):
        self.address_dialog = False

    @rx.event
    def choose_address(self, address_id: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        self.address_dialog = False
        return self._set_delivery(principal, "address_id", address_id)

    @rx.event
    def add_address(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        values = AddressForm.from_form(form)
        try:
            with session_scope() as db:
                address = addresses.save_address(db, principal, values)
                new_id = address.id
                self._load_addresses(db, principal)
        except ServiceError as exc:
            self.address_errors = self._errors(exc)
            return None
        self.address_errors = {}
        self.address_dialog = False
        return self._set_delivery(principal, "address_id", str(new_id))
