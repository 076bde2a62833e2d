"""What every application form shares (新办/续办 and the follow-ups): loading the draft before showing it, saving it
on every change, uploads of materials, moving between steps and 【提交】.

A state using it provides `_load(principal, id)`, `_form()`, `_save(db, principal)`, `_check_step(db, principal,
step)` and `_submit(db, principal)`, and its step count as `last_step`.
"""

from __future__ import annotations

import reflex as rx

from apec_app.db import session_scope
from apec_app.models.base import utcnow
from apec_app.services.applications import documents
from apec_app.services.applications import filing as applications
from apec_app.services.applications.filing import StepErrors
from apec_app.services.errors import InvalidInput, ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE, Principal
from apec_app.time_format import local_time
from apec_app.ui_text import describe
from apec_app.ui_text.uploads import describe_upload_error

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


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

    def _me(self) -> Principal | None:
        return self._current(ENTERPRISE, AGENT)

    @rx.event
    def on_load(self):
        """Hide the form until this application's draft is loaded: typing into a form that is about to be
        replaced would be lost."""
        self.loaded = False
        yield
        principal = self._enter(ENTERPRISE, AGENT)
        if principal is None:
            yield self._denied()
            return
        try:
            self._load(principal, self._route_id())
        except ServiceError as exc:
            if exc.code == "application_not_editable":
                yield rx.redirect(f"/user/applications/{self._route_id()}")
                return
            self.found = False
            return
        self.found, self.loaded = True, True

    def _load_materials(self, db, application) -> None:
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
            for m in applications.materials_for(db, application.business_type, application.channel)
        ]

    def _persist(self, principal: Principal):
        """Save the whole form to the draft; returns an event when the draft can no longer be edited."""
        try:
            with session_scope() as db:
                self._save(db, principal)
        except ServiceError as exc:
            return rx.toast.error(describe(exc.code))
        self.saved_at = local_time(utcnow(), "%H:%M:%S")
        return None

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.errors = {k: describe(v) for k, v in errors.items()}

    # --- uploads ----------------------------------------------------------------------------------------

    async def _stored(self, principal: Principal, files: list[rx.UploadFile], kind: str) -> tuple[int, str]:
        """(document id, name) of the checked upload, or raises with the reason."""
        upload = files[0]
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        with session_scope() as db:
            document = documents.upload(
                db, principal, self.application_id, kind, upload.name or upload.filename or "file", data
            )
            return document.id, document.original_name

    def _upload_error(self, exc: Exception) -> str:
        if isinstance(exc, InvalidInput):
            try:
                with session_scope() as db:
                    return describe_upload_error(exc.code, documents.rule_for(db, exc.field))
            except ServiceError:
                return describe(exc.code)
        return describe(getattr(exc, "code", "not_found"))

    @rx.event
    async def upload_material(self, files: list[rx.UploadFile], material_id: str):
        principal = self._me()
        if principal is None:
            return self._denied()
        if not files:
            return None
        key = f"materials.{material_id}"
        try:
            doc_id, name = await self._stored(principal, files, f"material:{int(material_id)}")
        except (ServiceError, ValueError) as exc:
            self.errors = {**self.errors, key: self._upload_error(exc)}
            return None
        self.materials = {**self.materials, f"m{material_id}": str(doc_id), f"m{material_id}_name": name}
        self.errors.pop(key, None)
        return self._persist(principal)

    # --- steps ------------------------------------------------------------------------------------------

    def _validate(self, principal: Principal, step: int) -> dict[str, str]:
        with session_scope() as db:
            return self._check_step(db, principal, step)

    @rx.event
    def next_step(self):
        principal = self._me()
        if principal is None:
            return self._denied()
        errors = self._validate(principal, self.step)
        self._show_errors(errors)
        if errors:
            return events(self._persist(principal), rx.toast.error("请按提示修改标红的内容"))
        self.step = min(self.step + 1, self._step_count())
        self.rev += 1
        return events(self._persist(principal), rx.scroll_to("wizard-top"))

    @rx.event
    def go_step(self, step: int):
        principal = self._me()
        if principal is None:
            return self._denied()
        if 1 <= step < self.step:
            self.step = step
            self.rev += 1
        return events(self._persist(principal), rx.scroll_to("wizard-top"))

    @rx.event
    def save_draft(self):
        principal = self._me()
        if principal is None:
            return self._denied()
        return self._persist(principal) or rx.toast.success("草稿已保存")

    @rx.event
    def submit(self):
        """【提交】 once: a second click while the first runs does nothing; errors take the applicant to the step."""
        principal = self._me()
        if principal is None:
            return self._denied()
        if self.submitting:
            return None
        self.submitting = True
        try:
            self._persist(principal)
            with session_scope() as db:
                app_id = self._submit(db, principal).id
        except StepErrors as exc:
            self.step, self.submitting = exc.step, False
            self.rev += 1
            self._show_errors(exc.errors)
            return rx.toast.error("请按提示修改标红的内容")
        except ServiceError as exc:
            self.submitting = False
            return rx.toast.error(describe(exc.code))
        self.submitting = False
        return [rx.toast.success("提交成功"), rx.redirect(f"/user/applications/{app_id}")]
