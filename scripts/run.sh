#!/usr/bin/env bash
# Install what is missing, migrate, load the demo data on an empty database, and serve the app
# on http://localhost:3000 (production build, one port for pages, events and API routes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
# The database, keys, uploaded documents and Reflex's state files hold personal data: owner-only (after the
# installs, which must stay readable to the package manager's own users).
umask 077
source scripts/env.sh
PORT="${PORT:-3000}"
export FRONTEND_PORT="$PORT" BACKEND_PORT="$PORT"
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$PORT}" API_URL="${API_URL:-${PUBLIC_URL:-http://localhost:$PORT}}"
# The demo's two stand-ins, both refused by the app on a non-localhost PUBLIC_URL: the simulated e-licence
# platform (QR registration and sign-in) and, without SMTP, the development mailbox (admins on this machine only).
export ELICENSE_PROVIDER="${ELICENSE_PROVIDER:-simulated}"
if [ -z "${SMTP_HOST:-}" ]; then export DEV_MAILBOX="${DEV_MAILBOX:-1}"; fi
python -m apec_app.cli load-demo
if [ "$ELICENSE_PROVIDER" = "simulated" ]; then
  echo "==> 演示模式：已启用模拟电子营业执照平台（任何人都能以任意企业三要素授权，切勿用于生产）"
fi
if [ "${DEV_MAILBOX:-0}" = "1" ]; then
  echo "==> 演示模式：开发邮箱 $PUBLIC_URL/dev/mailbox（仅限本机访问，需以管理员 admin 登录 /staff/login）"
fi
# One backend worker under granian (scripts/run_scaled.sh, WORKERS=1): the same production build and single port
# as `reflex run --env prod --single-port`, without that command's own ~300 MB process kept beside the worker.
# load-demo above has migrated the database.
WORKERS=1 MIGRATE=0 SQLITE_OK=1 exec bash scripts/run_scaled.sh
