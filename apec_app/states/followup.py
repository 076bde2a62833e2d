"""The follow-up wizard (提前制卡, 换补卡, 未制卡仅更换护照, 注销卡): its steps come from domain/followups.py.
Like the 新办/续办 wizard, every change is saved to the draft at once."""

from __future__ import annotations

import asyncio

import reflex as rx

from apec_app.db import session_scope
from apec_app.domain import followups as rules
from apec_app.models import Institution
from apec_app.services import passport_ocr
from apec_app.services.errors import ServiceError
from apec_app.services.followups import forms as followups
from apec_app.services.principal import Principal
from apec_app.states.delivery import DeliveryMixin
from apec_app.states.draft_form import DraftFormMixin
from apec_app.states.session import SessionState
from apec_app.time_format import today_local
from apec_app.ui_text import BUSINESS_TYPE_LABELS

FORM_SECTIONS = ("contact", "reason", "passport")


class FollowupState(DraftFormMixin, DeliveryMixin, SessionState):
    kind: str = ""
    kind_label: str = ""
    parent_number: str = ""
    steps: list[str] = []
    source: dict[str, str] = {}
    contact: dict[str, str] = {}
    reason: dict[str, str] = {}
    passport: dict[str, str] = {}
    ocr_open: bool = False
    ocr_fields: dict[str, str] = {}
    ocr_note: str = ""

    def _step_count(self) -> int:
        return len(self.steps)

    def _save(self, db, principal: Principal) -> None:
        followups.save_draft(db, principal, self.application_id, self._form())

    def _check_step(self, db, principal: Principal, step: int) -> dict[str, str]:
        application, _ = followups.load(db, principal, self.application_id)
        return followups.validate_step(db, application, self._form(), step, today_local())

    def _submit(self, db, principal: Principal):
        return followups.submit(db, principal, self.application_id, today_local())

    @rx.var
    def step_name(self) -> str:
        return self.steps[self.step - 1] if 0 < self.step <= len(self.steps) else ""

    @rx.var
    def last_step(self) -> int:
        return len(self.steps)

    @rx.var
    def summary_rows(self) -> list[list[str]]:
        """信息确认 lines of the first step (labels and values from the domain rules)."""
        if self.kind not in rules.STEPS:
            return []
        return [[label, value] for label, value in rules.summary(self.kind, self._form())]

    # --- loading ----------------------------------------------------------------------------------------

    def _load(self, principal: Principal, application_id: int) -> None:
        with session_scope() as db:
            application, form = followups.load(db, principal, application_id)
            if application.status not in ("draft", "returned"):
                raise ServiceError("application_not_editable")
            institution = db.get(Institution, application.institution_id)
            self.application_id, self.kind = application.id, application.business_type
            self.kind_label = BUSINESS_TYPE_LABELS[self.kind]
            self.number = application.number or ""
            self.institution_name = institution.name
            self._load_materials(db, application)
            self._load_delivery(db, principal, institution)
        self.steps = list(rules.STEPS[self.kind])
        self.parent_number = str(form.get("parent_number", ""))
        self.source = {k: str(v) for k, v in form.get("source", {}).items()}
        for section in (*FORM_SECTIONS, "materials", "delivery"):
            setattr(self, section, {k: str(v) for k, v in form.get(section, {}).items()})
        step = str(form.get("step", 1))
        self.step = min(int(step), len(self.steps)) if step.isdigit() and int(step) > 0 else 1
        self.errors = {}
        self.rev += 1

    def _form(self) -> dict:
        return {
            "source": self.source,  # shown only: save_draft keeps the server's copy
            "contact": self.contact,
            "reason": self.reason,
            "passport": self.passport,
            "materials": self.materials,
            "delivery": self.delivery,
            "step": self.step,
        }

    # --- editing ----------------------------------------------------------------------------------------

    @rx.event
    def set_field(self, section: str, key: str, value: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        if section not in FORM_SECTIONS or key not in rules.SECTIONS[section]:
            return None
        values = {**getattr(self, section), key: str(value)[:500]}
        if section == "reason" and key == "kind":
            values["reason"] = ""  # the reasons differ between 换卡 and 补卡
            self.rev += 1
        setattr(self, section, values)
        self.errors.pop(f"{section}.{key}", None)
        return self._persist(principal)

    def _set_delivery(self, principal: Principal, key: str, value: str):
        self.delivery = {**self.delivery, key: str(value)[:50]}
        self.errors.pop(f"delivery.{key}", None)
        return self._persist(principal)

    @rx.event
    async def upload_slot(self, files: list[rx.UploadFile], slot: str):
        """补卡 情况说明 or the new passport page (which is then read by OCR)."""
        principal = self._me()
        if principal is None:
            return self._denied()
        if not files or slot not in rules.UPLOAD_SLOTS:
            return None
        section = rules.UPLOAD_SLOTS[slot]
        key = f"{section}.{slot}_doc"
        try:
            doc_id, name = await self._stored(principal, files, slot)
            with session_scope() as db:
                followups.attach_upload(db, principal, self.application_id, slot, doc_id, name)
        except (ServiceError, ValueError) as exc:
            self.errors = {**self.errors, key: self._upload_error(exc)}
            return None
        setattr(self, section, {**getattr(self, section), f"{slot}_doc": str(doc_id), f"{slot}_name": name})
        self.errors.pop(key, None)
        if slot == "passport_page":
            return FollowupState.read_passport(doc_id)
        return None

    @rx.event
    async def read_passport(self, document_id: int):
        principal = self._me()
        if principal is None:
            yield self._denied()
            return
        self.busy = "正在识别护照信息…"
        yield
        try:
            outcome = await asyncio.to_thread(passport_ocr.read_document, principal, document_id)
        except ServiceError:
            outcome = None
        self.busy = ""
        if outcome is None:
            yield rx.toast.warning("未能识别护照信息，请手工填写")
            return
        self.ocr_fields, self.ocr_note, self.ocr_open = outcome.fields, outcome.note, True
        if outcome.fields.get("pinyin") and outcome.fields["pinyin"] != self.source.get("pinyin"):
            self.ocr_note = f"{self.ocr_note} 识别出的姓名拼音与持卡人不一致，请核对护照".strip()

    @rx.event
    def close_ocr(self):
        self.ocr_open = False

    @rx.event
    def confirm_ocr(self, form: dict):
        principal = self._me()
        if principal is None:
            return self._denied()
        values = {k: str(form.get(k, "")).strip()[:20] for k in ("passport_number", "issue_date", "expiry_date")}
        values["passport_number"] = values["passport_number"].upper()
        self.passport = {**self.passport, **values}
        self.ocr_open = False
        self.rev += 1
        return self._persist(principal)

    # --- steps ------------------------------------------------------------------------------------------
