"""User-centre list speed with many applications (a script that prints numbers, not a test).

Builds a SQLite database (or uses DATABASE_URL) with N applications spread over many enterprises, one large
enterprise holding a share of them, then times the list query for page 1, a deep page and a search.

    python benchmarks/list_benchmark.py --applications 100000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("APEC_DATA_DIR", tempfile.mkdtemp(prefix="apec-bench-"))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session  # noqa: E402

from apec_app.cli import migrate  # noqa: E402
from apec_app.db import get_engine  # noqa: E402
from apec_app.models import Application, Enterprise, Institution  # noqa: E402
from apec_app.models.base import utcnow  # noqa: E402
from apec_app.services import applications  # noqa: E402
from apec_app.services.principal import ENTERPRISE, Principal  # noqa: E402


def build(total: int, big_share: float) -> int:
    """Insert the data set; returns the id of the large enterprise."""
    engine = get_engine()
    with Session(engine) as db:
        db.add(Institution(code="JS", name="江苏外办", kind="fao"))
        enterprises = [
            {
                "name": f"企业{i}",
                "uscc": f"U{i:017d}",
                "legal_rep": "法人",
                "email": f"e{i}@example.com",
                "password_hash": "",
                "created_at": utcnow(),
            }
            for i in range(1000)
        ]
        db.execute(insert(Enterprise), enterprises)
        db.commit()
        big = 1
        now = utcnow()
        statuses = ["draft", "fao_review", "awaiting_payment", "economy_review", "mailed"]
        batch = []
        for i in range(total):
            owner = big if i < total * big_share else 2 + i % 999
            batch.append(
                {
                    "number": f"APEC2026{i:010d}",
                    "business_type": "new_renew",
                    "enterprise_id": owner,
                    "institution_id": 1,
                    "channel": "local",
                    "status": statuses[i % 5],
                    "group_name": f"考察团{i}",
                    "person_names": f"张{i}、李{i}",
                    "person_count": 2,
                    "form_json": "{}",
                    "version": 1,
                    "created_at": now - timedelta(minutes=i),
                    "updated_at": now,
                    "submitted_at": now,
                }
            )
            if len(batch) == 5000:
                db.execute(insert(Application), batch)
                batch.clear()
        if batch:
            db.execute(insert(Application), batch)
        db.commit()
    return big


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--big-share", type=float, default=0.2, help="share held by one enterprise")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    migrate()
    start = time.perf_counter()
    big = build(args.applications, args.big_share)
    print(
        f"built {args.applications} applications in {time.perf_counter() - start:.1f}s "
        f"({get_engine().url.get_backend_name()})"
    )
    me = Principal(ENTERPRISE, big, "big", enterprise_id=big)
    held = int(args.applications * args.big_share)
    cases = {
        "page 1": lambda db: applications.list_applications(db, me, "new_renew"),
        f"page {held // 20} (deep)": lambda db: applications.list_applications(db, me, "new_renew", page=held // 20),
        "status filter": lambda db: applications.list_applications(db, me, "new_renew", status="mailed"),
        "search by name": lambda db: applications.list_applications(db, me, "new_renew", search="张77"),
        "small enterprise": lambda db: applications.list_applications(
            db, Principal(ENTERPRISE, 500, "s", enterprise_id=500), "new_renew"
        ),
    }
    print(f"user-centre list, enterprise holding {held} of {args.applications} applications:")
    with Session(get_engine()) as db:
        for name, case in cases.items():
            p50, p95 = timed(lambda case=case: case(db), args.repeat)
            print(f"  {name:28s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
