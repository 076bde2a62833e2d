"""Accounts opened by staff for enterprises without an 电子营业执照 (foreign-invested, Hong Kong, Macao, Taiwan):
an admin enters the enterprise and its email; the enterprise sets its own password through a one-time link.

The link's token is 256 random bits; only its SHA-256 is stored. It works once, for 72 hours, and a new link
makes the earlier ones void. The admin never sees or sets the password.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select

from apec_app.domain.passwords import hash_password
from apec_app.domain.validators import check_email, check_required, check_uscc, normalize_email, normalize_uscc
from apec_app.models import AccountLink, Enterprise
from apec_app.models.base import row_id
from apec_app.services.accounts import auth
from apec_app.services.accounts import enterprise_accounts as accounts
from apec_app.services.errors import Conflict, InvalidInput, NotFound, raise_if_invalid
from apec_app.services.messaging import mail
from apec_app.services.principal import Principal
from apec_app.services.security_log import log_event
from apec_app.services.settings.back_office import require_admin
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings

LINK_HOURS = 72
PURPOSE = "set_password"


@dataclass
class OpenAccountForm:
    name: str
    uscc: str
    legal_rep: str
    email: str
    info: accounts.EnterpriseInfo


def open_account(uow: UnitOfWork, form: OpenAccountForm) -> Enterprise:
    db, principal = uow.db, uow.principal
    admin = require_admin(principal)
    email, uscc = normalize_email(form.email), normalize_uscc(form.uscc)
    errors = {
        "name": check_required(form.name, 200),
        "uscc": check_uscc(uscc),
        "legal_rep": check_required(form.legal_rep, 100),
        "email": check_email(email),
        **accounts.check_info(form.info),
    }
    if not errors["uscc"] and accounts.uscc_taken(db, uscc):
        errors["uscc"] = "account_exists"
    if not errors["email"] and accounts.email_taken(db, email):
        errors["email"] = "account_exists"
    raise_if_invalid(errors)
    enterprise = Enterprise(
        name=form.name.strip(),
        uscc=uscc,
        legal_rep=form.legal_rep.strip(),
        email=email,
        reg_province=form.info.reg_province,
        reg_address=form.info.reg_address.strip(),
        phone=form.info.phone.strip(),
        nature=form.info.nature,
        industry=form.info.industry,
        opened_by=admin.label,
        created_at=uow.now(),
    )
    db.add(enterprise)
    db.flush()
    _send_link(uow, admin, enterprise)
    log_event(
        db, "admin_open_account", actor=admin.label, detail=f"enterprise {enterprise.id}", client_ip=uow.client_ip
    )
    return enterprise


def resend_link(uow: UnitOfWork, enterprise_id: int) -> None:
    """A new link (the old ones stop working) while the enterprise has not set its password yet."""
    db, principal = uow.db, uow.principal
    admin = require_admin(principal)
    enterprise = db.get(Enterprise, enterprise_id)
    if enterprise is None or enterprise.opened_by is None:
        raise NotFound()
    if enterprise.password_hash:
        raise Conflict("password_already_set")
    _send_link(uow, admin, enterprise)
    log_event(
        db,
        "admin_resend_account_link",
        actor=admin.label,
        detail=f"enterprise {enterprise.id}",
        client_ip=uow.client_ip,
    )


def _send_link(uow: UnitOfWork, admin: Principal, enterprise: Enterprise) -> None:
    db, now = uow.db, uow.now()
    db.execute(
        update(AccountLink)
        .where(col(AccountLink.enterprise_id) == enterprise.id, col(AccountLink.used_at).is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.add(
        AccountLink(
            token_hash=auth.hash_token(token),
            enterprise_id=row_id(enterprise),
            purpose=PURPOSE,
            created_by=admin.label,
            created_at=now,
            expires_at=now + timedelta(hours=LINK_HOURS),
        )
    )
    link = f"{get_settings().public_url}/set-password/{token}"
    mail.queue_email(
        db,
        enterprise.email,
        "【APEC商务旅行卡】请设置账号密码",
        f"{enterprise.name}：\n\n工作人员已为贵单位开通APEC商务旅行卡申请管理系统账号（登录邮箱 {enterprise.email}）。"
        f"请在{LINK_HOURS}小时内打开以下链接设置密码，链接仅可使用一次：\n\n{link}\n\n如非贵单位申请，请忽略本邮件。",
        now=now,
    )


def _live_link(uow: UnitOfWork, token: str) -> AccountLink:
    db = uow.db
    link = db.exec(select(AccountLink).where(AccountLink.token_hash == auth.hash_token(token or ""))).first()
    if link is None or link.purpose != PURPOSE or link.used_at is not None or link.expires_at <= uow.now():
        raise InvalidInput("token", "link_invalid")
    return link


def link_enterprise(uow: UnitOfWork, token: str) -> Enterprise:
    """For the 设置密码 page: whose account the link is for (refused when used, replaced or expired)."""
    db = uow.db
    enterprise = db.get(Enterprise, _live_link(uow, token).enterprise_id)
    assert enterprise is not None  # the link's enterprise (a foreign key)
    return enterprise


def set_password(uow: UnitOfWork, token: str, password: str, confirm: str) -> Enterprise:
    db = uow.db
    link = _live_link(uow, token)
    raise_if_invalid(accounts.check_new_password(password, confirm))
    claimed = db.exec(
        update(AccountLink)
        .where(col(AccountLink.id) == link.id, col(AccountLink.used_at).is_(None))
        .values(used_at=uow.now())
    )
    if claimed.rowcount != 1:
        raise InvalidInput("token", "link_invalid")  # used in another tab a moment ago
    enterprise = db.get(Enterprise, link.enterprise_id)
    assert enterprise is not None  # the link's enterprise (a foreign key)
    enterprise.password_hash = hash_password(password)
    enterprise.password_changed_at = uow.now()
    db.add(enterprise)
    log_event(
        db, "account_password_set", actor=f"enterprise:{enterprise.id}", detail="one-time link", client_ip=uow.client_ip
    )
    return enterprise


@dataclass(frozen=True)
class OpenedAccount:
    """One account opened by staff, as the 企业账号开通 list shows it."""

    id: int
    name: str
    uscc: str
    email: str
    opened_at: datetime
    password_set: bool


def list_opened(uow: UnitOfWork) -> list[OpenedAccount]:
    """Newest first; whether the enterprise has set its password yet (never the password's hash)."""
    db, principal = uow.db, uow.principal
    require_admin(principal)
    rows = db.exec(
        select(Enterprise).where(col(Enterprise.opened_by).is_not(None)).order_by(col(Enterprise.id).desc())
    ).all()
    return [OpenedAccount(row_id(e), e.name, e.uscc, e.email, e.created_at, bool(e.password_hash)) for e in rows]
