"""地址管理: 省/市/区 from the GB/T 2260 cascade, 详细地址, 收件人, 联系电话.

A refusal names its field and saves nothing.
"""

from __future__ import annotations

import pytest

from apec_app.services.applications import addresses
from apec_app.services.applications.addresses import AddressForm
from apec_app.services.errors import InvalidInput
from tests.factories import act, make_enterprise, principal_for_enterprise

GOOD = AddressForm(recipient="王五", phone="13900000000", province="江苏省", city="南京市", district="玄武区",
                   detail="中山路8号")  # fmt: skip


def refused(db, form: AddressForm) -> dict[str, str]:
    me = principal_for_enterprise(db, make_enterprise(db))
    with pytest.raises(InvalidInput) as caught:
        act(addresses.save_address, db, form, me=me)
    assert act(addresses.list_addresses, db, me=me) == []
    return caught.value.errors


def test_an_address_keeps_its_province_city_and_district(db):
    me = principal_for_enterprise(db, make_enterprise(db))
    address = act(addresses.save_address, db, GOOD, me=me)
    assert (address.province, address.city, address.district) == ("江苏省", "南京市", "玄武区")
    assert addresses.describe(address) == "王五 13900000000 江苏省南京市玄武区中山路8号"


def test_a_municipality_is_written_once(db):
    me = principal_for_enterprise(db, make_enterprise(db))
    form = AddressForm(recipient="李四", phone="010-65551234", province="北京市", city="北京市", district="朝阳区",
                       detail="建国路1号")  # fmt: skip
    address = act(addresses.save_address, db, form, me=me)
    assert addresses.region_text(address) == "北京市朝阳区"


def test_a_city_without_districts_needs_none(db):
    me = principal_for_enterprise(db, make_enterprise(db))
    form = AddressForm(recipient="赵六", phone="13900000001", province="广东省", city="东莞市", detail="南城街道1号")
    assert addresses.describe(act(addresses.save_address, db, form, me=me)).endswith("广东省东莞市南城街道1号")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"province": "香港特別行政區"}, "province"),
        ({"city": ""}, "city"),
        ({"city": "杭州市"}, "city"),  # a city of another province
        ({"district": ""}, "district"),
        ({"district": "朝阳区"}, "district"),  # a district of another city
        ({"phone": "123"}, "phone"),
        ({"recipient": " "}, "recipient"),
        ({"detail": ""}, "detail"),
    ],
)
def test_each_refusal_names_its_field(db, changes, field):
    errors = refused(db, AddressForm(**{**GOOD.__dict__, **changes}))
    assert set(errors) == {field}


def test_the_old_province_only_addresses_still_read(db):
    """Rows saved before 市 and 区 existed (their columns empty) are described as before."""
    me = principal_for_enterprise(db, make_enterprise(db))
    address = act(addresses.save_address, db, GOOD, me=me)
    address.city = address.district = ""
    assert addresses.describe(address) == "王五 13900000000 江苏省中山路8号"
