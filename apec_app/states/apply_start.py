"""申办须知 before 【立即办理】: 外办 enterprises first choose their 外办; 中央企业 go straight to the Ministry."""

from __future__ import annotations

import re

import reflex as rx

from apec_app.services.applications import filing
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views import apply_start
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.states.session import PageMixin, SessionState

# The self-check form's questions where the rule's own wording would be unclear.
FACT_LABELS = {
    "founded": "成立日期",
    "months_employed": "拟申请人员在所属单位连续工作月数（多人用逗号分隔）",
    "people_count": "拟申请人数",
    "has_tax_certificate": "是否已取得完税证明",
}


class ApplyStartState(PageMixin, SessionState):
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

    def _show(self, notice: apply_start.Notice) -> None:
        self.institution_id, self.institution_name = str(notice.institution_id), notice.institution_name
        self.notice = notice.text
        self.agreed = False
        self.rule_texts = notice.rule_texts
        self.fact_fields = [
            {"key": f.key, "label": FACT_LABELS.get(f.key, f.ask), "type": f.kind} for f in notice.facts
        ]
        self.check_results = []

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        start = apply_start.start_page(uow)
        self.direct = start.direct
        self.institutions = [{"id": str(i), "name": n} for i, n in start.institutions]
        if start.notice is not None:
            self._show(start.notice)

    @requires(APPLICANT)
    def choose_institution(self, uow: UnitOfWork, institution_id: str):
        if self.direct:
            return
        notice = apply_start.local_notice(uow, int(institution_id) if str(institution_id).isdigit() else 0)
        if notice is None:
            self.institution_id, self.notice = "", ""
            return
        self._show(notice)

    @requires(APPLICANT)
    def run_self_check(self, uow: UnitOfWork, form: dict):
        """申办条件自查: every rule of the chosen institution against what the applicant typed (nothing is saved)."""
        if not self.institution_id.isdigit():
            return None
        self.facts = {f["key"]: str(form.get(f["key"], ""))[:200] for f in self.fact_fields}
        facts: dict[str, object] = dict(self.facts)
        if "months_employed" in facts:
            facts["months_employed"] = [m for m in re.split(r"[,，、\s]+", self.facts["months_employed"]) if m]
        results = apply_start.self_check(uow, int(self.institution_id), facts)
        self.check_results = [{"status": r.status, "message": r.message} for r in results]
        return None

    @requires(APPLICANT)
    def set_agreed(self, uow: UnitOfWork, value: bool):
        self.agreed = bool(value)

    def _service_error(self, exc):
        self.error = next(iter(self._errors(exc).values()))

    @requires(APPLICANT)
    def start(self, uow: UnitOfWork):
        if not self.agreed:
            self.error = "请勾选“我已阅读并知晓”"
            return None
        chosen = int(self.institution_id) if self.institution_id.isdigit() else None
        application = filing.start(uow, chosen)
        return rx.redirect(f"/apply/{application.id}")
