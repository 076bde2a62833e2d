"""Every page: its path, title, the state whose on_load loads it, and who may see it.

One table, so that the handler gate test can check each page's state against the page's audience, and so that
a page is easy to find.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apec_app.pages.account_settings import account_settings_page
from apec_app.pages.address_book import address_book_page
from apec_app.pages.admin import AdminSettingsState, admin_settings_page
from apec_app.pages.apply_start import apply_start_page
from apec_app.pages.audit import audit_page
from apec_app.pages.cashier import cashier_page
from apec_app.pages.detail import DetailState, detail_page
from apec_app.pages.economy_portal import economy_portal_page
from apec_app.pages.followup import followup_page
from apec_app.pages.forgot import forgot_page
from apec_app.pages.home import home_page
from apec_app.pages.login import login_page
from apec_app.pages.mailbox import mailbox_page
from apec_app.pages.messages import messages_page
from apec_app.pages.opened_accounts import opened_accounts_page, set_password_page
from apec_app.pages.register import register_page
from apec_app.pages.staff import staff_login_page
from apec_app.pages.staff_review import StaffQueueState, StaffReviewState, queue_page, review_page
from apec_app.pages.user_center import user_center_page
from apec_app.pages.virtual_card import account_card_page, holder_card_page, verify_page
from apec_app.pages.wizard import WizardState, wizard_page
from apec_app.states.account_settings import AccountSettingsState
from apec_app.states.address_book import AddressBookState
from apec_app.states.apply_start import ApplyStartState
from apec_app.states.audit import AuditState
from apec_app.states.cashier import CashierState
from apec_app.states.economy_portal import EconomyPortalState
from apec_app.states.followup import FollowupState
from apec_app.states.forgot import ForgotState
from apec_app.states.gate import ADMIN, APPLICANT, ECONOMY_OFFICER, STAFF_ANY, Need
from apec_app.states.login import LoginState
from apec_app.states.mailbox import MailboxState
from apec_app.states.messages import MessagesState
from apec_app.states.opened_accounts import OpenedAccountsState, SetPasswordState
from apec_app.states.register import RegisterState
from apec_app.states.session import SessionState
from apec_app.states.staff import StaffLoginState
from apec_app.states.user_center import UserCenterState
from apec_app.states.virtual_card import HolderCardState, VerifyState, VirtualCardState

TITLE = "APEC商务旅行卡申请管理系统"


@dataclass(frozen=True)
class Page:
    path: str
    component: Any
    title: str
    state: type  # the page's own state (its on_load loads the page)
    need: Need | None  # None: a public page
    load: str = "on_load"
    show_header_first: bool = False  # public pages whose on_load does not say who is signed in

    @property
    def on_load(self) -> list:
        events = [getattr(self.state, self.load)]
        return [SessionState.load_header, *events] if self.show_header_first else events


PAGES = [
    Page("/", home_page, TITLE, SessionState, None, load="load_header"),
    Page("/login", login_page, f"登录 - {TITLE}", LoginState, None),
    Page("/register", register_page, f"企业账号注册 - {TITLE}", RegisterState, None, show_header_first=True),
    Page("/forgot-password", forgot_page, f"忘记密码 - {TITLE}", ForgotState, None, show_header_first=True),
    Page("/set-password/[token]", set_password_page, f"设置密码 - {TITLE}", SetPasswordState, None,
         show_header_first=True),  # fmt: skip
    Page("/staff/login", staff_login_page, f"工作人员登录 - {TITLE}", StaffLoginState, None, show_header_first=True),
    # The virtual card: the holder's emailed link (opened with a code) and the border officers' check.
    Page("/abtc/[token]", holder_card_page, f"虚拟APEC商务旅行卡 - {TITLE}", HolderCardState, None),
    Page("/verify", verify_page, f"APEC商务旅行卡核验 ABTC verification - {TITLE}", VerifyState, None),
    Page("/dev/mailbox", mailbox_page, f"开发邮箱 - {TITLE}", MailboxState, None, load="load"),
    # The applicant's pages
    Page("/account/settings", account_settings_page, f"账号设置 - {TITLE}", AccountSettingsState, APPLICANT),
    Page("/messages", messages_page, f"消息中心 - {TITLE}", MessagesState, APPLICANT),
    Page("/apply/new-renew", apply_start_page, f"新办/续办 申办须知 - {TITLE}", ApplyStartState, APPLICANT),
    Page("/apply/[app_id]", wizard_page, f"新办/续办 在线办理 - {TITLE}", WizardState, APPLICANT),
    Page("/followup/[app_id]", followup_page, f"在线办理 - {TITLE}", FollowupState, APPLICANT),
    Page("/user", user_center_page, f"我的申请单 - {TITLE}", UserCenterState, APPLICANT),
    Page("/user/applications/[app_id]", detail_page, f"申请单详情 - {TITLE}", DetailState, APPLICANT),
    Page("/user/cards/[card_id]", account_card_page, f"虚拟APEC商务旅行卡 - {TITLE}", VirtualCardState, APPLICANT),
    Page("/user/addresses", address_book_page, f"地址管理 - {TITLE}", AddressBookState, APPLICANT),
    Page("/user/applications/[app_id]/pay", cashier_page, f"收银台 - {TITLE}", CashierState, APPLICANT),
    # The reviewers' and admins' pages
    Page("/staff", queue_page, f"审核工作台 - {TITLE}", StaffQueueState, STAFF_ANY),
    Page("/staff/applications/[app_id]", review_page, f"审核 - {TITLE}", StaffReviewState, STAFF_ANY),
    Page("/admin/enterprises", opened_accounts_page, f"企业账号开通 - {TITLE}", OpenedAccountsState, ADMIN),
    Page("/admin/audit", audit_page, f"安全与审计日志 - {TITLE}", AuditState, ADMIN),
    Page("/admin/settings", admin_settings_page, f"后台设置 - {TITLE}", AdminSettingsState, ADMIN),
    # An APEC economy's officers (in English)
    Page("/economy", economy_portal_page, "Pre-clearance — APEC Business Travel Card", EconomyPortalState,
         ECONOMY_OFFICER),  # fmt: skip
]
