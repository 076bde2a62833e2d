"""Private file downloads: a signed, expiring URL, and the caller's own session must still own the file. A file
the retention period deleted is answered 410 Gone with a sentence saying so (the pages no longer link it)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apec_app.integrations import storage
from apec_app.services.accounts import auth
from apec_app.services.applications import documents
from apec_app.services.errors import ServiceError
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import unit_of_work
from apec_app.ui_text.uploads import DOCUMENT_PURGED_PAGE


def _not_found() -> Response:
    return Response("未找到文件", status_code=404, media_type="text/plain; charset=utf-8")


async def download(request: Request) -> Response:
    signed = storage.verify_download(request.path_params["token"])
    if signed is None:
        return _not_found()
    document_id, label = signed
    client_ip = request.client.host if request.client else ""
    with unit_of_work(client_ip=client_ip) as uow:
        db = uow.db
        principal = auth.resolve_session(db, request.cookies.get(auth.SESSION_COOKIE, ""), now=uow.now(), touch=False)
        if principal is None or principal.label != label:
            log_event(
                db,
                "access_refused",
                actor=principal.label if principal else "anonymous",
                detail=f"document {document_id}",
                client_ip=client_ip,
            )
            return _not_found()
        uow.principal = principal
        try:
            with uow.savepoint():
                document = documents.owned_document(uow, document_id)
        except ServiceError:
            return _not_found()
        key, content_type = document.storage_key, document.content_type
        if document.purged_at is not None:
            return Response(DOCUMENT_PURGED_PAGE, status_code=410, media_type="text/plain; charset=utf-8")
    try:
        data = storage.read_private(key)
    except (FileNotFoundError, ValueError):
        return _not_found()
    return Response(
        data,
        media_type=content_type,
        headers={
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": "inline",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        },
    )


routes = [Route("/files/{token}", download, methods=["GET"])]
