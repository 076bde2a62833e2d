"""The 新办/续办 wizard: 1 单位信息 2 团组信息 3 取卡方式 4 信息确认. Every change is saved to the draft at once,
so nothing typed is lost on reload, sign-out or a dropped connection."""

from __future__ import annotations

import asyncio

import reflex as rx

from apec_app.domain import people_import, regions
from apec_app.domain.application_form import (
    CHECKED_ON_LEAVE,
    GROUP_FIELDS,
    MAX_PEOPLE,
    PERSON_DOCS,
    PERSON_FIELDS,
    UNIT_FIELDS,
    check_person_field,
    empty_person,
)
from apec_app.domain.person import pinyin_name
from apec_app.services import passport_ocr
from apec_app.services.applications import eligibility_rules, filing
from apec_app.services.errors import ServiceError
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views import wizard as wizard_view
from apec_app.states.delivery import DeliveryMixin
from apec_app.states.draft_form import DraftFormMixin, events
from apec_app.states.gate import APPLICANT, requires
from apec_app.states.session import PageMixin, SessionState
from apec_app.ui_text import describe

# Set only by uploads, never typed.
DOCUMENT_KEYS = frozenset({f"{d}_doc" for d in PERSON_DOCS} | {f"{d}_name" for d in PERSON_DOCS})
# The keys each section accepts from the browser: anything else is ignored, so a draft cannot be bloated.
SECTIONS = {"unit": UNIT_FIELDS, "group": GROUP_FIELDS, "delivery": ("method", "pickup_point_id", "address_id")}
# What 【确认护照信息】 copies into the person: the dialog's fields, and 签发机关 when the reader could read it.
# The person's fields whose value changes what the page shows (the fields under 出生国家 中国, the cities of the
# province): a change of one re-sends `people`.
SHOWN_KEYS = frozenset({"birth_country", "birth_province"})
OCR_FIELDS = ("surname", "given_name", "pinyin", "sex", "birth_date", "passport_number", "issue_date",
              "expiry_date", "issue_place")  # fmt: skip


class WizardState(DraftFormMixin, DeliveryMixin, PageMixin, SessionState):
    # `rev` only grows: a reload hydrates the tab's last `people` (not re-sent since the typing), and the page's
    # load must re-mount the uncontrolled inputs with the draft's values (a `rev` reset to 0 and bumped to 1 would
    # equal the old one).
    keep_on_load = ("rev",)
    unit: dict[str, str] = {}
    group: dict[str, str] = {}
    # The group's people as last saved (the truth, changed by every keystroke's save) and `people`, what the
    # page renders from. The inputs are uncontrolled, so `people` is re-sent only when what the page shows
    # changes (a select that shows or hides fields, an upload, a person added or removed, a re-mount): with 30
    # people it is about 26 KB, and re-sending it re-renders every person card at every keystroke.
    _people: list[dict[str, str]] = []
    people: list[dict[str, str]] = []
    # 姓名拼音 per person, for its controlled input (it follows the Chinese name): a few bytes to re-send.
    pinyins: list[str] = []
    warnings: dict[str, str] = {}
    ocr_open: bool = False
    ocr_index: int = 0
    ocr_fields: dict[str, str] = {}
    ocr_note: str = ""
    # The dialog's fields the reader could not read (shown empty and marked), and whether 签发日期 is inferred.
    ocr_unread: list[str] = []
    ocr_inferred: bool = False
    # 批量导入: the dialog and the per-row, per-cell report of the last file (nothing imported when it has any).
    import_open: bool = False
    import_errors: list[dict[str, str]] = []

    # --- loading ----------------------------------------------------------------------------------------

    def _load(self, uow: UnitOfWork, application_id: int) -> None:
        draft = wizard_view.draft(uow, application_id)
        self.application_id, self.number, self.institution_name = draft.id, draft.number, draft.institution_name
        self._load_materials(uow, draft.application)
        self._load_delivery(uow, draft.institution)
        form = draft.form
        self.unit = {k: str(v) for k, v in form.get("unit", {}).items()}
        self.group = {k: str(v) for k, v in form.get("group", {}).items()}
        people = [{**empty_person(), **{k: str(v) for k, v in p.items()}} for p in form.get("people", [])]
        for person in people:  # drafts saved when the table's names were in traditional characters
            person["birth_province"] = regions.simplified(person["birth_province"])
        self._people = people or [empty_person()]
        self.materials = {k: str(v) for k, v in form.get("materials", {}).items()}
        self.delivery = {k: str(v) for k, v in form.get("delivery", {}).items()}
        self.step = int(form.get("step", 1)) if str(form.get("step", 1)).isdigit() else 1
        self._load_returning(form)
        self.errors = {}
        self._refresh_warnings(uow, draft.application)
        self._load_previews(uow, draft.application)
        self._remount()

    def _form(self) -> dict:
        return {
            "unit": self.unit,
            "group": self.group,
            "people": self._people,
            "materials": self.materials,
            "delivery": self.delivery,
            "step": self.step,
            "returning": self.returning,
        }

    # --- editing ----------------------------------------------------------------------------------------

    @requires(APPLICANT)
    def set_field(self, uow: UnitOfWork, section: str, key: str, value: str):
        if key not in SECTIONS.get(section, ()) or key in ("name", "uscc"):
            return None
        current = dict(getattr(self, section))
        current[key] = str(value)[:2000]
        setattr(self, section, current)
        if f"{section}.{key}" in self.errors:
            self.errors.pop(f"{section}.{key}", None)
        self._persist(uow)
        return None

    @requires(APPLICANT)
    def set_person(self, uow: UnitOfWork, index: int, key: str, value: str):
        self._set_person(uow, index, key, value)

    def _set_person(self, uow: UnitOfWork, index: int, key: str, value: str) -> None:
        if not 0 <= index < len(self._people) or key not in PERSON_FIELDS or key in DOCUMENT_KEYS:
            return None
        people = [dict(p) for p in self._people]
        person = people[index]
        value = str(value)[:500]
        if key == "pinyin":
            value = value.upper()
        changed = person.get(key) != value
        person[key] = value
        if key in ("surname", "given_name") and person.get("surname") and person.get("given_name"):
            # 姓名拼音 follows the Chinese name until the applicant edits it (the input is controlled, so no
            # re-mount is needed and nothing being typed elsewhere is disturbed).
            auto = pinyin_name(person["surname"], person["given_name"])
            if not person.get("pinyin") or person.get("pinyin_auto") == person.get("pinyin"):
                person["pinyin"] = auto
                person["pinyin_auto"] = auto
        self._people = people
        self._show_pinyins()
        if changed and key in SHOWN_KEYS:
            self._publish()
        # A late keystroke event of the text already checked on leaving keeps its message.
        if changed and f"people.{index}.{key}" in self.errors:
            self.errors.pop(f"people.{index}.{key}", None)
        self._persist(uow)

    @requires(APPLICANT)
    def leave_person(self, uow: UnitOfWork, index: int, key: str, value: str):
        """Leaving a field (blur): save it, and check the fields that can be judged alone (身份证号 …) at once."""
        self._set_person(uow, index, key, value)
        if key not in CHECKED_ON_LEAVE or not 0 <= index < len(self._people):
            return None
        error, warning = check_person_field(self._people[index], key, uow.today())
        path = f"people.{index}.{key}"
        errors = {k: v for k, v in self.errors.items() if k != path} | ({path: describe(error)} if error else {})
        warnings = {k: v for k, v in self.warnings.items() if k != path}
        warnings |= {path: describe(warning)} if warning else {}
        if errors != self.errors:  # assigned only when changed: an assignment re-sends it and re-renders the cards
            self.errors = errors
        if warnings != self.warnings:
            self.warnings = warnings
        return None

    def _set_delivery(self, uow: UnitOfWork, key: str, value: str):
        self.delivery = {**self.delivery, key: str(value)[:50]}
        self.errors.pop(f"delivery.{key}", None)
        self._persist(uow)

    def _publish(self) -> None:
        """Re-send the people the page renders from (see `_people`)."""
        self.people = [dict(p) for p in self._people]
        self._show_pinyins()

    def _show_pinyins(self) -> None:
        pinyins = [p.get("pinyin", "") for p in self._people]
        if pinyins != self.pinyins:
            self.pinyins = pinyins

    def _before_remount(self) -> None:
        self._publish()

    @requires(APPLICANT)
    def add_person(self, uow: UnitOfWork):
        if len(self._people) >= MAX_PEOPLE:
            return rx.toast.error(describe("people_too_many"))
        self._people = [*self._people, empty_person()]
        self._publish()
        self._persist(uow)
        return None

    @requires(APPLICANT)
    def remove_person(self, uow: UnitOfWork, index: int):
        if len(self._people) <= 1 or not 0 <= index < len(self._people):
            return None
        self._people = [p for i, p in enumerate(self._people) if i != index]
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith("people.")}
        self._remount()
        self._persist(uow)
        return None

    # --- uploads ----------------------------------------------------------------------------------------

    @requires(APPLICANT)
    async def upload_person_doc(self, uow: UnitOfWork, files: list[rx.UploadFile], kind: str, index: int):
        if not 0 <= index < len(self._people) or f"{kind}_doc" not in PERSON_FIELDS:
            return None
        if not files:
            return None
        key = f"people.{index}.{kind}_doc"
        try:
            doc_id, name = await self._stored(uow, files, kind)
        except (ServiceError, ValueError) as exc:
            self.errors = {**self.errors, key: self._upload_error(uow, exc)}
            return None
        people = [dict(p) for p in self._people]
        people[index][f"{kind}_doc"] = str(doc_id)
        people[index][f"{kind}_name"] = name
        self._people = people
        self._publish()
        self.errors.pop(key, None)
        self._add_preview(uow, doc_id)
        result = self._persist_now(uow)
        if kind == "passport_page":
            return events(result, WizardState.read_passport(index, doc_id))
        return result

    @requires(APPLICANT)
    async def read_passport(self, uow: UnitOfWork, index: int, document_id: int):
        """自动识别护照信息: OCR of the machine-readable zone, then the confirmation dialog."""
        self.busy = "正在识别护照信息…"
        yield
        try:
            outcome = await passport_ocr.read_document(uow.principal, document_id)
        except ServiceError:
            outcome = None
        self.busy = ""
        if outcome is None:
            self.ocr_note = "未能识别护照信息，请手工填写"
            yield rx.toast.warning(self.ocr_note)
            return
        self.ocr_index = index
        self.ocr_fields = outcome.fields
        self.ocr_note = outcome.note
        self.ocr_unread = [k for k in OCR_FIELDS if not outcome.fields.get(k) or k in outcome.unread]
        self.ocr_inferred = bool(outcome.fields.get("issue_date")) and not outcome.issue_date_read
        self.ocr_open = True

    @requires(APPLICANT)
    def close_ocr(self, uow: UnitOfWork):
        self.ocr_open = False

    @requires(APPLICANT)
    def confirm_ocr(self, uow: UnitOfWork, form: dict):
        """【确认护照信息】: copy the confirmed values into the person. A field left empty in the dialog keeps what
        the person had; 签发机关 (not in the dialog) is taken when the reader could read it."""
        index = self.ocr_index
        if not 0 <= index < len(self._people):
            return None
        people = [dict(p) for p in self._people]
        person = people[index]
        values = {key: str(form.get(key, "")).strip()[:100] for key in OCR_FIELDS}
        values["pinyin"] = " ".join(values["pinyin"].upper().split())
        values["passport_number"] = values["passport_number"].upper()
        if values["sex"] not in ("男", "女"):
            values["sex"] = ""
        values["issuing_authority"] = str(self.ocr_fields.get("issuing_authority", ""))[:100]
        person |= {key: value for key, value in values.items() if value}
        if values["pinyin"]:
            person["pinyin_auto"] = ""  # the passport's spelling: 姓/名 typed later no longer regenerate it
        for key in values:
            self.errors.pop(f"people.{index}.{key}", None)
        self._people = people
        self.ocr_open = False
        self._remount()
        self._persist(uow)
        return None

    # --- 批量导入 ---------------------------------------------------------------------------------------

    @requires(APPLICANT)
    def open_import(self, uow: UnitOfWork):
        self.import_open, self.import_errors = True, []

    @requires(APPLICANT)
    def close_import(self, uow: UnitOfWork):
        self.import_open = False

    @requires(APPLICANT)
    def download_template(self, uow: UnitOfWork):
        return rx.download(data=people_import.template(), filename="人员批量导入模板.xlsx")

    @requires(APPLICANT)
    async def upload_people(self, uow: UnitOfWork, files: list[rx.UploadFile]):
        """Every row becomes a person, or none does: any bad cell is reported and the form stays as it was."""
        if not files:
            return None
        data = await files[0].read(people_import.MAX_BYTES + 1)
        result = await asyncio.to_thread(people_import.parse, data, uow.today())
        errors = result.errors or people_import.against_form(result, self._people)
        if errors:
            self.import_errors = [
                {
                    "row": str(e.row) if e.row else "",
                    "column": e.column,
                    "message": describe(e.code),
                    "value": e.value,
                }
                for e in errors
            ]
            return rx.toast.error(f"文件中有 {len(errors)} 处错误，未导入任何人员，请修改后重新上传")
        self._people = [p for p in self._people if not people_import.is_blank(p)] + result.people
        self.import_open, self.import_errors = False, []
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith("people")}
        self._remount()
        return events(
            self._persist_now(uow), rx.toast.success(f"已导入 {len(result.people)} 名人员，请为每人上传照片等材料")
        )

    # --- what DraftFormMixin needs ---------------------------------------------------------------------

    def _step_count(self) -> int:
        return 4

    def _save(self, uow: UnitOfWork) -> None:
        filing.save_draft(uow, self.application_id, self._form())

    def _check_step(self, uow: UnitOfWork, step: int) -> dict[str, str]:
        application = filing.owned(uow, self.application_id)
        errors = filing.validate_step(uow, application, self._form(), step)
        self._refresh_warnings(uow, application)
        return errors

    def _submit(self, uow: UnitOfWork):
        return filing.submit(uow, self.application_id)

    def _refresh_warnings(self, uow: UnitOfWork, application) -> None:
        """Person warnings and the institution's 申办条件 the form misses: shown at the field, never blocking."""
        misses = eligibility_rules.misses(uow.db, application, self._form(), uow.today())
        self.warnings = {k: describe(v) for k, v in filing.warnings_of(self._form(), uow.today()).items()}
        self.warnings |= {m.field: m.message for m in misses}
