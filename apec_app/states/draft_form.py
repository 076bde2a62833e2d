"""What every application form shares (新办/续办 and the follow-ups): loading the draft before showing it, saving it
on every change (while typing, debounced), uploads of materials with their previews, moving between steps (and
from 信息确认's 【修改】 straight back to it) and 【提交】.

A state using it provides `_load(uow, id)`, `_form()`, `_save(uow)`, `_check_step(uow, step)` and
`_submit(uow)`, and its step count as `_step_count()`.
"""

from __future__ import annotations

import json
import re

import reflex as rx

from apec_app.services.applications import documents, filing
from apec_app.services.applications.filing import StepErrors
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views import wizard as wizard_view
from apec_app.states.gate import APPLICANT, page_load, requires
from apec_app.time_format import local_time
from apec_app.ui_text import describe, describe_upload_error

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ANCHOR = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


def scroll_into_view(element_id: str):
    """Scroll to an element once it is on the page (a step change re-renders the form first)."""
    return rx.call_script(
        "(function f(n){const e=document.getElementById(%s);"
        "if(e){e.scrollIntoView({block:'start'});}else if(n>0){setTimeout(()=>f(n-1),50);}})(40)"
        % json.dumps(element_id)
    )


def events(*items):
    """Reflex refuses None inside a returned list: keep only the real events."""
    return [item for item in items if item is not None]


class DraftFormMixin(rx.State, mixin=True):
    found: bool = True
    loaded: bool = False
    application_id: int = 0
    number: str = ""
    institution_name: str = ""
    step: int = 1
    materials: dict[str, str] = {}
    material_rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    # Bumped when the server changes what inputs show (OCR fill, reload), so uncontrolled inputs re-mount.
    rev: int = 0
    saved_at: str = ""
    busy: str = ""
    submitting: bool = False
    # Set by a 【修改】 of 信息确认: the step's 【保存】 checks it and goes straight back to 信息确认.
    returning: bool = False
    # Uploaded files by document id: a signed link, and "1" for an image (a thumbnail) or "" (an icon and name).
    preview_urls: dict[str, str] = {}
    preview_images: dict[str, str] = {}

    @page_load(APPLICANT)
    def on_load(self, uow: UnitOfWork):
        """The form shows only once this application's draft is loaded (typing into a form that is about to be
        replaced would be lost); a draft that can no longer be edited opens its detail page."""
        app_id = self._route_id()
        try:
            self._load(uow, app_id)
        except ServiceError as exc:
            if exc.code == "application_not_editable":
                return rx.redirect(f"/user/applications/{app_id}")
            self.found = False
            return None
        self.found, self.loaded = True, True
        return None

    def _load_materials(self, uow: UnitOfWork, application) -> None:
        """The materials this business type and channel ask for (as the back office configured them)."""
        self.material_rows = [
            {
                "id": str(m.id),
                "name": m.name,
                "hint": m.hint,
                "required": "1" if m.required else "",
                "example": m.example_image,
                "accepted": m.accepted,
            }
            for m in filing.materials_for(uow.db, application.business_type, application.channel)
        ]

    def _load_returning(self, form: dict) -> None:
        self.returning = bool(form.get("returning")) and self.step < self._step_count()

    def _load_previews(self, uow: UnitOfWork, application) -> None:
        found = wizard_view.previews(uow, application)
        self.preview_urls = {str(k): p.url for k, p in found.items()}
        self.preview_images = {str(k): "1" if p.image else "" for k, p in found.items()}

    def _add_preview(self, uow: UnitOfWork, document_id: int) -> None:
        """The preview of a file just uploaded (in a short transaction of its own: uploads have none)."""
        try:
            with uow.begin() as tx:
                found = wizard_view.preview(tx, document_id)
        except ServiceError:
            found = None
        if found is not None:
            self.preview_urls = {**self.preview_urls, str(document_id): found.url}
            self.preview_images = {**self.preview_images, str(document_id): "1" if found.image else ""}

    def _remount(self) -> None:
        """The server changed what the inputs show: they re-mount with it (they are uncontrolled)."""
        self._before_remount()
        self.rev += 1

    def _before_remount(self) -> None:
        """A form whose page renders from a copy of its data refreshes the copy here."""

    def _persist(self, uow: UnitOfWork) -> None:
        """Save the whole form to the draft in the handler's transaction."""
        self._save(uow)
        self.saved_at = local_time(uow.now(), "%H:%M:%S")

    def _persist_now(self, uow: UnitOfWork):
        """For handlers without a transaction (uploads): save in one of its own; an error becomes a toast."""
        try:
            with uow.begin() as tx:
                self._persist(tx)
        except ServiceError as exc:
            return rx.toast.error(describe(exc.code))
        return None

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.errors = {k: describe(v) for k, v in errors.items()}

    # --- uploads ----------------------------------------------------------------------------------------

    async def _stored(self, uow: UnitOfWork, files: list[rx.UploadFile], kind: str) -> tuple[int, str]:
        """(document id, name) of the checked upload, or raises with the reason."""
        upload = files[0]
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        application_id, name = self.application_id, upload.name or upload.filename or "file"
        document = await uow.in_thread(lambda tx: documents.upload(tx, application_id, kind, name, data))
        return document.id, document.original_name

    def _upload_error(self, uow: UnitOfWork, exc: Exception) -> str:
        if isinstance(exc, InvalidInput):
            try:
                with uow.begin() as tx:
                    return describe_upload_error(exc.code, documents.rule_for(tx.db, exc.field))
            except ServiceError:
                return describe(exc.code)
        return describe(getattr(exc, "code", "not_found"))

    @requires(APPLICANT)
    async def upload_material(self, uow: UnitOfWork, files: list[rx.UploadFile], material_id: int):
        if not files:
            return None
        key = f"materials.{material_id}"
        try:
            doc_id, name = await self._stored(uow, files, f"material:{int(material_id)}")
        except (ServiceError, ValueError) as exc:
            self.errors = {**self.errors, key: self._upload_error(uow, exc)}
            return None
        self.materials = {**self.materials, f"m{material_id}": str(doc_id), f"m{material_id}_name": name}
        self.errors.pop(key, None)
        self._add_preview(uow, doc_id)
        return self._persist_now(uow)

    # --- steps ------------------------------------------------------------------------------------------

    @requires(APPLICANT)
    def next_step(self, uow: UnitOfWork):
        """【下一步】, or 【保存】 after a 【修改】 of 信息确认: the step is checked, then the next step or 信息确认."""
        errors = self._check_step(uow, self.step)
        self._show_errors(errors)
        if not errors:
            self.step = self._step_count() if self.returning else min(self.step + 1, self._step_count())
            self.returning = False
            self._remount()
        self._persist(uow)
        return rx.toast.error("请按提示修改标红的内容") if errors else scroll_into_view("wizard-top")

    @requires(APPLICANT)
    def go_step(self, uow: UnitOfWork, step: int):
        if 1 <= step < self.step:
            self.step = step
            self.returning = False
            self._remount()
        self._persist(uow)
        return scroll_into_view("wizard-top")

    @requires(APPLICANT)
    def edit_part(self, uow: UnitOfWork, step: int, anchor: str):
        """【修改】 of a 信息确认 module: its step, scrolled to the part (a person, the materials), with 【保存】
        coming straight back here."""
        if not (1 <= step < self._step_count() and self.step == self._step_count()):
            return None
        self.step, self.returning = step, True
        self._remount()
        self._persist(uow)
        return scroll_into_view(anchor if ANCHOR.match(str(anchor)) else "wizard-top")

    @requires(APPLICANT)
    def save_draft(self, uow: UnitOfWork):
        self._persist(uow)
        return rx.toast.success("草稿已保存")

    def _service_error(self, exc: ServiceError):
        """【提交】 with errors takes the applicant to the first bad step; anything else is a toast."""
        self.submitting = False
        if isinstance(exc, StepErrors):
            self.step, self.returning = exc.step, True
            self._remount()
            self._show_errors(exc.errors)
            return rx.toast.error("请按提示修改标红的内容")
        return rx.toast.error(describe(exc.code))

    @requires(APPLICANT)
    def submit(self, uow: UnitOfWork):
        """【提交】 once: a second click while the first runs does nothing; errors take the applicant to the step."""
        if self.submitting:
            return None
        self.submitting = True
        self._persist(uow)
        app_id = self._submit(uow).id
        self.submitting = False
        return [rx.toast.success("提交成功"), rx.redirect(f"/user/applications/{app_id}")]
