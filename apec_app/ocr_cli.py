"""`python -m apec_app.cli ocr FILE...`: read the MRZ of passport photos, one JSON object per line and image.

JSON lines rather than a table so that scripts and the benchmark can consume the output as it comes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import UnidentifiedImageError

from apec_app.domain.mrz import MrzResult
from apec_app.integrations.ocr import ImageTooLarge, OcrUnavailable, read_passport

FIELDS = ("surname", "given_names", "number", "nationality", "sex", "issuing_state", "personal_number")


def result_fields(result: MrzResult | None) -> dict:
    """The JSON fields of one reading; null fields and a `no_mrz` failure when no MRZ was found."""
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


def read_file(path: str) -> dict:
    """The JSON object for one image file; an `error` key instead of fields when it cannot be read."""
    try:
        outcome = read_passport(Path(path).read_bytes())
    except (OSError, UnidentifiedImageError, ImageTooLarge) as exc:
        return {"file": path, "valid": False, "error": str(exc)}
    return {"file": path, **result_fields(outcome.result), "seconds": round(outcome.seconds, 3),
            "attempt": outcome.attempt}  # fmt: skip


def main(files: list[str]) -> int:
    """Print one line per file; exit 0 when every image gave a valid MRZ, 1 when one did not, 2 on an error."""
    status = 0
    for path in files:
        try:
            row = read_file(path)
        except OcrUnavailable as exc:
            print(f"OCR unavailable: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(row, ensure_ascii=False), flush=True)
        status = max(status, 2 if "error" in row else 0 if row["valid"] else 1)
    return status
