"""取卡方式 with the address book dialog: shared by the 新办/续办 wizard and the card follow-ups (提前制卡, 换补卡)."""

from __future__ import annotations

from apec_app.services.applications import addresses, filing
from apec_app.services.applications.addresses import AddressForm
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.address_region import AddressRegionMixin
from apec_app.states.gate import APPLICANT, requires


class DeliveryMixin(AddressRegionMixin, mixin=True):
    """Needs `_set_delivery(uow, key, value)` (which saves the draft) from its state."""

    delivery: dict[str, str] = {}
    pickup_rows: list[dict[str, str]] = []
    address_rows: list[dict[str, str]] = []
    allow_pickup: bool = True
    allow_mail: bool = True
    address_dialog: bool = False
    address_errors: dict[str, str] = {}

    def _load_delivery(self, uow: UnitOfWork, institution) -> None:
        self.allow_pickup, self.allow_mail = institution.allow_pickup, institution.allow_mail
        self.pickup_rows = [
            {"id": str(p.id), "name": p.name, "address": p.address, "hours": p.hours}
            for p in filing.pickup_points(uow.db, institution.id)
        ]
        self._load_addresses(uow)

    def _load_addresses(self, uow: UnitOfWork) -> None:
        self.address_rows = [
            {"id": str(a.id), "text": addresses.describe(a), "default": "1" if a.is_default else ""}
            for a in addresses.list_addresses(uow)
        ]

    @requires(APPLICANT)
    def set_delivery_method(self, uow: UnitOfWork, method: str):
        if method not in ("pickup", "mail"):
            return None
        return self._set_delivery(uow, "method", method)

    @requires(APPLICANT)
    def set_pickup_point(self, uow: UnitOfWork, point_id: str):
        if str(point_id) not in {p["id"] for p in self.pickup_rows}:
            return None  # only the institution's own points
        return self._set_delivery(uow, "pickup_point_id", point_id)

    @requires(APPLICANT)
    def open_address_dialog(self, uow: UnitOfWork):
        self.address_dialog = True
        self.address_errors = {}
        self._set_region()

    @requires(APPLICANT)
    def close_address_dialog(self, uow: UnitOfWork):
        self.address_dialog = False

    @requires(APPLICANT)
    def choose_address(self, uow: UnitOfWork, address_id: int):
        address = addresses.owned(uow, int(address_id))  # another enterprise's address id: NotFound
        self.address_dialog = False
        return self._set_delivery(uow, "address_id", str(address.id))

    @requires(APPLICANT)
    def add_address(self, uow: UnitOfWork, form: dict):
        try:
            with uow.savepoint():
                address = addresses.save_address(uow, AddressForm.from_form(form))
        except ServiceError as exc:
            self.address_errors = self._errors(exc)
            return None
        self._load_addresses(uow)
        self.address_errors = {}
        self.address_dialog = False
        return self._set_delivery(uow, "address_id", str(address.id))
