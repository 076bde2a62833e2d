"""后台设置: one module per tab (its state and its content) and the page that assembles them."""

from apec_app.pages.admin.page import AdminSettingsState, admin_settings_page

__all__ = ["AdminSettingsState", "admin_settings_page"]
