"""The Reflex app: routes, the HTTP routes of the simulated e-licence platform, and the outbox sender."""

from __future__ import annotations

import asyncio
import logging
import os

import reflex as rx
from starlette.applications import Starlette

from apec_app import log_hygiene, startup
from apec_app.api import routes_for, security_headers
from apec_app.db import session_scope
from apec_app.integrations.smtp import smtp_sender
from apec_app.pages.account_settings import account_settings_page
from apec_app.pages.address_book import address_book_page
from apec_app.pages.admin import admin_settings_page
from apec_app.pages.apply_start import apply_start_page
from apec_app.pages.audit import audit_page
from apec_app.pages.cashier import cashier_page
from apec_app.pages.detail import detail_page
from apec_app.pages.followup import followup_page
from apec_app.pages.forgot import forgot_page
from apec_app.pages.home import home_page
from apec_app.pages.login import login_page
from apec_app.pages.mailbox import mailbox_page
from apec_app.pages.messages import messages_page
from apec_app.pages.opened_accounts import opened_accounts_page, set_password_page
from apec_app.pages.register import register_page
from apec_app.pages.staff import staff_login_page
from apec_app.pages.staff_review import queue_page, review_page
from apec_app.pages.user_center import user_center_page
from apec_app.pages.wizard import wizard_page
from apec_app.services.messaging import mail, reminders
from apec_app.settings import get_settings
from apec_app.states.account_settings import AccountSettingsState
from apec_app.states.address_book import AddressBookState
from apec_app.pages.admin import AdminSettingsState
from apec_app.states.apply_start import ApplyStartState
from apec_app.states.audit import AuditState
from apec_app.states.cashier import CashierState
from apec_app.states.detail import DetailState
from apec_app.states.followup import FollowupState
from apec_app.states.forgot import ForgotState
from apec_app.states.login import LoginState
from apec_app.states.mailbox import MailboxState
from apec_app.states.messages import MessagesState
from apec_app.states.opened_accounts import OpenedAccountsState, SetPasswordState
from apec_app.states.register import RegisterState
from apec_app.states.session import SessionState
from apec_app.states.staff import StaffLoginState
from apec_app.pages.staff_review import StaffQueueState, StaffReviewState
from apec_app.states.user_center import UserCenterState
from apec_app.states.wizard import WizardState
from apec_app.time_format import today_local

logger = logging.getLogger("apec.app")
REMINDER_INTERVAL_SECONDS = 3600
OUTBOX_INTERVAL_SECONDS = 2.0


async def outbox_sender() -> None:
    """Deliver queued mail every few seconds; each row is claimed, so several workers never send twice."""
    sender = smtp_sender(get_settings())
    while True:
        try:
            with session_scope() as db:
                await asyncio.to_thread(mail.deliver_due, db, sender)
        except Exception:  # noqa: BLE001 - keep the loop alive; the row stays queued
            logger.exception("outbox delivery failed")
        await asyncio.sleep(OUTBOX_INTERVAL_SECONDS)


def _send_reminders() -> int:
    with session_scope() as db:
        return reminders.send_due(db, today_local())


async def reminder_job() -> None:
    """Card reminders once an hour; the Reminder table's unique key keeps parallel workers from doubling them."""
    while True:
        try:
            sent = await asyncio.to_thread(_send_reminders)
            if sent:
                logger.info("sent %d card reminders", sent)
        except Exception:  # noqa: BLE001 - keep the loop alive; the next run catches up
            logger.exception("card reminders failed")
        await asyncio.sleep(REMINDER_INTERVAL_SECONDS)


# The database, its WAL, uploaded documents and Reflex's state files hold personal data: owner-only files.
os.umask(0o077)
log_hygiene.install()
startup.check(get_settings())
api = Starlette(routes=routes_for(get_settings()))

app = rx.App(
    stylesheets=["/app.css"],
    html_lang="zh-CN",
    theme=rx.theme(accent_color="red", radius="medium"),
    api_transformer=[api, security_headers.with_security_headers],
)
app.register_lifespan_task(outbox_sender)
app.register_lifespan_task(reminder_job)

TITLE = "APEC商务旅行卡申请管理系统"
app.add_page(home_page, route="/", title=TITLE, on_load=SessionState.load_header)
app.add_page(login_page, route="/login", title=f"登录 - {TITLE}", on_load=LoginState.on_load)
app.add_page(register_page, route="/register", title=f"企业账号注册 - {TITLE}", on_load=RegisterState.on_load)
app.add_page(forgot_page, route="/forgot-password", title=f"忘记密码 - {TITLE}", on_load=ForgotState.on_load)
app.add_page(
    account_settings_page, route="/account/settings", title=f"账号设置 - {TITLE}", on_load=AccountSettingsState.on_load
)
app.add_page(messages_page, route="/messages", title=f"消息中心 - {TITLE}", on_load=MessagesState.on_load)
app.add_page(staff_login_page, route="/staff/login", title=f"工作人员登录 - {TITLE}", on_load=StaffLoginState.on_load)
app.add_page(queue_page, route="/staff", title=f"审核工作台 - {TITLE}", on_load=StaffQueueState.on_load)
app.add_page(
    review_page, route="/staff/applications/[app_id]", title=f"审核 - {TITLE}", on_load=StaffReviewState.on_load
)
app.add_page(mailbox_page, route="/dev/mailbox", title=f"开发邮箱 - {TITLE}", on_load=MailboxState.load)
app.add_page(
    apply_start_page, route="/apply/new-renew", title=f"新办/续办 申办须知 - {TITLE}", on_load=ApplyStartState.on_load
)
app.add_page(wizard_page, route="/apply/[app_id]", title=f"新办/续办 在线办理 - {TITLE}", on_load=WizardState.on_load)
app.add_page(followup_page, route="/followup/[app_id]", title=f"在线办理 - {TITLE}", on_load=FollowupState.on_load)
app.add_page(user_center_page, route="/user", title=f"我的申请单 - {TITLE}", on_load=UserCenterState.on_load)
app.add_page(
    detail_page, route="/user/applications/[app_id]", title=f"申请单详情 - {TITLE}", on_load=DetailState.on_load
)
app.add_page(address_book_page, route="/user/addresses", title=f"地址管理 - {TITLE}", on_load=AddressBookState.on_load)
app.add_page(
    cashier_page, route="/user/applications/[app_id]/pay", title=f"收银台 - {TITLE}", on_load=CashierState.on_load
)
app.add_page(
    opened_accounts_page,
    route="/admin/enterprises",
    title=f"企业账号开通 - {TITLE}",
    on_load=OpenedAccountsState.on_load,
)
app.add_page(
    set_password_page, route="/set-password/[token]", title=f"设置密码 - {TITLE}", on_load=SetPasswordState.on_load
)
app.add_page(audit_page, route="/admin/audit", title=f"安全与审计日志 - {TITLE}", on_load=AuditState.on_load)
app.add_page(
    admin_settings_page, route="/admin/settings", title=f"后台设置 - {TITLE}", on_load=AdminSettingsState.on_load
)
