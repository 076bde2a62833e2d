"""The virtual cards' public routes (docs/rules.md §8): the published signing keys, and whether a genuine
card's token still stands (cancelled or replaced since). Neither returns anything about the holder: the status
answers only for a token signed by one of our keys, so a card number alone tells no one anything."""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apec_app.api.bodies import read_limited
from apec_app.integrations import card_keys
from apec_app.services.cards import tokens
from apec_app.services.unit_of_work import unit_of_work

MAX_BODY = 4096


async def keys(request: Request) -> Response:
    """The public keys that verify the QR codes (RFC 7517 JWK Set), the signing one first (read from the key
    folder in a thread: a rotation may hold its lock)."""
    published = await asyncio.to_thread(card_keys.jwks)
    return JSONResponse(published, headers={"Cache-Control": "public, max-age=300"})


async def status(request: Request) -> Response:
    """POST {"token": "..."} → {"standing": "valid" | "expired" | "cancelled" | "replaced" | "not_issued" |
    "outdated" | "unknown"}, or 400 {"error": "token_malformed" | "token_unknown_key" | "token_bad_signature"}."""
    body = await read_limited(request, MAX_BODY)
    if body is None:
        return JSONResponse({"error": "token_malformed"}, status_code=413)
    try:
        token = str(json.loads(body or b"{}").get("token", ""))
    except (ValueError, AttributeError, RecursionError):
        return JSONResponse({"error": "token_malformed"}, status_code=400)
    return await asyncio.to_thread(_standing, token)


def _standing(token: str) -> Response:
    try:
        verified = tokens.verify(token)
    except tokens.TokenRejected as exc:
        return JSONResponse({"error": exc.code}, status_code=400)
    with unit_of_work() as uow:
        standing = tokens.standing_now(uow.db, verified.claims, uow.today())
    return JSONResponse({"standing": standing}, headers={"Cache-Control": "no-store"})


routes = [Route("/api/cards/keys", keys, methods=["GET"]), Route("/api/cards/status", status, methods=["POST"])]
