"""Provinces and cities for the 出生地点 cascade, read from python-stdnum's GB/T 2260 table (cn/loc.dat)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_RANGE = re.compile(r"^\[(\d*)-(\d*)\](.*)$")
# Municipality-level "cities" that only group districts: list their districts instead.
_GROUPING = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _current(raw: str) -> str | None:
    """The name in force today, or None for a code that was abolished ("[-2010]崇文区")."""
    last = raw.split(",")[-1]
    match = _RANGE.match(last)
    if not match:
        return last
    return None if match.group(2) else match.group(3)


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    """province name → {code (4 digits) → current name} for every prefecture and county entry."""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    table: dict[str, dict[str, str]] = {}
    province = None
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith(" "):
            province = _current(line.split('"')[1])
            if province:
                table[province] = {}
            continue
        if province is None:
            continue
        code, _, rest = line.strip().partition(" ")
        name = _current(rest.split('"')[1]) if '"' in rest else None
        if name:
            table[province][code] = name
    return table


def provinces() -> list[str]:
    return list(_table())


def cities(province: str) -> list[str]:
    """Prefecture-level cities of a province; for municipalities, their districts."""
    entries = _table().get(province, {})
    result: list[str] = []
    for code, name in entries.items():
        if code.endswith("00") and code != "0000":
            if name in _GROUPING:
                prefix = code[:2]
                result.extend(n for c, n in entries.items() if c.startswith(prefix) and not c.endswith("00"))
            else:
                result.append(name)
    return result
