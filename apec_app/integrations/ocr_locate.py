"""Finding the two MRZ lines in a photo: letters joined into lines, the pair of long parallel lines.

The search runs on a copy about DETECT_WIDTH px wide (downscaled by an integer factor when the photo is large,
upscaled when it is small, so that the morphology's sizes suit the letters either way). `find_bands` yields the
candidate bands in the order worth trying: first the one plain search that finds nearly every MRZ, then, only
when the reader asks for more, searches tuned for what defeats it:

- `strict`: a higher contrast threshold and no specks, against guilloche printed in the MRZ's background;
- `clahe`: local contrast equalised first, against glare and deep shadow;
- `coarse` / `fine`: other working widths, for MRZs much larger or smaller than usual in the frame;
- `rot90` / `rot270`: the photo turned a quarter, for pages photographed sideways.

Each band is the quadrilateral around both lines (their convergence, when the page is tilted away from the
camera, carries over into the perspective warp) and the line's pitch in px per character. Bands already
yielded are not yielded again. Pure functions of the pixels; nothing is written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage as ndi

DETECT_WIDTH = 1000
INK_PITCHES = 42.65  # first to last ink of a 44-character OCR-B line, in character pitches
MAX_ANGLE = 25  # degrees from horizontal a line may have (a quarter turn is searched separately)


@dataclass(frozen=True)
class Band:
    """A candidate MRZ: corners (upper-left, lower-left, lower-right, upper-right) in the full image, the px per
    character there, and the search that found it."""

    quad: np.ndarray
    pitch: float
    source: str

    @property
    def centre(self) -> np.ndarray:
        return self.quad.mean(axis=0)

    def same_as(self, other: Band) -> bool:
        """Whether both bands cover the same MRZ (centres within two characters, similar pitch)."""
        close = np.linalg.norm(self.centre - other.centre) < 2 * max(self.pitch, other.pitch)
        return close and 0.8 < self.pitch / other.pitch < 1.25


@dataclass(frozen=True)
class _Line:
    """One text line found in the working copy: centre, unit direction and extent along it."""

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


@dataclass(frozen=True)
class _Search:
    name: str
    width: int = DETECT_WIDTH
    threshold: float = 0.25
    speck: int = 0
    clahe: bool = False
    turn: int = 0  # quarter turns counter-clockwise applied before searching


FAST = _Search("lines")
FALLBACKS = (
    _Search("strict", threshold=0.4, speck=6),
    _Search("clahe", clahe=True),
    _Search("coarse", width=640),
    _Search("fine", width=1600, threshold=0.3),
    _Search("rot90", turn=1),
    _Search("rot270", turn=3),
)


def locate_mrz(gray: Image.Image) -> tuple[np.ndarray, float] | None:
    """Corners of the MRZ band found by the plain search and its px per character; None without an MRZ."""
    band = next(iter(_search(gray, FAST)), None)
    return None if band is None else (band.quad, band.pitch)


def find_bands(gray: Image.Image, fallbacks: bool = True) -> Iterator[Band]:
    """Candidate bands, the plain search's first; with `fallbacks`, then those of the other searches."""
    seen: list[Band] = []
    for search in (FAST, *FALLBACKS) if fallbacks else (FAST,):
        for band in _search(gray, search):
            if not any(band.same_as(other) for other in seen):
                seen.append(band)
                yield band


def _search(gray: Image.Image, search: _Search) -> list[Band]:
    """The bands one search finds, longest pair first (at most two per search)."""
    small, factor = working_copy(gray, search.width)
    if search.clahe:
        small = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(small)
    small = np.rot90(small, search.turn) if search.turn else small
    lines = _text_lines(small.astype(np.float32), search.threshold, search.speck)
    bands = []
    for top, bottom in _mrz_pairs(lines)[:2]:
        quad, pitch = _band_quad(top, bottom)
        quad = _unturn(quad, search.turn, small.shape) * factor
        bands.append(Band(quad, pitch * factor, search.name))
    return bands


def working_copy(gray: Image.Image, width: int) -> tuple[np.ndarray, float]:
    """`gray` about `width` px wide as uint8 pixels, and the factor from its coordinates to the full image's.
    Large photos are reduced by an integer factor (fast, and no detail is invented); small ones are enlarged."""
    if gray.width >= 1.5 * width:
        factor = round(gray.width / width)
        return np.asarray(gray.reduce(factor)), float(factor)
    scale = width / gray.width
    resized = gray.resize((width, max(1, round(gray.height * scale))), Image.BILINEAR)
    return np.asarray(resized), 1.0 / scale


def _unturn(quad: np.ndarray, turn: int, shape: tuple[int, ...]) -> np.ndarray:
    """Corners found in the image turned `turn` quarters counter-clockwise, in the unturned image's (x, y)."""
    out = quad.copy()
    for _ in range(turn):
        # np.rot90 puts the pixel (x, y) of an image W wide at (y, W - 1 - x); W is the turned image's height.
        out = np.stack([shape[0] - 1 - out[:, 1], out[:, 0]], axis=1)
        shape = (shape[1], shape[0])
    return out


def _text_lines(small: np.ndarray, threshold: float = 0.25, speck: int = 0) -> list[_Line]:
    """Long thin blobs of dark marks: letters joined horizontally into lines, whatever the lighting. A mark is
    ink where the pixel is `threshold` darker than its neighbourhood's paper; marks under `speck` px are
    dropped (the dust of a fine security print)."""
    width = small.shape[1]
    window = max(5, width // 70)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((window, window), np.uint8))
    ink = (1.0 - small / np.maximum(paper, 1.0) > threshold).astype(np.uint8)
    if speck:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=4)
        keep = stats[:, cv2.CC_STAT_AREA] >= speck
        keep[0] = False
        ink = keep[labels].astype(np.uint8)
    ink = _without_rules(ink)
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, max(3, width // 40)), np.uint8))
    joined = cv2.morphologyEx(joined, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=4)
    lines = []
    for index in range(1, count):
        x, y, w, h = stats[index, :4]
        if w < width // 5:
            continue
        box = (slice(y, y + h), slice(x, x + w))
        blob = labels[box] == index
        if not _looks_like_text(ink[box].astype(bool) & blob, blob):
            continue
        ys, xs = np.nonzero(blob)
        line = _fit_line(xs + x, ys + y)
        if line.length > 8 * line.thickness and abs(line.angle) < MAX_ANGLE:
            lines.append(line)
    return _joined_segments(lines)


def _without_rules(ink: np.ndarray) -> np.ndarray:
    """Ink without ruled lines: strokes far taller or wider than a letter (a frame drawn around the MRZ, a
    table's rules, the page's edge), which would otherwise join the letters beside them into one blob."""
    width = ink.shape[1]
    tall = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(15, width // 25), 1), np.uint8))
    wide = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(30, width // 8)), np.uint8))
    rules = cv2.dilate(tall | wide, np.ones((3, 3), np.uint8))
    return ink & (1 - rules)


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


def _joined_segments(lines: list[_Line]) -> list[_Line]:
    """Pieces of one line (broken by glare or a gap in the print) joined: collinear, end to end, the gap no
    wider than a few letters."""
    out: list[_Line] = []
    for line in sorted(lines, key=lambda line: float(line.point(line.start)[0])):
        before = next((i for i, other in enumerate(out) if _continues(other, line)), None)
        if before is None:
            out.append(line)
        else:
            out[before] = _merge(out[before], line)
    return out


def _continues(a: _Line, b: _Line) -> bool:
    thickness = max(a.thickness, b.thickness)
    offset = abs(float((b.centre - a.centre) @ a.normal))
    gap = float((b.point(b.start) - a.point(a.end)) @ a.direction)
    return abs(a.angle - b.angle) < 4 and offset < 0.4 * thickness and -thickness < gap < 3 * thickness


def _merge(a: _Line, b: _Line) -> _Line:
    start, end = a.point(a.start), b.point(b.end)
    direction = (end - start) / np.linalg.norm(end - start)
    centre = (start + end) / 2
    half = float(np.linalg.norm(end - start)) / 2
    return _Line(
        centre, direction, -half, half, (a.thickness * a.length + b.thickness * b.length) / (a.length + b.length)
    )


def _mrz_pairs(lines: list[_Line]) -> list[tuple[_Line, _Line]]:
    """Pairs that may be the two MRZ lines: parallel, overlapping, about one line height apart, of similar
    length; the longest first, each line in at most one pair. Returned top line first."""
    pairs = []
    for a in lines:
        for b in lines:
            gap = float((b.centre - a.centre) @ a.normal)
            offset = abs(float((b.point(b.start) - a.point(a.start)) @ a.direction))
            if not (1.2 * a.thickness < gap < 5 * a.thickness and abs(a.angle - b.angle) < 4):
                continue
            if offset < 0.15 * max(a.length, b.length):
                pairs.append((a.length + b.length, a, b))
    pairs.sort(key=lambda item: -item[0])
    chosen: list[tuple[_Line, _Line]] = []
    for _, a, b in pairs:
        if not any(a is x or a is y or b is x or b is y for x, y in chosen):
            chosen.append((a, b))
    return chosen


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
