"""Passport (TD3, 2 x 44) machine-readable zone: fields, ICAO 9303 check digits and repair of OCR misreads.

OCR of the MRZ confuses look-alike glyphs (O/0, I/1, B/8, S/5, Z/2, G/6) and reads the `<` filler as a letter
(K, C, L, E, X). Each position's character class is fixed by the format, so letters are turned into digits
only in numeric fields and digits into letters only in alphabetic ones. In the alphanumeric fields (document
and personal number) both readings are possible: there the check digits choose, trying the fewest changes
first, and a tie is refused rather than guessed. A field whose check still fails is reported in
`failed_checks`, never passed off as valid.

A reader that knows which cells it is unsure of passes them as `alternatives`; then only those cells may change,
and an unsure cell in a field without a check digit (names, nationality, issuing state, sex) fails that field.
Pure functions, no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

LINE_LENGTH = 44
FILLER = "<"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
ALPHABET = LETTERS + DIGITS + FILLER
# Where a position's class is known (digits only, letters only, a sex), a look-alike is turned back.
LETTER_TO_DIGIT = dict(zip("OQDUILZSGTBA", "000011256784", strict=True))
DIGIT_TO_LETTER = dict(zip("01245678", "OIZASGTB", strict=True))
SEX_LOOKALIKES = dict(zip("HNWEPK", "MMMFF<", strict=True))
# Where both may stand (document and personal numbers), only the classic confusions are tried: each extra
# alternative is one more chance for a wrong reading to pass the check digits by luck.
SWAPS = dict(zip("O0I1B8S5Z2G6", "0O1I8B5S2Z6G", strict=True))
FILLER_LOOKALIKES = "KCLEX"
LOOKALIKE_LETTERS = ("ODQCG", "IJLT", "BRP", "EF", "MNHW", "UVY", "KX")
MAX_FIXES = 2  # changed characters per checked field
_VALUES = {c: i for i, c in enumerate(DIGITS + LETTERS)} | {FILLER: 0}

Cell = tuple[int, int]  # (line 0 or 1, column)

# Fields of line 2 protected by a check digit: name, start, end, position of the check digit.
CHECKED_FIELDS = (
    ("number", 0, 9, 9),
    ("birth_date", 13, 19, 19),
    ("expiry_date", 21, 27, 27),
    ("personal_number", 28, 42, 42),
)
DATE_FIELDS = ("birth_date", "expiry_date")
COMPOSITE_CHECK = 43
ISSUING_STATE = (2, 5)  # line 1
NAMES_START = 5  # line 1
NATIONALITY = (10, 13)  # line 2
SEX = 20  # line 2

# Characters each position may hold, line 1 then line 2 (what a reader may choose from, cell by cell).
NAME_CHARS = LETTERS + FILLER
POSITION_CHARS = (
    ("P", *[NAME_CHARS] * 43),
    (
        *[ALPHABET] * 9,
        DIGITS,
        *[NAME_CHARS] * 3,
        *[DIGITS] * 7,
        "MFX<",
        *[DIGITS] * 7,
        *[ALPHABET] * 14,
        DIGITS + FILLER,
        DIGITS,
    ),
)


@dataclass(frozen=True)
class MrzResult:
    """What a TD3 MRZ says. `valid` is True only when `failed_checks` is empty. It names the fields whose check
    digit fails ("number", "birth_date", "expiry_date", "personal_number", "composite"; a date also fails when
    it does not exist), the unchecked fields that cannot be right as read ("document_type", "issuing_state",
    "nationality", "names": see _malformed) and, when a reader gave its doubts, the unchecked fields it was
    unsure of ("names", "issuing_state", "nationality", "sex")."""

    valid: bool
    failed_checks: list[str]
    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    number: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    personal_number: str
    raw_lines: list[str]
    corrections: int  # characters changed from the OCR text
    impossible_dates: tuple[str, ...] = ()  # of the failed dates, those whose check digit passed: as printed


@dataclass(frozen=True)
class _Reading:
    """One way to read a checked field: its value and check digit, and how many characters were changed."""

    fixes: int
    value: str
    check: str


def check_digit(text: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over character values (digits, A=10..Z=35, `<`=0), mod 10."""
    return str(sum(_VALUES[c] * (7, 3, 1)[i % 3] for i, c in enumerate(text)) % 10)


def parse_td3(text: str, today: date | None = None, alternatives: Mapping[Cell, str] | None = None) -> MrzResult | None:
    """Fields of the TD3 MRZ found in OCR text, repaired where the check digits allow; None without an MRZ.

    `alternatives` maps the cells a reader is unsure of to the other characters it finds plausible there;
    without it, any look-alike in the document and personal numbers may be swapped.
    """
    pair = pick_lines(normalise_lines(text))
    if pair is None:
        return None
    (line1, fixes1), (line2, fixes2) = (conform(fit(line, i), POSITION_CHARS[i]) for i, line in enumerate(pair))
    line2, filler_fixes = _filler_runs(line2)
    doubts = lookalike_alternatives(line2) if alternatives is None else alternatives
    values, failed, fixes = _settle_checked(line2, doubts, strict=alternatives is not None)
    surname, given_names = _names(line1[NAMES_START:])
    if alternatives is not None:
        failed += _doubtful_fields(line1, alternatives)
    failed += [name for name in _malformed(line1, line2, surname) if name not in failed]
    today = today or date.today()
    birth_date, expiry_date = _date(values["birth_date"], True, today), _date(values["expiry_date"], False, today)
    impossible = tuple(name for name, day in (("birth_date", birth_date), ("expiry_date", expiry_date))
                       if day is None and name not in failed)  # fmt: skip
    failed += list(impossible)
    return MrzResult(
        valid=not failed,
        failed_checks=failed,
        document_type=line1[:2].rstrip(FILLER),
        issuing_state=line1[ISSUING_STATE[0] : ISSUING_STATE[1]],
        surname=surname,
        given_names=given_names,
        number=values["number"].rstrip(FILLER),
        nationality=line2[NATIONALITY[0] : NATIONALITY[1]],
        birth_date=birth_date,
        sex=line2[SEX] if line2[SEX] in "MF" else "",
        expiry_date=expiry_date,
        personal_number=values["personal_number"].rstrip(FILLER),
        raw_lines=list(pair),
        corrections=fixes1 + fixes2 + filler_fixes + fixes,
        impossible_dates=impossible,
    )


# --- Finding and shaping the two lines ------------------------------------------------------------------


def normalise_lines(text: str) -> list[str]:
    """OCR text to candidate MRZ lines: upper case, without spaces or characters the MRZ cannot hold."""
    lines = ("".join(c for c in line.upper() if c in ALPHABET) for line in text.splitlines())
    return [line for line in lines if line]


def pick_lines(lines: list[str]) -> tuple[str, str] | None:
    """The last adjacent pair that looks like a TD3 MRZ: line 1 starts with P, line 2 is long and mostly digits."""
    best: tuple[int, int] | None = None
    for i in range(len(lines) - 1):
        first, second = lines[i], lines[i + 1]
        if len(first) < 30 or len(second) < 30:
            continue
        score = (first[0] == "P") + (sum(c.isdigit() for c in second) >= 15) + (first.count(FILLER) >= 3)
        if best is None or score >= best[0]:
            best = (score, i)
    return None if best is None else (lines[best[1]], lines[best[1] + 1])


def fit(line: str, index: int) -> str:
    """Line 1 or 2 (`index` 0 or 1) to 44 characters. OCR miscounts long `<` runs far more often than it drops
    a letter or digit, so fillers are added or removed: at the end of line 1 (all fillers after the names), and
    in line 2 inside the personal-number field, between the fixed-width fields before it and the two check
    digits after it."""
    if len(line) == LINE_LENGTH or index == 0:
        return line[:LINE_LENGTH].ljust(LINE_LENGTH, FILLER)
    start, end = CHECKED_FIELDS[3][1], CHECKED_FIELDS[3][2]
    head, middle, tail = line[:start], line[start:-2], line[-2:]
    while len(middle) > end - start and FILLER in middle:
        cut = middle.rindex(FILLER)
        middle = middle[:cut] + middle[cut + 1 :]
    return (head + middle[: end - start].ljust(end - start, FILLER) + tail)[:LINE_LENGTH].ljust(LINE_LENGTH, FILLER)


def conform(line: str, allowed: tuple[str, ...]) -> tuple[str, int]:
    """Each character that its position cannot hold replaced by a look-alike that it can, and how many were."""
    out = []
    for c, options in zip(line, allowed, strict=True):
        twins = (
            LETTER_TO_DIGIT.get(c),
            DIGIT_TO_LETTER.get(c),
            SEX_LOOKALIKES.get(c),
            FILLER * (c in FILLER_LOOKALIKES),
        )
        out.append(c if c in options else next((t for t in twins if t and t in options), c))
    return "".join(out), sum(a != b for a, b in zip(out, line, strict=True))


def _filler_runs(line2: str) -> tuple[str, int]:
    """In the alphanumeric fields, `<` look-alikes in the padding are fillers; the line and how many were
    replaced. The padding of the document number is everything after its first filler; the personal number
    may hold fillers as separators (Finland's 211271<426U, Australia's <17331334P), so there only the tail
    after its last character that is neither a filler nor a look-alike counts as padding."""
    chars = list(line2)
    for name, start, end, _ in CHECKED_FIELDS:
        if name in DATE_FIELDS or FILLER not in line2[start:end]:
            continue
        first = line2.index(FILLER, start, end)
        if name == "personal_number":
            kept = [i for i in range(start, end) if line2[i] != FILLER and line2[i] not in FILLER_LOOKALIKES]
            first = max(first, kept[-1] + 1) if kept and kept[-1] > first else first
        for i in range(first, end):
            chars[i] = FILLER if chars[i] in FILLER_LOOKALIKES else chars[i]
    return "".join(chars), sum(a != b for a, b in zip(chars, line2, strict=True))


def lookalike_alternatives(line2: str) -> dict[Cell, str]:
    """Without a reader's doubts: every look-alike in the document and personal numbers may be the other one."""
    doubts = {}
    for name, start, end, _ in CHECKED_FIELDS:
        if name in DATE_FIELDS:
            continue
        for i in range(start, end):
            other = SWAPS.get(line2[i], "") + (FILLER if line2[i] in FILLER_LOOKALIKES else "")
            if other:
                doubts[(1, i)] = other
    return doubts


# --- Checked fields -------------------------------------------------------------------------------------


def _settle_checked(line2: str, doubts: Mapping[Cell, str], strict: bool) -> tuple[dict[str, str], list[str], int]:
    """(values, failed checks, fixes) of the checked fields: the one reading that passes every check digit,
    the composite one included. Several passing readings are a tie, and the fields where they differ fail.
    When none passes together, nothing is repaired: "composite" fails, and so does each field whose own check
    fails as read."""
    readings = {name: _field_readings(line2, name, start, end, check, doubts)
                for name, start, end, check in CHECKED_FIELDS}  # fmt: skip
    joint = _joint_readings(line2, list(readings.values()), doubts)
    if joint:
        fixes, chosen = joint[0]
        values = {name: reading.value for name, reading in zip(readings, chosen, strict=True)}
        if _unique([cost for cost, _ in joint], strict):
            return values, [], fixes
        tied = [readings for cost, readings in joint if cost <= fixes + _slack(strict)]
        return values, [name for i, name in enumerate(values) if len({r[i].value for r in tied}) > 1], fixes
    values = {name: line2[start:end] for name, start, end, _ in CHECKED_FIELDS}
    unconfirmed = [name for name in values if not any(r.fixes == 0 for r in readings[name])]
    return values, [*unconfirmed, "composite"], 0


def _unique(costs: list[int], strict: bool) -> bool:
    """Whether the first of these readings (cheapest first) stands out: no other has as few changes, nor, when
    the reader said which cells are in doubt (`strict`), just one more (one doubtful cell is easily misread,
    two at once are not)."""
    return len(costs) == 1 or (len(costs) > 1 and costs[1] > costs[0] + _slack(strict))


def _slack(strict: bool) -> int:
    return 1 if strict else 0


def _options(line2: str, cells: range | list[int], doubts: Mapping[Cell, str]) -> list[str]:
    """Per cell: the character as read, then its alternatives."""
    return [line2[i] + doubts.get((1, i), "") for i in cells]


def _variants(options: list[str]) -> list[tuple[int, str]]:
    """(changes, text) for every way to take at most MAX_FIXES alternatives, fewest changes first."""
    places = [i for i, chars in enumerate(options) if len(chars) > 1]
    out = []
    for k in range(min(MAX_FIXES, len(places)) + 1):
        for chosen in itertools.combinations(places, k):
            for picks in itertools.product(*(options[i][1:] for i in chosen)):
                chars = [chars[0] for chars in options]
                for i, pick in zip(chosen, picks, strict=True):
                    chars[i] = pick
                out.append((k, "".join(chars)))
    return out


def _field_readings(
    line2: str, name: str, start: int, end: int, check: int, doubts: Mapping[Cell, str]
) -> list[_Reading]:
    """Readings of one checked field that are well formed and pass its check digit, cheapest first."""
    found = []
    for fixes, text in _variants(_options(line2, [*range(start, end), check], doubts)):
        value, digit = text[:-1], text[-1]
        empty = name == "personal_number" and value == FILLER * len(value)
        if digit == FILLER and empty:
            digit = "0"
        if digit.isdigit() and _well_formed(name, value) and check_digit(value) == digit:
            found.append(_Reading(fixes, value, text[-1]))
    return found


def _well_formed(name: str, value: str) -> bool:
    """Dates are six digits with a possible month and day; the document number has fillers only at its end;
    the personal number may hold them anywhere (some states separate its parts with fillers)."""
    if name in DATE_FIELDS:
        return value.isdigit() and 1 <= int(value[2:4]) <= 12 and 1 <= int(value[4:]) <= 31
    return name == "personal_number" or FILLER not in value.rstrip(FILLER)


def _joint_readings(
    line2: str, readings: list[list[_Reading]], doubts: Mapping[Cell, str]
) -> list[tuple[int, tuple[_Reading, ...]]]:
    """Combinations of field readings that also pass the composite check digit, cheapest first."""
    composite = _options(line2, [COMPOSITE_CHECK], doubts)[0]
    found = []
    for chosen in itertools.product(*readings):
        digits = check_digit("".join(r.value + r.check for r in chosen))
        if digits in composite:
            found.append((sum(r.fixes for r in chosen) + (digits != composite[0]), chosen))
    return sorted(found, key=lambda item: item[0])


# --- Fields without a check digit -----------------------------------------------------------------------


def line1_names(line1: str) -> tuple[str, str]:
    """Surname and given names of a line 1 as read."""
    return _names(line1[NAMES_START:])


def _names(field: str) -> tuple[str, str]:
    """Surname and given names from the name field; anything after the given names is filler misread as letters."""
    surname, _, rest = field.partition(FILLER * 2)
    given = rest.lstrip(FILLER).split(FILLER * 2)[0]
    return surname.replace(FILLER, " ").strip(), given.replace(FILLER, " ").strip()


def _names_end(line1: str) -> int:
    """Column just past the first filler after the given names (or after the surname without given names)."""
    separator = line1.find(FILLER * 2, NAMES_START)
    if separator < 0:
        return LINE_LENGTH
    given = separator + 2
    while given < LINE_LENGTH and line1[given] == FILLER:
        given += 1
    end = line1.find(FILLER * 2, given)
    return LINE_LENGTH if end < 0 else end + 1


def _malformed(line1: str, line2: str, surname: str) -> list[str]:
    """Unchecked fields that cannot be what the MRZ says, whatever was read: a passport's document code
    starts with P; a state code is letters padded by fillers (D<< for Germany); there is always a surname."""
    bad = []
    if line1[0] != "P" or line1[1] not in NAME_CHARS:
        bad.append("document_type")
    for name, code in (("issuing_state", line1[ISSUING_STATE[0] : ISSUING_STATE[1]]),
                       ("nationality", line2[NATIONALITY[0] : NATIONALITY[1]])):  # fmt: skip
        if not code.rstrip(FILLER).isalpha():
            bad.append(name)
    if not surname:
        bad.append("names")
    issuing, nationality = line1[ISSUING_STATE[0] : ISSUING_STATE[1]], line2[NATIONALITY[0] : NATIONALITY[1]]
    if _lookalike_codes(issuing, nationality):
        bad += [name for name in ("issuing_state", "nationality") if name not in bad]
    return bad


def _lookalike_codes(a: str, b: str) -> bool:
    """Two state codes that differ only where look-alike letters stand (NLO and NLD): nearly every passport
    is issued by the holder's own state, so one of them is most likely misread, and nothing tells which."""
    diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return bool(diffs) and all(any(x in group and y in group for group in LOOKALIKE_LETTERS) for x, y in diffs)


def unchecked_cells(line1: str) -> dict[str, list[Cell]]:
    """The cells of each field no check digit covers, for a 44-character line 1 as read (the names run to
    the first filler after the given names)."""
    spans = (
        ("issuing_state", 0, range(*ISSUING_STATE)),
        ("names", 0, range(NAMES_START, _names_end(line1))),
        ("nationality", 1, range(*NATIONALITY)),
        ("sex", 1, range(SEX, SEX + 1)),
    )
    return {name: [(line, i) for i in cells] for name, line, cells in spans}


def _doubtful_fields(line1: str, doubts: Mapping[Cell, str]) -> list[str]:
    """Unchecked fields with a cell the reader was unsure of: nothing could confirm either reading."""
    return [name for name, cells in unchecked_cells(line1).items() if any(cell in doubts for cell in cells)]


def _date(yymmdd: str, birth: bool, today: date) -> date | None:
    """YYMMDD to a date: a birth date is never in the future, an expiry date is in 20YY."""
    if not yymmdd.isdigit() or len(yymmdd) != 6:
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    year = 2000 + yy
    if birth and (year, mm, dd) > (today.year, today.month, today.day):
        year -= 100
    try:
        return date(year, mm, dd)
    except ValueError:
        return None
