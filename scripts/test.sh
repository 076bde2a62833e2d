#!/usr/bin/env bash
# Install what is missing and run the whole test suite: unit and integration tests, then the end-to-end
# tests in their own pytest run (pytest-playwright's event loop must not share a process with others).
# Extra arguments go to the end-to-end run, e.g. --base-url http://host:3000 to test a running instance.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh --dev || exit 1
source scripts/env.sh
bash scripts/services.sh || exit 1
umask 077  # test data holds (generated) personal data like the real thing: owner-only

start=$(date +%s)
python -m ruff check apec_app tests benchmarks || exit 1
python -m mypy || exit 1  # the types of apec_app/domain and apec_app/services (mypy.ini)
lint-imports || exit 1  # the layers (.importlinter)
python -m pytest tests/domain tests/services tests/app tests/integration -q -p no:cacheprovider
fast=$?
python -m pytest tests/e2e -q -p no:cacheprovider "$@"
e2e=$?
# Scale-out: two workers on PostgreSQL + Redis, one killed mid-wizard (its own production build).
python -m pytest tests/scale -q -p no:cacheprovider
scale=$?
echo "==> test suite took $(( $(date +%s) - start ))s (unit+integration exit $fast, end-to-end exit $e2e, scale-out exit $scale)"
[ $fast -eq 0 ] && [ $e2e -eq 0 ] && [ $scale -eq 0 ]
