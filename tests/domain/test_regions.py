"""GB/T 2260 names as the forms offer them (出生地点, the address form's 省/市/区), and the person rules that use
them (居留国家或地区 required, 出生城市 where the province has cities)."""

from __future__ import annotations

from datetime import date

import pytest

from apec_app.domain import regions
from apec_app.domain.application_form import empty_person, validate_person
from apec_app.domain.enterprise import PROVINCES

# Simplified characters outside GB 2312 that real current place names use (埇桥区, 湾沚区, 浉河区, 瀍河回族区,
# 猇亭区, 硚口区, 鄠邑区).
RARE_SIMPLIFIED = set("埇沚浉瀍猇硚鄠")
TRADITIONAL = set("別區門達嶺會員稜縣灣東龍陽島鄉鎮蘭廣雲貴遼寧蘇興")


def every_name() -> list[str]:
    names = []
    for province in regions.provinces():
        names.append(province)
        for city in regions.cities(province) + regions.address_cities(province):
            names.append(city)
            names.extend(regions.districts(province, city))
    return names


def in_simplified_characters(name: str) -> bool:
    """GB 2312 holds simplified characters only: a name it cannot encode (apart from a few rare simplified place
    characters) has a traditional one."""
    return not set(name) & TRADITIONAL and all(c in RARE_SIMPLIFIED or _encodes(c, "gb2312") for c in name)


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def test_every_province_code_has_its_simplified_name():
    codes = regions.province_codes()
    assert codes["81"] == "香港特别行政区"
    assert codes["82"] == "澳门特别行政区"
    assert codes["71"] == "台湾省"
    assert set(codes.values()) == set(PROVINCES)
    assert len(codes) == 34
    for code, name in codes.items():
        assert in_simplified_characters(name), (code, name)


def test_every_city_and_district_is_in_simplified_characters():
    names = every_name()
    assert len(names) > 3000
    assert [n for n in names if not in_simplified_characters(n)] == []
    assert "加格达奇区" in regions.districts("黑龙江省", "大兴安岭地区")


def test_groupings_are_never_offered_as_places():
    groupings = {"市辖区", "县", "省直辖县级行政区划", "省直辖县级行政单位", "自治区直辖县级行政单位", "林区"}
    assert not set(every_name()) & groupings
    # The county-level cities a province administers itself are offered as cities.
    assert "济源市" in regions.cities("河南省")
    assert {"仙桃市", "潜江市", "天门市", "神农架林区"} <= set(regions.cities("湖北省"))
    assert "五指山市" in regions.cities("海南省")


def test_no_place_is_offered_twice():
    for province in regions.provinces():
        cities = regions.cities(province)
        assert len(cities) == len(set(cities)), province
        for city in regions.address_cities(province):
            districts = regions.districts(province, city)
            assert len(districts) == len(set(districts)), (province, city)


def test_abolished_names_are_not_offered():
    assert "崇文区" not in regions.cities("北京市")
    assert "崇文区" not in regions.districts("北京市", "北京市")


def test_address_cascade():
    assert regions.address_cities("北京市") == ["北京市"]
    assert "朝阳区" in regions.districts("北京市", "北京市")
    assert "南京市" in regions.address_cities("江苏省")
    assert "玄武区" in regions.districts("江苏省", "南京市")
    assert "玄武区" not in regions.districts("江苏省", "苏州市")
    # Cities without districts (东莞市) and the places without cities in the table.
    assert regions.districts("广东省", "东莞市") == []
    assert regions.address_cities("香港特别行政区") == []
    tree = regions.address_tree()
    assert set(tree) == set(PROVINCES)
    assert tree["江苏省"]["南京市"] == regions.districts("江苏省", "南京市")


def test_simplified_maps_the_traditional_names():
    assert regions.simplified("香港特別行政區") == "香港特别行政区"
    assert regions.simplified("澳門特別行政區") == "澳门特别行政区"


TODAY = date(2026, 6, 1)


def person(**changes) -> dict[str, str]:
    return empty_person() | {"birth_country": "中国"} | changes


def test_residence_is_required():
    errors, _ = validate_person(person(residence=""), TODAY)
    assert errors["residence"] == "required"
    errors, _ = validate_person(person(residence="  "), TODAY)
    assert errors["residence"] == "required"
    errors, _ = validate_person(person(residence="美国"), TODAY)
    assert "residence" not in errors


@pytest.mark.parametrize("province", ["香港特别行政区", "澳门特别行政区", "台湾省"])
def test_a_province_without_cities_needs_no_city(province):
    errors, _ = validate_person(person(birth_province=province, birth_city=""), TODAY)
    assert "birth_province" not in errors and "birth_city" not in errors


def test_birth_city_must_be_one_of_the_province():
    errors, _ = validate_person(person(birth_province="江苏省", birth_city="杭州市"), TODAY)
    assert errors["birth_city"] == "required"
    errors, _ = validate_person(person(birth_province="江苏省", birth_city="南京市"), TODAY)
    assert "birth_city" not in errors


def test_a_traditional_province_name_is_not_a_province():
    errors, _ = validate_person(person(birth_province="香港特別行政區"), TODAY)
    assert errors["birth_province"] == "required"


def test_born_abroad_needs_no_province():
    errors, _ = validate_person(person(birth_country="其他", birth_province="", birth_city=""), TODAY)
    assert "birth_province" not in errors and "birth_city" not in errors
