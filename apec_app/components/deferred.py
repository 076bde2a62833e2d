"""A card built after the page is shown: the 团组信息 of 30 people is about 11 000 elements, which the browser
needs more than a second to build at once. The first cards are built with the page; the others one per task
after it (deferred.jsx), so the page can be used while they are built and no task blocks the input for long."""

from __future__ import annotations

import reflex as rx

_SOURCE = rx.asset("deferred.jsx", shared=True)


class Deferred(rx.Component):
    library = _SOURCE.importable_path
    tag = "Deferred"

    # The card's place: the cards before `first` are built with the page.
    index: rx.Var[int]
    first: rx.Var[int]
    # Shown in the card's place until it is built.
    label: rx.Var[str]


deferred = Deferred.create
