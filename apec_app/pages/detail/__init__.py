"""The applicant's 申请单详情 (/user/applications/[app_id]): the page and its state beside it."""

from apec_app.pages.detail.page import detail_page
from apec_app.pages.detail.state import DetailState

__all__ = ["DetailState", "detail_page"]
