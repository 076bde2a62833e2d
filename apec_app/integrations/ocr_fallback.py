"""The last resort: passporteye's MRZ search and its reading tactics, for photos our own search cannot handle.

passporteye (MIT) finds MRZ candidates on a 250 px wide copy (Hans Boone's black-hat, Sobel, closing and Otsu
threshold, then long boxes among the contours) and reads each candidate with tesseract, straight, then
enlarged twice and after a black-hat filter. Its search finds some MRZs ours misses (dark photos, strong
guilloche) and costs about 0.05 s; its reading is slower and less careful than ours. So each of its boxes is
first read our way (the box rectified, our line search run inside it, our readers on the band it finds), and
only when that fails too are its own tactics run on its crop, with our parser checking the text.

passporteye's `read_mrz` writes each crop to a temporary file for the tesseract program; here its components
are called directly and tesseract runs in-process (ocr_engine), so nothing touches the disk.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator

import numpy as np
from PIL import Image, ImageOps

from apec_app.domain.mrz import MrzResult, line1_names, parse_td3
from apec_app.integrations import ocr_engine
from apec_app.integrations.ocr_locate import FAST, Band, _search
from apec_app.integrations.ocr_mrz import Witness, homography, line1_consensus

Reader = Callable[[Band], tuple[MrzResult | None, str | None]]
# passporteye's tesseract configuration (passporteye.util.ocr), `>` included: a reversed crop reads as `>>`.
_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789><"
REGION_WIDTH = 1000  # a box's region is rectified this wide before our line search runs in it
SMALL_WIDTH = 250  # passporteye's Scaler: its search runs on a copy this wide
UNCONFIRMED = {"names", "issuing_state", "nationality"}  # what a text-only reading may fail for want of a witness


def passporteye_reading(
    gray: Image.Image, read: Reader, tried: list[Band], witness: Witness, deadline: float = float("inf")
) -> tuple[MrzResult, str, Band] | None:
    """The best reading from passporteye's candidate boxes: each read our way first (`read`, skipping the
    bands in `tried`), then its own way, its text-only readings confirmed by `witness`; the first that
    passes every check wins; nothing new is started after `deadline` (time.perf_counter()). None when
    passporteye finds no box either."""
    img, boxes, scale = _passporteye_boxes(gray)
    best: tuple[MrzResult, str, Band] | None = None
    for box in boxes:
        for band in _bands_in_box(gray, box, scale):
            if any(band.same_as(other) for other in tried) or time.perf_counter() > deadline:
                continue
            tried.append(band)
            result, attempt = read(band)
            if result is not None and (best is None or len(result.failed_checks) < len(best[0].failed_checks)):
                best = (result, attempt or "passporteye", band)
            if best is not None and best[0].valid:
                return best
    for box in boxes:
        band = _box_band(box, scale)
        if time.perf_counter() > deadline:
            break
        for attempt, text_result, crop in _tactics(img, box, scale, deadline):
            result = witness.text(text_result)
            if result is not None and not result.valid and set(result.failed_checks) <= UNCONFIRMED:
                result = _confirmed(text_result, crop, witness) or result
            if result is not None and (best is None or len(result.failed_checks) < len(best[0].failed_checks)):
                best = (result, f"passporteye/{attempt}", band)
            if best is not None and best[0].valid:
                return best
    return best


def _passporteye_boxes(gray: Image.Image) -> tuple[np.ndarray, list, float]:
    """The image as passporteye works on it (gray, 0..1), its candidate boxes (found on a copy
    SMALL_WIDTH px wide, as its Scaler makes) and that copy's scale. Our decoded grayscale is reused rather
    than passporteye's loader: decoding and scaling again would cost more than its whole search."""
    from passporteye.mrz.image import BooneTransform, MRZBoxLocator

    img = np.asarray(gray, dtype=np.float64) / 255.0
    scale = min(1.0, SMALL_WIDTH / gray.width)
    small = gray if scale == 1.0 else gray.resize((SMALL_WIDTH, max(1, round(gray.height * scale))), Image.BOX)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        boxes = MRZBoxLocator()(BooneTransform()(np.asarray(small, dtype=np.float64) / 255.0))
    return img, boxes, scale


def _box_corners(box, scale: float, widen: float = 1.0, heighten: float = 1.0) -> np.ndarray:
    """The box's corners in the full image as (x, y), ordered along its long side (x increasing) as
    upper-left, lower-left, lower-right, upper-right."""
    angle = box.angle
    along = np.array([np.sin(angle), np.cos(angle)])  # passporteye's (row, col) angle as an (x, y) direction
    if along[0] < 0 or (abs(along[0]) < 1e-9 and along[1] < 0):
        along = -along
    across = np.array([-along[1], along[0]])  # pointing down the page when `along` points right
    centre = np.array([box.center[1], box.center[0]])
    half_w, half_h = box.width / 2 * widen, box.height / 2 * heighten
    corners = [centre - half_w * along - half_h * across, centre - half_w * along + half_h * across,
               centre + half_w * along + half_h * across, centre + half_w * along - half_h * across]  # fmt: skip
    return np.array(corners) / scale


def _box_band(box, scale: float) -> Band:
    """The box itself as a band (for the visual zone when only passporteye's own reading succeeded)."""
    quad = _box_corners(box, scale, 1.05, 1.4)
    pitch = float(np.linalg.norm(quad[3] - quad[0])) / 46
    return Band(quad, pitch, "passporteye")


def _bands_in_box(gray: Image.Image, box, scale: float) -> Iterator[Band]:
    """Our line search run inside the box's neighbourhood, rectified upright; the box itself when it finds
    nothing there."""
    region = _box_corners(box, scale, 1.2, 4.0)
    width = REGION_WIDTH
    length = float(np.linalg.norm(region[3] - region[0]))
    height = max(8, round(width * float(np.linalg.norm(region[1] - region[0])) / max(length, 1.0)))
    target = np.array([(0, 0), (0, height), (width, height), (width, 0)], dtype=np.float64)
    back = homography(target, region)  # rectified coordinates -> image coordinates (PIL's output -> input)
    rectified = gray.transform((width, height), Image.PERSPECTIVE, back, Image.BILINEAR)
    found = False
    for band in _search(rectified, FAST):
        found = True
        yield Band(np.array([_apply(back, x, y) for x, y in band.quad]), band.pitch * length / width, "passporteye")
    if not found:
        yield _box_band(box, scale)


def _apply(coefficients: list[float], x: float, y: float) -> np.ndarray:
    a, b, c, d, e, f, g, h = coefficients
    den = g * x + h * y + 1
    return np.array([(a * x + b * y + c) / den, (d * x + e * y + f) / den])


def _confirmed(result: MrzResult, crop: np.ndarray, witness: Witness) -> MrzResult | None:
    """A text-only reading whose line 1 no glyph reading could confirm (the glyph match cannot read its font),
    believed when two of three single-line readings of the crop's upper half agree with it. Not when the glyph
    match read some band's line 1 well: then it disagreed, and it is the better judge."""
    if not witness.line1_unreliable(unseen_too=True):
        return None
    image = Image.fromarray(np.clip(crop * 255 + 0.5, 0, 255).astype(np.uint8))
    line1 = line1_consensus([image, ImageOps.autocontrast(image, 1)])
    if line1 is None or line1_names(line1) != (result.surname, result.given_names):
        return None
    witness.confirm(line1)
    return witness.text(result)


def _tactics(img: np.ndarray, box, scale: float, deadline: float) -> Iterator[tuple[str, MrzResult | None, np.ndarray]]:
    """passporteye's BoxToMRZ on one box: the crop as it is (turned over when it reads `>>`), enlarged with
    cubic then linear interpolation, and black-hat filtered; our parser checks each text. Each reading comes
    with the crop it was read from."""
    from skimage import morphology, transform

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        roi = box.extract_from_image(img, 1.0 / scale)
        if roi.size == 0 or min(roi.shape) < 4:
            return
        text = _ocr(roi)
        if ">>" in text or (">" in text and "<" not in text):
            roi = roi[::-1, ::-1]
            text = _ocr(roi)
        yield "direct", _parse(text), roi
        if "<" not in text or time.perf_counter() > deadline:
            return
        if roi.shape[1] <= 700:
            factor = int(1050.0 / roi.shape[1] + 0.5)
            for order in (3, 1):
                if time.perf_counter() > deadline:
                    return
                enlarged = transform.rescale(roi, factor, order=order, mode="constant", anti_aliasing=True)
                yield f"rescaled({order})", _parse(_ocr(enlarged)), enlarged
        if time.perf_counter() > deadline:
            return
        tophat = morphology.black_tophat(roi, morphology.disk(5))
        yield "black_tophat", _parse(_ocr(tophat)), roi


def _ocr(pixels: np.ndarray) -> str:
    """tesseract on a passporteye crop (floats 0..1), configured as passporteye configures it."""
    if pixels.size == 0:
        return ""
    image = Image.fromarray(np.clip(pixels * 255 + 0.5, 0, 255).astype(np.uint8))
    return ocr_engine.text(image, "eng", psm=6, whitelist=_WHITELIST)


def _parse(text: str) -> MrzResult | None:
    """Our parser on passporteye's text; a stray `>` is a filler read the wrong way."""
    return parse_td3(text.replace(">", "<"))
