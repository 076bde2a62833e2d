"""The address form's 省/市/区 cascade: what is chosen so far (the lists below follow it, in the browser)."""

from __future__ import annotations

import reflex as rx

from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import APPLICANT, requires

LEVELS = ("province", "city", "district")


class AddressRegionMixin(rx.State, mixin=True):
    region: dict[str, str] = {}

    def _set_region(self, province: str = "", city: str = "", district: str = "") -> None:
        self.region = {"province": province, "city": city, "district": district}

    @requires(APPLICANT)
    def set_region(self, uow: UnitOfWork, level: str, value: str):
        """A choice clears the levels below it (the cities of another province are other cities)."""
        if level not in LEVELS:
            return
        index = LEVELS.index(level)
        values = [self.region.get(k, "") for k in LEVELS[:index]] + [str(value)[:30]]
        self._set_region(*values)
