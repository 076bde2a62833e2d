"""The economy API's HTTP layer (Starlette's test client on the real routes and a migrated database): status codes,
the refusal headers, the body limits, the photo routes and the OpenAPI document matching the routes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from apec_app.api import economy_api
from apec_app.integrations import storage
from apec_app.models import Document
from apec_app.services.accounts import auth, throttle
from apec_app.services.economies import api_tokens, queue
from tests.factories import STAFF_PASSWORD, TODAY, uow_for
from tests.services.test_economies import JPEG, case, run  # noqa: F401 - `case` is the shared fixture


@pytest.fixture()
def world(app_engine, case):  # noqa: F811 - the imported fixture
    db = case["db"]
    jp = run(db, case["admin"], api_tokens.create_token, "JP system", economy_code="JP").token
    kr = run(db, case["admin"], api_tokens.create_token, "KR system", economy_code="KR").token
    db.commit()
    return {**case, "client": TestClient(Starlette(routes=economy_api.routes)), "jp_token": jp, "kr_token": kr}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_openapi_document_describes_the_routes_served(world):
    answer = world["client"].get("/api/economy/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    served = {r.path.replace("{ref}", "{person}") for r in economy_api.routes if r.path.startswith(economy_api.PREFIX)}
    assert set(document["paths"]) == served - {f"{economy_api.PREFIX}/openapi.json"}
    assert document["servers"] == [{"url": "http://testserver"}]


def test_refusals_say_why_with_the_headers_a_client_needs(world, monkeypatch):
    client = world["client"]
    missing = client.get("/api/economy/v1/pending")
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    assert missing.json()["error"] == "api_unauthorized" and missing.headers["cache-control"] == "no-store"
    monkeypatch.setattr(api_tokens, "PER_TOKEN", throttle.Limit("economy_api", 2, timedelta(minutes=1)))
    for _ in range(2):
        assert client.get("/api/economy/v1/pending", headers=bearer(world["jp_token"])).status_code == 200
    limited = client.get("/api/economy/v1/pending", headers=bearer(world["jp_token"]))
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert client.get("/api/economy/v1/pending", headers=bearer(world["kr_token"])).status_code == 200


def test_a_body_that_is_not_a_batch_is_refused_whole(world):
    client, headers = world["client"], bearer(world["jp_token"])
    for body in (b"", b"[]", b'{"decisions": []}', b'{"decisions": {}}', b"not json"):
        answer = client.post("/api/economy/v1/decisions", content=body, headers=headers)
        assert answer.status_code == 400 and answer.json()["error"] == "api_body", body
    too_many = {"decisions": [{"id": f"x{n}"} for n in range(201)]}
    assert client.post("/api/economy/v1/decisions", json=too_many, headers=headers).status_code == 400
    huge = b'{"decisions": ["' + b"x" * (300 * 1024) + b'"]}'
    assert client.post("/api/economy/v1/decisions", content=huge, headers=headers).status_code == 413
    # Without a token the body is not even looked at.
    assert client.post("/api/economy/v1/decisions", content=b"not json").status_code == 401


def test_a_transitional_economy_is_told_it_decides_nothing(world):
    db = world["db"]
    us = run(db, world["admin"], api_tokens.create_token, "US system", economy_code="US").token
    db.commit()
    item = {"id": "u1", "person": "1-x", "decision": "approved", "decided_on": TODAY.isoformat()}
    answer = world["client"].post("/api/economy/v1/decisions", json={"decisions": [item]}, headers=bearer(us))
    assert answer.status_code == 403 and answer.json()["error"] == "economy_not_deciding"


def _with_stored_photo(world) -> int:
    db, person = world["db"], world["people"][0]
    document = db.get(Document, int(json.loads(person.data_json)["photo_doc"]))
    document.storage_key = storage.save_private(JPEG).key
    db.add(document)
    db.commit()
    return person.id


def test_photos_only_for_the_economy_the_person_waits_for(world):
    client, person_id = world["client"], _with_stored_photo(world)
    jp_ref, kr_ref = queue.person_ref("JP", person_id), queue.person_ref("KR", person_id)
    mine = client.get(f"/api/economy/v1/people/{jp_ref}/photo", headers=bearer(world["jp_token"]))
    assert mine.status_code == 200 and mine.content == JPEG and mine.headers["cache-control"] == "private, no-store"
    assert client.get(f"/api/economy/v1/people/{jp_ref}/photo", headers=bearer(world["kr_token"])).status_code == 404
    assert client.get(f"/api/economy/v1/people/{kr_ref}/photo", headers=bearer(world["kr_token"])).status_code == 200
    assert client.get(f"/api/economy/v1/people/{jp_ref}/photo").status_code == 401


def test_the_portal_photo_needs_an_officers_session_of_that_economy(world):
    db, client, person_id = world["db"], world["client"], _with_stored_photo(world)
    url = f"{economy_api.PORTAL_PHOTOS}/{person_id}"
    officer = auth.sign_in_staff(uow_for(db), "jp_officer", STAFF_PASSWORD).token
    admin = auth.sign_in_staff(uow_for(db), "admin1", STAFF_PASSWORD).token
    db.commit()
    assert client.get(url, cookies={"apec_session": officer}).content == JPEG
    assert client.get(url, cookies={"apec_session": admin}).status_code == 404
    assert client.get(url).status_code == 404
    # Once Japan has decided, Japan's officer no longer gets the photo.
    run(db, world["jp"], queue.decide, [queue.decisions.EconomyItem(person_id, "approved", TODAY)])
    db.commit()
    assert client.get(url, cookies={"apec_session": officer}).status_code == 404


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_reference_of_the_openapi_document_resolves_and_answers_match_the_routes(world):
    document = economy_api.openapi_document()
    schemas = document["components"]["schemas"]
    refs = _refs(document)
    assert refs and all(r.startswith("#/components/schemas/") and r.rsplit("/", 1)[1] in schemas for r in refs)
    # What the pending route really answers has exactly the documented fields.
    answer = world["client"].get("/api/economy/v1/pending", headers=bearer(world["jp_token"])).json()
    assert set(answer) == set(schemas["Pending"]["properties"])
    assert set(answer["people"][0]) == set(schemas["Person"]["properties"])
    item = {"id": "doc-1", "person": answer["people"][0]["person"], "decision": "approved",
            "decided_on": TODAY.isoformat()}  # fmt: skip
    headers = bearer(world["jp_token"])
    sent = world["client"].post("/api/economy/v1/decisions", json={"decisions": [item]}, headers=headers)
    assert set(sent.json()) == set(schemas["Results"]["properties"])
