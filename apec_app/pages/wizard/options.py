"""Option lists for the wizard that are computed once (region tables) rather than per render."""

from __future__ import annotations

import reflex as rx

from apec_app.domain.regions import cities, provinces

_CITIES = {p: cities(p) for p in provinces()}


def city_options(province: rx.Var) -> rx.Var:
    """The cities of the chosen province, looked up in the browser from a table sent once with the page."""
    return rx.Var.create(_CITIES).to(dict).get(province, []).to(list[str])
