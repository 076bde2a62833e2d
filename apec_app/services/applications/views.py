"""Read models: what the pages show of an application, as plain data (labels are added by ui_text)."""

from __future__ import annotations

import json

from sqlmodel import Session

from apec_app.domain import followups as rules
from apec_app.models import Address, Application, Person, PickupPoint
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
