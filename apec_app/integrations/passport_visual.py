"""Reading the visual zone of a Chinese passport's data page: 姓, 名, 签发日期, 签发地点, 签发机关 as printed.

The MRZ band found by ocr_locate fixes the page's geometry: its corners lie at known places of the ID-3 page
(the MRZ's first character 6 mm from the left edge, its lines 6.5 mm apart near the bottom), so a perspective
map from page millimetres to the photo follows from them, and the visual zone above the MRZ is cut out and
rectified at 10 px/mm. Each field's value lies at a fixed place of the page (PAGE below: the columns and rows
of the Chinese data page, the value in bold 2.3 mm under its label). The printed text lines of each column are
found in the rectified zone (rows of ink) and told apart by weight: values bold, labels thin (and at
phone-photo resolution too small to read). The rows are fitted to the bold lines of the first column (a page
tilted away from the camera stretches them with the distance from the MRZ), the value line nearest each
field's place is cut out tightly and read as a single line by tesseract with Debian's `tesseract-ocr-chi-sim`
model, the lines read concurrently; a name only when every character of it was read with confidence.

The text goes to apec_app.domain.passport_visual, which checks each value against the MRZ before it is used
(a misplaced line fails those checks; 签发地点, the one value that would pass them from the wrong row, is only
believed when 签发日期 on its printed row passed its check). Nothing is written to disk.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps

from apec_app.domain.passport_visual import VisualText, chinese
from apec_app.integrations import ocr_engine
from apec_app.integrations.ocr_locate import INK_PITCHES, Band
from apec_app.integrations.ocr_mrz import homography

LANG = "chi_sim"
PX_PER_MM = 10
MRZ_PITCH_MM = 2.54
MRZ_LEFT_MM = 6.0  # first MRZ character from the page's left edge
MRZ_LINES_MM = (72.45, 78.95)  # centres of the two MRZ lines from the page's top edge (88 mm page)


@dataclass(frozen=True)
class _Field:
    """Where a field's value is printed: its column's left and right edge and its row's value line (the
    centre of the line, mm from the page's top edge)."""

    key: str
    left: float
    right: float
    centre: float


# The Chinese data page: labels in rows 7 mm apart from 14 mm, in columns at 38 and 70 mm; each value in bold
# 2.3 mm under its label, its line centred 1.3 mm lower still.
_ROW_MM = (14.0, 21.0, 28.0, 35.0, 42.0, 49.0, 56.0)
_VALUE_CENTRE_MM = 3.6
PAGE = (
    _Field("surname", 36.5, 69.0, _ROW_MM[1] + _VALUE_CENTRE_MM),
    _Field("given_names", 36.5, 69.0, _ROW_MM[2] + _VALUE_CENTRE_MM),
    _Field("issue_date", 36.5, 69.0, _ROW_MM[5] + _VALUE_CENTRE_MM),
    _Field("issue_place", 68.5, 123.0, _ROW_MM[5] + _VALUE_CENTRE_MM),
    _Field("authority", 68.5, 123.0, _ROW_MM[6] + _VALUE_CENTRE_MM),
)
ZONE_MM = (34.0, 10.0, 124.0, 68.0)  # left, top, right, bottom of the rectified visual zone
SEARCH_MM = 1.6  # how far from its corrected place a field's value line may be found
MIN_VALUE_MM = 1.5  # a value line is at least this high
BOLD = 0.36  # share of a line's box that is ink, from which on it is a bold value rather than a label
MAX_LINE_MM = 3.4  # a taller "line" is two lines run together
ANCHOR_MM = 60.0  # the row the first map gets right: the lowest, next to the MRZ
_POOL = ThreadPoolExecutor(2, thread_name_prefix="passport-visual")  # in the app, inside the low-priority process
# A name is kept only when tesseract is sure of each of its Chinese characters: the check against the MRZ
# compares pinyin without tones, and characters sharing a phonetic part look alike and sound alike (峰 烽 锋,
# 清 情 晴), so a misread name can pass it. On generated pages the misreads that passed it had confidences of
# 86-88, and 84 % of the right readings 90 or more.
NAMES = ("surname", "given_names")
NAME_CONFIDENCE = 90.0


def read_visual_zone(gray: Image.Image, band: Band) -> VisualText | None:
    """The printed values of a Chinese data page whose MRZ is `band`; None when the Chinese model is missing."""
    if not ocr_engine.has_language(LANG):
        return None
    to_image = _page_to_image(band)
    zone = _rectified_zone(gray, to_image)
    ink = _ink(zone)
    rows = _row_map(_column_lines(ink, PAGE[0]))
    fields = (*PAGE, _Field("authority_en", 68.5, 123.0, _ROW_MM[6] + _VALUE_CENTRE_MM + 2.6))
    crops = {}
    for item in fields:
        box = _value_line(ink, item, rows, bold=item.key != "authority_en")
        if box is None:
            continue
        crops[item.key] = ImageOps.autocontrast(zone.crop(box), 1)
    texts = dict(zip(crops, _POOL.map(_read_line, crops.keys(), crops.values()), strict=True))
    return VisualText(
        surname=texts.get("surname", ""),
        given_names=texts.get("given_names", ""),
        issue_date=texts.get("issue_date", ""),
        issue_place=texts.get("issue_place", ""),
        authority=" ".join(texts.get(key, "") for key in ("authority", "authority_en")).strip(),
    )


def _page_to_image(band: Band) -> list[float]:
    """Perspective coefficients taking page millimetres to the photo's pixels, from the MRZ band's corners
    (the band reaches two characters beyond the first and last ink, and half a line gap beyond each line)."""
    gap = MRZ_LINES_MM[1] - MRZ_LINES_MM[0]
    left = MRZ_LEFT_MM - 2 * MRZ_PITCH_MM
    right = left + (INK_PITCHES + 4) * MRZ_PITCH_MM
    top, bottom = MRZ_LINES_MM[0] - gap / 2, MRZ_LINES_MM[1] + gap / 2
    page = np.array([(left, top), (left, bottom), (right, bottom), (right, top)], dtype=np.float64)
    return homography(page, band.quad)


def _apply(coefficients: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f, g, h = coefficients
    den = g * x + h * y + 1
    return (a * x + b * y + c) / den, (d * x + e * y + f) / den


def _rectified_zone(gray: Image.Image, to_image: list[float]) -> Image.Image:
    """The visual zone (ZONE_MM) cut out of the photo and straightened, PX_PER_MM px per mm."""
    left, top, right, bottom = ZONE_MM
    size = (round((right - left) * PX_PER_MM), round((bottom - top) * PX_PER_MM))
    corners = [_apply(to_image, x, y) for x, y in ((left, top), (left, bottom), (right, bottom), (right, top))]
    target = np.array([(0, 0), (0, size[1]), (size[0], size[1]), (size[0], 0)], dtype=np.float64)
    return gray.transform(size, Image.PERSPECTIVE, homography(target, np.array(corners)), Image.BICUBIC)


def _ink(zone: Image.Image) -> np.ndarray:
    """Dark print against the page's local background (lighting divided out), as booleans."""
    pixels = np.asarray(zone, dtype=np.float32)
    size = 3 * PX_PER_MM
    paper = cv2.morphologyEx(pixels, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    return pixels < 0.72 * np.maximum(paper, 1.0)


@dataclass(frozen=True)
class _Line:
    """A printed text line of one column: its centre (mm from the page's top edge, by the first map), its
    rows and text extent in the zone (px), and how much of its box is ink (bold values about 0.45, labels 0.28)."""

    centre: float
    top: int
    bottom: int
    left: int
    right: int
    density: float

    @property
    def height(self) -> float:
        return (self.bottom - self.top) / PX_PER_MM

    @property
    def bold(self) -> bool:
        return self.density >= BOLD and self.height >= MIN_VALUE_MM


def _column_lines(ink: np.ndarray, item: _Field) -> list[_Line]:
    """The text lines of the column that `item` lies in."""
    left = round((item.left - ZONE_MM[0]) * PX_PER_MM)
    column = ink[:, left : round((item.right - ZONE_MM[0]) * PX_PER_MM)]
    lines = []
    for y0, y1 in _lines(column):
        xs = np.flatnonzero(column[y0:y1].any(axis=0))
        density = float(column[y0:y1].sum()) / ((y1 - y0) * (xs[-1] - xs[0] + 1))
        centre = ZONE_MM[1] + (y0 + y1) / 2 / PX_PER_MM
        lines.append(_Line(centre, y0, y1, left + int(xs[0]), left + int(xs[-1]) + 1, density))
    return lines


def _row_map(lines: list[_Line]) -> tuple[float, float]:
    """(scale, shift) correcting the first map's rows: the map from the MRZ is exact near it and drifts with
    the distance above it when the page is tilted away from the camera. Fitted so that the bold lines of the
    first column (one value per row) fall where the page's rows put them: y = ANCHOR + scale * (row - ANCHOR)
    + shift."""
    found = np.array([line.centre for line in lines if line.bold])
    if len(found) < 3:
        return 1.0, 0.0
    expected = np.array(_ROW_MM) + _VALUE_CENTRE_MM
    scales, shifts = np.meshgrid(np.arange(0.85, 1.2001, 0.01), np.arange(-3.0, 3.001, 0.1), indexing="ij")
    predicted = ANCHOR_MM + scales[..., None] * (expected - ANCHOR_MM) + shifts[..., None]
    distance = np.abs(predicted[..., None] - found).min(axis=-1)
    score = np.exp(-(distance**2) / (2 * 0.4**2)).sum(axis=-1) - 0.02 * np.abs(shifts)
    i, j = np.unravel_index(int(score.argmax()), score.shape)
    return float(scales[i, j]), float(shifts[i, j])


def _value_line(ink: np.ndarray, item: _Field, rows: tuple[float, float],
                bold: bool = True) -> tuple[int, int, int, int] | None:  # fmt: skip
    """The box in the zone (left, top, right, bottom px) of the field's line with a small margin: the bold
    line (or, for the small English line, any line) nearest the field's corrected place; None when there is
    none close enough."""
    scale, shift = rows
    centre = ANCHOR_MM + scale * (item.centre - ANCHOR_MM) + shift
    near = [(abs(line.centre - centre), line) for line in _column_lines(ink, item) if line.bold or not bold]
    near = [(distance, line) for distance, line in near if distance <= SEARCH_MM]
    if not near:
        return None
    line = min(near, key=lambda item: item[0])[1]
    side, above = round(0.8 * PX_PER_MM), round(0.3 * PX_PER_MM)  # no more above and below: the next line is close
    return max(0, line.left - side), max(0, line.top - above), line.right + side, line.bottom + above


def _lines(ink: np.ndarray) -> list[tuple[int, int]]:
    """Rows of a column that hold print, as (first row, row after the last) of each text line: rows with ink
    in more than a few pixels, gaps of a pixel closed; a line too tall for one (two lines touching, blurred
    together) is cut where it holds least ink."""
    profile = ink.sum(axis=1)
    rows = profile > max(3, ink.shape[1] // 150)
    rows = np.convolve(rows.astype(np.int32), np.ones(3, np.int32), mode="same") > 0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], rows.astype(np.int8), [0]])))
    out = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        a, b = int(a), int(b)
        if b - a > MAX_LINE_MM * PX_PER_MM:
            lo, hi = a + (b - a) // 5, b - (b - a) // 5
            cut = lo + int(np.argmin(profile[lo:hi]))
            out += [(a, cut), (cut, b)]
        else:
            out.append((a, b))
    return out


def _read_line(key: str, line: Image.Image) -> str:
    """One printed line read by the Chinese model (which reads the Latin letters and digits too); a name's
    line is "" unless every Chinese character of it was read with NAME_CONFIDENCE."""
    if key not in NAMES:
        return " ".join(ocr_engine.text(line, LANG, psm=7).split())
    read = ocr_engine.symbols(line, LANG, psm=7)
    if any(chinese(char) and confidence < NAME_CONFIDENCE for char, confidence in read):
        return ""
    return "".join(char for char, _ in read)
