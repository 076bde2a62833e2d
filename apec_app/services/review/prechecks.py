"""The automatic pre-checks of a submitted application, per person: asked for at every 【提交】, computed by a
background job off the event loop, stored, and read by the reviewer's pages.

    【提交】 ─ StatusChanged(action="submit") ─→ request(): PrecheckRun.requested_at = now, done_at = None
    background job ─→ run_next(): claim one run, read its inputs (one short transaction), compute (no
                      transaction: OCR and face detection take a while, in the low-priority process of
                      integrations/low_priority.py), store the checklist when no newer request came meanwhile
                      (a resubmission after 退回修改 asks again and wins)

The comparisons are domain/prechecks.py; here the data is gathered: the passport page's MRZ read again with the
applicant's own OCR pipeline (integrations/ocr.py), the faces of the photo (integrations/faces.py), the other
open applications and the cards of the same 身份证号 or 护照号码 (found by their blind indexes: the numbers are
stored encrypted) and the institution's 申办条件 the application misses (eligibility_rules.misses).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from apec_app.domain import lifecycle
from apec_app.domain import prechecks as rules
from apec_app.domain.clock import SYSTEM_CLOCK, Clock
from apec_app.domain.events import StatusChanged
from apec_app.domain.mrz import MrzResult
from apec_app.integrations import faces, low_priority, ocr, storage
from apec_app.models import Application, Card, Document, Person, PrecheckResult, PrecheckRun
from apec_app.models.base import row_id
from apec_app.services.applications import eligibility_rules
from apec_app.services.unit_of_work import UnitOfWork, unit_of_work

logger = logging.getLogger("apec.prechecks")
CLAIM_SECONDS = 600  # a run not stored within this (worker died) is taken up again
PENDING, DONE, NONE = "pending", "done", "none"


# --- asking for a run ----------------------------------------------------------------------------------------


def on_status_changed(uow: UnitOfWork, events: list) -> None:
    """Every 【提交】 (the first one, and each after 退回修改) asks for the checks of the data as submitted."""
    for event in events:
        if isinstance(event, StatusChanged) and event.action == "submit":
            request(uow, event.application_id)


def request(uow: UnitOfWork, application_id: int) -> None:
    db, now = uow.db, uow.now()
    run = db.get(PrecheckRun, application_id)
    if run is None:
        db.add(PrecheckRun(application_id=application_id, requested_at=now))
    else:
        run.requested_at, run.done_at, run.claimed_until = now, None, None
        db.add(run)
    db.flush()


def request_missing(uow: UnitOfWork) -> int:
    """Ask for the checks of every open submitted application that never had them (those submitted before the
    checks existed); how many were asked for."""
    db = uow.db
    asked = select(PrecheckRun.application_id)
    missing = db.exec(
        select(Application.id).where(
            col(Application.status).in_(lifecycle.OPEN_STATUSES - {lifecycle.DRAFT}),
            col(Application.id).not_in(asked),
        )
    ).all()
    for application_id in missing:
        if application_id is not None:
            request(uow, application_id)
    return len(missing)


# --- what one run reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInputs:
    seq: int
    typed: rules.TypedPassport
    id_number: str
    passport_key: str | None  # storage keys of the documents, None when not uploaded
    photo_key: str | None
    signature_key: str | None
    others: list[rules.OtherApplication]
    cards: list[rules.EarlierCard]
    eligibility_misses: list[str] | None  # None: not checked (follow-ups)


@dataclass(frozen=True)
class RunInputs:
    application_id: int
    requested_at: datetime
    business_type: str
    today: date
    people: list[PersonInputs]


def _family(db: Session, application: Application) -> set[int]:
    """This application, its 新办/续办 parent and that parent's follow-ups: the same person belongs there."""
    root = application.parent_application_id or row_id(application)
    ids = {root, row_id(application)}
    children = db.exec(select(Application.id).where(Application.parent_application_id == root)).all()
    return ids | {i for i in children if i is not None}


def _people_inputs(db: Session, application: Application, today: date) -> list[PersonInputs]:
    persons = db.exec(select(Person).where(Person.application_id == application.id).order_by(col(Person.seq))).all()
    data = [json.loads(p.data_json or "{}") for p in persons]
    doc_ids = {int(d[f"{kind}_doc"]) for d in data for kind in ("passport_page", "photo", "signature")
               if str(d.get(f"{kind}_doc", "")).isdigit()}  # fmt: skip
    keys = dict(
        db.exec(
            select(Document.id, Document.storage_key).where(
                col(Document.id).in_(doc_ids),
                Document.enterprise_id == application.enterprise_id,
                col(Document.purged_at).is_(None),
            )
        ).all()
    ) if doc_ids else {}  # fmt: skip
    family = _family(db, application)
    others = _other_applications(db, application, persons, family)
    cards = _earlier_cards(db, persons, family)
    misses: list | None = None
    if application.business_type == lifecycle.NEW_RENEW:
        misses = eligibility_rules.misses(db, application, None, today)

    def key(d: dict, kind: str) -> str | None:
        value = str(d.get(f"{kind}_doc", ""))
        return keys.get(int(value)) if value.isdigit() else None

    found = []
    for i, (p, d) in enumerate(zip(persons, data, strict=True)):
        mine = None
        if misses is not None:
            mine = [
                m.message for m in misses if not m.field.startswith("people.") or m.field.startswith(f"people.{i}.")
            ]
        found.append(
            PersonInputs(
                seq=p.seq,
                typed=rules.TypedPassport(p.pinyin, p.passport_number, p.birth_date, p.sex, p.passport_expiry),
                id_number=p.id_number,
                passport_key=key(d, "passport_page"),
                photo_key=key(d, "photo"),
                signature_key=key(d, "signature"),
                others=others.get(row_id(p), []),
                cards=cards.get(p.id_number_index, []),
                eligibility_misses=mine,
            )
        )
    return found


def _other_applications(
    db: Session, application: Application, persons: Iterable[Person], family: set[int]
) -> dict[int, list[rules.OtherApplication]]:
    """Per person id: the other open applications (any enterprise) holding the same 身份证号 or 护照号码, in one
    query over the two blind indexes."""
    persons = list(persons)
    by_id_index = {p.id_number_index: p for p in persons if p.id_number_index}
    by_passport_index = {p.passport_number_index: p for p in persons if p.passport_number_index}
    if not persons:
        return {}
    rows = db.exec(
        select(Person.id_number_index, Person.passport_number_index, Application.number, Application.enterprise_id)
        .join(Application, col(Application.id) == Person.application_id)
        .where(
            or_(
                col(Person.id_number_index).in_(by_id_index),
                col(Person.passport_number_index).in_(by_passport_index),
            ),
            col(Application.id).not_in(family),
            col(Application.status).in_(lifecycle.OPEN_STATUSES - {lifecycle.DRAFT}),
        )
        .order_by(col(Application.number))
    ).all()
    found: dict[int, list[rules.OtherApplication]] = {}
    for id_index, passport_index, number, enterprise_id in rows:
        same = enterprise_id == application.enterprise_id
        for index, table, label in (
            (id_index, by_id_index, "身份证号"),
            (passport_index, by_passport_index, "护照号码"),
        ):
            if index in table:
                entry = rules.OtherApplication(number or "", label, same)
                found.setdefault(row_id(table[index]), [])
                if entry not in found[row_id(table[index])]:
                    found[row_id(table[index])].append(entry)
    return found


def _earlier_cards(db: Session, persons: Iterable[Person], family: set[int]) -> dict[str, list[rules.EarlierCard]]:
    """Per 身份证号 blind index: the cards made for that number by other applications, newest first."""
    indexes = {p.id_number_index for p in persons if p.id_number_index}
    if not indexes:
        return {}
    rows = db.exec(
        select(col(Person.id_number_index), col(Application.number), col(Card.status), col(Card.valid_until))
        .select_from(Card)
        .join(Person, col(Person.id) == Card.person_id)
        .join(Application, col(Application.id) == Card.application_id)
        .where(col(Person.id_number_index).in_(indexes), col(Card.application_id).not_in(family))
        .order_by(col(Card.valid_until).desc())
    ).all()
    found: dict[str, list[rules.EarlierCard]] = {}
    for index, number, status, valid_until in rows:
        found.setdefault(index, []).append(rules.EarlierCard(number or "", status, valid_until))
    return found


# --- computing ----------------------------------------------------------------------------------------------


@dataclass
class Timings:
    """Seconds spent per check, summed over the people of a run (benchmarks/precheck_benchmark.py prints them)."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, item: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[item] = self.seconds.get(item, 0.0) + time.perf_counter() - started


def _read(key: str | None) -> bytes | None:
    if key is None:
        return None
    try:
        return storage.read_private(key)
    except (OSError, ValueError):
        logger.warning("pre-check: stored file %s cannot be read", key[:8])
        return None


def _mrz(data: bytes) -> MrzResult | None:
    try:
        return low_priority.call(ocr.read_passport, data, False).result
    except (ocr.ImageTooLarge, ocr.OcrUnavailable, OSError, ValueError, BrokenProcessPool):
        return None


def person_checks(
    person: PersonInputs, today: date, *, follow_up: bool, timings: Timings | None = None
) -> list[rules.Check]:
    """The checklist of one person, in rules.ITEMS order. A follow-up (提前制卡, 换补卡, …) checks the documents
    it has and no 申办条件."""
    t = timings or Timings()
    checks: list[rules.Check] = []
    with t.timed(rules.MRZ):
        page = _read(person.passport_key)
        if page is not None or not follow_up:
            mrz = _mrz(page) if page is not None else None
            checks.append(rules.compare_mrz(person.typed, mrz, page_uploaded=page is not None))
    with t.timed(rules.ID_NUMBER):
        checks.append(rules.check_id_number(person.id_number, person.typed.birth_date, person.typed.sex))
    with t.timed(rules.PASSPORT_VALIDITY):
        checks.append(rules.check_passport_validity(person.typed.expiry_date, today))
    with t.timed(rules.PHOTO):
        photo = _read(person.photo_key)
        if photo is not None or not follow_up:
            scan = low_priority.call(faces.find_faces, photo) if photo is not None else None
            size = (scan.width, scan.height) if scan else (faces.image_size(photo) if photo is not None else None)
            checks.append(rules.check_photo(size, scan.faces if scan else None))
    with t.timed(rules.SIGNATURE):
        signature = _read(person.signature_key)
        if signature is not None or not follow_up:
            checks.append(rules.check_signature(faces.image_size(signature) if signature is not None else None))
    with t.timed(rules.DUPLICATES):
        checks.append(rules.check_duplicates(person.others))
    with t.timed(rules.EARLIER_CARDS):
        checks.append(rules.check_earlier_cards(person.cards, today))
    if person.eligibility_misses is not None:
        with t.timed(rules.ELIGIBILITY):
            checks.append(rules.check_eligibility(person.eligibility_misses))
    return checks


def compute(inputs: RunInputs, timings: Timings | None = None) -> dict[int, list[rules.Check]]:
    follow_up = inputs.business_type != lifecycle.NEW_RENEW
    return {p.seq: person_checks(p, inputs.today, follow_up=follow_up, timings=timings) for p in inputs.people}


# --- the job ------------------------------------------------------------------------------------------------


def _claim(engine: Engine | None, clock: Clock) -> RunInputs | None:
    """Take the oldest run asked for and not taken (or whose taker vanished); its inputs, read at once."""
    with unit_of_work(clock=clock, engine=engine) as uow:
        db, now = uow.db, uow.now()
        free = or_(col(PrecheckRun.claimed_until).is_(None), col(PrecheckRun.claimed_until) < now)
        due = db.exec(
            select(PrecheckRun.application_id, PrecheckRun.requested_at)
            .where(col(PrecheckRun.done_at).is_(None), free)
            .order_by(col(PrecheckRun.requested_at))
            .limit(1)
        ).first()
        if due is None:
            return None
        application_id, requested_at = due
        claimed = db.exec(
            update(PrecheckRun)
            .where(col(PrecheckRun.application_id) == application_id, col(PrecheckRun.done_at).is_(None), free)
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        )
        if claimed.rowcount != 1:
            return None  # another worker took it first
        application = db.get(Application, application_id)
        if application is None:
            return None
        today = uow.today()
        return RunInputs(application_id, requested_at, application.business_type, today,
                         _people_inputs(db, application, today))  # fmt: skip


def _store(
    engine: Engine | None, clock: Clock, inputs: RunInputs, found: dict[int, list[rules.Check]], seconds: float
) -> bool:
    """The checklist, unless the application was submitted again meanwhile (then the newer request runs)."""
    with unit_of_work(clock=clock, engine=engine) as uow:
        db = uow.db
        every = [c for checks in found.values() for c in checks]
        stored = db.exec(
            update(PrecheckRun)
            .where(
                col(PrecheckRun.application_id) == inputs.application_id,
                col(PrecheckRun.requested_at) == inputs.requested_at,
            )
            .values(done_at=uow.now(), claimed_until=None, worst=rules.worst(every) if every else "", seconds=seconds)
        )
        if stored.rowcount != 1:
            return False
        db.exec(delete(PrecheckResult).where(col(PrecheckResult.application_id) == inputs.application_id))
        for seq, checks in found.items():
            for position, check in enumerate(checks):
                db.add(PrecheckResult(application_id=inputs.application_id, person_seq=seq, position=position,
                                      item=check.item, status=check.status, reason=check.reason))  # fmt: skip
        return True


def run_next(engine: Engine | None = None, clock: Clock = SYSTEM_CLOCK) -> int | None:
    """Run one due pre-check; the application's id, or None when nothing was due. Blocking: call it from a
    worker thread (apec_app.py's job does), never on the event loop."""
    inputs = _claim(engine, clock)
    if inputs is None:
        return None
    started = time.perf_counter()
    found = compute(inputs)
    seconds = time.perf_counter() - started
    if _store(engine, clock, inputs, found, seconds):
        logger.info("pre-checks of application %d: %d people in %.2f s", inputs.application_id, len(found), seconds)
    return inputs.application_id


def run_due(engine: Engine | None = None, clock: Clock = SYSTEM_CLOCK, *, most: int = 50,
            should_stop: Callable[[], bool] = lambda: False) -> int:  # fmt: skip
    """Every due run (at most `most`); how many ran."""
    done = 0
    while done < most and not should_stop() and run_next(engine, clock) is not None:
        done += 1
    return done


# --- what the reviewer's pages read -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checklist:
    state: str  # NONE (never asked for: submitted before the checks existed), PENDING or DONE
    people: dict[int, list[rules.Check]]  # by Person.seq
    done_at: datetime | None = None


def checklist(db: Session, application_id: int) -> Checklist:
    run = db.get(PrecheckRun, application_id)
    if run is None:
        return Checklist(NONE, {})
    if run.done_at is None:
        return Checklist(PENDING, {})
    rows = db.exec(
        select(PrecheckResult)
        .where(PrecheckResult.application_id == application_id)
        .order_by(col(PrecheckResult.person_seq), col(PrecheckResult.position))
    ).all()
    people: dict[int, list[rules.Check]] = {}
    for r in rows:
        people.setdefault(r.person_seq, []).append(rules.Check(r.item, r.status, r.reason))
    return Checklist(DONE, people, run.done_at)


def failing(db: Session, application_ids: Iterable[int]) -> set[int]:
    """Of these applications, those whose last stored checks have a 不通过 (the queue's flag), in one query."""
    ids = list(application_ids)
    if not ids:
        return set()
    rows = db.exec(
        select(PrecheckRun.application_id).where(
            col(PrecheckRun.application_id).in_(ids),
            col(PrecheckRun.done_at).is_not(None),
            PrecheckRun.worst == rules.FAIL,
        )
    ).all()
    return set(rows)
