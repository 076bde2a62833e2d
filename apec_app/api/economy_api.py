"""The APEC economies' machine API (/api/economy/v1): an economy's system reads the people waiting for its
pre-clearance and sends its decisions, with a bearer token of that economy (services/economies/api_tokens.py).

Every route resolves the token first; what it reads and decides is the token's economy's, whatever the request
names. Decisions go through services/economies/api.py (idempotent by the client's own id, each item on its
own) and from there through the reviewers' service. The OpenAPI document describes exactly these routes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apec_app.api.bodies import read_limited
from apec_app.services.accounts import auth
from apec_app.services.economies import api, api_tokens, queue
from apec_app.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from apec_app.services.principal import ECONOMY
from apec_app.services.unit_of_work import UnitOfWork, unit_of_work
from apec_app.ui_text.economy_portal import describe_en

PREFIX = "/api/economy/v1"
PORTAL_PHOTOS = "/economy-photos"
MAX_BODY = 256 * 1024
NO_STORE = {"Cache-Control": "no-store"}


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _error(status: int, code: str, **params: Any) -> JSONResponse:
    headers = dict(NO_STORE)
    if code == "rate_limited":
        headers["Retry-After"] = str(params.get("seconds", 60))
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="economy-api"'
    return JSONResponse({"error": code, "message": describe_en(code, **params)}, status_code=status, headers=headers)


def _status_of(exc: ServiceError) -> int:
    if exc.code == "api_unauthorized":
        return 401
    if exc.code == "rate_limited":
        return 429
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict):
        return 409
    return 400


def _authenticated(request: Request, work: Callable[[UnitOfWork], Response]) -> Response:
    """The token's principal, then the work, in one unit of work (a refusal still counts against the limits)."""
    try:
        with unit_of_work(client_ip=_client_ip(request)) as uow:
            uow.principal = api_tokens.authenticate(uow, request.headers.get("authorization", ""))
            return work(uow)
    except ServiceError as exc:
        return _error(_status_of(exc), exc.code, **exc.params)


def _person_json(p: queue.PendingPerson) -> dict[str, Any]:
    return {
        "person": p.ref,
        "surname": p.latin_surname,
        "given_names": p.latin_given_names,
        "name_in_chinese": p.surname + p.given_name,
        "sex": p.sex,
        "date_of_birth": p.birth_date.isoformat() if p.birth_date else None,
        "nationality": p.nationality,
        "passport_number": p.passport_number,
        "passport_expiry": p.passport_expiry.isoformat() if p.passport_expiry else None,
        "photo_url": f"{PREFIX}/people/{p.ref}/photo" if p.has_photo else None,
        "waiting_since": p.waiting_since.isoformat() if p.waiting_since else None,
    }


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and len(value) < 12 else default


def _pending(request: Request) -> Response:
    after = _int(request.query_params.get("cursor"), 0)
    limit = _int(request.query_params.get("limit"), queue.PAGE_SIZE)

    def work(uow: UnitOfWork) -> Response:
        found = queue.queue(uow, after=after, limit=limit)
        people = [_person_json(p) for p in found.people]
        more = bool(found.people) and len(found.people) == max(1, min(limit, queue.MAX_LIMIT))
        body = {
            "economy": found.economy_code,
            "deciding": found.deciding,
            "total": found.total,
            "people": people,
            "next_cursor": str(found.people[-1].person_id) if more else None,
        }
        return JSONResponse(body, headers=NO_STORE)

    return _authenticated(request, work)


def _decisions(request: Request, raw: bytes) -> Response:
    def work(uow: UnitOfWork) -> Response:
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError):
            body = None
        items = body.get("decisions") if isinstance(body, dict) else None
        if not isinstance(items, list) or not 0 < len(items) <= api.MAX_ITEMS:
            return _error(400, "api_body", limit=api.MAX_ITEMS)
        outcomes = api.submit(uow, [api.parse_item(i) for i in items])
        results = [
            {"id": o.client_id or None, "status": o.status}
            | ({"error": o.error, "message": describe_en(o.error)} if o.error else {})
            for o in outcomes
        ]
        counts = {s: sum(o.status == s for o in outcomes) for s in (api.RECORDED, api.REPLAYED, api.REJECTED)}
        return JSONResponse({"results": results, **counts}, headers=NO_STORE)

    return _authenticated(request, work)


def _photo(request: Request) -> Response:
    ref = request.path_params["ref"]

    def work(uow: UnitOfWork) -> Response:
        person_id = queue.person_of(queue.economy_of(uow.principal), ref)
        if person_id is None:
            raise NotFound()
        data, content_type = queue.photo(uow, person_id)
        return Response(data, media_type=content_type, headers={"Cache-Control": "private, no-store"})

    return _authenticated(request, work)


async def pending(request: Request) -> Response:
    return await asyncio.to_thread(_pending, request)


async def decisions(request: Request) -> Response:
    raw = await read_limited(request, MAX_BODY)
    if raw is None:
        return _error(413, "api_body", limit=api.MAX_ITEMS)
    return await asyncio.to_thread(_decisions, request, raw)


async def photo(request: Request) -> Response:
    return await asyncio.to_thread(_photo, request)


def _portal_photo(request: Request) -> Response:
    """The portal's <img>: the signed-in officer's session cookie, and a person waiting for its economy."""
    number = request.path_params["person_id"]
    with unit_of_work(client_ip=_client_ip(request)) as uow:
        cookie = request.cookies.get(auth.SESSION_COOKIE, "")
        principal = auth.resolve_session(uow.db, cookie, now=uow.now(), touch=False)
        if principal is None or principal.kind != ECONOMY or not number.isdigit() or len(number) > 12:
            return Response("Not found", status_code=404, media_type="text/plain")
        uow.principal = principal
        try:
            with uow.savepoint():
                data, content_type = queue.photo(uow, int(number))
        except ServiceError:
            return Response("Not found", status_code=404, media_type="text/plain")
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, no-store"})


async def portal_photo(request: Request) -> Response:
    return await asyncio.to_thread(_portal_photo, request)


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(str(request.base_url).rstrip("/")))


# --- the OpenAPI document -------------------------------------------------------------------------------------

_ERROR = {"$ref": "#/components/schemas/Error"}


def _answer(description: str, schema: dict | None = None) -> dict:
    content = {"application/json": {"schema": schema}} if schema else {}
    return {"description": description, **({"content": content} if content else {})}


_REFUSALS = {
    "401": _answer("Missing, wrong or revoked token", _ERROR),
    "429": _answer("Rate limited; see the Retry-After header (seconds)", _ERROR),
}


def openapi_document(server: str = "") -> dict:
    """OpenAPI 3.1 for the routes above."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "APEC Business Travel Card — economy pre-clearance API",
            "version": "1.0.0",
            "description": (
                "For an APEC member economy's systems: read the Chinese applicants waiting for your economy's "
                "pre-clearance and send your decisions. Authenticate with your economy's API token "
                "(`Authorization: Bearer abtc_…`); you only ever see and decide for your own economy. A token "
                f"may make {api_tokens.PER_TOKEN.count} requests a minute."
            ),
        },
        "servers": [{"url": server}] if server else [],
        "security": [{"bearer": []}],
        "paths": {
            f"{PREFIX}/pending": {
                "get": {
                    "operationId": "listPending",
                    "summary": "People waiting for your economy's decision, oldest first",
                    "parameters": [
                        {
                            "name": "cursor",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "next_cursor of the previous page; omit for the first page",
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": queue.MAX_LIMIT,
                                       "default": queue.PAGE_SIZE},  # fmt: skip
                        },
                    ],
                    "responses": {"200": _answer("A page of people", {"$ref": "#/components/schemas/Pending"}),
                                  **_REFUSALS},  # fmt: skip
                }
            },
            f"{PREFIX}/decisions": {
                "post": {
                    "operationId": "submitDecisions",
                    "summary": "Record decisions; idempotent by your own id, each item succeeds or fails alone",
                    "description": (
                        "Sending an item again with the same id and content answers `replayed` and records "
                        "nothing; the same id with other content is `rejected` (api_id_reused). A rejected item "
                        "leaves the others recorded."
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DecisionBatch"}}},
                    },
                    "responses": {
                        "200": _answer("One result per item, in order", {"$ref": "#/components/schemas/Results"}),
                        "400": _answer("The body is not a batch of 1 to 200 items", _ERROR),
                        "403": _answer("Your economy takes no pre-clearance decisions", _ERROR),
                        "409": _answer("An id of the batch was recorded meanwhile by a parallel request; nothing of "
                                       "this one was recorded: send it again", _ERROR),  # fmt: skip
                        "413": _answer("The body is too large", _ERROR),
                        **_REFUSALS,
                    },
                }
            },
            f"{PREFIX}/people/{{person}}/photo": {
                "get": {
                    "operationId": "getPhoto",
                    "summary": "The passport photo of a person waiting for your economy",
                    "parameters": [{"name": "person", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "The photo", "content": {"image/jpeg": {}, "image/png": {}}},
                        "404": _answer("Not a person waiting for your economy", _ERROR),
                        **_REFUSALS,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                },
                "Person": {
                    "type": "object",
                    "required": ["person", "surname", "given_names", "sex", "nationality", "passport_number"],
                    "properties": {
                        "person": {"type": "string", "description": "Your economy's reference for the person"},
                        "surname": {"type": "string", "description": "As in the passport (Latin letters)"},
                        "given_names": {"type": "string"},
                        "name_in_chinese": {"type": "string"},
                        "sex": {"type": "string", "enum": ["M", "F", "X"]},
                        "date_of_birth": {"type": ["string", "null"], "format": "date"},
                        "nationality": {"type": "string", "description": "ICAO 9303 code"},
                        "passport_number": {"type": "string"},
                        "passport_expiry": {"type": ["string", "null"], "format": "date"},
                        "photo_url": {"type": ["string", "null"]},
                        "waiting_since": {"type": ["string", "null"], "format": "date"},
                    },
                },
                "Pending": {
                    "type": "object",
                    "required": ["economy", "deciding", "total", "people", "next_cursor"],
                    "properties": {
                        "economy": {"type": "string"},
                        "deciding": {"type": "boolean"},
                        "total": {"type": "integer"},
                        "people": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
                        "next_cursor": {"type": ["string", "null"]},
                    },
                },
                "Decision": {
                    "type": "object",
                    "required": ["id", "person", "decision", "decided_on"],
                    "properties": {
                        "id": {"type": "string", "pattern": api.CLIENT_ID.pattern,
                               "description": "Your own id for this decision (idempotency key)"},  # fmt: skip
                        "person": {"type": "string"},
                        "decision": {"type": "string", "enum": ["approved", "refused"]},
                        "decided_on": {"type": "string", "format": "date"},
                    },
                },
                "DecisionBatch": {
                    "type": "object",
                    "required": ["decisions"],
                    "properties": {
                        "decisions": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": api.MAX_ITEMS,
                            "items": {"$ref": "#/components/schemas/Decision"},
                        }
                    },
                },
                "Results": {
                    "type": "object",
                    "required": ["results"],
                    "properties": {
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "status"],
                                "properties": {
                                    "id": {"type": ["string", "null"]},
                                    "status": {"type": "string", "enum": ["recorded", "replayed", "rejected"]},
                                    "error": {"type": "string"},
                                    "message": {"type": "string"},
                                },
                            },
                        },
                        "recorded": {"type": "integer"},
                        "replayed": {"type": "integer"},
                        "rejected": {"type": "integer"},
                    },
                },
            },
        },
    }


routes = [
    Route(f"{PREFIX}/openapi.json", openapi, methods=["GET"]),
    Route(f"{PREFIX}/pending", pending, methods=["GET"]),
    Route(f"{PREFIX}/decisions", decisions, methods=["POST"]),
    Route(f"{PREFIX}/people/{{ref}}/photo", photo, methods=["GET"]),
    Route(f"{PORTAL_PHOTOS}/{{person_id}}", portal_photo, methods=["GET"]),
]
