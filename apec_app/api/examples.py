"""Material example images (查看示例): public, since they show what a document looks like, not anyone's data.

They are stored with the private files (Reflex serves assets/ only as built), so this route serves a key only
while some material names it as its example image; every other stored file stays unreachable from here.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from apec_app.db import session_scope
from apec_app.domain.uploads import CONTENT_TYPES, sniff_kind
from apec_app.integrations import storage
from apec_app.services.settings.back_office import is_published_example

IMAGE_KINDS = ("jpeg", "png")


def _not_found() -> Response:
    return Response("未找到文件", status_code=404, media_type="text/plain; charset=utf-8")


async def example_image(request: Request) -> Response:
    key = request.path_params["key"]
    with session_scope() as db:
        published = is_published_example(db, key)
    if not published:
        return _not_found()
    try:
        data = storage.read_private(key)
    except (FileNotFoundError, ValueError):
        return _not_found()
    kind = sniff_kind(data)
    if kind not in IMAGE_KINDS:
        return _not_found()
    return Response(
        data,
        media_type=CONTENT_TYPES[kind],
        headers={
            # A new upload gets a new key, so a key's bytes never change.
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": "inline",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        },
    )


routes = [Route("/examples-files/{key}", example_image, methods=["GET"])]
