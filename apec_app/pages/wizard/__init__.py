"""The 新办/续办 form (/apply/[app_id], manual 1.2.1 steps 4–7): 单位信息, 团组信息, 取卡方式 and 信息确认, one module
per step beside the page's state."""

from apec_app.pages.wizard.page import wizard_page
from apec_app.pages.wizard.state import WizardState

__all__ = ["WizardState", "wizard_page"]
