"""Retention of documents: the files of an application that ended more than DOCUMENT_RETENTION_DAYS ago are
deleted (the rows stay, marked), those of recent or still-followed applications and files shared with a live row
stay; the daily job runs once per period however many workers start it (the job lease)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from apec_app import cli
from apec_app.domain import lifecycle
from apec_app.domain.clock import FixedClock
from apec_app.integrations import storage
from apec_app.models import Application, Card, Document, Enterprise, JobLease, Person, SecurityEvent, StatusEvent
from apec_app.services.applications import renewals
from apec_app.services.operations import leases, retention
from apec_app.services.review import views as review_views
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.services.views.detail import application_detail
from tests.factories import (
    file_application,
    make_enterprise,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)
from tests.images import jpeg

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


@pytest.fixture()
def world(app_engine, db, settings_env, tmp_path):
    settings_env(UPLOAD_DIR=str(tmp_path / "files"), DOCUMENT_RETENTION_DAYS="183")
    _, js = setup_institutions(db)
    return {"db": db, "js": js, "ent": make_enterprise(db)}


def ended(world, status: str, days_ago: float, *, kind: str = lifecycle.NEW_RENEW, parent=None) -> Application:
    """An application whose last status change (its end, for a final status) was `days_ago` days before NOW."""
    db = world["db"]
    application = Application(
        business_type=kind,
        enterprise_id=world["ent"].id,
        institution_id=world["js"].id,
        channel="local",
        status=status,
        parent_application_id=parent.id if parent else None,
    )
    db.add(application)
    db.flush()
    at = NOW - timedelta(days=days_ago)
    db.add(StatusEvent(application_id=application.id, from_status="x", to_status=status, actor="t", created_at=at))
    db.commit()
    return application


def stored(world, application: Application, key: str | None = None) -> Document:
    """A document of `application` with a real stored file (or the file `key` another row already names)."""
    db = world["db"]
    file = storage.save_private(jpeg()) if key is None else None
    document = Document(
        enterprise_id=application.enterprise_id,
        application_id=application.id,
        kind="photo",
        storage_key=key or file.key,
        original_name="photo.jpg",
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
        uploaded_by="t",
        created_at=NOW - timedelta(days=400),
    )
    db.add(document)
    db.commit()
    return document


def exists(document: Document) -> bool:
    try:
        storage.read_private(document.storage_key)
    except FileNotFoundError:
        return False
    return True


def purge(clock_at: datetime = NOW) -> retention.Purged:
    return retention.purge_all(UnitOfWork(None, clock=FixedClock(clock_at)))


def test_only_the_files_of_applications_ended_longer_ago_than_the_period_go(world):
    db = world["db"]
    mailed = ended(world, lifecycle.MAILED, 184)
    gone = [stored(world, mailed), stored(world, mailed)]
    recent = stored(world, ended(world, lifecycle.REJECTED, 100))
    followed = ended(world, lifecycle.PICKED_UP, 300)
    followed_doc = stored(world, followed)
    ended(world, lifecycle.FAO_REVIEW, 10, kind=lifecycle.REPLACE, parent=followed)  # 换补卡 under review
    shared_app = ended(world, lifecycle.REJECTED, 190)
    shared_doc = stored(world, shared_app)
    live = stored(world, ended(world, lifecycle.ECONOMY_REVIEW, 400), key=shared_doc.storage_key)  # 续办's copy
    still_open = stored(world, ended(world, lifecycle.ECONOMY_REVIEW, 400))

    purged = purge()
    assert (purged.documents, purged.files) == (3, 2)
    db.expire_all()
    for document in gone:
        assert db.get(Document, document.id).purged_at == NOW and not exists(document)  # the row stays, marked
    assert db.get(Document, shared_doc.id).purged_at == NOW and exists(live)  # a live row still names the file
    for document in (recent, followed_doc, live, still_open):
        assert db.get(Document, document.id).purged_at is None and exists(document)
    event = db.exec(select(SecurityEvent).where(SecurityEvent.action == "documents_purged")).one()
    assert event.actor == "system" and event.detail.startswith("3 documents, 2 files of 2 applications")
    assert purge().documents == 0  # nothing left to do

    later = purge(NOW + timedelta(days=84))  # the rejected one's period has passed too
    assert (later.documents, later.files) == (1, 1) and not exists(recent)


def test_files_of_deleted_drafts_go_the_period_after_their_upload(world):
    db = world["db"]
    draft = ended(world, lifecycle.DRAFT, 0)
    old, new = stored(world, draft), stored(world, draft)
    new.created_at = NOW - timedelta(days=10)
    for document in (old, new):
        document.application_id = None  # as filing.delete_draft leaves them
        db.add(document)
    db.commit()
    assert (purge().documents, exists(old), exists(new)) == (1, False, True)


def test_the_period_is_a_setting(world, settings_env):
    document = stored(world, ended(world, lifecycle.MAILED, 40))
    assert purge().documents == 0
    settings_env(DOCUMENT_RETENTION_DAYS="30")
    assert purge().documents == 1 and not exists(document)


def test_the_job_runs_once_per_day_whichever_worker_starts_it(world):
    document = stored(world, ended(world, lifecycle.MAILED, 200))
    clock = FixedClock(NOW)
    first = retention.run_job(UnitOfWork(None, clock=clock), holder="worker-1")
    assert first is not None and first.documents == 1 and not exists(document)
    assert retention.run_job(UnitOfWork(None, clock=clock), holder="worker-2") is None
    clock.advance(hours=23)
    assert retention.run_job(UnitOfWork(None, clock=clock), holder="worker-2") is None
    clock.advance(hours=1)
    assert retention.run_job(UnitOfWork(None, clock=clock), holder="worker-2") is not None
    db = world["db"]
    db.expire_all()
    lease = db.get(JobLease, retention.JOB)
    assert lease.holder == "worker-2" and lease.held_until == NOW + timedelta(days=2)


def test_two_claims_in_the_same_period_one_wins_and_the_next_period_the_other(db):
    period = timedelta(hours=6)
    assert _claim(db, "job", period, "a", NOW)
    assert not _claim(db, "job", period, "b", NOW)
    assert not _claim(db, "job", period, "b", NOW + timedelta(hours=5, minutes=59))
    assert _claim(db, "other job", period, "b", NOW)  # leases are per job
    assert _claim(db, "job", period, "b", NOW + period)
    assert not _claim(db, "job", period, "a", NOW + period)
    assert db.get(JobLease, "job").holder == "b"


def _claim(db: Session, name: str, period: timedelta, holder: str, at: datetime) -> bool:
    won = leases.claim(uow_for(db, at=at), name, period, holder)
    db.commit()
    return won


def test_cli_purge_documents(world, capsys):
    document = stored(world, ended(world, lifecycle.REJECTED, 365))
    assert cli.main(["purge-documents"]) == 0
    assert "已删除办结超过 183 天的材料 1 份（文件 1 个，申请单 1 份）" in capsys.readouterr().out
    assert not exists(document)


def test_pages_show_a_purged_document_as_deleted_and_a_renewal_does_not_copy_it(world):
    db = world["db"]
    application, _ = file_application(db, people=1, institution=world["js"])
    application = db.get(Application, application.id)
    application.status = lifecycle.MAILED
    db.add(application)
    db.add(
        StatusEvent(application_id=application.id, from_status="x", to_status="mailed", actor="t", created_at=NOW)
    )
    db.commit()
    purged = purge(NOW + timedelta(days=184))
    assert (purged.documents, purged.files) == (12, 6)  # the form's six, and six rows with no file (factories)

    owner = principal_for_enterprise(db, db.get(Enterprise, application.enterprise_id))
    detail = application_detail(uow_for(db, owner), application.id)
    lines = [*detail.materials, *[d for docs in detail.person_documents for d in docs]]
    assert len(lines) == 6 and all(d.purged for d in lines)  # each still named
    reviewer = staff_principal(db, "rev_js", "reviewer", "JS")
    view = review_views.application_view(uow_for(db, reviewer), application.id)
    assert len(view.documents) == 6 and all(d.purged and d.url == "" for d in view.documents)

    renewal = Application(
        business_type=lifecycle.NEW_RENEW, enterprise_id=application.enterprise_id, channel="local", status="draft"
    )
    db.add(renewal)
    db.flush()
    photo = db.exec(select(Document).where(Document.application_id == application.id)).first()
    assert renewals._copy_document(uow_for(db, owner), str(photo.id), renewal) is None  # asked for again


def test_a_holders_photo_stays_while_the_card_it_shows_on_is_valid(world):
    """The virtual card shows the holder's photo: it outlives the retention period until the card has ended; the
    application's other documents go as usual."""
    db = world["db"]
    mailed = ended(world, lifecycle.MAILED, 200)
    photo = stored(world, mailed)
    proof = stored(world, mailed)
    proof.kind = "social_security"
    db.add(proof)
    person = Person(application_id=mailed.id, seq=1, surname="张", given_name="伟", pinyin="ZHANG WEI",
                    id_number="110101198001010011", sex="男", passport_number="E12345678")  # fmt: skip
    db.add(person)
    db.flush()
    card = Card(person_id=person.id, application_id=mailed.id, approved_economies="JP", status="mailed",
                valid_until=(NOW + timedelta(days=365)).date())  # fmt: skip
    db.add(card)
    db.commit()

    assert purge().documents == 1
    db.expire_all()
    assert db.get(Document, photo.id).purged_at is None and exists(photo)
    assert db.get(Document, proof.id).purged_at == NOW and not exists(proof)

    assert purge(NOW + timedelta(days=366)).documents == 1  # the card has expired: the photo goes too
    db.expire_all()
    assert db.get(Document, photo.id).purged_at is not None and not exists(photo)
