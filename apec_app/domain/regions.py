"""Provinces, cities and districts (GB/T 2260), read from python-stdnum's table (cn/loc.dat), for the 出生地点
cascade (国家 / 省 / 市) and the address form (省 / 市 / 区).

The table is compiled from Wikipedia and carries every code ever used with the years it was in force
("[-2010]崇文区", "[1983-2019]桥东区,[2020-]襄都区"); only the names in force today are offered. A few of its names
are in traditional characters (香港特別行政區, 澳門特別行政區, 加格達奇區, 松嶺區): every name is shown in
simplified characters (`simplified`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

_RANGE = re.compile(r"^\[(\d*)-(\d*)\](.*)$")
# Entries that only group the units below them (市辖区 of a city, 县 of a municipality, the county-level cities a
# province administers itself): never offered as a place, their members are.
_GROUPING = {"市辖区", "县", "市", "林区", "省直辖县级行政区划", "省直辖县级行政单位", "自治区直辖县级行政区划",
             "自治区直辖县级行政单位"}  # fmt: skip
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# The traditional characters that occur in the table, and their simplified forms.
_TO_SIMPLIFIED = str.maketrans({"別": "别", "區": "区", "門": "门", "達": "达", "嶺": "岭", "會": "会", "員": "员",
                                "稜": "棱"})  # fmt: skip


def simplified(name: str) -> str:
    return name.translate(_TO_SIMPLIFIED)


def _current(raw: str) -> str | None:
    """The name in force today, or None for a code that was abolished ("[-2010]崇文区")."""
    last = raw.split(",")[-1]
    match = _RANGE.match(last)
    if not match:
        return simplified(last)
    return None if match.group(2) else simplified(match.group(3))


@dataclass
class _Province:
    code: str
    name: str
    # 4-digit code of every current entry (prefectures "xx00", groupings and counties "xxyy") → name
    entries: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _table() -> dict[str, _Province]:
    """province name → its code and current entries."""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    table: dict[str, _Province] = {}
    province: _Province | None = None
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith(" "):
            name = _current(line.split('"')[1])
            province = _Province(line[:2], name) if name else None
            if province:
                table[province.name] = province
            continue
        if province is None:
            continue
        code, _, rest = line.strip().partition(" ")
        name = _current(rest.split('"')[1]) if '"' in rest else None
        if not name:
            continue
        if code == "0000":
            # The province's own entry, in simplified characters where the province line is not.
            if name != province.name:
                table.pop(province.name)
                province.name = name
                table[name] = province
            continue
        province.entries[code] = name
    return table


def provinces() -> list[str]:
    return list(_table())


def province_codes() -> dict[str, str]:
    """The 2-digit GB/T 2260 code of each province → its name."""
    return {p.code: p.name for p in _table().values()}


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _members(entries: dict[str, str], prefix: str) -> list[str]:
    """The county-level units whose code starts with `prefix` (2 digits of a prefecture or grouping)."""
    return [n for c, n in entries.items() if c.startswith(prefix) and not c.endswith("00") and n not in _GROUPING]


def cities(province: str) -> list[str]:
    """出生地点's second level: prefecture-level cities of a province, the county-level cities it administers
    itself, and for a municipality its districts. Empty for 台湾省, 香港 and 澳门 (no cities in the table)."""
    found = _table().get(province)
    if found is None:
        return []
    entries, result = found.entries, []
    for code, name in entries.items():
        if code.endswith("00"):
            result.extend(_members(entries, code[:2]) if name in _GROUPING else [name])
    return _unique(result)


def address_cities(province: str) -> list[str]:
    """The address form's 市: for a municipality the municipality itself (its districts are the 区), else as
    `cities`."""
    if province in MUNICIPALITIES:
        return [province]
    return cities(province)


def districts(province: str, city: str) -> list[str]:
    """The address form's 区 of a city: its districts and counties (empty where a city has none, e.g. 东莞市,
    or for a county-level city the province administers itself)."""
    found = _table().get(province)
    if found is None:
        return []
    entries = found.entries
    if province in MUNICIPALITIES:
        return _unique(_members(entries, "")) if city == province else []
    for code, name in entries.items():
        if code.endswith("00") and name == city and name not in _GROUPING:
            return _unique(_members(entries, code[:2]))
    return []


@lru_cache(maxsize=1)
def address_tree() -> dict[str, dict[str, list[str]]]:
    """province → city → districts, for the address form's cascade (sent once with the page)."""
    return {p: {c: districts(p, c) for c in address_cities(p)} for p in provinces()}
