"""The security log: sign-ins, failures and refused access (UTC, who, what, from where)."""

from __future__ import annotations

import logging

from sqlmodel import Session

from apec_app.models import SecurityEvent

logger = logging.getLogger("apec.security")


def log_event(db: Session, action: str, *, actor: str = "", detail: str = "", client_ip: str = "") -> SecurityEvent:
    """Record an event; callers pass identifiers already masked and never a password or code."""
    row = SecurityEvent(action=action, actor=actor[:100], detail=detail[:500], client_ip=client_ip[:64])
    db.add(row)
    logger.info("%s actor=%s ip=%s %s", action, actor, client_ip, detail)
    return row
