"""Read a passport data page from a photo: the MRZ, checked, and on Chinese passports the printed fields.

The fast path finds the two MRZ lines on a copy about 1000 px wide (ocr_locate) and reads the straightened band
with OCR-B glyph matching and tesseract (ocr_mrz); on most photos its first reading passes every check and
nothing else runs. Only when it fails its checks do the fallbacks run, in order of what helps most for their
cost: the other line searches (stricter ink, equalised contrast, other scales, a quarter turn), then
passporteye's own MRZ search and its reading tactics (ocr_fallback). The first reading that passes every check
wins, else the one with the fewest failed checks. Then, on a Chinese passport, the visual zone above the MRZ
is read (passport_visual) and cross-checked against the MRZ (apec_app.domain.passport_visual).

Nothing is written to disk; everything is safe to call from several threads (tesseract runs in-process through
ocr_engine, one loaded model per thread).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from PIL import Image, ImageOps

from apec_app.domain.mrz import MrzResult
from apec_app.domain.passport_visual import VisualCheck, check_visual_zone
from apec_app.integrations import ocr_fallback, passport_visual
from apec_app.integrations.ocr_engine import OcrUnavailable
from apec_app.integrations.ocr_locate import Band, find_bands, locate_mrz
from apec_app.integrations.ocr_mrz import Witness, read_band

__all__ = ["ImageTooLarge", "OcrOutcome", "OcrUnavailable", "locate_mrz", "read_passport", "warm_up"]

MAX_PIXELS = 30_000_000
MAX_BANDS = 5  # candidate bands read before passporteye's search is tried
UNCHECKED = {"names", "issuing_state", "nationality", "sex", "document_type"}
# Seconds after which no further fallback starts (one already started finishes): a photo no search can read
# otherwise costs several seconds, and most are read in a quarter of one. Only the hopeless ones reach it.
BUDGET_SECONDS = 2.0


class ImageTooLarge(ValueError):
    """The image has more pixels than a passport photo needs (and than is safe to decode)."""


@dataclass(frozen=True)
class OcrOutcome:
    """What was read from one image.

    `result` is the MRZ (None when none was found); `attempt` names the search and reading that gave it
    (e.g. "flat:fused" on the fast path, "strict/flat:fused" or "passporteye/direct" from a fallback);
    `seconds` is the whole time, `fallback_seconds` the part spent after the fast path failed its checks (0
    when it did not); `visual` is the checked visual zone of a Chinese passport (None for other passports, or
    when the visual zone was not asked for)."""

    result: MrzResult | None
    seconds: float
    attempt: str | None
    fallback_seconds: float = 0.0
    visual: VisualCheck | None = None


def read_passport(image_bytes: bytes, visual: bool = True) -> OcrOutcome:
    """Read and check a passport data page photo. Raises ImageTooLarge for oversized images and
    OcrUnavailable when tesseract is missing."""
    started = time.perf_counter()
    gray = load_gray(image_bytes)
    witness = Witness()
    best, best_attempt, best_band = None, None, None
    fallback_started = None
    tried: list[Band] = []
    for band in find_bands(gray):
        if len(tried) >= MAX_BANDS or (tried and time.perf_counter() - started > BUDGET_SECONDS):
            break
        if (tried or band.source != "lines") and fallback_started is None:
            fallback_started = time.perf_counter()  # a fallback search found this band, or the first one failed
        tried.append(band)
        result, attempt = _read(gray, band, witness)
        if _better(result, best):
            best, best_attempt, best_band = result, attempt, band
        if best is not None and (best.valid or _only_unchecked_failed(best)):
            break
    if best is None or not (best.valid or _only_unchecked_failed(best)):
        fallback_started = fallback_started or time.perf_counter()
        deadline = started + BUDGET_SECONDS
        found = ocr_fallback.passporteye_reading(gray, lambda b: _read(gray, b, witness), tried, witness, deadline)
        if found is not None and _better(found[0], best):
            best, best_attempt, best_band = found
    mrz_done = time.perf_counter()
    checked = None
    if visual and best is not None and best_band is not None and best.issuing_state == "CHN":
        checked = check_visual_zone(passport_visual.read_visual_zone(gray, best_band), best)
    seconds = time.perf_counter() - started
    fallback = (mrz_done - fallback_started) if fallback_started else 0.0
    return OcrOutcome(best, seconds, best_attempt, fallback, checked)


def warm_up() -> None:
    """Load what the first reading would otherwise load (tesseract's models for this thread, the OCR-B glyphs,
    passporteye and scikit-image: about a second), e.g. in a startup task, so that no applicant waits for it."""
    from passporteye.mrz import image  # noqa: F401  (imports scikit-image too)

    from apec_app.integrations import ocr_engine, ocr_mrz

    blank = Image.new("L", (64, 32), 255)
    for lang in ("eng", passport_visual.LANG):
        if lang == "eng" or ocr_engine.has_language(lang):
            ocr_engine.text(blank, lang)
    ocr_mrz.glyph_scores(Image.new("L", (48 * ocr_mrz.CHAR_PITCH, 4 * ocr_mrz.CHAR_PITCH), 255))


def _read(gray: Image.Image, band: Band, witness: Witness) -> tuple[MrzResult | None, str | None]:
    """The first reading of `band` that passes every check, else the one with the fewest failed checks."""
    best, best_attempt = None, None
    prefix = "" if band.source == "lines" else f"{band.source}/"
    for attempt, result in read_band(gray, band.quad, band.pitch, witness):
        if _better(result, best):
            best, best_attempt = result, prefix + attempt
        if best is not None and best.valid:
            break
    return best, best_attempt


def _only_unchecked_failed(result: MrzResult) -> bool:
    """Whether every check digit passed and only fields without one are in doubt (or a date that does not
    exist is printed, as on some specimens): the MRZ was found and read, and another search would find the
    same band again (a doubt the readers had stays a doubt)."""
    return set(result.failed_checks) - set(result.impossible_dates) <= UNCHECKED


def _better(result: MrzResult | None, best: MrzResult | None) -> bool:
    """Whether `result` should replace `best`: it has fewer failed checks (valid has none)."""
    if result is None:
        return False
    return best is None or len(result.failed_checks) < len(best.failed_checks)


def load_gray(image_bytes: bytes) -> Image.Image:
    """Decode to grayscale, refusing decompression bombs before any pixel is decoded."""
    image = Image.open(io.BytesIO(image_bytes))
    if image.width * image.height > MAX_PIXELS:
        raise ImageTooLarge(f"image of {image.width}x{image.height} px exceeds {MAX_PIXELS} pixels")
    image.draft("L", image.size)
    return ImageOps.exif_transpose(image).convert("L")
