"""The 21 APEC member economies, which of them decide on an applicant, and summaries of their decisions
(docs/rules.md §3).

The home economy and the transitional members (the United States and Canada grant no pre-clearance, only
fast-track lanes) take no decision, so a Chinese applicant waits for 18 economies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

APPROVED = "approved"
REFUSED = "refused"
DECISIONS = (APPROVED, REFUSED)
HOME = "CN"
# What an economy's pre-clearance reads of a Chinese applicant, in ICAO 9303 terms: the nationality code of the
# passports this system files, and the sex marker.
HOME_NATIONALITY = "CHN"


def icao_sex(sex: str) -> str:
    """男/女 as an ICAO 9303 sex marker (M, F; X when unknown), for readers of English."""
    return {"男": "M", "女": "F"}.get(sex, "X")


@dataclass(frozen=True)
class Economy:
    """One member economy; `name_zh` is the name China's MFA prints for the ABTC, `sort` the display order."""

    code: str
    name_zh: str
    name_en: str
    transitional: bool
    sort: int


def _economies(*rows: tuple[str, str, str, bool]) -> tuple[Economy, ...]:
    return tuple(Economy(code, zh, en, transitional, sort) for sort, (code, zh, en, transitional) in enumerate(rows, 1))


APEC_ECONOMIES: tuple[Economy, ...] = _economies(
    ("AU", "澳大利亚", "Australia", False),
    ("BN", "文莱", "Brunei Darussalam", False),
    ("CA", "加拿大", "Canada", True),
    ("CL", "智利", "Chile", False),
    ("CN", "中国", "China", False),
    ("HK", "中国香港", "Hong Kong, China", False),
    ("ID", "印度尼西亚", "Indonesia", False),
    ("JP", "日本", "Japan", False),
    ("KR", "韩国", "Republic of Korea", False),
    ("MY", "马来西亚", "Malaysia", False),
    ("MX", "墨西哥", "Mexico", False),
    ("NZ", "新西兰", "New Zealand", False),
    ("PG", "巴布亚新几内亚", "Papua New Guinea", False),
    ("PE", "秘鲁", "Peru", False),
    ("PH", "菲律宾", "Philippines", False),
    ("RU", "俄罗斯", "Russia", False),
    ("SG", "新加坡", "Singapore", False),
    ("TW", "中国台北", "Chinese Taipei", False),
    ("TH", "泰国", "Thailand", False),
    ("US", "美国", "United States", True),
    ("VN", "越南", "Viet Nam", False),
)


def deciding_economies(economies: Sequence[Economy] = APEC_ECONOMIES, home: str = HOME) -> list[Economy]:
    """The economies whose decision an applicant from `home` waits for, in display order."""
    return sorted((e for e in economies if e.code != home and not e.transitional), key=lambda e: e.sort)


def folded(text: str) -> str:
    """Case and spacing do not matter when a reviewer types a name into a spreadsheet."""
    return " ".join(text.split()).casefold()


def find_economy(text: str, economies: Sequence[Economy] = APEC_ECONOMIES) -> Economy | None:
    """The economy named by its code, Chinese name or English name, or None."""
    wanted = folded(text)
    if not wanted:
        return None
    return next((e for e in economies if wanted in (folded(e.code), folded(e.name_zh), folded(e.name_en))), None)


def economy_index(economies: Sequence[Economy] = APEC_ECONOMIES) -> dict[str, Economy]:
    """find_economy as one dictionary look-up (a file of 540 rows names an economy on every row): folded code,
    Chinese and English name → the first economy so named."""
    index: dict[str, Economy] = {}
    for economy in economies:
        for name in (economy.code, economy.name_zh, economy.name_en):
            index.setdefault(folded(name), economy)
    index.pop("", None)
    return index


def all_decided(decisions: dict[str, str], deciding_codes: list[str]) -> bool:
    """Whether every deciding economy has approved or refused, i.e. the application may be 全部经济体审核完成."""
    return all(decisions.get(code) in DECISIONS for code in deciding_codes)


def approved_codes(
    decisions: dict[str, str], deciding_codes: list[str], economies: Sequence[Economy] = APEC_ECONOMIES
) -> list[str]:
    """The codes printed on the card: deciding economies that approved, in display order (unknown codes last)."""
    order = {e.code: e.sort for e in economies}
    approved = [code for code in deciding_codes if decisions.get(code) == APPROVED]
    return sorted(approved, key=lambda code: (order.get(code, len(order) + 1), code))


def percentile_days(samples: list[int], p: float) -> float | None:
    """The p-th percentile (0–100) with linear interpolation between ranks, or None without samples."""
    if not 0 <= p <= 100:
        raise ValueError("percentile must be between 0 and 100")
    if not samples:
        return None
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median_days(samples: list[int]) -> float | None:
    """How long an economy typically takes, shown to applicants deciding whether to ask for 提前制卡."""
    return percentile_days(samples, 50)
