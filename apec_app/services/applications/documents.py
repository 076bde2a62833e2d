"""Uploaded documents: checked by content, re-encoded, stored privately, served only to their owner."""

from __future__ import annotations

from sqlmodel import Session

from apec_app.domain import lifecycle
from apec_app.domain.uploads import RULES, UploadRejected, UploadRule, check_upload, material_rule
from apec_app.integrations import storage
from apec_app.models import Application, Document, Material
from apec_app.models.base import row_id
from apec_app.services.applications import filing
from apec_app.services.errors import Conflict, InvalidInput, NotFound
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork

# 补卡 情况说明 / 报失证明: a photo or a scan.
PAPER_RULE = material_rule("jpg,jpeg,png,pdf")
# The 收银台's 支付凭证: a photo, jpg or jpeg under 5 MB (manual 1.2.6).
VOUCHER_RULE = RULES["payment_voucher"]


def rule_for(db: Session, kind: str) -> UploadRule:
    if kind == "statement":
        return PAPER_RULE
    if kind.startswith("material:"):
        material = db.get(Material, filing.as_int(kind.split(":", 1)[1]))
        if material is None:
            raise NotFound()
        return material_rule(material.accepted)
    if kind not in RULES:
        raise NotFound()
    return RULES[kind]


def upload(uow: UnitOfWork, application_id: int, kind: str, filename: str, data: bytes) -> Document:
    """Check and keep one file for an editable application of the caller. Bad files change nothing."""
    db = uow.db
    application = filing.owned(uow, application_id)
    if kind == "payment_voucher":
        if application.status != lifecycle.AWAITING_PAYMENT:
            raise Conflict("not_payable")
    else:
        filing.editable(application)
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
        uploaded_by=uow.actor,
        created_at=uow.now(),
    )
    db.add(document)
    db.flush()
    return document


def owned_document(uow: UnitOfWork, document_id: int) -> Document:
    """The document if the caller may see it: its applicant, or staff of the reviewing institution (logged)."""
    document = uow.db.get(Document, document_id)
    if document is None or document.application_id is None:
        raise NotFound()
    if uow.me.is_staff:
        application = uow.db.get(Application, document.application_id)
        if application is None or not filing.visible_to_staff(uow.me, application):
            log_event(uow.db, "access_refused", actor=uow.actor, detail=f"document {document.id}")
            raise NotFound()
        log_event(uow.db, "staff_document_view", actor=uow.actor, detail=f"document {document.id} {document.kind}")
    else:
        filing.owned(uow, document.application_id)
    return document


def download_url(uow: UnitOfWork, document_id: int, ttl_seconds: int = 300) -> str:
    document = owned_document(uow, document_id)
    return f"/files/{storage.sign_download(row_id(document), uow.actor, ttl_seconds)}"
