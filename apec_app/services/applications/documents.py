"""Uploaded documents: checked by content, re-encoded, stored privately, served only to their owner."""

from __future__ import annotations

from sqlmodel import Session

from apec_app.domain import lifecycle
from apec_app.domain.uploads import RULES, UploadRejected, UploadRule, check_upload, material_rule
from apec_app.integrations import storage
from apec_app.models import Document, Material
from apec_app.services.applications import filing as applications
from apec_app.services.errors import Conflict, InvalidInput, NotFound
from apec_app.services.principal import Principal
from apec_app.services.security_log import log_event

# Payment vouchers and 补卡 情况说明 / 报失证明: a photo or a scan.
PAPER_RULE = material_rule("jpg,jpeg,png,pdf")


def rule_for(db: Session, kind: str) -> UploadRule:
    if kind in ("payment_voucher", "statement"):
        return PAPER_RULE
    if kind.startswith("material:"):
        material = db.get(Material, applications._as_int(kind.split(":", 1)[1]))
        if material is None:
            raise NotFound()
        return material_rule(material.accepted)
    if kind not in RULES:
        raise NotFound()
    return RULES[kind]


def upload(db: Session, principal: Principal, application_id: int, kind: str, filename: str, data: bytes) -> Document:
    """Check and keep one file for an editable application of the caller. Bad files change nothing."""
    application = applications.owned(db, principal, application_id)
    if kind == "payment_voucher":
        if application.status != lifecycle.AWAITING_PAYMENT:
            raise Conflict("not_payable")
    else:
        applications._editable(application)
    rule = rule_for(db, kind)
    try:
        checked = check_upload(data, rule)
    except UploadRejected as exc:
        raise InvalidInput(kind, exc.code) from exc
    stored = storage.save_private(checked.data)
    document = Document(
        enterprise_id=application.enterprise_id,
        application_id=application.id,
        kind=kind,
        storage_key=stored.key,
        original_name=(filename or "file")[-200:],
        content_type=checked.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=principal.label,
    )
    db.add(document)
    db.flush()
    return document


def owned_document(db: Session, principal: Principal, document_id: int) -> Document:
    """The document if the caller may see it: its applicant, or staff of the reviewing institution (logged)."""
    document = db.get(Document, document_id)
    if document is None or document.application_id is None:
        raise NotFound()
    if principal.is_staff:
        from apec_app.services.review import workbench as review

        review.open_application(db, principal, document.application_id)
        log_event(db, "staff_document_view", actor=principal.label, detail=f"document {document.id} {document.kind}")
    else:
        applications.owned(db, principal, document.application_id)
    return document


def download_url(db: Session, principal: Principal, document_id: int) -> str:
    document = owned_document(db, principal, document_id)
    return f"/files/{storage.sign_download(document.id, principal.label)}"
