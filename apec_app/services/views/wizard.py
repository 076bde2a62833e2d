"""The draft a form page edits: the application, its institution and the form as saved."""

from __future__ import annotations

from dataclasses import dataclass

from apec_app.integrations import storage
from apec_app.models import Application, Institution
from apec_app.models.base import row_id
from apec_app.services.applications import documents, filing
from apec_app.services.errors import Conflict, ServiceError
from apec_app.services.followups import forms as followup_forms
from apec_app.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Draft:
    id: int
    number: str
    institution_name: str
    application: Application
    institution: Institution
    form: dict


def _draft(uow: UnitOfWork, application: Application, form: dict) -> Draft:
    filing.editable(application)
    institution = uow.db.get(Institution, application.institution_id)
    assert institution is not None  # the application's own institution (a foreign key)
    return Draft(row_id(application), application.number or "", institution.name, application, institution, form)


def draft(uow: UnitOfWork, application_id: int) -> Draft:
    """A 新办/续办 draft of the caller that can still be edited (Conflict "application_not_editable" else)."""
    application, form = filing.load_form(uow, application_id)
    if application.business_type != "new_renew":
        raise Conflict("application_not_editable")
    return _draft(uow, application, form)


def followup_draft(uow: UnitOfWork, application_id: int) -> Draft:
    application, form = followup_forms.load(uow, application_id)
    return _draft(uow, application, form)


# A form's previews are shown for as long as a session may stay idle; they are signed again on every load.
PREVIEW_SECONDS = 30 * 60


@dataclass(frozen=True)
class Preview:
    """An uploaded file as the form shows it: a thumbnail for an image, an icon and the name for a PDF."""

    url: str
    name: str
    image: bool


def previews(uow: UnitOfWork, application: Application) -> dict[int, Preview]:
    """Signed links to the uploads of the caller's own application (checked by `draft`), by document id."""
    return {
        row_id(d): Preview(
            f"/files/{storage.sign_download(row_id(d), uow.actor, PREVIEW_SECONDS)}",
            d.original_name,
            d.content_type.startswith("image/"),
        )
        for d in filing.documents(uow.db, application)
    }


def preview(uow: UnitOfWork, document_id: int) -> Preview | None:
    """The preview of one upload of the caller (None if it is not theirs)."""
    try:
        with uow.savepoint():
            document = documents.owned_document(uow, document_id)
    except ServiceError:
        return None
    url = documents.download_url(uow, document_id, PREVIEW_SECONDS)
    return Preview(url, document.original_name, document.content_type.startswith("image/"))
