"""经办人管理: an enterprise adds, edits, deletes, de-authorises and re-authorises its agents."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from apec_app.domain.passwords import check_password_policy, hash_password
from apec_app.domain.validators import check_email, check_mobile, check_required, check_username, normalize_email
from apec_app.models import Agent
from apec_app.models.base import row_id
from apec_app.services.accounts import auth
from apec_app.services.errors import Conflict, InvalidInput, NotFound, raise_if_invalid
from apec_app.services.principal import AGENT, ENTERPRISE, Principal, require_kind
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork


@dataclass
class AgentForm:
    name: str = ""
    username: str = ""
    password: str = ""
    mobile: str = ""
    email: str = ""


def list_agents(uow: UnitOfWork) -> list[Agent]:
    db, principal = uow.db, uow.me
    require_kind(principal, ENTERPRISE)
    return list(
        db.exec(
            select(Agent)
            .where(Agent.enterprise_id == principal.enterprise_id, col(Agent.deleted_at).is_(None))
            .order_by(col(Agent.id))
        ).all()
    )


def _own_agent(db: Session, principal: Principal, agent_id: int) -> Agent:
    """The agent, if it belongs to the caller's enterprise; anything else is 'not found'."""
    require_kind(principal, ENTERPRISE)
    agent = db.get(Agent, agent_id)
    if agent is None or agent.enterprise_id != principal.enterprise_id or agent.deleted_at is not None:
        log_event(db, "access_refused", actor=principal.label, detail=f"agent {agent_id}")
        raise NotFound()
    return agent


def _username_taken(db: Session, username: str, except_id: int | None = None) -> bool:
    found = db.exec(select(Agent.id).where(Agent.username == username.strip().lower())).first()
    return found is not None and found != except_id


def add_agent(uow: UnitOfWork, form: AgentForm) -> Agent:
    db, principal = uow.db, uow.me
    require_kind(principal, ENTERPRISE)
    raise_if_invalid(
        {
            "name": check_required(form.name, 50),
            "username": check_username(form.username),
            "password": check_password_policy(form.password),
            "mobile": check_mobile(form.mobile),
            "email": check_email(form.email),
        }
    )
    if _username_taken(db, form.username):
        raise InvalidInput("username", "username_taken")
    assert principal.enterprise_id is not None  # an enterprise principal has one
    agent = Agent(
        enterprise_id=principal.enterprise_id,
        name=form.name.strip(),
        username=form.username.strip().lower(),
        password_hash=hash_password(form.password),
        mobile=form.mobile.strip(),
        email=normalize_email(form.email),
    )
    db.add(agent)
    try:
        db.flush()
    except IntegrityError as exc:
        raise Conflict("username_taken") from exc
    log_event(db, "agent_added", actor=principal.label, detail=f"agent {agent.id}")
    return agent


def edit_agent(uow: UnitOfWork, agent_id: int, form: AgentForm) -> Agent:
    """Edit name, username, mobile, email; a non-empty password replaces the old one and ends its sessions."""
    db, principal = uow.db, uow.me
    agent = _own_agent(db, principal, agent_id)
    raise_if_invalid(
        {
            "name": check_required(form.name, 50),
            "username": check_username(form.username),
            "password": check_password_policy(form.password) if form.password else None,
            "mobile": check_mobile(form.mobile),
            "email": check_email(form.email),
        }
    )
    if _username_taken(db, form.username, except_id=agent.id):
        raise InvalidInput("username", "username_taken")
    agent.name = form.name.strip()
    agent.username = form.username.strip().lower()
    agent.mobile = form.mobile.strip()
    agent.email = normalize_email(form.email)
    if form.password:
        agent.password_hash = hash_password(form.password)
        auth.revoke_all_sessions(db, AGENT, row_id(agent), now=uow.now())
    db.add(agent)
    log_event(db, "agent_edited", actor=principal.label, detail=f"agent {agent.id}")
    return agent


def set_authorised(uow: UnitOfWork, agent_id: int, authorised: bool) -> Agent:
    """取消授权 ends the agent's live sessions at once; 授权 lets it sign in again."""
    db, principal = uow.db, uow.me
    agent = _own_agent(db, principal, agent_id)
    agent.authorised = authorised
    db.add(agent)
    if not authorised:
        auth.revoke_all_sessions(db, AGENT, row_id(agent), now=uow.now())
    log_event(
        db,
        "agent_authorised" if authorised else "agent_deauthorised",
        actor=principal.label,
        detail=f"agent {agent.id}",
    )
    return agent


def delete_agent(uow: UnitOfWork, agent_id: int) -> None:
    db, principal = uow.db, uow.me
    agent = _own_agent(db, principal, agent_id)
    agent.deleted_at = uow.now()
    agent.authorised = False
    # Free the username for reuse while the row stays for the applications it created.
    agent.username = f"deleted-{agent.id}-{agent.username}"[:40]
    db.add(agent)
    auth.revoke_all_sessions(db, AGENT, row_id(agent), now=uow.now())
    log_event(db, "agent_deleted", actor=principal.label, detail=f"agent {agent.id}")
