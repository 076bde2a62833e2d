"""`python -m apec_app.cli ocr FILE...`: read passport photos, one JSON object per line and image.

JSON lines rather than a table so that scripts and the benchmark can consume the output as it comes. Beside
the MRZ's fields, a Chinese passport's printed fields: `surname_cn`, `given_names_cn`, `issue_date` (ISO),
`issue_place` (as printed, e.g. JIANGSU) and `issuing_authority`, each null when it could not be read or failed
its check against the MRZ (then also listed in `unread`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import UnidentifiedImageError

from apec_app.domain.mrz import MrzResult
from apec_app.domain.passport_visual import FIELDS as VISUAL_FIELDS
from apec_app.domain.passport_visual import VisualCheck
from apec_app.integrations.ocr import ImageTooLarge, OcrOutcome, OcrUnavailable, read_passport, warm_up

FIELDS = ("surname", "given_names", "number", "nationality", "sex", "issuing_state", "personal_number")


def result_fields(result: MrzResult | None) -> dict:
    """The JSON fields of one MRZ reading; null fields and a `no_mrz` failure when no MRZ was found."""
    if result is None:
        return {"valid": False, **dict.fromkeys(FIELDS), "birth_date": None, "expiry_date": None,
                "failed_checks": ["no_mrz"]}  # fmt: skip
    return {
        "valid": result.valid,
        **{name: getattr(result, name) for name in FIELDS},
        "birth_date": result.birth_date.isoformat() if result.birth_date else None,
        "expiry_date": result.expiry_date.isoformat() if result.expiry_date else None,
        "failed_checks": result.failed_checks,
    }


def visual_fields(visual: VisualCheck | None) -> dict:
    """The JSON fields of the visual zone: each checked value, null where unread, and the unread keys."""
    values = (visual or VisualCheck()).as_strings()
    unread = sorted(visual.unread) if visual is not None else list(VISUAL_FIELDS)
    return {**{key: values[key] or None for key in VISUAL_FIELDS}, "unread": unread}


def outcome_fields(outcome: OcrOutcome) -> dict:
    """The JSON fields of one image's reading (the file name aside)."""
    return {**result_fields(outcome.result), **visual_fields(outcome.visual), "seconds": round(outcome.seconds, 3),
            "fallback_seconds": round(outcome.fallback_seconds, 3), "attempt": outcome.attempt}  # fmt: skip


def read_file(path: str) -> dict:
    """The JSON object for one image file; an `error` key instead of fields when it cannot be read."""
    try:
        outcome = read_passport(Path(path).read_bytes())
    except (OSError, UnidentifiedImageError, ImageTooLarge) as exc:
        return {"file": path, "valid": False, "error": str(exc)}
    return {"file": path, **outcome_fields(outcome)}


def main(files: list[str]) -> int:
    """Print one line per file; exit 0 when every image gave a valid MRZ, 1 when one did not, 2 on an error."""
    status = 0
    try:
        warm_up()  # so that the first image's seconds are its own, not the models' loading
    except OcrUnavailable as exc:
        print(f"OCR unavailable: {exc}", file=sys.stderr)
        return 2
    for path in files:
        try:
            row = read_file(path)
        except OcrUnavailable as exc:
            print(f"OCR unavailable: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(row, ensure_ascii=False), flush=True)
        status = max(status, 2 if "error" in row else 0 if row["valid"] else 1)
    return status
