"""新办/续办 applications: start, draft, submit, withdraw, list and show — always for their owner only.

Ownership: the enterprise account sees every application of its enterprise; an agent sees only the ones it
created; anyone else gets NotFound (the same answer as for an id that does not exist). Every use case takes the
unit of work (caller, transaction, clock); status changes go through transitions.transition.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime
from typing import Any, cast

from sqlalchemy import bindparam, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute, defer
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from apec_app.domain import lifecycle
from apec_app.domain.application_form import (
    empty_person,
    parse_date,
    validate_delivery,
    validate_group,
    validate_materials,
    validate_people,
    validate_unit,
)
from apec_app.domain.enterprise import DIRECT, channel_for
from apec_app.domain.numbering import format_number, number_day
from apec_app.integrations import crypto
from apec_app.models import (
    Address,
    Application,
    Document,
    Enterprise,
    Institution,
    Material,
    Notice,
    NumberSequence,
    Person,
    PickupPoint,
    StatusEvent,
)
from apec_app.models.base import row_id
from apec_app.services.applications.transitions import transition
from apec_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied, ServiceError
from apec_app.services.principal import AGENT, ENTERPRISE, STAFF, Principal, require_kind
from apec_app.services.security_log import log_event
from apec_app.services.unit_of_work import UnitOfWork

PAGE_SIZE = 10


class StepErrors(ServiceError):
    """Validation of one or more steps failed; `errors` maps paths to codes, `step` is the first bad step."""

    def __init__(self, step: int, errors: dict[str, str]) -> None:
        super().__init__("step_errors")
        self.step = step
        self.errors = errors


# --- choosing the channel and institution ---------------------------------------------------------------


def channel_of(uow: UnitOfWork) -> str:
    enterprise = uow.db.get(Enterprise, uow.me.enterprise_id)
    if enterprise is None:
        raise NotFound()
    return channel_for(enterprise.nature, enterprise.channel_override)


def local_institutions(db: Session) -> list[Institution]:
    return list(db.exec(select(Institution).where(Institution.kind == "fao").order_by(col(Institution.id))).all())


def ministry(db: Session) -> Institution:
    found = db.exec(select(Institution).where(Institution.kind == "ministry")).first()
    if found is None:
        raise NotFound("institution_unknown")
    return found


def notice_text(db: Session, business_type: str, institution: Institution) -> str:
    """申办须知: the institution's own text, else the Ministry's text for the business type."""
    rows = db.exec(select(Notice).where(Notice.business_type == business_type)).all()
    own = next((n for n in rows if n.institution_id == institution.id), None)
    general = next((n for n in rows if n.institution_id is None), None)
    chosen = own or general
    return chosen.text if chosen else ""


def resolve_institution(uow: UnitOfWork, institution_id: int | None) -> Institution:
    """直办 enterprises always go to the Ministry; the others must choose a 外办."""
    if channel_of(uow) == DIRECT:
        return ministry(uow.db)
    institution = uow.db.get(Institution, institution_id) if institution_id else None
    if institution is None or institution.kind != "fao":
        raise InvalidInput("institution_id", "institution_required")
    return institution


def materials_for(db: Session, business_type: str, channel: str) -> list[Material]:
    return list(
        db.exec(
            select(Material)
            .where(Material.business_type == business_type, col(Material.channel).in_(["all", channel]))
            .order_by(col(Material.sort), col(Material.id))
        ).all()
    )


def pickup_points(db: Session, institution_id: int) -> list[PickupPoint]:
    return list(db.exec(select(PickupPoint).where(PickupPoint.institution_id == institution_id)).all())


# --- drafts ---------------------------------------------------------------------------------------------


def prefill(enterprise: Enterprise) -> dict:
    """A new draft: the account's own data in 单位信息, one empty person."""
    return {
        "unit": {
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "reg_address": f"{enterprise.reg_province}{enterprise.reg_address}",
            "phone": enterprise.phone,
            "nature": enterprise.nature,
            "industry": enterprise.industry,
        },
        "materials": {},
        "group": {},
        "people": [empty_person()],
        "delivery": {},
        "step": 1,
    }


def start(uow: UnitOfWork, institution_id: int | None) -> Application:
    """【立即办理】 after 申办须知: a draft for the chosen institution, prefilled from the account."""
    principal = require_kind(uow.principal, ENTERPRISE, AGENT)
    institution = resolve_institution(uow, institution_id)
    enterprise = uow.db.get(Enterprise, principal.enterprise_id)
    assert enterprise is not None and enterprise.id is not None  # an enterprise or agent principal's own
    now = uow.now()
    application = Application(
        business_type=lifecycle.NEW_RENEW,
        enterprise_id=enterprise.id,
        creator_agent_id=principal.id if principal.is_agent else None,
        institution_id=institution.id,
        channel=channel_of(uow),
        form_json=json.dumps(prefill(enterprise), ensure_ascii=False),
        created_at=now,
        updated_at=now,
    )
    uow.db.add(application)
    uow.db.flush()
    return application


def owned(uow: UnitOfWork, application_id: int) -> Application:
    """An application the caller may see, or NotFound (logged)."""
    principal = require_kind(uow.principal, ENTERPRISE, AGENT)
    application = uow.db.get(Application, application_id)
    if application is None or not visible_to(principal, application):
        log_event(uow.db, "access_refused", actor=principal.label, detail=f"application {application_id}")
        raise NotFound()
    return application


def visible_to(principal: Principal, application: Application) -> bool:
    """The enterprise account sees its enterprise's applications; an agent only those it created."""
    if application.enterprise_id != principal.enterprise_id:
        return False
    return principal.is_enterprise or application.creator_agent_id == principal.id


def staff_scope(principal: Principal) -> int | None:
    """The institution a staff member works for (None: an admin, who sees every institution)."""
    require_kind(principal, STAFF)
    return None if principal.role == "admin" else principal.institution_id


def visible_to_staff(principal: Principal, application: Application) -> bool:
    """Reviewers see the submitted applications of their own institution; admins every submitted one."""
    scope = staff_scope(principal)
    return application.status != lifecycle.DRAFT and (scope is None or application.institution_id == scope)


def load_form(uow: UnitOfWork, application_id: int) -> tuple[Application, dict]:
    application = owned(uow, application_id)
    return application, json.loads(application.form_json or "{}")


def editable(application: Application) -> None:
    if application.status not in (lifecycle.DRAFT, lifecycle.RETURNED):
        raise Conflict("application_not_editable")


def save_draft(uow: UnitOfWork, application_id: int, form: dict) -> Application:
    """保存草稿 (and every autosave): keep exactly what was typed, valid or not."""
    application = owned(uow, application_id)
    editable(application)
    form = dict(form)
    unit = dict(form.get("unit", {}))
    # 名称 and 统一社会信用代码 come from the account, never from the browser.
    enterprise = uow.db.get(Enterprise, application.enterprise_id)
    assert enterprise is not None  # the application's own enterprise (a foreign key)
    unit["name"], unit["uscc"] = enterprise.name, enterprise.uscc
    form["unit"] = unit
    application.form_json = json.dumps(form, ensure_ascii=False)
    application.group_name = str(form.get("group", {}).get("group_name", ""))[:100]
    application.updated_at = uow.now()
    application.version += 1
    uow.db.add(application)
    return application


def delete_draft(uow: UnitOfWork, application_id: int) -> None:
    application = owned(uow, application_id)
    if application.status != lifecycle.DRAFT or application.number:
        raise Conflict("application_not_editable")
    for document in uow.db.exec(select(Document).where(Document.application_id == application.id)).all():
        document.application_id = None
        uow.db.add(document)
    uow.db.delete(application)
    uow.db.flush()


# --- validation per step ----------------------------------------------------------------------------------


def validate_step(uow: UnitOfWork, application: Application, form: dict, step: int) -> dict[str, str]:
    """Errors of one wizard step (1 单位信息, 2 团组信息, 3 取卡方式); warnings are returned by `warnings_of`."""
    db, today = uow.db, uow.today()
    if step == 1:
        required = [row_id(m) for m in materials_for(db, application.business_type, application.channel) if m.required]
        own_docs = own_document_ids(db, application)
        materials = {k: v for k, v in form.get("materials", {}).items() if as_int(v) in own_docs}
        return validate_unit(form.get("unit", {}), today) | validate_materials(materials, required)
    if step == 2:
        people_errors, _ = validate_people(form.get("people", []), today)
        people_errors |= _foreign_documents(db, application, form.get("people", []))
        return validate_group(form.get("group", {})) | people_errors
    if step == 3:
        return _delivery_errors(db, application, form.get("delivery", {}))
    return {}


def _delivery_errors(db: Session, application: Application, delivery: dict) -> dict[str, str]:
    institution = db.get(Institution, application.institution_id)
    assert institution is not None  # the application's own institution (a foreign key)
    pickup_ids = {row_id(p) for p in pickup_points(db, row_id(institution))}
    own_addresses = db.exec(
        select(Address.id).where(
            Address.enterprise_id == application.enterprise_id,
            Address.deleted == False,  # noqa: E712
        )
    ).all()
    address_ids = cast("set[int]", set(own_addresses))  # primary keys: never NULL
    return validate_delivery(
        delivery,
        allow_pickup=institution.allow_pickup,
        allow_mail=institution.allow_mail,
        pickup_ids=pickup_ids,
        address_ids=address_ids,
    )


def warnings_of(form: dict, today) -> dict[str, str]:
    return validate_people(form.get("people", []), today)[1]


def as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def own_document_ids(db: Session, application: Application) -> set[int]:
    ids = db.exec(select(Document.id).where(Document.application_id == application.id)).all()
    return cast("set[int]", set(ids))  # primary keys: never NULL


def _foreign_documents(db: Session, application: Application, people: list[dict]) -> dict[str, str]:
    """A document id typed into the form by hand must belong to this application."""
    own = own_document_ids(db, application)
    errors = {}
    for i, p in enumerate(people):
        for key, value in p.items():
            if key.endswith("_doc") and value and as_int(value) not in own:
                errors[f"people.{i}.{key}"] = "upload_required"
    return errors


# --- submission -----------------------------------------------------------------------------------------


def _next_number(db: Session, now: datetime) -> str:
    """Take the day's next sequence inside the caller's transaction (row lock / SQLite write lock)."""
    day = number_day(now)
    result = db.exec(update(NumberSequence).where(col(NumberSequence.day) == day).values(last=NumberSequence.last + 1))
    if result.rowcount == 0:
        try:
            with db.begin_nested():
                db.add(NumberSequence(day=day, last=1))
        except IntegrityError:
            db.execute(
                update(NumberSequence).where(col(NumberSequence.day) == day).values(last=NumberSequence.last + 1)
            )
    last = db.exec(select(NumberSequence.last).where(NumberSequence.day == day)).one()
    return format_number(day, last)


def _open_duplicates(db: Session, application: Application, id_numbers: list[str]) -> set[str]:
    """身份证号 already in another open 新办/续办 application (found by their blind index: stored encrypted)."""
    by_index = {crypto.blind_index("id_number", n): n for n in id_numbers}
    if not by_index:
        return set()
    rows = db.exec(
        select(Person.id_number_index)
        .join(Application, col(Application.id) == Person.application_id)
        .where(
            col(Person.id_number_index).in_(by_index),
            Application.id != application.id,
            Application.business_type == lifecycle.NEW_RENEW,
            col(Application.status).in_(lifecycle.OPEN_STATUSES - {lifecycle.DRAFT}),
        )
    ).all()
    return {by_index[index] for index in rows}


_ID_NUMBER = re.compile(r"\d{17}[\dX]")


def id_number_index(text: str) -> str | None:
    """For a search box: the blind index of the 身份证号 typed (only a whole number matches: the stored numbers
    are encrypted); None when `text` is not one."""
    number = text.strip().upper()
    if not _ID_NUMBER.fullmatch(number):
        return None
    return crypto.blind_index("id_number", number)


def _with_id_index(index: Any) -> ColumnElement[bool]:
    return col(Application.id).in_(select(Person.application_id).where(col(Person.id_number_index) == index))


def with_id_number(text: str) -> ColumnElement[bool] | None:
    """The applications with a submitted person of this 身份证号 (id_number_index); None when `text` is not one."""
    index = id_number_index(text)
    return None if index is None else _with_id_index(index)


def submit(uow: UnitOfWork, application_id: int) -> Application:
    """【提交】: validate every step, give the number, write people and history, notify — once.

    A second submit of the same application (double click, second tab) finds it already submitted and
    returns it unchanged.
    """
    application = owned(uow, application_id)
    if application.status not in (lifecycle.DRAFT, lifecycle.RETURNED):
        return application
    form = json.loads(application.form_json or "{}")
    for step in (1, 2, 3):
        errors = validate_step(uow, application, form, step)
        if errors:
            raise StepErrors(step, errors)
    people = form.get("people", [])
    numbers = [p["id_number"].strip().upper() for p in people]
    duplicates = _open_duplicates(uow.db, application, numbers)
    if duplicates:
        raise StepErrors(
            2, {f"people.{i}.id_number": "id_in_open_application" for i, n in enumerate(numbers) if n in duplicates}
        )
    return record_submission(uow, application, people, form.get("group", {}).get("group_name", ""))


def record_submission(uow: UnitOfWork, application: Application, people: list[dict], group_name: str) -> Application:
    """The common end of every 【提交】: number, status (claimed on version), people rows and history."""
    db, now = uow.db, uow.now()
    number = application.number or _next_number(db, now)
    transition(uow, application, "submit", also_set={"number": number, "submitted_at": now})
    for old in db.exec(select(Person).where(Person.application_id == application.id)).all():
        db.delete(old)
    for seq, p in enumerate(people, start=1):
        db.add(
            Person(
                application_id=row_id(application),
                seq=seq,
                surname=p["surname"].strip(),
                given_name=p["given_name"].strip(),
                pinyin=p["pinyin"].strip(),
                id_number=p["id_number"].strip().upper(),
                sex=p["sex"],
                birth_date=parse_date(p["birth_date"]),
                passport_number=p["passport_number"].strip().upper(),
                passport_expiry=parse_date(p["expiry_date"]),
                data_json=json.dumps(p, ensure_ascii=False),
            )
        )
    application.person_names = "、".join(f"{p['surname']}{p['given_name']}" for p in people)[:2000]
    application.person_count = len(people)
    application.group_name = group_name[:100]
    db.add(application)
    return application


def withdraw(uow: UnitOfWork, application_id: int) -> Application:
    """撤回: back to 草稿 (number kept) while no reviewer has started on it."""
    application = owned(uow, application_id)
    if application.review_started_at is not None:
        raise PermissionDenied("review_started")
    # The same update checks that no reviewer opened it meanwhile.
    not_opened = col(Application.review_started_at).is_(None)
    transition(uow, application, "withdraw", reason="申请人撤回", only_if=(not_opened,))
    return application


# --- lists and detail -----------------------------------------------------------------------------------


@functools.cache
def _list_statements(agent: bool, by_status: bool, searching: bool, by_id_number: bool) -> tuple[Any, Any]:
    """The count and the page of 用户中心's list, built once per shape of the request (building a statement costs
    more than SQLite takes to run it); the values are parameters. The page's rows carry the count too (a window
    over the rows that match), so the count runs on its own only for a page past the end."""
    where: list[ColumnElement[bool]] = [
        col(Application.enterprise_id) == bindparam("enterprise_id"),
        col(Application.business_type) == bindparam("business_type"),
    ]
    if agent:
        where.append(col(Application.creator_agent_id) == bindparam("agent_id"))
    if by_status:
        where.append(col(Application.status) == bindparam("status"))
    if searching:
        like: Any = bindparam("like")
        where.append(
            or_(
                col(Application.number).like(like),
                col(Application.group_name).like(like),
                col(Application.person_names).like(like),
                *([_with_id_index(bindparam("id_index"))] if by_id_number else []),
            )
        )
    count = select(func.count()).select_from(Application).where(*where)
    rows = (
        select(Application, func.count().over().label("total"))
        # lists never show the form; it is most of the row
        .options(defer(cast("QueryableAttribute[str]", Application.form_json)))
        .where(*where)
        .order_by(col(Application.created_at).desc(), col(Application.id).desc())
        .offset(bindparam("offset"))
        .limit(PAGE_SIZE)
    )
    return count, rows


def list_applications(
    uow: UnitOfWork, business_type: str, *, search: str = "", status: str = "", page: int = 1
) -> tuple[list[Application], int]:
    principal = require_kind(uow.principal, ENTERPRISE, AGENT)
    text = search.strip()
    index = id_number_index(text) if text else None
    count, rows = _list_statements(principal.is_agent, bool(status), bool(text), index is not None)
    params = {
        "enterprise_id": principal.enterprise_id,
        "business_type": business_type,
        "agent_id": principal.id,
        "status": status,
        "like": f"%{text}%",
        "id_index": index,
        "offset": (max(page, 1) - 1) * PAGE_SIZE,
    }
    found = uow.db.exec(rows, params=params).all()
    if found:
        return [application for application, _ in found], int(found[0].total)
    return [], int(uow.db.exec(count, params=params).one()) if page > 1 else 0


# Built once, as the list's: a detail page runs them on every visit.
_HISTORY = (
    select(StatusEvent)
    .where(col(StatusEvent.application_id) == bindparam("application_id"))
    .order_by(col(StatusEvent.created_at), col(StatusEvent.id))
)
_DOCUMENTS = select(Document).where(col(Document.application_id) == bindparam("application_id"))


def history(db: Session, application: Application) -> list[StatusEvent]:
    return list(db.exec(_HISTORY, params={"application_id": application.id}).all())


def documents(db: Session, application: Application) -> list[Document]:
    return list(db.exec(_DOCUMENTS, params={"application_id": application.id}).all())
