"""An economy's queue: the people submitted to it and waiting for its decision, with only what pre-clearance
needs (name, sex, date of birth, nationality, passport number and expiry, photo) — never the enterprise, an
address, the 身份证号 or another economy's decision. The caller's economy comes from its principal, never from
the request, so one economy can neither read nor decide for another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from apec_app.domain import lifecycle
from apec_app.domain.economies import HOME_NATIONALITY, icao_sex
from apec_app.integrations import storage
from apec_app.models import Application, Document, EconomyDecision, EconomySetting, Person
from apec_app.models.base import row_id
from apec_app.services.errors import NotFound, PermissionDenied
from apec_app.services.principal import ECONOMY, ECONOMY_API, Principal, require_kind
from apec_app.services.review import decisions
from apec_app.services.unit_of_work import UnitOfWork
from apec_app.settings import get_settings

PAGE_SIZE = 20
MAX_LIMIT = 200


def economy_of(principal: Principal | None) -> str:
    principal = require_kind(principal, ECONOMY, ECONOMY_API)
    if not principal.economy_code:
        raise PermissionDenied()
    return principal.economy_code


# --- references: a person as one economy names it -------------------------------------------------------------


def _mac(economy_code: str, person_id: int) -> str:
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, f"economy-person:{economy_code}:{person_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode().lower()


def person_ref(economy_code: str, person_id: int) -> str:
    """"<id>-<mac>": a reference that works only with this economy's credentials (another economy's token
    cannot even name the person)."""
    return f"{person_id}-{_mac(economy_code, person_id)}"


def person_of(economy_code: str, ref: str) -> int | None:
    number, _, mac = (ref or "").strip().partition("-")
    if not number.isdigit() or len(number) > 12:
        return None
    person_id = int(number)
    return person_id if hmac.compare_digest(mac, _mac(economy_code, person_id)) else None


# --- the queue ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingPerson:
    person_id: int
    ref: str
    surname: str
    given_name: str
    latin_surname: str
    latin_given_names: str
    sex: str  # "M", "F" or "X"
    birth_date: date | None
    nationality: str
    passport_number: str
    passport_expiry: date | None
    has_photo: bool
    waiting_since: date | None


@dataclass(frozen=True)
class Queue:
    economy_code: str
    economy_name: str
    deciding: bool  # whether the economy takes decisions at all now (a transitional one does not)
    people: list[PendingPerson]
    total: int


def _pending_query(economy_code: str):
    decided = select(EconomyDecision.person_id).where(EconomyDecision.economy_code == economy_code)
    return (
        select(Person, Application)
        .join(Application, col(Application.id) == Person.application_id)
        .where(
            Application.status == lifecycle.ECONOMY_REVIEW,
            Application.business_type == lifecycle.NEW_RENEW,
            col(Person.id).not_in(decided),
        )
    )


def _photo_id(person: Person) -> int | None:
    value = str(json.loads(person.data_json or "{}").get("photo_doc", ""))
    return int(value) if value.isdigit() else None


def _pending(person: Person, application: Application, economy_code: str) -> PendingPerson:
    latin = (person.pinyin or "").split(" ", 1)
    return PendingPerson(
        person_id=row_id(person),
        ref=person_ref(economy_code, row_id(person)),
        surname=person.surname,
        given_name=person.given_name,
        latin_surname=latin[0],
        latin_given_names=latin[1] if len(latin) > 1 else "",
        sex=icao_sex(person.sex),
        birth_date=person.birth_date,
        nationality=HOME_NATIONALITY,
        passport_number=person.passport_number,
        passport_expiry=person.passport_expiry,
        has_photo=_photo_id(person) is not None,
        waiting_since=application.submitted_at.date() if application.submitted_at else None,
    )


def _matching(query, search: str):
    """People whose name (in Latin letters as in the passport, or in Chinese characters) contains `search`."""
    words = [w for w in search.upper().split() if w][:4]
    for word in words:
        like = f"%{word.replace('%', '').replace('_', '')}%"
        chinese = func.coalesce(col(Person.surname), "") + func.coalesce(col(Person.given_name), "")
        query = query.where(func.upper(col(Person.pinyin)).like(like) | chinese.like(like))
    return query


def queue(uow: UnitOfWork, *, page: int = 1, after: int = 0, limit: int = PAGE_SIZE, search: str = "") -> Queue:
    """The caller's economy's waiting people, oldest application first: by page (the portal) or after a
    person id (the API's cursor); `search` narrows them to a name."""
    code = economy_of(uow.principal)
    db = uow.db
    setting = db.get(EconomySetting, code)
    deciding = code in {e.code for e in decisions.deciding(db)}
    if setting is None or not deciding:
        return Queue(code, setting.name_en if setting else code, False, [], 0)
    limit = max(1, min(limit, MAX_LIMIT))
    query = _matching(_pending_query(code), search[:60])
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    if after:
        query = query.where(col(Person.id) > after)
    else:
        query = query.offset(max(page - 1, 0) * limit)
    rows = db.exec(query.order_by(col(Person.id)).limit(limit)).all()
    return Queue(code, setting.name_en, True, [_pending(p, a, code) for p, a in rows], int(total))


def photo(uow: UnitOfWork, person_id: int) -> tuple[bytes, str]:
    """The photo of a person waiting for the caller's economy (NotFound for anyone else)."""
    code = economy_of(uow.principal)
    if code not in {e.code for e in decisions.deciding(uow.db)}:
        raise NotFound()  # a transitional (or switched-off) economy waits for no one: no one's photo
    found = decisions.pending_for(uow.db, code, [person_id]).get(person_id)
    document = uow.db.get(Document, _photo_id(found[0])) if found and _photo_id(found[0]) else None
    if found is None or document is None or document.application_id != found[1].id or document.kind != "photo":
        raise NotFound()
    try:
        return storage.read_private(document.storage_key), document.content_type
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound() from exc


def decide(uow: UnitOfWork, items: list[decisions.EconomyItem], channel: str = "portal") -> list[str]:
    """Decide one or many people; per item "" (recorded) or the error code."""
    economy_of(uow.principal)
    return decisions.record_economy_decisions(uow, items, channel)
