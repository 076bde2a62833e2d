"""Reading one MRZ band: straighten it, read it with two readers that fail differently, check it.

The band is warped upright with a fixed character pitch and read by

- tesseract (whitelisted to the MRZ alphabet), which reads letters and digits of any font well, but whose `eng`
  model turns runs of `<` into K's and miscounts them, which garbles the names on line 1;
- matching each of the 44 character cells against OCR-B glyphs (the font ICAO 9303 prescribes), which gets the
  fillers right and cannot miscount cells, but knows only the one font.

How far the glyph match can be trusted is measured per line (its mean best score: about 0.95 on OCR-B print,
below 0.85 on other MRZ fonts or bold print, below 0.6 on anything that is not an MRZ, or is upside down). Per
cell, the glyph scores decide among the characters the position may hold, with a bonus for the one tesseract
read there: a tie-breaker on a reliable line, the deciding vote on an unreliable one. Where tesseract outvoted
the glyph match, or the runner-up scores almost as well, the cell goes to the domain parser as a doubt: the
check digits may settle it, and a doubtful cell in the names, nationality or sex fails that field instead of
being guessed. Tesseract's own reading is tried too, its names accepted only when a second reading agrees.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps
from scipy import ndimage as ndi

from apec_app.domain.mrz import (
    ALPHABET,
    ISSUING_STATE,
    LINE_LENGTH,
    POSITION_CHARS,
    Cell,
    MrzResult,
    conform,
    fit,
    line1_names,
    normalise_lines,
    parse_td3,
    unchecked_cells,
)
from apec_app.integrations import ocr_engine

CHAR_PITCH = 24  # px per MRZ character in the straightened band
TESSERACT_BONUS = 0.05  # added to the glyph score (correlation, about 0.95 when right) of tesseract's character
DOUBT = 0.05  # characters whose glyph score is within this of the chosen one's are alternatives (doubts)
RELIABLE = 0.86  # mean best glyph score of a line from which on tesseract only breaks ties
MAX_BONUS = 0.35  # tesseract's bonus on the least reliable lines
UPRIGHT = 0.6  # mean best glyph score under which a band is not an MRZ the way up it lies
MARGIN = 14  # px at either end of the straightened band where no character cell starts (0.6 of a pitch)
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
_OCRB_ADVANCE = 0.72296875  # OCR-B advance width per em
_OCRB_INK = (0.17, 0.94)  # top of digits and baseline, per em below the drawing origin


def read_band(
    gray: Image.Image, quad: np.ndarray, source_pitch: float, witness: Witness | None = None
) -> Iterator[tuple[str, MrzResult | None]]:
    """Readings of the band to try in turn, the most often right first; later ones only run when the caller
    asks for them (when earlier ones failed their checks). Nothing when the band is no MRZ either way up.
    `witness` collects what the readings of one image say about the fields no check digit covers."""
    witness = witness or Witness()
    crop = straighten(gray, quad, source_pitch, CHAR_PITCH)
    flat = without_rules(flatten_lighting(crop, CHAR_PITCH))
    preps = (("flat", flat), ("gray", without_rules(ImageOps.autocontrast(crop, 1))))
    if _ocrb_font() is None:  # without the font only tesseract reads, and its names are unreliable
        for prep, image in preps:
            yield f"{prep}:tesseract", witness.text(parse_td3(tesseract(image)))
        return
    scores, turned = _upright(flat)
    if scores is None:
        return
    line2_texts = []
    for i, (prep, image) in enumerate(preps):
        image = image.rotate(180) if turned else image
        prep = f"upside-down-{prep}" if turned else prep
        scores = scores if i == 0 else glyph_scores(image)
        witness.scores(scores)
        text = tesseract(image)
        reliability = scores.max(axis=2).mean(axis=1)
        glyph_line2_ok = False
        for name, votes in (("fused", text), ("glyphs", "")):
            lines, doubts = fuse(scores, votes, reliability)
            result = witness.glyph(parse_td3(lines, alternatives=doubts))
            glyph_line2_ok |= result is not None and set(result.failed_checks) <= _LINE1_FIELDS
            yield f"{prep}:{name}", result
        result = parse_td3(text)
        if result is not None and set(result.failed_checks) <= _LINE1_FIELDS:
            line2_texts.append(result.raw_lines[1])
        yield f"{prep}:tesseract", witness.text(result)
        if i == 0 and not glyph_line2_ok:
            for grid, name in zip(glyph_scores(image, shifted=True), ("later", "earlier"), strict=True):
                lines, doubts = fuse(grid, text, reliability)
                yield f"{prep}:fused-{name}", witness.glyph(parse_td3(lines, alternatives=doubts))
    if line2_texts and witness.line1_unreliable():
        line1 = line1_consensus([image.rotate(180) if turned else image for _, image in preps])
        if line1 is not None:
            witness.confirm(line1)
            yield "line1-consensus:tesseract", witness.text(parse_td3(f"{line1}\n{line2_texts[0]}"))


_LINE1_FIELDS = {"names", "issuing_state", "nationality", "document_type"}


def line1_consensus(images: list[Image.Image]) -> str | None:
    """Line 1 as at least two of three single-line tesseract readings (the flattened band, the plain one,
    the flattened one enlarged by half) give it, fitted to 44 characters; None when all three differ."""
    readings = []
    for k, image in enumerate((*images, images[0])):
        top = image.crop((0, 0, image.width, image.height // 2))
        if k == 2:
            top = top.resize((top.width * 3 // 2, top.height * 3 // 2), Image.BICUBIC)
        lines = [line for line in normalise_lines(ocr_engine.text(top, "eng", psm=7, whitelist=ALPHABET))
                 if len(line) >= 30]  # fmt: skip
        if lines:
            readings.append(conform(fit(lines[0], 0), POSITION_CHARS[0])[0])
    best = max(set(readings), key=readings.count, default=None)
    return best if best is not None and readings.count(best) >= 2 else None


class Witness:
    """What the glyph match saw in one image, so that a reading from tesseract's text alone is believed in the
    fields no check digit covers (names, state codes) only where the glyph match agrees: tesseract adds and
    drops fillers among the names and misreads letters with nothing to catch it, and two of its readings of
    similar crops repeat the same mistakes, so they do not confirm each other."""

    def __init__(self) -> None:
        self._fields: list[tuple[tuple[str, str], str, str]] = []
        self._scores: list[tuple[np.ndarray, float]] = []

    def scores(self, scores: np.ndarray) -> None:
        """Record the glyph scores of a band (line 1 and its reliability; line 2's fields have check digits
        or are confirmed by their equal in line 1)."""
        self._scores.append((scores[0], float(scores[0].max(axis=1).mean())))

    def glyph(self, result: MrzResult | None) -> MrzResult | None:
        """Record a glyph-based reading (its own doubts already failed its doubtful fields)."""
        if result is not None and "names" not in result.failed_checks:
            self._fields.append(((result.surname, result.given_names), result.issuing_state, result.nationality))
        return result

    def text(self, result: MrzResult | None) -> MrzResult | None:
        """A text-only reading, each unchecked field failed unless a glyph reading gave the same value or the
        glyph scores of a band agree with it cell by cell (same fillers, every letter close to the best
        there). The issuing state is also confirmed by an equal nationality, as on most passports."""
        if result is None:
            return None
        line1 = conform(fit(result.raw_lines[0], 0), POSITION_CHARS[0])[0]
        cells = unchecked_cells(line1)
        unconfirmed = []
        names = (result.surname, result.given_names)
        if not any(seen[0] == names for seen in self._fields) and not self._agrees(line1, cells["names"]):
            unconfirmed.append("names")
        state_ok = result.issuing_state == result.nationality
        if not state_ok and not any(seen[1] == result.issuing_state for seen in self._fields):
            if not self._agrees(line1, cells["issuing_state"]):
                unconfirmed += ["issuing_state", "nationality"]
        failed = [*result.failed_checks, *(name for name in unconfirmed if name not in result.failed_checks)]
        return dataclasses.replace(result, valid=not failed, failed_checks=failed)

    def line1_unreliable(self, unseen_too: bool = False) -> bool:
        """Whether the glyph match could not read line 1 of any band well (a font unlike OCR-B); with
        `unseen_too`, also when it saw no band at all."""
        if not self._scores:
            return unseen_too
        return all(reliability < RELIABLE for _, reliability in self._scores)

    def confirm(self, line1: str) -> None:
        """Accept the names and issuing state of this line 1, which tesseract read the same way twice where
        the glyph match cannot judge."""
        surname, given_names = line1_names(line1)
        self._fields.append(((surname, given_names), line1[ISSUING_STATE[0] : ISSUING_STATE[1]], ""))

    def _agrees(self, line1: str, cells: list[Cell]) -> bool:
        for scores, reliability in self._scores:
            # On a reliable line the glyph match must prefer the very same characters; on an unreliable one
            # it need only find each of them nearly as good as its own best.
            margin = 0.0 if reliability >= RELIABLE else 0.05 + (bonus(reliability) - TESSERACT_BONUS) / 2
            allowed = POSITION_CHARS[0]
            ok = True
            for _, i in cells:
                options = [ALPHABET.index(c) for c in allowed[i]]
                best = options[int(np.argmax(scores[i, options]))]
                char = ALPHABET.index(line1[i]) if line1[i] in ALPHABET else -1
                if (
                    char < 0
                    or (ALPHABET[best] == "<") != (line1[i] == "<")
                    or scores[i, char] < scores[i, best] - margin
                ):
                    ok = False
                    break
            if ok:
                return True
        return False


def _upright(flat: Image.Image) -> tuple[np.ndarray | None, bool]:
    """Glyph scores of the band the way up it reads best, and whether that is turned over; (None, False)
    when neither way looks like an MRZ."""
    scores = glyph_scores(flat)
    upright = float(scores.max(axis=2).mean())
    if upright >= RELIABLE:  # turned over, OCR-B still matches about 0.7 (0, 8, H, N, S, Z, < look alike)
        return scores, False
    turned = glyph_scores(flat.rotate(180))
    over = float(turned.max(axis=2).mean())
    if max(upright, over) < UPRIGHT:
        return None, False
    return (turned, True) if over > upright else (scores, False)


# --- Straightening --------------------------------------------------------------------------------------


def straighten(gray: Image.Image, quad: np.ndarray, source_pitch: float, pitch: int) -> Image.Image:
    """The MRZ band warped upright with about `pitch` px per character; line 1 is centred at a quarter of the
    height, line 2 at three quarters. A perspective warp keeps the pitch even along a tilted page."""
    scale = pitch / source_pitch
    width = round(np.linalg.norm(quad[3] - quad[0]) * scale)
    height = round(np.linalg.norm(quad[1] - quad[0]) * scale)
    target = np.array([(0, 0), (0, height), (width, height), (width, 0)], dtype=np.float64)
    return gray.transform((width, height), Image.PERSPECTIVE, homography(target, quad), Image.BICUBIC)


def homography(source: np.ndarray, target: np.ndarray) -> list[float]:
    """The 8 coefficients of the perspective map taking the 4 `source` points to the 4 `target` points."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    return np.linalg.solve(np.array(rows), np.array(rhs)).tolist()


def flatten_lighting(crop: Image.Image, pitch: int) -> Image.Image:
    """Divide out the background so that uneven light leaves white paper and dark letters."""
    pixels = np.asarray(crop, dtype=np.float32)
    paper = cv2.morphologyEx(pixels, cv2.MORPH_CLOSE, np.ones((pitch, pitch), np.uint8))
    ratio = pixels / np.maximum(paper, 1.0)
    return Image.fromarray(np.clip((ratio - 0.35) / 0.6 * 255, 0, 255).astype(np.uint8))


def without_rules(band: Image.Image, pitch: int = CHAR_PITCH) -> Image.Image:
    """The band with ruled lines painted white: a stroke taller than two lines of letters or wider than
    three letters is a frame around the MRZ (or the page's edge), which the readers would take for a
    character (a frame's side reads as I or 1 and shifts every cell after it)."""
    pixels = np.asarray(band)
    ink = (pixels < 128).astype(np.uint8)
    tall = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((round(2.2 * pitch), 1), np.uint8))
    wide = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 3 * pitch), np.uint8))
    rules = cv2.dilate(tall | wide, np.ones((3, 3), np.uint8)).astype(bool)
    if not rules.any():
        return band
    cleaned = pixels.copy()
    cleaned[rules] = 255
    return Image.fromarray(cleaned)


# --- Reader 1: OCR-B glyph matching ---------------------------------------------------------------------


@cache
def _ocrb_font() -> Path | None:
    """The OCR-B font file (Debian: fonts-ocr-b), or None when it is not installed."""
    for root in _FONT_DIRS:
        found = sorted(Path(root).glob("**/OCRB.[ot]tf"))
        if found:
            return found[0]
    return None


@cache
def _glyph_templates(pitch: int, height: int) -> np.ndarray:
    """Every MRZ character drawn in OCR-B in a pitch x height cell, slightly blurred like a photo, as ink
    images (float32, shape (len(ALPHABET), height, pitch))."""
    size = round(pitch / _OCRB_ADVANCE)
    font = ImageFont.truetype(str(_ocrb_font()), size)
    top = (height - (_OCRB_INK[1] - _OCRB_INK[0]) * size) / 2 - _OCRB_INK[0] * size
    cells = []
    for char in ALPHABET:
        cell = Image.new("L", (pitch, height), 0)
        ImageDraw.Draw(cell).text((0, top), char, font=font, fill=255)
        cells.append(ndi.gaussian_filter(np.asarray(cell, dtype=np.float32), 1.2))
    return np.stack(cells)


def glyph_scores(band: Image.Image, shifted: bool = False) -> np.ndarray | None:
    """Correlation of each of the 2 x 44 character cells with each OCR-B glyph, shape (2, 44, len(ALPHABET));
    None when the OCR-B font is missing. With `shifted`, the scores on the two other grids worth a try,
    shape (grids, 2, 44, len(ALPHABET)): starting a character later (a stray mark before the MRZ taken for
    its first character) and ending one earlier (after it)."""
    if _ocrb_font() is None:
        return None
    ink = 255.0 - np.asarray(band, dtype=np.float32)
    height = round(1.25 * CHAR_PITCH)
    scores = [_sliding_scores(ink, _ink_centre(ink, centre), height) for centre in (0.25, 0.75)]
    first, second = (s.max(axis=1) for s in scores)
    offset = _grid_offset(first, second)
    joint = first[: len(second)].copy()
    part = second[max(0, offset) : len(second) + min(0, offset)]
    start = max(0, -offset)
    joint[start : start + len(part)] += part[: len(joint) - start]
    cells = _cell_positions(joint)
    grids = [cells]
    if shifted:
        half = CHAR_PITCH // 2
        grids = [
            _cell_positions(joint, first_at=int(cells[0]) + half),
            _cell_positions(joint, last_at=int(cells[-1]) - half),
        ]
    out = []
    for grid in grids:
        lines = [ndi.maximum_filter1d(s, 3, axis=0)[np.clip(positions, 0, len(s) - 1)]
                 for s, positions in ((scores[0], grid), (scores[1], grid + offset))]  # fmt: skip
        out.append(np.stack(lines))
    return np.stack(out) if shifted else out[0]


def _grid_offset(first: np.ndarray, second: np.ndarray, most: int = CHAR_PITCH // 2) -> int:
    """How far line 2's character grid lies right of line 1's (the two lines share one grid, ICAO 9303; a
    slanted page shifts one against the other). Finding the cells of both lines together keeps a stray mark
    before one line from shifting that line a whole character."""
    a, b = first - first.mean(), second - second.mean()
    n = min(len(a), len(b))
    best, best_score = 0, -np.inf
    for d in range(-most, most + 1):
        lo, hi = max(0, -d), min(n, n - d)
        score = float(a[lo:hi] @ b[lo + d : hi + d]) / max(hi - lo, 1)
        if score > best_score:
            best, best_score = d, score
    return best


def _ink_centre(ink: np.ndarray, fraction: float) -> int:
    """The row at the centre of the ink of the line expected at `fraction` of the band height."""
    height = ink.shape[0]
    lo, hi = round((fraction - 0.2) * height), round((fraction + 0.2) * height)
    rows = ink[lo:hi].sum(axis=1)
    rows = np.maximum(rows - np.median(rows), 0)
    return lo + round(float((rows * np.arange(len(rows))).sum() / max(rows.sum(), 1e-6)))


def _sliding_scores(ink: np.ndarray, centre: int, height: int, shake: int = 2) -> np.ndarray:
    """Normalised correlation of every glyph with the cell starting at every x, best of a few rows around
    `centre`: shape (x positions, len(ALPHABET))."""
    top = centre - height // 2 - shake
    strip = np.ascontiguousarray(np.pad(ink, ((height, height), (0, 0)))[top + height : top + 2 * height + 2 * shake])
    if strip.shape[1] < CHAR_PITCH:
        return np.zeros((1, len(ALPHABET)), dtype=np.float32)
    scores = [cv2.matchTemplate(strip, glyph, cv2.TM_CCOEFF_NORMED).max(axis=0)
              for glyph in _glyph_templates(CHAR_PITCH, height)]  # fmt: skip
    return np.nan_to_num(np.stack(scores, axis=1), nan=0.0, posinf=0.0, neginf=0.0)


def _cell_positions(best: np.ndarray, slack: int = 3, first_at: int = 0, last_at: int | None = None) -> np.ndarray:
    """x of the 44 cells: the increasing positions, each about a pitch after the last, that match best in
    total (dynamic programming, so the pitch may drift a little along the line). The band reaches about two
    characters beyond the ink at either end, so no cell starts within MARGIN of its edges: a frame printed
    around the MRZ lies there."""
    steps = range(CHAR_PITCH - slack, CHAR_PITCH + slack + 1)
    end = len(best) - CHAR_PITCH - MARGIN  # the last cell starts no later
    if len(best) <= LINE_LENGTH * (CHAR_PITCH - slack):
        best = np.pad(best, (0, LINE_LENGTH * (CHAR_PITCH + slack) - len(best)))
        end = len(best)
    end = end if last_at is None else min(end, last_at + 1)
    total, back = best.copy(), []
    total[: max(MARGIN, first_at)] = -np.inf
    for _ in range(LINE_LENGTH - 1):
        shifted = np.full((len(steps), len(best)), -np.inf)
        for i, step in enumerate(steps):
            shifted[i, step:] = total[:-step]
        choice = shifted.argmax(axis=0)
        total = shifted[choice, np.arange(len(best))] + best
        back.append(np.array(steps)[choice])
    total[max(end, LINE_LENGTH * (CHAR_PITCH - slack)) :] = -np.inf
    x = int(total.argmax())
    positions = [x]
    for step in reversed(back):
        x -= int(step[x])
        positions.append(x)
    return np.clip(np.array(positions[::-1]), 0, None)


# --- Reader 2: tesseract --------------------------------------------------------------------------------


def tesseract(image: Image.Image) -> str:
    """Text of the MRZ band read by tesseract, whitelisted to the MRZ alphabet."""
    return ocr_engine.text(image, "eng", psm=6, whitelist=ALPHABET)


# --- Combining ------------------------------------------------------------------------------------------


def bonus(reliability: float) -> float:
    """Tesseract's bonus on a line whose glyph match has this mean best score."""
    return min(MAX_BONUS, TESSERACT_BONUS + 2 * max(0.0, RELIABLE - reliability))


def fuse(scores: np.ndarray, text: str, reliability: np.ndarray | None = None) -> tuple[str, dict[Cell, str]]:
    """Both MRZ lines, cell by cell the allowed character with the best glyph score plus the line's tesseract
    bonus if tesseract read it there (its lines aligned to the glyph reading: it may drop or add characters);
    and the doubtful cells, with the other characters that scored within DOUBT of the best, or that the glyph
    match preferred where tesseract outvoted it."""
    reliability = scores.max(axis=2).mean(axis=1) if reliability is None else reliability
    plain = [_ranked(scores[i], allowed, [None] * LINE_LENGTH, 0.0) for i, allowed in enumerate(POSITION_CHARS)]
    votes = [[None] * LINE_LENGTH, [None] * LINE_LENGTH]
    lines = [line for line in normalise_lines(text) if len(line) >= 30][-2:]
    if len(lines) == 2:
        for i in range(2):
            glyph_line = "".join(r[0][0] for r in plain[i])
            votes[i] = _aligned(glyph_line, lines[i])
            if reliability[i] >= RELIABLE:
                votes[i] = _heeded(votes[i], glyph_line)
    out, doubts = [], {}
    for i, allowed in enumerate(POSITION_CHARS):
        ranked_cells = _ranked(scores[i], allowed, votes[i], bonus(float(reliability[i])))
        for cell, ranked in enumerate(ranked_cells):
            raw = dict(plain[i][cell])
            chosen, chosen_score = ranked[0]
            # Another character is a doubt when its own glyph score comes near the chosen one's score (with
            # tesseract's bonus when tesseract agrees): tesseract's vote for a loser does not make it a doubt.
            others = [c for c, _ in plain[i][cell] if c != chosen and raw[c] >= chosen_score - DOUBT]
            glyph_best = plain[i][cell][0][0]
            if glyph_best != chosen and glyph_best not in others:
                others.append(glyph_best)
            if others:
                doubts[(i, cell)] = "".join(others)
        out.append("".join(r[0][0] for r in ranked_cells))
    return "\n".join(out), doubts


def _ranked(
    scores: np.ndarray, allowed: tuple[str, ...], votes: list[str | None], vote_bonus: float
) -> list[list[tuple[str, float]]]:
    """Per cell, the allowed characters by glyph score plus `vote_bonus` for tesseract's vote, best first."""
    return [
        sorted(
            ((c, float(scores[cell, ALPHABET.index(c)]) + vote_bonus * (c == votes[cell])) for c in options),
            key=lambda item: -item[1],
        )
        for cell, options in enumerate(allowed)
    ]


def _heeded(votes: list[str | None], glyph_line: str) -> list[str | None]:
    """Tesseract's votes on a line the glyph match reads well, without those in a run where it disagrees with
    every neighbour: a misreading of one character has agreeing neighbours, a stretch of garbage (a hallucinated
    word in the fillers, a blurred name) has none, and there its votes would only sow doubt."""
    agree = [vote == glyph for vote, glyph in zip(votes, glyph_line, strict=True)]
    out = list(votes)
    for i, vote in enumerate(votes):
        if vote is not None and not agree[i]:
            neighbours = [agree[j] for j in (i - 1, i + 1) if 0 <= j < len(votes)]
            if not any(neighbours):
                out[i] = None
    return out


def _aligned(reference: str, other: str) -> list[str | None]:
    """For each character of `reference`, the character of `other` that lines up with it (None if none)."""
    out: list[str | None] = [None] * len(reference)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, reference, other, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out[i1:i2] = other[j1:j2]
    return out
