"""Automatic pre-checks: seconds per check per person, and per application of `--people` people.

    .venv/bin/python benchmarks/precheck_benchmark.py [--people 30]

Builds a temporary migrated SQLite database and private file store, one submitted 新办/续办 of `--people` people,
each with a generated passport page (tests/ocr_samples.py, a different holder per person), the face photo of
tests/data/faces and a signature, and an open application of another enterprise holding one of the passport
numbers. Then runs the job as the app does (services/review/prechecks.run_next) and prints:

- per check, the median and p95 seconds per person (the checks of one person, timed one by one: reading the
  stored file and decrypting it included);
- the job's phases for the whole application: reading the inputs (one transaction: people, documents, other
  applications and cards by blind index, 申办条件), computing, storing;
- the event loop while the job runs as the app runs it (`asyncio.to_thread(prechecks.run_next)`, a second
  application of the same people): how late a 10 ms timer fires, p50/p95/max, against the same timer with no
  job running (the threads share the GIL; tesseract and OpenCV-style numpy work release it).

Figures after a warm-up (OCR models loaded); the machine's load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["APEC_DATA_DIR"] = tempfile.mkdtemp(prefix="apec-precheck-bench-")
os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=30)
    args = parser.parse_args()

    from alembic.config import Config

    from alembic import command
    from apec_app import bootstrap
    from apec_app.db import make_engine
    from apec_app.domain.clock import FixedClock
    from apec_app.integrations.ocr import warm_up
    from apec_app.services.review import prechecks
    from tests.factories import TODAY
    from tests.services.test_prechecks import jpeg, portrait, signature

    bootstrap.wire()
    path = Path(os.environ["APEC_DATA_DIR"]) / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    application_id = _seed(engine, args.people, jpeg(portrait()), signature())
    clock = FixedClock.on(TODAY)
    warm_up()
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    started = time.perf_counter()
    inputs = prechecks._claim(engine, clock)
    read = time.perf_counter() - started
    assert inputs is not None and inputs.application_id == application_id
    per_check: dict[str, list[float]] = {}
    found = {}
    started = time.perf_counter()
    for person in inputs.people:
        timings = prechecks.Timings()
        found[person.seq] = prechecks.person_checks(person, inputs.today, follow_up=False, timings=timings)
        for item, seconds in timings.seconds.items():
            per_check.setdefault(item, []).append(seconds)
    computed = time.perf_counter() - started
    started = time.perf_counter()
    assert prechecks._store(engine, clock, inputs, found, computed)
    store = time.perf_counter() - started

    print(f"\nper person ({len(inputs.people)} people), seconds:")
    print(f"{'check':<20}{'median':>10}{'p95':>10}{'max':>10}")
    for item, values in per_check.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(f"{item:<20}{statistics.median(values):>10.4f}{p95:>10.4f}{values[-1]:>10.4f}")
    statuses: dict[str, int] = {}
    for checks in found.values():
        for c in checks:
            statuses[f"{c.item}:{c.status}"] = statuses.get(f"{c.item}:{c.status}", 0) + 1
    print(f"\nwhole application: read inputs {read:.3f} s, compute {computed:.2f} s "
          f"({computed / len(inputs.people):.2f} s per person), store {store:.3f} s")  # fmt: skip
    print("outcomes:", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    _loop_lag(engine, clock, application_id)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def _loop_lag(engine, clock, application_id: int) -> None:
    import asyncio

    from apec_app.services.review import prechecks
    from apec_app.services.unit_of_work import unit_of_work

    async def ticks(done: asyncio.Event | None, seconds: float) -> list[float]:
        late = []
        end = time.perf_counter() + seconds
        while (done is None and time.perf_counter() < end) or (done is not None and not done.is_set()):
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            late.append(time.perf_counter() - started - 0.01)
        return late

    async def with_job() -> tuple[list[float], float]:
        done = asyncio.Event()

        async def job() -> float:
            started = time.perf_counter()
            await asyncio.to_thread(prechecks.run_next, engine, clock)
            done.set()
            return time.perf_counter() - started

        seconds, late = await asyncio.gather(job(), ticks(done, 0))
        return late, seconds

    with unit_of_work(clock=clock, engine=engine) as uow:  # the same application asked for again
        prechecks.request(uow, application_id)
    idle = asyncio.run(ticks(None, 3.0))
    busy, seconds = asyncio.run(with_job())

    def line(name: str, values: list[float]) -> str:
        values = sorted(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        return (f"{name:<22}{1000 * statistics.median(values):>8.1f}{1000 * p95:>8.1f}{1000 * values[-1]:>8.1f}"
                f"   ({len(values)} ticks)")  # fmt: skip

    print(f"\nevent loop, lateness of a 10 ms timer (ms), job of {seconds:.1f} s in a worker thread:")
    print(f"{'':<22}{'p50':>8}{'p95':>8}{'max':>8}")
    print(line("no job", idle))
    print(line("job running", busy))


def _seed(engine, people: int, photo: bytes, sign: bytes) -> int:
    """One submitted application of `people` people, each with its own generated passport page."""
    import json
    from datetime import date

    from apec_app.domain import lifecycle
    from apec_app.integrations import storage
    from apec_app.models import Application, Document, Enterprise, Institution, Person
    from apec_app.services.operations.demo_followups import _person
    from apec_app.services.review import prechecks
    from apec_app.services.unit_of_work import unit_of_work
    from tests.factories import TODAY, new_uscc
    from tests.ocr_samples import make_passport_image

    with unit_of_work(engine=engine) as uow:
        db = uow.db
        institution = Institution(code="JS", name="江苏省外办", kind="fao")
        db.add(institution)
        ents = [Enterprise(name=f"企业{i}", uscc=new_uscc(), legal_rep="法人", email=f"e{i}@example.com",
                           password_hash="!", nature="民营企业") for i in range(2)]  # fmt: skip
        db.add_all(ents)
        db.flush()
        app = Application(number="APEC20261126000001", business_type=lifecycle.NEW_RENEW, enterprise_id=ents[0].id,
                          institution_id=institution.id, channel="local", status=lifecycle.FAO_REVIEW,
                          submitted_at=uow.now())  # fmt: skip
        other = Application(number="APEC20261126000002", business_type=lifecycle.NEW_RENEW,
                            enterprise_id=ents[1].id, institution_id=institution.id, channel="local",
                            status=lifecycle.ECONOMY_REVIEW, submitted_at=uow.now())  # fmt: skip
        db.add_all([app, other])
        db.flush()

        def doc(kind: str, data: bytes) -> str:
            stored = storage.save_private(data)
            d = Document(enterprise_id=app.enterprise_id, application_id=app.id, kind=kind, storage_key=stored.key,
                         original_name=f"{kind}.jpg", content_type="image/jpeg", size=stored.size,
                         sha256=stored.sha256, uploaded_by="bench")  # fmt: skip
            db.add(d)
            db.flush()
            return str(d.id)

        form_people = []
        for seq in range(1, people + 1):
            page, holder = make_passport_image(1000 + seq)
            birth = date.fromisoformat(holder["birth_date"])
            p = _person("周", "立明", holder["sex"] == "M", birth, TODAY) | {
                "pinyin": f"{holder['surname']} {holder['given_names']}", "passport_number": holder["number"],
                "expiry_date": holder["expiry_date"], "issue_date": holder["issue_date"],
            }  # fmt: skip
            p |= {"passport_page_doc": doc("passport_page", page), "photo_doc": doc("photo", photo),
                  "signature_doc": doc("signature", sign)}  # fmt: skip
            form_people.append(p)
            db.add(Person(application_id=app.id, seq=seq, surname="周", given_name="立明", pinyin=p["pinyin"],
                          id_number=p["id_number"], sex=p["sex"], birth_date=birth,
                          passport_number=p["passport_number"], passport_expiry=date.fromisoformat(p["expiry_date"]),
                          data_json=json.dumps(p, ensure_ascii=False)))  # fmt: skip
        db.add(Person(application_id=other.id, seq=1, surname="王", given_name="五", pinyin="WANG WU", sex="男",
                      id_number="", passport_number=form_people[0]["passport_number"], data_json="{}"))  # fmt: skip
        app.form_json = json.dumps({"people": form_people}, ensure_ascii=False)
        db.add(app)
        prechecks.request(uow, app.id)
        return int(app.id)


if __name__ == "__main__":
    main()
