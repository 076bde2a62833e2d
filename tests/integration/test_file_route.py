"""The private file route (/files/{token}) over real HTTP handling (Starlette's test client): only the signed-in
owner the link was made for gets the bytes; another enterprise, another agent, a revoked agent, a signed-out
caller, a reviewer of another institution, an expired or forged link all get the same 404."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from apec_app.api import files
from apec_app.integrations import storage
from apec_app.models import Application, Document, Institution
from apec_app.models.base import utcnow
from apec_app.services.accounts import agents, auth
from apec_app.services.applications import documents, filing
from apec_app.services.review import views
from tests.factories import (
    PASSWORD,
    STAFF_PASSWORD,
    make_agent,
    make_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)
from tests.images import jpeg


@pytest.fixture()
def world(app_engine, db):
    setup_institutions(db)
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    other_agent = make_agent(db, ent)
    stranger = make_enterprise(db)
    js = db.exec(select(Institution).where(Institution.code == "JS")).one()
    signed_out = uow_for(db)
    tokens = {
        "owner": auth.sign_in_agent(signed_out, agent.username, PASSWORD).token,
        "enterprise": auth.sign_in_enterprise(signed_out, ent.email, PASSWORD).token,
        "other_agent": auth.sign_in_agent(signed_out, other_agent.username, PASSWORD).token,
        "stranger": auth.sign_in_enterprise(signed_out, stranger.email, PASSWORD).token,
    }
    me = auth.resolve_session(db, tokens["owner"], now=utcnow())
    application = filing.start(uow_for(db, me), js.id)
    document = documents.upload(uow_for(db, me), application.id, "photo", "p.jpg", jpeg((300, 400)))
    staff_principal(db, "rev_mfa", "reviewer", "MFA")
    tokens["other_reviewer"] = auth.sign_in_staff(signed_out, "rev_mfa", STAFF_PASSWORD).token
    staff_principal(db, "rev_js", "reviewer", "JS")
    tokens["reviewer"] = auth.sign_in_staff(signed_out, "rev_js", STAFF_PASSWORD).token
    db.commit()
    client = TestClient(Starlette(routes=files.routes))
    return {
        "db": db,
        "me": me,
        "agent": agent,
        "ent": ent,
        "application": application,
        "document": document,
        "tokens": tokens,
        "client": client,
    }


def _get(world, who: str | None, link: str):
    client = world["client"]
    client.cookies.clear()
    if who:
        client.cookies.set(auth.SESSION_COOKIE, world["tokens"][who])
    return client.get(link)


def test_only_the_owner_the_link_was_made_for_gets_the_file(world):
    document = world["document"]
    link = f"/files/{storage.sign_download(document.id, world['me'].label, 300)}"
    ok = _get(world, "owner", link)
    assert ok.status_code == 200 and ok.content == storage.read_private(document.storage_key)
    assert ok.headers["cache-control"] == "private, no-store"
    for who in (None, "enterprise", "other_agent", "stranger", "other_reviewer"):
        refused = _get(world, who, link)
        assert refused.status_code == 404 and refused.content != ok.content, who


def test_revoked_agent_loses_its_links(world):
    db = world["db"]
    document = world["document"]
    link = f"/files/{storage.sign_download(document.id, world['me'].label, 300)}"
    owner = auth.resolve_session(db, world["tokens"]["enterprise"], now=utcnow())
    agents.set_authorised(uow_for(db, owner), world["agent"].id, False)
    db.commit()
    assert _get(world, "owner", link).status_code == 404


def test_expired_or_forged_links_are_refused(world):
    document = world["document"]
    expired = storage.sign_download(document.id, world["me"].label, 300, now=0)
    assert _get(world, "owner", f"/files/{expired}").status_code == 404
    good = storage.sign_download(document.id, world["me"].label, 300)
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    assert _get(world, "owner", f"/files/{forged}").status_code == 404


def test_the_reviewers_link_from_the_application_view_serves_that_reviewer_only(world):
    """Once submitted to 江苏外办, its reviewer's page links the photo: for that reviewer, nobody else."""
    db, document = world["db"], world["document"]
    application = db.get(Application, world["application"].id)
    application.status = "fao_review"
    application.form_json = json.dumps({"people": [{"photo_doc": str(document.id)}]})
    db.add(application)
    db.commit()
    reviewer = auth.resolve_session(db, world["tokens"]["reviewer"], now=utcnow())
    view = views.application_view(uow_for(db, reviewer), application.id)
    db.commit()
    [link] = [d.url for d in view.documents if d.kind == "photo"]
    ok = _get(world, "reviewer", link)
    assert ok.status_code == 200 and ok.content == storage.read_private(document.storage_key)
    for who in (None, "owner", "enterprise", "other_reviewer"):
        assert _get(world, who, link).status_code == 404, who


def test_a_purged_document_is_refused_with_a_sentence_saying_so(world):
    """A link made before the retention period deleted the file: 410 and why, to its owner; 404 to others."""
    db, document = world["db"], world["document"]
    link = f"/files/{storage.sign_download(document.id, world['me'].label, 300)}"
    assert _get(world, "owner", link).status_code == 200
    purged = db.get(Document, document.id)
    purged.purged_at = utcnow()
    db.add(purged)
    db.commit()
    storage.delete_private(purged.storage_key)
    gone = _get(world, "owner", link)
    assert gone.status_code == 410 and "已按规定删除" in gone.text
    assert _get(world, "stranger", link).status_code == 404
