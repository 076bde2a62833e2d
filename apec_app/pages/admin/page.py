"""后台设置 (/admin/settings, admins only): the six tabs, each with its own state that loads its own data."""

from __future__ import annotations

import reflex as rx

from apec_app.components.layout import card, page_frame
from apec_app.pages.admin.economies import EconomiesState, economies_tab
from apec_app.pages.admin.economy_tokens import EconomyTokensState, economy_tokens_tab
from apec_app.pages.admin.institutions import InstitutionsState, institutions_tab
from apec_app.pages.admin.materials import MaterialsState, materials_tab
from apec_app.pages.admin.notices import NoticesState, notices_tab
from apec_app.pages.admin.staff import StaffState, staff_tab
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.states.gate import ADMIN, page_load, requires
from apec_app.states.session import PageMixin, SessionState

# (value, label, the tab's state, the tab's content)
TABS = (
    ("institutions", "机构信息", InstitutionsState, institutions_tab),
    ("materials", "材料设置", MaterialsState, materials_tab),
    ("notices", "申办须知", NoticesState, notices_tab),
    ("economies", "APEC经济体", EconomiesState, economies_tab),
    ("staff", "工作人员", StaffState, staff_tab),
    ("economy_api", "经济体接口", EconomyTokensState, economy_tokens_tab),
)


class AdminSettingsState(PageMixin, SessionState):
    """The page itself: which tab is open (kept across reloads, like what was typed into the tabs' forms)."""

    tab: str = "institutions"

    keep_on_load = ("tab",)

    @page_load(ADMIN)
    def on_load(self, uow: UnitOfWork):
        """The route's on_load: each tab then loads its own data (each through the gate again)."""
        return [state.on_load for _, _, state, _ in TABS]

    @requires(ADMIN)
    def set_tab(self, uow: UnitOfWork, tab: str):
        if tab in {value for value, _, _, _ in TABS}:
            self.tab = tab


def admin_settings_page() -> rx.Component:
    return page_frame(
        card(
            rx.heading("后台设置", size="6"),
            rx.tabs.root(
                rx.tabs.list(*[rx.tabs.trigger(label, value=value) for value, label, _, _ in TABS]),
                *[rx.tabs.content(rx.box(content(), padding_top="20px"), value=value) for value, _, _, content in TABS],
                value=AdminSettingsState.tab,
                on_change=AdminSettingsState.set_tab,
                margin_top="12px",
            ),
        ),
        signed_in_page=True,
        width="1200px",
    )
