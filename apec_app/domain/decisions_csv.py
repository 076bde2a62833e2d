"""Reading APEC economy decisions from the CSV a reviewer uploads, so 18 decisions × 30 people need not be typed.

Only the file itself is checked here; whether each application and person exist, are in the reviewer's
institution and await this economy's decision is for the service, which matches rows on the DecisionRow fields.
Error codes map to apec_app/ui_text/decisions.py (and the shared `required` and `date_future`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from apec_app.domain.economies import APPROVED, REFUSED, Economy, deciding_economies, economy_index, folded
from apec_app.domain.numbering import parse_day

TEMPLATE_HEADER = ("申请单号", "护照号码", "经济体", "审核结果", "审核日期")
NUMBER, PASSPORT, ECONOMY, RESULT, DATE = TEMPLATE_HEADER
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000

_NUMBER_RE = re.compile(r"APEC[0-9]{14}")
# Excel in a Chinese locale re-saves dates as 2024/5/20, so the leading zeros are optional.
_DATE_RE = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})")
_RESULTS = {"批准": APPROVED, "approved": APPROVED, "拒绝": REFUSED, "refused": REFUSED}
# Echoed values are cut short so one pasted paragraph cannot flood the error list.
_MAX_VALUE = 50


@dataclass(frozen=True)
class DecisionRow:
    """One economy's decision on one person; (number, passport_number, economy_code) identifies it."""

    line: int
    number: str
    passport_number: str
    economy_code: str
    decision: str
    decided_on: date


@dataclass(frozen=True)
class RowError:
    """A problem at a spreadsheet line (0 for the whole file) and column (a header name, or "" for the row).

    `value` is the offending cell; for duplicate_row it is the line of the first occurrence.
    """

    line: int
    column: str
    code: str
    value: str


@dataclass(frozen=True)
class ParsedImport:
    """The rows that passed every file check, and everything that did not; the service imports only if no errors."""

    rows: list[DecisionRow]
    errors: list[RowError]


def template_csv() -> str:
    """The downloadable template; serve it encoded as utf-8-sig so Excel shows the Chinese header."""
    example = ("APEC20221026000029", "E12345678", "日本", "批准", "2022-12-01")
    return "\r\n".join(",".join(row) for row in (TEMPLATE_HEADER, example)) + "\r\n"


def parse_decisions(data: bytes, *, economies: Sequence[Economy], today: date) -> ParsedImport:
    """Every decision in `data`, or the reasons it cannot be imported."""
    if len(data) > MAX_BYTES:
        return _file_error("file_too_large")
    text = _decode(data)
    if text is None:
        return _file_error("file_encoding")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return _file_error("file_malformed")
    if not records or _trimmed(records[0]) != list(TEMPLATE_HEADER):
        header = ",".join(records[0]) if records else ""
        return ParsedImport([], [RowError(1, "", "bad_header", header[:_MAX_VALUE])])
    lines = [(line, cells) for line, cells in enumerate(records[1:], 2) if _trimmed(cells)]
    if len(lines) > MAX_ROWS:
        return _file_error("too_many_rows", str(len(lines)))
    return _parse_rows(lines, economies, today)


def _file_error(code: str, value: str = "") -> ParsedImport:
    return ParsedImport([], [RowError(0, "", code, value)])


def _decode(data: bytes) -> str | None:
    """UTF-8 with or without BOM, else GB18030: Excel in China saves "CSV" in the ANSI code page (GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _trimmed(cells: list[str]) -> list[str]:
    """Cells without surrounding spaces or the empty columns Excel leaves at the end of a row."""
    stripped = [cell.strip() for cell in cells]
    while stripped and not stripped[-1]:
        stripped.pop()
    return stripped


def _parse_rows(lines: list[tuple[int, list[str]]], economies: Sequence[Economy], today: date) -> ParsedImport:
    deciding = {e.code for e in deciding_economies(economies)}
    names = economy_index(economies)
    rows: list[DecisionRow] = []
    errors: list[RowError] = []
    first_lines: dict[tuple[str, str, str], int] = {}
    for line, cells in lines:
        cell = dict(zip(TEMPLATE_HEADER, _trimmed(cells) + [""] * len(TEMPLATE_HEADER), strict=False))
        found = _check_cells(cell, names, deciding, today)
        row_errors = [RowError(line, column, code, cell[column][:_MAX_VALUE]) for column, code in found.items()]
        key = (cell[NUMBER].upper(), cell[PASSPORT].upper(), _economy_code(cell[ECONOMY], names))
        if not found.keys() & {NUMBER, PASSPORT, ECONOMY}:
            first = first_lines.setdefault(key, line)
            if first != line:
                row_errors.append(RowError(line, "", "duplicate_row", str(first)))
        errors.extend(row_errors)
        if not row_errors:
            decided_on = _parse_date(cell[DATE])
            assert decided_on is not None  # a row without errors has a valid date
            rows.append(DecisionRow(line, *key, _RESULTS[cell[RESULT].casefold()], decided_on))
    return ParsedImport(rows, errors)


def _check_cells(cell: dict[str, str], names: dict[str, Economy], deciding: set[str], today: date) -> dict[str, str]:
    """Column → error code for each bad cell of one row."""
    checks = {
        NUMBER: _check_number(cell[NUMBER]),
        PASSPORT: "required" if not cell[PASSPORT] else None,
        ECONOMY: _check_economy(cell[ECONOMY], names, deciding),
        RESULT: _check_result(cell[RESULT]),
        DATE: _check_date(cell[DATE], today),
    }
    return {column: code for column, code in checks.items() if code}


def _check_number(value: str) -> str | None:
    if not value:
        return "required"
    number = value.upper()
    if not _NUMBER_RE.fullmatch(number) or parse_day(number) is None:
        return "application_number_format"
    return None


def _economy_code(value: str, names: dict[str, Economy]) -> str:
    economy = names.get(folded(value))
    return economy.code if economy else ""


def _check_economy(value: str, names: dict[str, Economy], deciding: set[str]) -> str | None:
    if not value:
        return "required"
    code = _economy_code(value, names)
    if not code:
        return "economy_unknown"
    return None if code in deciding else "economy_not_deciding"


def _check_result(value: str) -> str | None:
    if not value:
        return "required"
    return None if value.casefold() in _RESULTS else "decision_invalid"


def _parse_date(value: str) -> date | None:
    match = _DATE_RE.fullmatch(value)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError:
        return None


def _check_date(value: str, today: date) -> str | None:
    if not value:
        return "required"
    decided_on = _parse_date(value)
    if decided_on is None:
        return "date_invalid"
    return "date_future" if decided_on > today else None
