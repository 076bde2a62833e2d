"""申办须知 before 【立即办理】: 外办 enterprises first choose their 外办; 中央企业 go straight to the Ministry."""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.domain.enterprise import DIRECT
from apec_app.domain.lifecycle import NEW_RENEW
from apec_app.messages_zh import describe
from apec_app.models import Institution
from apec_app.services import applications
from apec_app.services.errors import ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE
from apec_app.states.session import SessionState


class ApplyStartState(SessionState):
    direct: bool = False
    institutions: list[dict[str, str]] = []
    institution_id: str = ""
    institution_name: str = ""
    notice: str = ""
    agreed: bool = False
    error: str = ""

    @rx.event
    def on_load(self):
        with session_scope() as db:
            principal = self._require(db, ENTERPRISE, AGENT)
            self._show_principal(db, principal)
            if principal is None:
                return self._denied()
            self.direct = applications.channel_of(db, principal) == DIRECT
            self.institutions = [{"id": str(i.id), "name": i.name} for i in applications.local_institutions(db)]
            self.agreed = False
            self.error = ""
            self.institution_id = ""
            self.notice = ""
            if self.direct:
                self._show_notice(db, applications.ministry(db))
        return None

    def _show_notice(self, db, institution: Institution) -> None:
        self.institution_id = str(institution.id)
        self.institution_name = institution.name
        self.notice = applications.notice_text(db, NEW_RENEW, institution)
        self.agreed = False

    @rx.event
    def choose_institution(self, institution_id: str):
        if self.direct:
            return
        with session_scope() as db:
            institution = db.get(Institution, int(institution_id)) if str(institution_id).isdigit() else None
            if institution is None or institution.kind != "fao":
                self.institution_id, self.notice = "", ""
                return
            self._show_notice(db, institution)

    @rx.event
    def set_agreed(self, value: bool):
        self.agreed = bool(value)

    @rx.event
    def start(self):
        if not self.agreed:
            self.error = "请勾选“我已阅读并知晓”"
            return None
        try:
            with session_scope() as db:
                principal = self._require(db, ENTERPRISE, AGENT)
                if principal is None:
                    return self._denied()
                chosen = int(self.institution_id) if self.institution_id.isdigit() else None
                application = applications.start(db, principal, chosen)
                app_id = application.id
        except ServiceError as exc:
            self.error = describe(exc.code)
            return None
        return rx.redirect(f"/apply/{app_id}")
