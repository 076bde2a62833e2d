"""What the applicant's pages show of the institutions (names in 用户中心's list, the card on a detail page): one
read of the institution table, kept in memory for a few seconds (services/reference_rows.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from apec_app.models import Institution
from apec_app.services import reference_rows

_INSTITUTIONS: Any = select(
    col(Institution.id), col(Institution.name), col(Institution.kind), col(Institution.contact_phone),
    col(Institution.address),
)  # fmt: skip


def _read(db: Session) -> dict[int, dict[str, str]]:
    return {
        institution_id: {"name": name, "kind": kind, "phone": phone, "address": address}
        for institution_id, name, kind, phone, address in db.exec(_INSTITUTIONS).all()
    }


def _kept(db: Session) -> dict[int, dict[str, str]]:
    return reference_rows.kept(db, "institutions", Institution, _read)


def institution_names(db: Session) -> dict[int | None, str]:
    """Institution id → name."""
    return {institution_id: card["name"] for institution_id, card in _kept(db).items()}


def institution_card(db: Session, institution_id: int) -> dict[str, str]:
    """What a detail page shows of an institution; one another worker added since the rows were kept is read at
    once."""
    known = _kept(db)
    return dict(known[institution_id] if institution_id in known else _read(db)[institution_id])
