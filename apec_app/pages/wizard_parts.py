"""Option lists for the wizard that are computed once (region tables) rather than per render."""

from __future__ import annotations

import reflex as rx
from pypinyin import lazy_pinyin

from apec_app.domain.enterprise import PROVINCES
from apec_app.domain.regions import cities, provinces

# 签发地点 on Chinese passports is the issuing province in capitals, e.g. "JIANGSU".
_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
# 陕西 is written SHAANXI to tell it from 山西 (SHANXI).
PINYIN_PROVINCES = [
    "SHAANXI" if p == "陕西省" else "".join(lazy_pinyin(_SHORT.get(p, p.rstrip("省市")))).upper() for p in PROVINCES
]
_CITIES = {p: cities(p) for p in provinces()}


def city_options(province: rx.Var) -> rx.Var:
    """The cities of the chosen province, looked up in the browser from a table sent once with the page."""
    return rx.Var.create(_CITIES).to(dict).get(province, []).to(list[str])
