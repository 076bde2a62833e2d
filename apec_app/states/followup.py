"""The follow-up wizard (提前制卡, 换补卡, 未制卡仅更换护照, 注销卡): its steps come from domain/followups.py.
Like the 新办/续办 wizard, every change is saved to the draft at once."""

from __future__ import annotations

import reflex as rx

from apec_app.domain import followups as rules
from apec_app.services import passport_ocr
from apec_app.services.errors import ServiceError
from apec_app.services.followups import forms as followup_forms
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views import wizard as wizard_view
from apec_app.states.delivery import DeliveryMixin
from apec_app.states.draft_form import DraftFormMixin
from apec_app.states.gate import APPLICANT, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import BUSINESS_TYPE_LABELS, STEP_LABELS

FORM_SECTIONS = ("contact", "reason", "passport")
# The new passport's fields in the OCR dialog (the holder is known already).
OCR_FIELDS = ("passport_number", "issue_date", "expiry_date", "issue_place")


class FollowupState(DraftFormMixin, DeliveryMixin, PageMixin, SessionState):
    kind: str = ""
    kind_label: str = ""
    parent_number: str = ""
    # Step codes of this business (domain/followups.STEPS) and their names on the progress bar.
    steps: list[str] = []
    step_labels: list[str] = []
    source: dict[str, str] = {}
    contact: dict[str, str] = {}
    reason: dict[str, str] = {}
    passport: dict[str, str] = {}
    ocr_open: bool = False
    ocr_fields: dict[str, str] = {}
    ocr_note: str = ""
    ocr_unread: list[str] = []
    ocr_inferred: bool = False
    step_name: str = ""
    last_step: int = 0
    summary_rows: list[list[str]] = []

    def _step_count(self) -> int:
        return len(self.steps)

    def _save(self, uow: UnitOfWork) -> None:
        followup_forms.save_draft(uow, self.application_id, self._form())

    def _check_step(self, uow: UnitOfWork, step: int) -> dict[str, str]:
        application, _ = followup_forms.load(uow, self.application_id)
        return followup_forms.validate_step(uow, application, self._form(), step)

    def _submit(self, uow: UnitOfWork):
        return followup_forms.submit(uow, self.application_id)

    def _derive(self) -> None:
        self._assign(
            # The current step's code (the page draws each step by its code).
            step_name=self.steps[self.step - 1] if 0 < self.step <= len(self.steps) else "",
            last_step=len(self.steps),
            # 信息确认 lines of the first step (labels and values from the domain rules).
            summary_rows=(
                [[label, value] for label, value in rules.summary(self.kind, self._form())]
                if self.kind in rules.STEPS
                else []
            ),
        )

    # --- loading ----------------------------------------------------------------------------------------

    def _load(self, uow: UnitOfWork, application_id: int) -> None:
        draft = wizard_view.followup_draft(uow, application_id)
        application, form = draft.application, draft.form
        self.application_id, self.kind = draft.id, application.business_type
        self.kind_label = BUSINESS_TYPE_LABELS[self.kind]
        self.number, self.institution_name = draft.number, draft.institution_name
        self._load_materials(uow, application)
        self._load_delivery(uow, draft.institution)
        self.steps = list(rules.STEPS[self.kind])
        self.step_labels = [STEP_LABELS[code] for code in self.steps]
        self.parent_number = str(form.get("parent_number", ""))
        self.source = {k: str(v) for k, v in form.get("source", {}).items()}
        for section in (*FORM_SECTIONS, "materials", "delivery"):
            setattr(self, section, {k: str(v) for k, v in form.get(section, {}).items()})
        step = str(form.get("step", 1))
        self.step = min(int(step), len(self.steps)) if step.isdigit() and int(step) > 0 else 1
        self._load_returning(form)
        self.errors = {}
        self._load_previews(uow, application)
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
            "returning": self.returning,
        }

    # --- editing ----------------------------------------------------------------------------------------

    @requires(APPLICANT)
    def set_field(self, uow: UnitOfWork, section: str, key: str, value: str):
        if section not in FORM_SECTIONS or key not in rules.SECTIONS[section]:
            return None
        values = {**getattr(self, section), key: str(value)[:500]}
        if section == "reason" and key == "kind":
            values["reason"] = ""  # the reasons differ between 换卡 and 补卡
            self.rev += 1
        setattr(self, section, values)
        self.errors.pop(f"{section}.{key}", None)
        self._persist(uow)
        return None

    def _set_delivery(self, uow: UnitOfWork, key: str, value: str):
        self.delivery = {**self.delivery, key: str(value)[:50]}
        self.errors.pop(f"delivery.{key}", None)
        self._persist(uow)

    @requires(APPLICANT)
    async def upload_slot(self, uow: UnitOfWork, files: list[rx.UploadFile], slot: str):
        """补卡 情况说明 or the new passport page (which is then read by OCR)."""
        if not files or slot not in rules.UPLOAD_SLOTS:
            return None
        section = rules.UPLOAD_SLOTS[slot]
        key = f"{section}.{slot}_doc"
        try:
            doc_id, name = await self._stored(uow, files, slot)
            application_id = self.application_id
            await uow.in_thread(lambda tx: followup_forms.attach_upload(tx, application_id, slot, doc_id, name))
        except (ServiceError, ValueError) as exc:
            self.errors = {**self.errors, key: self._upload_error(uow, exc)}
            return None
        setattr(self, section, {**getattr(self, section), f"{slot}_doc": str(doc_id), f"{slot}_name": name})
        self.errors.pop(key, None)
        self._add_preview(uow, doc_id)
        if slot == "passport_page":
            return FollowupState.read_passport(doc_id)
        return None

    @requires(APPLICANT)
    async def read_passport(self, uow: UnitOfWork, document_id: int):
        self.busy = "正在识别护照信息…"
        yield
        try:
            outcome = await passport_ocr.read_document(uow.principal, document_id)
        except ServiceError:
            outcome = None
        self.busy = ""
        if outcome is None:
            yield rx.toast.warning("未能识别护照信息，请手工填写")
            return
        self.ocr_fields, self.ocr_note, self.ocr_open = outcome.fields, outcome.note, True
        self.ocr_unread = [k for k in OCR_FIELDS if not outcome.fields.get(k) or k in outcome.unread]
        self.ocr_inferred = bool(outcome.fields.get("issue_date")) and not outcome.issue_date_read
        if outcome.fields.get("pinyin") and outcome.fields["pinyin"] != self.source.get("pinyin"):
            self.ocr_note = f"{self.ocr_note} 识别出的姓名拼音与持卡人不一致，请核对护照".strip()

    @requires(APPLICANT)
    def close_ocr(self, uow: UnitOfWork):
        self.ocr_open = False

    @requires(APPLICANT)
    def confirm_ocr(self, uow: UnitOfWork, form: dict):
        """【确认护照信息】: the new passport's fields; one left empty keeps what was there, 签发机关 is taken when
        the reader could read it."""
        values = {k: str(form.get(k, "")).strip()[:20] for k in OCR_FIELDS}
        values["passport_number"] = values["passport_number"].upper()
        values["issuing_authority"] = str(self.ocr_fields.get("issuing_authority", ""))[:100]
        self.passport = {**self.passport, **{k: v for k, v in values.items() if v}}
        for key in values:
            self.errors.pop(f"passport.{key}", None)
        self.ocr_open = False
        self.rev += 1
        self._persist(uow)
        return None
