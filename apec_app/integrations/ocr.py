"""Read the MRZ of a passport data page from a photo: find the band, straighten it, read it twice, check it.

Finding the two MRZ lines ourselves on a downscaled copy (contrast map, letters joined into lines, the pair of
long parallel lines) is several times faster than passporteye's generic search. The band is warped upright with
a fixed character pitch and read by two readers that fail differently:

- tesseract (whitelisted to the MRZ alphabet) reads letters and digits well, but its `eng` model turns runs of
  `<` into K's and miscounts them, which garbles the names on line 1;
- matching each of the 44 character cells against OCR-B glyphs (the font ICAO 9303 prescribes) gets the
  fillers right and cannot miscount cells, but has only the one font.

Per cell, the glyph scores decide among the characters the position may hold, with a small bonus for the one
tesseract read there (a tie-breaker: cell by cell the glyph match is the better reader). Cells whose runner-up
scores almost as well go to the domain parser as doubts: the check digits may settle them, and a doubtful cell
in the names, nationality or sex fails that field instead of being guessed. When checks fail, the glyph reading
alone is tried, then both again on a second preprocessing; the first fully valid reading wins, else the one
with the fewest failed checks. Nothing is written to disk; everything is safe to call from several threads.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image, ImageDraw, ImageFont, ImageOps
from scipy import ndimage as ndi

from apec_app.domain.mrz import ALPHABET, LINE_LENGTH, POSITION_CHARS, Cell, MrzResult, normalise_lines, parse_td3

MAX_PIXELS = 30_000_000
DETECT_WIDTH = 1000  # the line search runs on a copy about this wide
INK_PITCHES = 42.65  # first to last ink of a 44-character OCR-B line, in character pitches
CHAR_PITCH = 24  # px per MRZ character in the straightened band
TESSERACT_BONUS = 0.05  # added to the glyph score (correlation, about 0.95 when right) of tesseract's character
DOUBT = 0.05  # characters scoring within this of a cell's best are alternatives the check digits may pick
TESSERACT_TIMEOUT = 20
_TESSERACT_ARGS = [
    "--psm", "6", "--oem", "1", "--dpi", "300",
    "-c", f"tessedit_char_whitelist={ALPHABET}",
    "-c", "load_system_dawg=0", "-c", "load_freq_dawg=0",
]  # fmt: skip
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
_OCRB_ADVANCE = 0.72296875  # OCR-B advance width per em
_OCRB_INK = (0.17, 0.94)  # top of digits and baseline, per em below the drawing origin


class ImageTooLarge(ValueError):
    """The image has more pixels than a passport photo needs (and than is safe to decode)."""


class OcrUnavailable(RuntimeError):
    """The tesseract program is missing or failed."""


@dataclass(frozen=True)
class OcrOutcome:
    """The MRZ read from one image (None when no MRZ was found), how long it took and which attempt gave it."""

    result: MrzResult | None
    seconds: float
    attempt: str | None


@dataclass(frozen=True)
class _Line:
    """One text line found in the downscaled image: centre, unit direction and extent along it."""

    centre: np.ndarray
    direction: np.ndarray
    start: float
    end: float
    thickness: float

    @property
    def length(self) -> float:
        return self.end - self.start

    @property
    def angle(self) -> float:
        return float(np.degrees(np.arctan2(self.direction[1], self.direction[0])))

    @property
    def normal(self) -> np.ndarray:
        return np.array([-self.direction[1], self.direction[0]])

    def point(self, s: float) -> np.ndarray:
        return self.centre + self.direction * s


def read_passport(image_bytes: bytes) -> OcrOutcome:
    """Read and check the MRZ of a passport data page photo. Raises ImageTooLarge for oversized images."""
    started = time.perf_counter()
    gray = _load_gray(image_bytes)
    band = locate_mrz(gray)
    best, best_attempt = None, None
    if band is not None:
        for name, result in _readings(gray, *band):
            if _better(result, best):
                best, best_attempt = result, name
            if best is not None and best.valid:
                break
    return OcrOutcome(best, time.perf_counter() - started, best_attempt)


def _readings(gray: Image.Image, quad: np.ndarray, source_pitch: float) -> Iterator[tuple[str, MrzResult | None]]:
    """Readings to try in turn, the most often right first; later ones only run when earlier ones fail.

    Without the OCR-B font only tesseract reads, and its names are unreliable (see the module docstring)."""
    for prep, image in _preprocessings(straighten(gray, quad, source_pitch, CHAR_PITCH)):
        scores = glyph_scores(image)
        text = tesseract(image)
        if scores is None:
            yield f"{prep}:tesseract", parse_td3(text)
            continue
        for name, votes in (("fused", text), ("glyphs", "")):
            lines, doubts = fuse(scores, votes)
            yield f"{prep}:{name}", parse_td3(lines, alternatives=doubts)


def _preprocessings(crop: Image.Image) -> Iterator[tuple[str, Image.Image]]:
    """The straightened band with the lighting divided out; as it is, only stretched to full contrast; and
    turned over, for a page photographed upside down."""
    flat = flatten_lighting(crop, CHAR_PITCH)
    yield "flat", flat
    yield "gray", ImageOps.autocontrast(crop, 1)
    yield "upside-down", flat.rotate(180)


def _better(result: MrzResult | None, best: MrzResult | None) -> bool:
    """Whether `result` should replace `best`: it has fewer failed checks (valid has none)."""
    if result is None:
        return False
    return best is None or len(result.failed_checks) < len(best.failed_checks)


def _load_gray(image_bytes: bytes) -> Image.Image:
    """Decode to grayscale, refusing decompression bombs before any pixel is decoded."""
    image = Image.open(io.BytesIO(image_bytes))
    if image.width * image.height > MAX_PIXELS:
        raise ImageTooLarge(f"image of {image.width}x{image.height} px exceeds {MAX_PIXELS} pixels")
    image.draft("L", image.size)
    return ImageOps.exif_transpose(image).convert("L")


# --- Finding the MRZ band -------------------------------------------------------------------------------


def locate_mrz(gray: Image.Image) -> tuple[np.ndarray, float] | None:
    """Corners of the MRZ band in `gray` and its px per character (see _band_quad); None without an MRZ."""
    factor = max(1, round(gray.width / DETECT_WIDTH))
    small = np.asarray(gray.reduce(factor) if factor > 1 else gray, dtype=np.float32)
    pair = _mrz_pair(_text_lines(small))
    if pair is None:
        return None
    quad, pitch = _band_quad(*sorted(pair, key=lambda line: float(line.centre[1])))
    return quad * factor, pitch * factor


def _text_lines(small: np.ndarray) -> list[_Line]:
    """Long thin blobs of dark marks: letters joined horizontally into lines, whatever the lighting."""
    width = small.shape[1]
    window = max(5, width // 70)
    ink = 1.0 - small / np.maximum(ndi.grey_closing(small, size=(window, window)), 1.0) > 0.25
    joined = ndi.binary_closing(ink, structure=np.ones((1, max(3, width // 40))))
    joined = ndi.binary_opening(joined, structure=np.ones((3, 3)))
    labels, _ = ndi.label(joined)
    lines = []
    for index, box in enumerate(ndi.find_objects(labels), start=1):
        if box[1].stop - box[1].start < width // 5:
            continue
        blob = labels[box] == index
        if not _looks_like_text(ink[box] & blob, blob):
            continue
        ys, xs = np.nonzero(blob)
        line = _fit_line(xs + box[1].start, ys + box[0].start)
        if line.length > 8 * line.thickness and abs(line.angle) < 25:
            lines.append(line)
    return lines


def _looks_like_text(ink: np.ndarray, blob: np.ndarray) -> bool:
    """Letters, not a stripe, an edge or a textured surface: many separate marks of some size (an MRZ line has
    44) that leave gaps, rather than one solid mark or a dust of specks."""
    labels, count = ndi.label(ink)
    sizes = np.bincount(labels.ravel())[1:]
    return count >= 15 and float(np.median(sizes)) >= 8 and ink.sum() < 0.8 * blob.sum()


def _fit_line(xs: np.ndarray, ys: np.ndarray) -> _Line:
    """Principal axis of a blob's pixels, pointing left to right."""
    points = np.stack([xs, ys], axis=1).astype(np.float64)
    centre = points.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov((points - centre).T))
    direction = vectors[:, 1] if vectors[0, 1] >= 0 else -vectors[:, 1]
    along = (points - centre) @ direction
    across = (points - centre) @ np.array([-direction[1], direction[0]])
    return _Line(centre, direction, float(along.min()), float(along.max()), float(4 * across.std()))


def _mrz_pair(lines: list[_Line]) -> tuple[_Line, _Line] | None:
    """The two MRZ lines: the longest pair of parallel, overlapping lines about one line height apart."""
    best, best_length = None, 0.0
    for a in lines:
        for b in lines:
            gap = float((b.centre - a.centre) @ a.normal)
            offset = abs(float((b.point(b.start) - a.point(a.start)) @ a.direction))
            if not (1.2 * a.thickness < gap < 5 * a.thickness and abs(a.angle - b.angle) < 4):
                continue
            if offset < 0.15 * max(a.length, b.length) and a.length + b.length > best_length:
                best, best_length = (a, b), a.length + b.length
    return best


def _band_quad(top: _Line, bottom: _Line) -> tuple[np.ndarray, float]:
    """Corners (upper-left, lower-left, lower-right, upper-right) of the MRZ band and its px per character.

    The corners lie on the two lines extended by two characters, moved apart by half the local line gap, so
    that the lines' convergence (the page tilted away from the camera) carries over into the perspective warp.
    """
    u = top.direction + bottom.direction
    u /= np.linalg.norm(u)
    left = min(float(line.point(line.start) @ u) for line in (top, bottom))
    right = max(float(line.point(line.end) @ u) for line in (top, bottom))
    pitch = (right - left) / INK_PITCHES
    ends = []
    for s in (left - 2 * pitch, right + 2 * pitch):
        upper, lower = (line.point(s - float(line.centre @ u)) for line in (top, bottom))
        ends.append((upper - (lower - upper) / 2, lower + (lower - upper) / 2))
    return np.array([ends[0][0], ends[0][1], ends[1][1], ends[1][0]]), pitch


# --- Straightening --------------------------------------------------------------------------------------


def straighten(gray: Image.Image, quad: np.ndarray, source_pitch: float, pitch: int) -> Image.Image:
    """The MRZ band warped upright with about `pitch` px per character; line 1 is centred at a quarter of the
    height, line 2 at three quarters. A perspective warp keeps the pitch even along a tilted page."""
    scale = pitch / source_pitch
    width = round(np.linalg.norm(quad[3] - quad[0]) * scale)
    height = round(np.linalg.norm(quad[1] - quad[0]) * scale)
    target = np.array([(0, 0), (0, height), (width, height), (width, 0)], dtype=np.float64)
    return gray.transform((width, height), Image.PERSPECTIVE, _homography(target, quad), Image.BICUBIC)


def _homography(source: np.ndarray, target: np.ndarray) -> list[float]:
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
    ratio = pixels / np.maximum(ndi.grey_closing(pixels, size=(pitch, pitch)), 1.0)
    return Image.fromarray(np.clip((ratio - 0.35) / 0.6 * 255, 0, 255).astype(np.uint8))


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
    """Every MRZ character drawn in OCR-B in a pitch x height cell, slightly blurred like a photo, as
    zero-mean unit-norm rows (so that a dot product is the normalised correlation)."""
    size = round(pitch / _OCRB_ADVANCE)
    font = ImageFont.truetype(str(_ocrb_font()), size)
    top = (height - (_OCRB_INK[1] - _OCRB_INK[0]) * size) / 2 - _OCRB_INK[0] * size
    rows = []
    for char in ALPHABET:
        cell = Image.new("L", (pitch, height), 0)
        ImageDraw.Draw(cell).text((0, top), char, font=font, fill=255)
        rows.append(ndi.gaussian_filter(np.asarray(cell, dtype=np.float32), 1.2).ravel())
    templates = np.stack(rows)
    templates -= templates.mean(axis=1, keepdims=True)
    return templates / np.linalg.norm(templates, axis=1, keepdims=True)


def glyph_scores(band: Image.Image) -> np.ndarray | None:
    """Correlation of each of the 2 x 44 character cells with each OCR-B glyph, shape (2, 44, len(ALPHABET));
    None when the OCR-B font is missing."""
    if _ocrb_font() is None:
        return None
    ink = 255.0 - np.asarray(band, dtype=np.float32)
    height = round(1.25 * CHAR_PITCH)
    lines = []
    for centre in (0.25, 0.75):
        scores = _sliding_scores(ink, _ink_centre(ink, centre), height)
        best = scores.max(axis=1)
        cells = _cell_positions(best)
        local = ndi.maximum_filter1d(scores, 3, axis=0)
        lines.append(local[cells])
    return np.stack(lines)


def _ink_centre(ink: np.ndarray, fraction: float) -> int:
    """The row at the centre of the ink of the line expected at `fraction` of the band height."""
    height = ink.shape[0]
    lo, hi = round((fraction - 0.2) * height), round((fraction + 0.2) * height)
    rows = ink[lo:hi].sum(axis=1)
    rows = np.maximum(rows - np.median(rows), 0)
    return lo + round(float((rows * np.arange(len(rows))).sum() / max(rows.sum(), 1e-6)))


def _sliding_scores(ink: np.ndarray, centre: int, height: int, shake: int = 2) -> np.ndarray:
    """Correlation of every glyph with the cell starting at every x, best of a few rows around `centre`:
    shape (x positions, len(ALPHABET))."""
    top = centre - height // 2 - shake
    padded = np.pad(ink, ((height, height), (0, 0)))[top + height : top + 2 * height + 2 * shake]
    windows = sliding_window_view(padded, (height, CHAR_PITCH)).reshape(-1, height * CHAR_PITCH)
    windows = windows - windows.mean(axis=1, keepdims=True)
    norms = np.maximum(np.linalg.norm(windows, axis=1, keepdims=True), 1e-3)
    scores = (windows @ _glyph_templates(CHAR_PITCH, height).T) / norms
    return scores.reshape(2 * shake + 1, -1, len(ALPHABET)).max(axis=0)


def _cell_positions(best: np.ndarray, slack: int = 3) -> np.ndarray:
    """x of the 44 cells: the increasing positions, each about a pitch after the last, that match best in
    total (dynamic programming, so the pitch may drift a little along the line)."""
    steps = range(CHAR_PITCH - slack, CHAR_PITCH + slack + 1)
    total, back = best.copy(), []
    for _ in range(LINE_LENGTH - 1):
        shifted = np.full((len(steps), len(best)), -np.inf)
        for i, step in enumerate(steps):
            shifted[i, step:] = total[:-step]
        choice = shifted.argmax(axis=0)
        total = shifted[choice, np.arange(len(best))] + best
        back.append(np.array(steps)[choice])
    x = int(total.argmax())
    positions = [x]
    for step in reversed(back):
        x -= int(step[x])
        positions.append(x)
    return np.array(positions[::-1])


# --- Reader 2: tesseract --------------------------------------------------------------------------------


def tesseract(image: Image.Image) -> str:
    """Text of `image` from the tesseract program (PNG through stdin, text through stdout: no files)."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", *_TESSERACT_ARGS],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=TESSERACT_TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrUnavailable(f"tesseract could not run: {exc}") from exc
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {done.stderr.decode(errors='replace')[-300:]}")
    return done.stdout.decode("ascii", errors="ignore")


# --- Combining ------------------------------------------------------------------------------------------


def fuse(scores: np.ndarray, text: str) -> tuple[str, dict[Cell, str]]:
    """Both MRZ lines, cell by cell the allowed character with the best glyph score plus TESSERACT_BONUS if
    tesseract read it there (its lines aligned to the glyph reading: it may drop or add characters); and the
    doubtful cells, with the other characters that scored within DOUBT of the best."""
    glyph_lines = [_ranked(scores[i], allowed, [None] * LINE_LENGTH) for i, allowed in enumerate(POSITION_CHARS)]
    lines = [line for line in normalise_lines(text) if len(line) >= 30][-2:]
    if len(lines) == 2:
        glyph_lines = [
            _ranked(scores[i], allowed, _aligned("".join(r[0][0] for r in glyph_lines[i]), lines[i]))
            for i, allowed in enumerate(POSITION_CHARS)
        ]
    doubts = {}
    for i, ranked_cells in enumerate(glyph_lines):
        for cell, ranked in enumerate(ranked_cells):
            others = "".join(c for c, score in ranked[1:] if score >= ranked[0][1] - DOUBT)
            if others:
                doubts[(i, cell)] = others
    return "\n".join("".join(r[0][0] for r in ranked_cells) for ranked_cells in glyph_lines), doubts


def _ranked(scores: np.ndarray, allowed: tuple[str, ...], votes: list[str | None]) -> list[list[tuple[str, float]]]:
    """Per cell, the allowed characters by glyph score plus TESSERACT_BONUS for tesseract's vote, best first."""
    return [
        sorted(
            ((c, float(scores[cell, ALPHABET.index(c)]) + TESSERACT_BONUS * (c == votes[cell])) for c in options),
            key=lambda item: -item[1],
        )
        for cell, options in enumerate(allowed)
    ]


def _aligned(reference: str, other: str) -> list[str | None]:
    """For each character of `reference`, the character of `other` that lines up with it (None if none)."""
    out: list[str | None] = [None] * len(reference)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, reference, other, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out[i1:i2] = other[j1:j2]
    return out
