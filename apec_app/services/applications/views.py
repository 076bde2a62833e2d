"""Read models: what the pages show of an application, as plain data (labels are added by ui_text)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from apec_app.domain import followups as rules
from apec_app.domain.application_form import PERSON_DOCS
from apec_app.models import Address, Application, Document, Material, Person, PickupPoint
from apec_app.models.base import row_id
from apec_app.services.applications import addresses, filing


def person_rows(persons: list[Person], drafted: list[dict]) -> list[dict]:
    """People as submitted (a draft's: as typed): their fields as text, and `passport_history`, the passports
    they had before (a list of dicts)."""
    rows = [json.loads(p.data_json or "{}") | {"person_id": p.id} for p in persons] or drafted
    return [
        {
            **{k: str(v) for k, v in p.items() if k != "passport_history"},
            "passport_history": list(p.get("passport_history", [])),
        }
        for p in rows
    ]


def uploaded_ids(form: dict) -> set[str]:
    """Document ids the form points at now (a re-upload replaces the earlier file)."""
    wanted = {str(v) for k, v in form.get("materials", {}).items() if not k.endswith("_name")}
    for p in form.get("people", []):
        wanted |= {str(v) for k, v in p.items() if k.endswith("_doc")}
    wanted |= {str(form.get(section, {}).get(f"{slot}_doc", "")) for slot, section in rules.UPLOAD_SLOTS.items()}
    return wanted - {""}


def delivery_view(db: Session, application: Application, form: dict) -> dict[str, str]:
    """How the cards reach the applicant: the pickup point of the application's own institution, or an address
    of its own enterprise — an id of anything else put into the form shows nothing."""
    chosen = form.get("delivery", {})
    method = chosen.get("method", "")
    if method == "pickup":
        point = db.get(PickupPoint, filing.as_int(chosen.get("pickup_point_id")) or 0)
        if point is not None and point.institution_id == application.institution_id:
            return {"method": method, "name": point.name, "address": point.address, "hours": point.hours}
    if method == "mail":
        address = db.get(Address, filing.as_int(chosen.get("address_id")) or 0)
        if address is not None and address.enterprise_id == application.enterprise_id:
            return {"method": method, "address": addresses.describe(address)}
    return {"method": method}


# --- documents by what they are -------------------------------------------------------------------------------

MATERIAL_PREFIX = "material:"


@dataclass(frozen=True)
class DocumentLine:
    """One uploaded file the application points at: `kind` is a person document's (photo, …), a follow-up
    slot's (statement, passport_page) or "material:<id>"; `material` is then that material's configured name."""

    id: int
    kind: str
    name: str  # the file's own name, as uploaded
    is_image: bool
    material: str = ""
    purged: bool = False  # the retention period deleted the file: pages say so instead of linking it


@dataclass(frozen=True)
class DocumentGroups:
    """The documents of an application as its pages list them: each configured material by name (in the
    materials' order), each person's documents under that person, and the follow-ups' own uploads."""

    materials: list[DocumentLine]
    people: list[list[DocumentLine]]  # aligned with the person rows, in PERSON_DOCS order
    others: list[DocumentLine]


def _materials(db: Session, documents: list[Document]) -> dict[int, tuple[int, str]]:
    """material id → (its sort position, its name), for the materials these documents were uploaded for."""
    ids = {filing.as_int(d.kind.removeprefix(MATERIAL_PREFIX)) for d in documents if d.kind.startswith(MATERIAL_PREFIX)}
    ids.discard(None)
    if not ids:
        return {}
    rows = db.exec(select(Material).where(col(Material.id).in_(ids))).all()
    return {row_id(m): (m.sort, m.name) for m in rows}


def document_groups(db: Session, application: Application, form: dict, people: list[dict]) -> DocumentGroups:
    """Only the documents the form points at now (a re-upload replaces the earlier file), in two queries."""
    documents = filing.documents(db, application)
    materials = _materials(db, documents)
    by_id = {str(d.id): d for d in documents}

    def line(doc_id) -> DocumentLine | None:
        d = by_id.get(str(doc_id or ""))
        if d is None:
            return None
        material = materials.get(filing.as_int(d.kind.removeprefix(MATERIAL_PREFIX)) or 0, (0, ""))[1]
        is_image = d.content_type.startswith("image/")
        return DocumentLine(row_id(d), d.kind, d.original_name, is_image, material, d.purged_at is not None)

    def material_order(d: DocumentLine) -> tuple[int, int]:
        material_id = filing.as_int(d.kind.removeprefix(MATERIAL_PREFIX)) or 0
        return (materials.get(material_id, (1 << 30, ""))[0], material_id)

    chosen = [line(v) for k, v in form.get("materials", {}).items() if not str(k).endswith("_name")]
    by_person = [[x for x in (line(p.get(f"{kind}_doc")) for kind in PERSON_DOCS) if x] for p in people]
    slots = [line(form.get(section, {}).get(f"{slot}_doc")) for slot, section in rules.UPLOAD_SLOTS.items()]
    return DocumentGroups(
        materials=sorted((x for x in chosen if x), key=material_order),
        people=by_person,
        others=[x for x in slots if x],
    )
