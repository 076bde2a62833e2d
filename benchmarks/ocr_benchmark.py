"""Passport MRZ OCR benchmark: plain passporteye against our reader, on the same generated phone photos.

    .venv/bin/python benchmarks/ocr_benchmark.py [--n 100] [--first-seed 0] [--skip-passporteye]

For each reader: the share of images with every field right, the share with the line-2 fields right (number,
dates, nationality, sex, personal number: those the check digits cover, names aside), the share it flagged
valid, how many it flagged valid while a field was wrong (the dangerous case), and the median and
95th-percentile seconds per image.
Images are generated in memory by tests/ocr_samples.py (deterministic per seed); readers run one at a time.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apec_app.integrations.ocr import read_passport  # noqa: E402
from apec_app.ocr_cli import result_fields  # noqa: E402
from tests.ocr_samples import EXPECTED_KEYS, make_passport_image  # noqa: E402

Reader = Callable[[bytes], tuple[dict | None, bool]]
LINE2_KEYS = ("number", "birth_date", "expiry_date", "nationality", "sex", "personal_number")


def ours(image: bytes) -> tuple[dict | None, bool]:
    result = read_passport(image).result
    return (result_fields(result), result.valid) if result else (None, False)


def _iso(yymmdd: str, birth: bool) -> str | None:
    """passporteye's YYMMDD with our century rule (birth not in the future, expiry 20YY)."""
    try:
        day = date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None
    return (day.replace(year=day.year - 100) if birth and day > date.today() else day).isoformat()


def passporteye(image: bytes) -> tuple[dict | None, bool]:
    from passporteye import read_mrz

    mrz = read_mrz(io.BytesIO(image))
    if mrz is None or mrz.mrz_type != "TD3":
        return None, False
    fields = {
        "surname": mrz.surname,
        "given_names": mrz.names,
        "number": mrz.number.rstrip("<"),
        "nationality": mrz.nationality,
        "birth_date": _iso(mrz.date_of_birth, birth=True),
        "sex": mrz.sex if mrz.sex in "MF" else "",
        "expiry_date": _iso(mrz.expiration_date, birth=False),
        "issuing_state": mrz.country,
        "personal_number": mrz.personal_number.rstrip("<"),
    }
    return fields, bool(mrz.valid)


def run(name: str, reader: Reader, samples: list[tuple[bytes, dict]]) -> None:
    right = line2_right = valid = wrong_but_valid = 0
    seconds = []
    for image, expected in samples:
        started = time.perf_counter()
        fields, ok = reader(image)
        seconds.append(time.perf_counter() - started)
        all_right = fields is not None and all(fields[key] == expected[key] for key in EXPECTED_KEYS)
        right += all_right
        line2_right += fields is not None and all(fields[key] == expected[key] for key in LINE2_KEYS)
        valid += ok
        wrong_but_valid += ok and not all_right
    n = len(samples)
    p95 = statistics.quantiles(seconds, n=20)[-1] if n > 1 else seconds[0]
    print(
        f"{name:12} every field right {right / n:6.1%}   line-2 fields right {line2_right / n:6.1%}   "
        f"flagged valid {valid / n:6.1%}   "
        f"valid but wrong {wrong_but_valid:3d}   median {statistics.median(seconds):.2f} s   p95 {p95:.2f} s",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="number of generated images (default 100)")
    parser.add_argument("--first-seed", type=int, default=0, help="seed of the first image (default 0)")
    parser.add_argument("--skip-passporteye", action="store_true", help="only run our reader")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=FutureWarning)  # passporteye's use of scikit-image
    samples = [make_passport_image(seed) for seed in range(args.first_seed, args.first_seed + args.n)]
    print(f"{args.n} generated passport photos, seeds {args.first_seed}..{args.first_seed + args.n - 1}")
    run("ours", ours, samples)
    if not args.skip_passporteye:
        run("passporteye", passporteye, samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
