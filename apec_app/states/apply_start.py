"""申办须知 before 【立即办理】: 外办 enterprises first choose their 外办; 中央企业 go straight to the Ministry."""

from __future__ import annotations

import re

import reflex as rx

from apec_app.db import session_scope
from apec_app.domain import eligibility
from apec_app.domain.enterprise import DIRECT
from apec_app.domain.lifecycle import NEW_RENEW
from apec_app.models import Institution
from apec_app.services.applications import eligibility_rules
from apec_app.services.applications import filing as applications
from apec_app.services.errors import ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE
from apec_app.states.session import SessionState
from apec_app.time_format import today_local
from apec_app.ui_text import describe

# The self-check form's questions where the rule's own wording would be unclear.
FACT_LABELS = {
    "founded": "成立日期",
    "months_employed": "拟申请人员在所属单位连续工作月数（多人用逗号分隔）",
    "people_count": "拟申请人数",
    "has_tax_certificate": "是否已取得完税证明",
}


class ApplyStartState(SessionState):
    direct: bool = False
    institutions: list[dict[str, str]] = []
    institution_id: str = ""
    institution_name: str = ""
    notice: str = ""
    agreed: bool = False
    error: str = ""
    # 申办条件自查: the chosen institution's rules, the facts they ask for, the last check's results.
    rule_texts: list[str] = []
    fact_fields: list[dict[str, str]] = []
    facts: dict[str, str] = {}
    check_results: list[dict[str, str]] = []

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
        wanted = eligibility.requirements(eligibility_rules.rules_of(db, institution.id))
        self.rule_texts = [text for _, text in wanted]
        self.fact_fields = [
            {"key": kind.fact, "label": FACT_LABELS.get(kind.fact, kind.ask), "type": kind.fact_type}
            for kind, _ in wanted
        ]
        self.check_results = []

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
    def run_self_check(self, form: dict):
        """申办条件自查: every rule of the chosen institution against what the applicant typed (nothing is saved)."""
        principal = self._current(ENTERPRISE, AGENT)
        if principal is None:
            return self._denied()
        if not self.institution_id.isdigit():
            return None
        self.facts = {f["key"]: str(form.get(f["key"], ""))[:200] for f in self.fact_fields}
        facts: dict[str, object] = dict(self.facts)
        if "months_employed" in facts:
            facts["months_employed"] = [m for m in re.split(r"[,，、\s]+", self.facts["months_employed"]) if m]
        with session_scope() as db:
            _, results = eligibility_rules.self_check(db, int(self.institution_id), facts, today_local())
        self.check_results = [{"status": r.status, "message": r.message} for r in results]
        return None

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
