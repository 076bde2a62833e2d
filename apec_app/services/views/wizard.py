"""The draft a form page edits: the application, its institution and the form as saved."""

from __future__ import annotations

from dataclasses import dataclass

from apec_app.models import Application, Institution
from apec_app.models.base import row_id
from apec_app.services.applications import filing
from apec_app.services.errors import Conflict
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
