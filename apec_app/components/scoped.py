"""Show a page's record only for the path it was loaded for.

Reflex keeps a page's state across navigations, so right after the route changes the page would render the
previous record until its on_load answers. `scoped` compares, in the browser and in the same render, the
current path (react-router's location) with the path the state loaded (`loaded_path`, set by `page_load`),
and shows a loading state until they agree: not one frame of another record.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var, VarData

_LOCATION = "apecLocation"
CURRENT_PATH: Var[str] = Var(
    _js_expr=f'({_LOCATION}.pathname.replace(/\\/+$/, "") || "/")',
    _var_type=str,
    _var_data=VarData(
        imports={"react-router": ["useLocation"]},
        hooks={f"const {_LOCATION} = useLocation();": None},
    ),
)


def loading(label: str = "正在加载…") -> rx.Component:
    return rx.center(
        rx.vstack(rx.spinner(size="3"), rx.text(label, color="#6b6e72", font_size="14px"), align="center"),
        role="status",
        aria_live="polite",
        padding="60px 0",
        width="100%",
    )


def scoped(state, content: rx.Component, placeholder: rx.Component | None = None) -> rx.Component:
    return rx.cond(state.loaded_path == CURRENT_PATH, content, placeholder or loading())
