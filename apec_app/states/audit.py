"""安全与审计日志: sign-ins, refused access, staff actions and staff views of documents — admins only."""

from __future__ import annotations

from datetime import datetime, time, timezone

import reflex as rx
from sqlalchemy import func, or_
from sqlmodel import col, select

from apec_app.db import session_scope
from apec_app.domain.application_form import parse_date
from apec_app.domain.numbering import SHANGHAI
from apec_app.models import SecurityEvent
from apec_app.services.principal import STAFF
from apec_app.services.security_log import log_event
from apec_app.states.session import SessionState
from apec_app.time_format import local_time

PAGE_SIZE = 50


class AuditState(SessionState):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    query: dict[str, str] = {}

    def _admin(self):
        with session_scope() as db:
            principal = self._require(db, STAFF)
            if principal is not None and principal.role != "admin":
                log_event(
                    db,
                    "access_refused",
                    actor=principal.label,
                    detail="audit log needs admin",
                    client_ip=self._client_ip(),
                )
                return None
        return principal

    @rx.event
    def on_load(self):
        principal = self._admin()
        if principal is None:
            return self._denied()
        with session_scope() as db:
            self._show_principal(db, principal)
        self.page, self.query = 1, {}
        self._load()
        return None

    def _load(self) -> None:
        q = self.query
        where = []
        if q.get("text"):
            like = f"%{q['text']}%"
            where.append(
                or_(
                    col(SecurityEvent.actor).like(like),
                    col(SecurityEvent.detail).like(like),
                    col(SecurityEvent.client_ip).like(like),
                )
            )
        if q.get("action"):
            where.append(col(SecurityEvent.action).like(f"{q['action']}%"))
        for key, op in (("date_from", "ge"), ("date_to", "le")):
            day = parse_date(q.get(key, ""))
            if day:
                edge = datetime.combine(day, time.max if op == "le" else time.min, SHANGHAI).astimezone(timezone.utc)
                where.append(SecurityEvent.created_at <= edge if op == "le" else SecurityEvent.created_at >= edge)
        with session_scope() as db:
            self.total = int(db.exec(select(func.count()).select_from(SecurityEvent).where(*where)).one())
            events = db.exec(
                select(SecurityEvent)
                .where(*where)
                .order_by(col(SecurityEvent.id).desc())
                .offset((self.page - 1) * PAGE_SIZE)
                .limit(PAGE_SIZE)
            ).all()
        self.rows = [
            {
                "time": local_time(e.created_at, "%Y-%m-%d %H:%M:%S"),
                "actor": e.actor,
                "action": e.action,
                "detail": e.detail,
                "ip": e.client_ip,
            }
            for e in events
        ]

    @rx.event
    def search(self, form: dict):
        if self._admin() is None:
            return self._denied()
        self.query = {k: str(form.get(k, "")).strip()[:100] for k in ("text", "action", "date_from", "date_to")}
        self.page = 1
        self._load()
        return None

    @rx.event
    def go_page(self, page: int):
        if self._admin() is None:
            return self._denied()
        self.page = max(1, int(page))
        self._load()
        return None
