"""Fees for one application, in integer fen so that no total is ever off by a rounding error (manual 1.2.6).

新办/续办 and 换补卡 pay a 制卡费 per person, plus a 外办代办费 per person when filed through a local 外办; the
amounts are configured per institution and business type and passed in here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apec_app.domain.enterprise import DIRECT, LOCAL
from apec_app.domain.lifecycle import BUSINESS_TYPES, PAID_TYPES

DEFAULT_CARD_FEE_FEN = 72_000
DEFAULT_AGENCY_FEE_FEN = 5_000
CARD_FEE_LABEL = "制卡费"
AGENCY_FEE_LABEL = "外办代办费"

# Plain digits or correctly grouped thousands, then at most two decimals; a sign never matches.
_YUAN_RE = re.compile(r"(?P<yuan>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<fen>[0-9]{1,2}))?")


@dataclass(frozen=True)
class FeeLine:
    label: str
    per_person_fen: int
    people: int

    @property
    def total_fen(self) -> int:
        return self.per_person_fen * self.people


@dataclass(frozen=True)
class FeeBreakdown:
    """What the 收银台 lists line by line; an empty breakdown means nothing is due."""

    lines: list[FeeLine]

    @property
    def total_fen(self) -> int:
        return sum(line.total_fen for line in self.lines)


def fee_breakdown(
    business_type: str, channel: str, people: int, card_fee_fen: int, agency_fee_fen: int
) -> FeeBreakdown:
    """The amount due; unknown types, channels or negative fees are programming errors and raise ValueError."""
    if business_type not in BUSINESS_TYPES or channel not in (DIRECT, LOCAL):
        raise ValueError(f"unknown business type or channel: {business_type!r}, {channel!r}")
    if business_type not in PAID_TYPES:
        return FeeBreakdown([])
    if people < 1:
        raise ValueError("a paid application needs at least one person")
    if card_fee_fen < 0 or agency_fee_fen < 0:
        raise ValueError("fees cannot be negative")
    lines = [FeeLine(CARD_FEE_LABEL, card_fee_fen, people)]
    if channel == LOCAL:
        lines.append(FeeLine(AGENCY_FEE_LABEL, agency_fee_fen, people))
    return FeeBreakdown(lines)


def format_yuan(fen: int) -> str:
    """¥1,540.00 — the way amounts read on the 收银台 and on bank transfers."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def plain_yuan(fen: int) -> str:
    """770, 1540, 720.50: amounts as the manual's 收银台 and 申请单信息 write them (¥ 770), whole yuan without
    decimals or grouping, other amounts with their two decimals."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}" if cents == 0 else f"{sign}{yuan}.{cents:02d}"


def parse_yuan(text: str) -> int | None:
    """Fen from an admin's fee input such as "720", "¥720.5" or "1,540.00"; None for anything else."""
    cleaned = text.strip().removeprefix("¥").removeprefix("￥").strip()
    match = _YUAN_RE.fullmatch(cleaned)
    if match is None:
        return None
    yuan = int(match["yuan"].replace(",", ""))
    return yuan * 100 + int((match["fen"] or "0").ljust(2, "0"))
