"""地址管理: the enterprise's address book for 邮寄: 省/市/区 (GB/T 2260, as the cascade offers them), 详细地址,
收件人 and 联系电话."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from apec_app.domain import regions
from apec_app.domain.validators import check_phone, check_required
from apec_app.models import Address
from apec_app.services.errors import NotFound, raise_if_invalid
from apec_app.services.principal import AGENT, ENTERPRISE, require_kind
from apec_app.services.unit_of_work import UnitOfWork


@dataclass
class AddressForm:
    recipient: str = ""
    phone: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    detail: str = ""
    is_default: bool = False

    @classmethod
    def from_form(cls, form: dict) -> AddressForm:
        """What the address dialog submitted (every value as text, the checkbox as present or not)."""
        return cls(
            recipient=str(form.get("recipient", "")),
            phone=str(form.get("phone", "")),
            province=str(form.get("province", "")),
            city=str(form.get("city", "")),
            district=str(form.get("district", "")),
            detail=str(form.get("detail", "")),
            is_default=bool(form.get("is_default")),
        )


def list_addresses(uow: UnitOfWork) -> list[Address]:
    principal = require_kind(uow.principal, ENTERPRISE, AGENT)
    return list(
        uow.db.exec(
            select(Address)
            .where(Address.enterprise_id == principal.enterprise_id, Address.deleted == False)  # noqa: E712
            .order_by(col(Address.is_default).desc(), col(Address.id))
        ).all()
    )


def check_region(province: str, city: str, district: str) -> dict[str, str | None]:
    """省 must be a province; 市 one of its cities and 区 one of the city's districts, where it has any."""
    if province not in regions.provinces():
        return {"province": "required"}
    cities = regions.address_cities(province)
    if cities and city not in cities:
        return {"city": "required"}
    districts = regions.districts(province, city) if cities else []
    if districts and district not in districts:
        return {"district": "required"}
    return {}


def _check(form: AddressForm) -> None:
    raise_if_invalid(
        {
            "recipient": check_required(form.recipient, 50),
            "phone": check_phone(form.phone),
            **check_region(form.province, form.city, form.district),
            "detail": check_required(form.detail, 200),
        }
    )


def owned(uow: UnitOfWork, address_id: int) -> Address:
    """An address of the caller's enterprise, or NotFound: ids from the browser are resolved only through this."""
    principal = require_kind(uow.principal, ENTERPRISE, AGENT)
    address = uow.db.get(Address, address_id)
    if address is None or address.deleted or address.enterprise_id != principal.enterprise_id:
        raise NotFound()
    return address


def _make_default(db: Session, address: Address) -> None:
    db.execute(update(Address).where(col(Address.enterprise_id) == address.enterprise_id).values(is_default=False))
    address.is_default = True
    db.add(address)


def save_address(uow: UnitOfWork, form: AddressForm, address_id: int | None = None) -> Address:
    _check(form)
    db = uow.db
    if address_id:
        address = owned(uow, address_id)
    else:
        principal = require_kind(uow.principal, ENTERPRISE, AGENT)
        assert principal.enterprise_id is not None  # enterprise and agent principals have one
        address = Address(enterprise_id=principal.enterprise_id, recipient="", phone="", province="", detail="")
    address.recipient, address.phone = form.recipient.strip(), form.phone.strip()
    address.province, address.detail = form.province, form.detail.strip()
    address.city, address.district = form.city, form.district
    db.add(address)
    db.flush()
    first = len(list_addresses(uow)) == 1
    if form.is_default or first:
        _make_default(db, address)
    return address


def set_default(uow: UnitOfWork, address_id: int) -> None:
    _make_default(uow.db, owned(uow, address_id))


def delete_address(uow: UnitOfWork, address_id: int) -> None:
    address = owned(uow, address_id)
    address.deleted = True
    address.is_default = False
    uow.db.add(address)


def describe(address: Address) -> str:
    return f"{address.recipient} {address.phone} {region_text(address)}{address.detail}"


def region_text(address: Address) -> str:
    """省市区 as one would write it: a municipality once (北京市朝阳区, not 北京市北京市朝阳区)."""
    city = "" if address.city == address.province else address.city
    return f"{address.province}{city}{address.district}"
