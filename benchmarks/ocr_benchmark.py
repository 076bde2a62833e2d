"""Passport OCR benchmark: our reader against plain passporteye, on generated photos and on real specimens.

    .venv/bin/python benchmarks/ocr_benchmark.py [--n 10] [--first-seed 0] [--conditions standard glare ...]
                                                 [--skip-passporteye] [--skip-generated] [--skip-specimens]

1. Generated phone photos (tests/ocr_samples.py, deterministic per seed), `--n` per condition (standard,
   perspective, glare, shadow, lowres, jpeg30): per reader and condition, the share of images with each field
   right (the MRZ's, and for ours the visual zone's 姓, 名, 签发日期, 签发地点, 签发机关), with every MRZ field right,
   flagged valid, and flagged valid while a field was wrong (the dangerous case); wrong visual-zone values
   (never acceptable); seconds per image.
2. The real specimens of tests/data/passports (sources.json holds the MRZ each prints): the table per image,
   ours against passporteye, the images where ours is worse (there must be none), and the totals.

Seconds are per image after a warm-up (models loaded), p50 and p95, and for ours the fallbacks' share: how
many images needed them and what part of all the time they took. Readers run one at a time, one image at a
time; the machine's load average is printed before and after (read the figures against it).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import warnings
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apec_app.domain.mrz import parse_td3  # noqa: E402
from apec_app.integrations.ocr import read_passport, warm_up  # noqa: E402
from apec_app.ocr_cli import outcome_fields, result_fields  # noqa: E402
from tests.ocr_samples import CONDITIONS, EXPECTED_KEYS, VISUAL_KEYS, make_passport_image  # noqa: E402

SPECIMENS = Path(__file__).resolve().parents[1] / "tests" / "data" / "passports"
LINE2_KEYS = ("number", "nationality", "birth_date", "sex", "expiry_date", "personal_number")
SHORT = {"surname": "sur", "given_names": "given", "number": "num", "nationality": "nat", "birth_date": "birth",
         "sex": "sex", "expiry_date": "exp", "issuing_state": "state", "personal_number": "pers",
         "surname_cn": "姓", "given_names_cn": "名", "issue_date": "签发日期", "issue_place": "签发地点",
         "issuing_authority": "签发机关"}  # fmt: skip


def ours(image: bytes) -> tuple[dict, float, float]:
    """(fields, seconds, fallback seconds) of our reader."""
    outcome = read_passport(image)
    return outcome_fields(outcome), outcome.seconds, outcome.fallback_seconds


def _iso(yymmdd: str, birth: bool) -> str | None:
    """passporteye's YYMMDD with our century rule (birth not in the future, expiry 20YY)."""
    try:
        day = date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None
    return (day.replace(year=day.year - 100) if birth and day > date.today() else day).isoformat()


def passporteye(image: bytes) -> tuple[dict, float, float]:
    """(fields, seconds, 0) of plain passporteye.read_mrz, its fields as our CLI names them."""
    from passporteye import read_mrz

    started = time.perf_counter()
    mrz = read_mrz(io.BytesIO(image))
    seconds = time.perf_counter() - started
    if mrz is None or mrz.mrz_type != "TD3":
        return {"valid": False, **dict.fromkeys(EXPECTED_KEYS)}, seconds, 0.0
    fields = {
        "valid": bool(mrz.valid),
        "surname": mrz.surname.replace("<", " ").strip(),
        "given_names": mrz.names.replace("<", " ").strip(),
        "number": mrz.number.rstrip("<"),
        "nationality": mrz.nationality,
        "birth_date": _iso(mrz.date_of_birth, birth=True),
        "sex": mrz.sex if mrz.sex in ("M", "F") else "",
        "expiry_date": _iso(mrz.expiration_date, birth=False),
        "issuing_state": mrz.country,
        "personal_number": mrz.personal_number.rstrip("<"),
    }
    return fields, seconds, 0.0


def _quantiles(seconds: list[float]) -> str:
    p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]
    return f"p50 {statistics.median(seconds):.2f} s  p95 {p95:.2f} s"


def _fallback_share(runs: list[tuple[float, float]]) -> str:
    used = sum(fallback > 0 for _, fallback in runs)
    total = sum(seconds for seconds, _ in runs) or 1.0
    return f"fallbacks on {used}/{len(runs)} images, {sum(f for _, f in runs) / total:.0%} of the time"


# --- 1. Generated photos --------------------------------------------------------------------------------


def generated(args: argparse.Namespace, readers: dict) -> None:
    print(f"\n## Generated photos: {args.n} per condition, seeds {args.first_seed}..{args.first_seed + args.n - 1}")
    keys = [*EXPECTED_KEYS, *VISUAL_KEYS]
    print(f"{'reader':12} {'condition':12} " + " ".join(f"{SHORT[k]:>5}" for k in keys)
          + "  all-MRZ  valid  valid-wrong  viz-wrong  seconds")  # fmt: skip
    everything: dict[str, list] = {name: [] for name in readers}
    for condition in args.conditions:
        samples = [make_passport_image(seed, condition) for seed in range(args.first_seed, args.first_seed + args.n)]
        for name, reader in readers.items():
            right = dict.fromkeys(keys, 0)
            all_right = valid = valid_wrong = viz_wrong = 0
            runs = []
            for image, expected in samples:
                fields, seconds, fallback = reader(image)
                runs.append((seconds, fallback))
                for key in keys:
                    right[key] += fields.get(key) == expected[key]
                    viz_wrong += key in VISUAL_KEYS and bool(fields.get(key)) and fields.get(key) != expected[key]
                mrz_right = all(fields.get(key) == expected[key] for key in EXPECTED_KEYS)
                all_right += mrz_right
                valid += bool(fields.get("valid"))
                valid_wrong += bool(fields.get("valid")) and not mrz_right
            everything[name] += runs
            n = len(samples)
            cells = " ".join(f"{right[k] / n:5.0%}" if name == "ours" or k in EXPECTED_KEYS else "    -" for k in keys)
            viz = str(viz_wrong) if name == "ours" else "-"
            print(f"{name:12} {condition:12} {cells}  {all_right / n:6.0%} {valid / n:6.0%} {valid_wrong:12d} "
                  f"{viz:>10}  {_quantiles([s for s, _ in runs])}", flush=True)  # fmt: skip
    for name, runs in everything.items():
        extra = f"; {_fallback_share(runs)}" if name == "ours" else ""
        print(f"{name:12} all conditions: {_quantiles([s for s, _ in runs])}{extra}")


# --- 2. Real specimens ----------------------------------------------------------------------------------


def _specimen_expected(entry: dict) -> dict:
    fields = result_fields(parse_td3("\n".join(entry["mrz"])))
    return {key: fields[key] for key in EXPECTED_KEYS}


def specimens(readers: dict) -> None:
    entries = json.loads((SPECIMENS / "sources.json").read_text(encoding="utf-8"))["images"]
    print(f"\n## Real specimens: {len(entries)} images of tests/data/passports")
    print("'right' is every MRZ field right and the reading flagged valid (every check digit passed, no doubt);")
    print("'fields' is every field right whatever the flag; 'line 2' the fields of line 2 right (those the check")
    print("digits cover, and nationality and sex); 'valid' is the reader's own flag (every check digit passed).\n")
    names = list(readers)
    print("| image | state | " + " | ".join(f"{n} valid | {n} right | {n} fields | {n} line 2 | {n} s" for n in names)
          + (" | ours' attempt |" if "ours" in readers else " |"))  # fmt: skip
    print("|---|---|" + "---|" * (5 * len(names) + ("ours" in readers)))
    totals = {name: {"right": 0, "fields": 0, "line2": 0, "valid": 0, "valid_wrong": 0, "runs": []} for name in names}
    worse = []
    for entry in entries:
        image = (SPECIMENS / entry["file"]).read_bytes()
        want = _specimen_expected(entry)
        cells, rights, attempt = [], {}, ""
        for name, reader in readers.items():
            if name == "ours":
                outcome = read_passport(image)
                fields, seconds, fallback = outcome_fields(outcome), outcome.seconds, outcome.fallback_seconds
                attempt = outcome.attempt or "-"
            else:
                fields, seconds, fallback = reader(image)
            fields_right = all(fields.get(key) == want[key] for key in EXPECTED_KEYS)
            line2 = all(fields.get(key) == want[key] for key in LINE2_KEYS)
            right = fields_right and bool(fields.get("valid"))
            rights[name] = (right, fields_right, line2)
            total = totals[name]
            total["right"] += right
            total["fields"] += fields_right
            total["line2"] += line2
            total["valid"] += bool(fields.get("valid"))
            total["valid_wrong"] += bool(fields.get("valid")) and not fields_right
            total["runs"].append((seconds, fallback))
            cells.append(f"{'yes' if fields.get('valid') else 'no'} | {'yes' if right else 'no'} | "
                         f"{'yes' if fields_right else 'no'} | {'yes' if line2 else 'no'} | {seconds:.2f}")  # fmt: skip
        if "ours" in rights and "passporteye" in rights:
            if any(theirs and not mine for theirs, mine in zip(rights["passporteye"], rights["ours"], strict=True)):
                worse.append(entry["file"])
        print(f"| {entry['file']} | {entry['issuing_state']} | " + " | ".join(cells)
              + (f" | {attempt} |" if "ours" in readers else " |"), flush=True)  # fmt: skip
    n = len(entries)
    print()
    for name, total in totals.items():
        extra = f"; {_fallback_share(total['runs'])}" if name == "ours" else ""
        print(f"{name:12} right {total['right']}/{n} ({total['right'] / n:.0%})  fields right {total['fields']}/{n}  "
              f"line 2 right {total['line2']}/{n}  "
              f"flagged valid {total['valid']}  valid but wrong {total['valid_wrong']}  "
              f"{_quantiles([s for s, _ in total['runs']])}{extra}")  # fmt: skip
    if "passporteye" in readers:
        print(f"images where ours is worse than passporteye: {', '.join(worse) if worse else 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="generated images per condition (default 10)")
    parser.add_argument("--first-seed", type=int, default=0, help="seed of the first generated image (default 0)")
    parser.add_argument("--conditions", nargs="+", default=list(CONDITIONS), choices=CONDITIONS)
    parser.add_argument("--skip-passporteye", action="store_true", help="only run our reader")
    parser.add_argument("--skip-generated", action="store_true", help="only the real specimens")
    parser.add_argument("--skip-specimens", action="store_true", help="only the generated photos")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")  # passporteye's use of scikit-image
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    warm_up()
    readers = {"ours": ours} if args.skip_passporteye else {"ours": ours, "passporteye": passporteye}
    if not args.skip_passporteye:
        passporteye(make_passport_image(0)[0])  # its imports and tesseract's first start, out of the figures
    if not args.skip_generated:
        generated(args, readers)
    if not args.skip_specimens:
        specimens(readers)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
