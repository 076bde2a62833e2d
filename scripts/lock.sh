#!/usr/bin/env bash
# Compile the locks that scripts/bootstrap.sh installs (pip install --require-hashes): requirements.txt from
# requirements.in (the application) and requirements-dev.txt from requirements-dev.in (plus tests and checks).
# Every package is pinned with the hashes of all its published files, so any machine can verify what it
# downloads. Resolved for CPython 3.11 on Linux x86_64 (Debian), from the public package index: uv reads no pip
# configuration, and --no-config ignores any uv.toml, so a local mirror never puts its own hashes in the lock.
# Run it after editing a .in file and commit all four files. Versions already in a lock are kept unless asked:
# extra arguments go to uv, e.g. `bash scripts/lock.sh --upgrade-package pillow`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV_VERSION=0.13.8
uv=.tools/uv/bin/uv
if [ ! -x "$uv" ] || [ "$("$uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  python3 -m venv .tools/uv
  .tools/uv/bin/python -m pip install -q "uv==$UV_VERSION"
fi
compile=("$uv" pip compile --no-config --quiet --generate-hashes --python-version 3.11
  --python-platform x86_64-manylinux_2_28 --annotation-style line --custom-compile-command "bash scripts/lock.sh")
"${compile[@]}" requirements.in -o requirements.txt "$@"
"${compile[@]}" requirements-dev.in -o requirements-dev.txt "$@"
# Nothing may pull in torch (hundreds of megabytes, never needed here).
if grep -qiE '^(torch|torchvision)==' requirements.txt requirements-dev.txt; then
  echo "lock.sh: torch got into a lock" >&2
  exit 1
fi
echo "==> requirements.txt: $(grep -c '^[A-Za-z0-9]' requirements.txt) packages;" \
  "requirements-dev.txt: $(grep -c '^[A-Za-z0-9]' requirements-dev.txt) packages"
