"""Passport (TD3, 2 x 44) machine-readable zone: fields, ICAO 9303 check digits and repair of OCR misreads.

OCR of the MRZ confuses look-alike glyphs (O/0, I/1, B/8, S/5, Z/2, G/6) and reads the `<` filler as a letter
(K, C, L, E, ...). Each position's character class is fixed by the format, so letters are turned into digits
only in numeric fields and digits into letters only in alphabetic ones; in alphanumeric fields (document and
personal number) the check digits choose between the readings. A field whose check still fails is reported in
`failed_checks`, never passed off as valid. Pure functions, no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

LINE_LENGTH = 44
FILLER = "<"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
ALPHABET = LETTERS + DIGITS + FILLER
# Where a position's class is known (digits only, or letters only), any look-alike is turned back.
LETTER_TO_DIGIT = dict(zip("OQDUILZSGTBA", "000011256784", strict=True))
DIGIT_TO_LETTER = dict(zip("01245678", "OIZASGTB", strict=True))
# Where both may stand (document and personal numbers), only the classic confusions are tried: each extra
# alternative is one more chance for a wrong reading to pass the check digits by luck.
SWAPS = dict(zip("O0I1B8S5Z2G6", "0O1I8B5S2Z6G", strict=True))
FILLER_LOOKALIKES = set("KCLEX")  # what OCR makes of `<`; tried only where a filler may stand
SEX_LOOKALIKES = {"H": "M", "N": "M", "W": "M", "E": "F", "P": "F", "K": FILLER, "X": FILLER}
MAX_FIXES = 3  # per alphanumeric field: more free changes would let the check digit "confirm" a guess
_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")} | {FILLER: 0}

# Line 2 layout: (start, end) of each field.
NUMBER, NUMBER_CHECK = (0, 9), 9
NATIONALITY = (10, 13)
BIRTH, BIRTH_CHECK = (13, 19), 19
SEX = 20
EXPIRY, EXPIRY_CHECK = (21, 27), 27
PERSONAL, PERSONAL_CHECK = (28, 42), 42
COMPOSITE_CHECK = 43

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
    """What a TD3 MRZ says. `valid` is True only when every check digit passes and both dates exist."""

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
    corrections: int  # characters changed from the OCR text to make the fields fit their format


def check_digit(text: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over character values (digits, A=10..Z=35, `<`=0), mod 10."""
    return str(sum(_VALUES[c] * (7, 3, 1)[i % 3] for i, c in enumerate(text)) % 10)


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


def fit_line1(line: str) -> str:
    """Line 1 to 44 characters: its tail is all fillers, whose count OCR often gets wrong."""
    return line[:LINE_LENGTH].ljust(LINE_LENGTH, FILLER)


def fit_line2(line: str) -> str:
    """Line 2 to 44 characters by growing or shrinking the filler run of the personal-number field.

    The fixed-width fields before it (28 characters) and the two check digits after it anchor the layout; OCR
    miscounts long `<` runs far more often than it drops a digit.
    """
    if len(line) == LINE_LENGTH or len(line) < PERSONAL[0] + 2:
        return line[:LINE_LENGTH].ljust(LINE_LENGTH, FILLER)
    head, middle, tail = line[: PERSONAL[0]], line[PERSONAL[0] : -2], line[-2:]
    width = PERSONAL[1] - PERSONAL[0]
    if len(middle) < width:
        middle = middle.ljust(width, FILLER)
    while len(middle) > width and FILLER in middle:
        cut = middle.rindex(FILLER)
        middle = middle[:cut] + middle[cut + 1 :]
    return (head + middle[:width] + tail).ljust(LINE_LENGTH, FILLER)[:LINE_LENGTH]


def _to_digits(text: str) -> tuple[str, int] | None:
    """A numeric field with letters read for digits turned back; None when a character has no digit twin."""
    out, fixes = [], 0
    for c in text:
        if c.isdigit():
            out.append(c)
        elif c in LETTER_TO_DIGIT:
            out.append(LETTER_TO_DIGIT[c])
            fixes += 1
        else:
            return None
    return "".join(out), fixes


def _to_letters(text: str) -> tuple[str, int]:
    """An alphabetic field with digits read for letters turned back (fillers kept)."""
    out = "".join(DIGIT_TO_LETTER.get(c, c) for c in text)
    return out, sum(a != b for a, b in zip(out, text, strict=True))


def _alternatives(c: str) -> list[str]:
    """Other readings of one character of an alphanumeric field."""
    options = [SWAPS[c]] if c in SWAPS else []
    if c in FILLER_LOOKALIKES:
        options.append(FILLER)
    return options


def _well_formed(value: str) -> bool:
    """Fillers only as padding at the end of a field."""
    return FILLER not in value.rstrip(FILLER)


def _readings(value: str) -> Iterator[tuple[int, str]]:
    """(fixes, reading) for every reading of an alphanumeric field with at most MAX_FIXES changes, cheapest first."""
    places = [(i, _alternatives(c)) for i, c in enumerate(value) if _alternatives(c)]
    for k in range(min(MAX_FIXES, len(places)) + 1):
        for chosen in itertools.combinations(places, k):
            for picks in itertools.product(*(options for _, options in chosen)):
                chars = list(value)
                for (i, _), pick in zip(chosen, picks, strict=True):
                    chars[i] = pick
                yield k, "".join(chars)


def _check_char(c: str, allow_filler: bool) -> str | None:
    """A check-digit position's digit: letters read for digits turned back, `<` allowed for an empty field."""
    if c == FILLER:
        return "0" if allow_filler else None
    fixed = _to_digits(c)
    return fixed[0] if fixed else None


def _field_readings(value: str, check: str, empty_ok: bool) -> list[tuple[int, str]]:
    """Readings of an alphanumeric field that are well formed and pass their own check digit, cheapest first."""
    found = []
    for fixes, reading in _readings(value):
        digit = _check_char(check, empty_ok and reading == FILLER * len(reading))
        if digit is not None and _well_formed(reading) and check_digit(reading) == digit:
            found.append((fixes, reading))
    return found


def _date(yymmdd: str | None, birth: bool, today: date) -> date | None:
    """YYMMDD to a date: a birth date is never in the future, an expiry date is in 20YY."""
    if yymmdd is None:
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    year = 2000 + yy
    if birth and (year, mm, dd) > (today.year, today.month, today.day):
        year -= 100
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


@dataclass
class _Line2:
    """Line 2 fields after repair, with the names of the checks that failed."""

    number: str
    birth: str | None
    expiry: str | None
    personal: str
    failed: list[str]
    fixes: int


def _numeric_field(line: str, span: tuple[int, int], check_at: int) -> tuple[str | None, int, bool]:
    """(digits or None, fixes, check passed) of a date field."""
    digits = _to_digits(line[span[0] : span[1]])
    check = _check_char(line[check_at], allow_filler=False)
    if digits is None:
        return None, 0, False
    return digits[0], digits[1], check is not None and check_digit(digits[0]) == check


def _composite_ok(number: str, birth: str, expiry: str, personal: str, line: str) -> bool:
    checks = [
        _check_char(line[i], allow_filler=i == PERSONAL_CHECK)
        for i in (NUMBER_CHECK, BIRTH_CHECK, EXPIRY_CHECK, PERSONAL_CHECK)
    ]
    composite = _check_char(line[COMPOSITE_CHECK], allow_filler=False)
    if None in checks or composite is None:
        return False
    text = number + checks[0] + birth + checks[1] + expiry + checks[2] + personal + checks[3]
    return check_digit(text) == composite


def _repair_line2(line: str) -> _Line2:
    """Choose the cheapest readings of the document and personal numbers that pass all checks together.

    Ties between different readings at the lowest cost are ambiguous: then the fields stay as read and fail.
    """
    birth, birth_fixes, birth_ok = _numeric_field(line, BIRTH, BIRTH_CHECK)
    expiry, expiry_fixes, expiry_ok = _numeric_field(line, EXPIRY, EXPIRY_CHECK)
    number_raw, personal_raw = line[NUMBER[0] : NUMBER[1]], line[PERSONAL[0] : PERSONAL[1]]
    numbers = _field_readings(number_raw, line[NUMBER_CHECK], empty_ok=False)
    personals = _field_readings(personal_raw, line[PERSONAL_CHECK], empty_ok=True)
    failed = [name for name, ok in (("birth_date", birth_ok), ("expiry_date", expiry_ok)) if not ok]
    fixes = birth_fixes + expiry_fixes
    joint = []
    if birth_ok and expiry_ok:
        joint = sorted(
            (nf + pf, n, p)
            for (nf, n), (pf, p) in itertools.product(numbers, personals)
            if _composite_ok(n, birth, expiry, p, line)
        )
    if joint and (len(joint) == 1 or joint[1][0] > joint[0][0]):
        cost, number, personal = joint[0]
        return _Line2(number, birth, expiry, personal, failed, fixes + cost)
    number, number_fixes = _settle(numbers, number_raw)
    personal, personal_fixes = _settle(personals, personal_raw)
    failed += [name for name, fixed in (("number", number_fixes), ("personal_number", personal_fixes)) if fixed is None]
    fixes += (number_fixes or 0) + (personal_fixes or 0)
    return _Line2(number, birth, expiry, personal, failed + ["composite"], fixes)


def _settle(readings: list[tuple[int, str]], raw: str) -> tuple[str, int | None]:
    """(value, fixes): the one cheapest reading that passes its check digit, else the OCR text and None."""
    if readings and (len(readings) == 1 or readings[1][0] > readings[0][0]):
        return readings[0][1], readings[0][0]
    return raw, None


def _names(field: str) -> tuple[str, str]:
    """Surname and given names from the name field; anything after the given names is filler misread as letters."""
    surname, _, rest = field.partition(FILLER * 2)
    given = rest.lstrip(FILLER).split(FILLER * 2)[0]
    return surname.replace(FILLER, " ").strip(), given.replace(FILLER, " ").strip()


def _sex(c: str) -> str:
    c = SEX_LOOKALIKES.get(c, c)
    return c if c in "MF" else ""


def parse_td3(text: str, today: date | None = None) -> MrzResult | None:
    """Fields of the TD3 MRZ found in OCR text, repaired where the check digits allow; None without an MRZ."""
    pair = pick_lines(normalise_lines(text))
    if pair is None:
        return None
    line1, line2 = fit_line1(pair[0]), fit_line2(pair[1])
    today = today or date.today()
    head, head_fixes = _to_letters(line1[:5])
    names, name_fixes = _to_letters(line1[5:])
    nationality, nationality_fixes = _to_letters(line2[NATIONALITY[0] : NATIONALITY[1]])
    fields = _repair_line2(line2)
    birth_date, expiry_date = _date(fields.birth, True, today), _date(fields.expiry, False, today)
    failed = list(fields.failed)
    if fields.birth is not None and birth_date is None and "birth_date" not in failed:
        failed.append("birth_date")
    if fields.expiry is not None and expiry_date is None and "expiry_date" not in failed:
        failed.append("expiry_date")
    surname, given_names = _names(names)
    return MrzResult(
        valid=not failed,
        failed_checks=failed,
        document_type=head[:2].rstrip(FILLER),
        issuing_state=head[2:5],
        surname=surname,
        given_names=given_names,
        number=fields.number.rstrip(FILLER),
        nationality=nationality,
        birth_date=birth_date,
        sex=_sex(line2[SEX]),
        expiry_date=expiry_date,
        personal_number=fields.personal.rstrip(FILLER),
        raw_lines=list(pair),
        corrections=head_fixes + name_fixes + nationality_fixes + fields.fixes,
    )
