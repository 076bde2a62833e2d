"""The printable application form (申请表 PDF): the submitted application as both detail pages show it.

Callers check access first (filing.owned for applicants, queue.open_application for reviewers)."""

from __future__ import annotations

import json

from sqlmodel import Session

from apec_app.domain import lifecycle
from apec_app.integrations import application_pdf, storage
from apec_app.models import Document, Institution
from apec_app.services.applications import views
from apec_app.services.review import decisions
from apec_app.time_format import local_time
from apec_app.ui_text import BUSINESS_TYPE_LABELS, forms, status_label


def _photo(db: Session, enterprise_id: int, document_id: str) -> bytes | None:
    """The person's photo (a follow-up's person carries the photo of the 新办/续办 application)."""
    document = db.get(Document, int(document_id)) if document_id.isdigit() else None
    if document is None or document.enterprise_id != enterprise_id or document.kind != "photo" or document.purged_at:
        return None
    try:
        return storage.read_private(document.storage_key)
    except OSError:
        return None


def build(db: Session, application) -> application_pdf.PdfApplication:
    form = json.loads(application.form_json or "{}")
    rows = views.person_rows(decisions.people(db, application), form.get("people", []))
    people = [forms.with_history_text(row) for row in rows]
    if application.business_type == lifecycle.NEW_RENEW:
        unit, group = form.get("unit", {}), form.get("group", {})
        sections = [
            ("单位信息", [(label, str(unit.get(key, ""))) for label, key in forms.UNIT_LINES]),
            ("团组信息", [(label, str(group.get(key, ""))) for label, key in forms.GROUP_LINES]),
        ]
    else:
        sections = [("业务信息", [("原申请单", str(form.get("parent_number", "")))])]
        sections[0][1].extend((label, value) for label, value in forms.followup_lines(application.business_type, form))
    institution = db.get(Institution, application.institution_id)
    return application_pdf.PdfApplication(
        number=application.number or "",
        business_type_label=BUSINESS_TYPE_LABELS.get(application.business_type, ""),
        status_label=status_label(application.status, application.early_card_done),
        institution_name=institution.name if institution else "",
        submitted_at=local_time(application.submitted_at),
        sections=sections,
        people=[
            application_pdf.PdfPerson(
                name=f"{p.get('surname', '')}{p.get('given_name', '')}",
                rows=forms.person_lines(p),
                photo_jpeg=_photo(db, application.enterprise_id, p.get("photo_doc", "")),
            )
            for p in people
        ],
    )


def render(data: application_pdf.PdfApplication) -> bytes:
    """Slow (about 1–3 s: font subsetting): call it outside the database session, in a worker thread."""
    return application_pdf.render(data)
