#!/usr/bin/env bash
# Install what is missing, migrate, load the demo data on an empty database, and serve the app
# on http://localhost:3000 (production build, one port for pages, events and API routes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
source scripts/env.sh
PORT="${PORT:-3000}"
export FRONTEND_PORT="$PORT" BACKEND_PORT="$PORT"
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$PORT}" API_URL="${API_URL:-${PUBLIC_URL:-http://localhost:$PORT}}"
python -m apec_app.cli load-demo
echo "==> 开发邮箱（未配置SMTP时）：$PUBLIC_URL/dev/mailbox"
exec reflex run --env prod --single-port
