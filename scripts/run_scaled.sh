#!/usr/bin/env bash
# Serve the production build with several backend worker processes behind one port (pages, events and API
# routes on http://$HOST:$PORT), sharing state through Redis and data through PostgreSQL.
#
#   DATABASE_URL=postgresql+psycopg://apec:pw@db-host:5432/apec \
#   REDIS_URL=redis://127.0.0.1:6379/0 PUBLIC_URL=https://apec.example.cn WORKERS=4 \
#   bash scripts/run_scaled.sh
#
# Why not `reflex run --env prod --single-port`? It runs several workers too (GRANIAN_WORKERS, or 2*CPUs+1 when
# REDIS_URL answers), but Reflex 0.10.1 starts granian without respawning: when one worker dies (OOM killer,
# crash, kill -9) the whole app stops. This script builds with Reflex's own production export and then runs the
# same ASGI app under granian's CLI with --respawn-failed-workers, so a lost worker is replaced in seconds and
# its users' pages reconnect to the others. Docs: docs/deployment.md.
#
# Environment (besides the app's own settings, see README "Configuration"):
#   WORKERS   backend worker processes (default 2; more than 1 needs REDIS_URL)
#   PORT      the single port (default 3000);  HOST  bind address (default 0.0.0.0)
#   BUILD=0   skip the frontend build (serve the .web/build already there, e.g. built by an earlier run)
#   MIGRATE=0 skip `python -m apec_app.cli migrate` (e.g. when a deploy step already ran it)
#   SQLITE_OK=1  no warning for a SQLite DATABASE_URL (scripts/run.sh: the demo on one machine)
#   REFLEX_OPLOCK_ENABLED=0  read and write a tab's state in Redis around every event (default 1: the worker keeps it
#                            between events, see below)
#   ACCESS_LOG=0  no access log (default on: one line per HTTP request and websocket connect, with the pid)
#   GRANIAN_*     any further granian option (granian --help), e.g. GRANIAN_BACKLOG=2048
set -euo pipefail
umask 077  # the data, keys and state files hold personal data: owner-only
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

WORKERS="${WORKERS:-2}"
PORT="${PORT:-3000}"
HOST="${HOST:-0.0.0.0}"
export FRONTEND_PORT="$PORT" BACKEND_PORT="$PORT"
export PUBLIC_URL="${PUBLIC_URL:-http://localhost:$PORT}"
# One port: the browser's websocket and uploads go to the address it loaded the pages from.
export API_URL="${API_URL:-$PUBLIC_URL}"

if [ "$WORKERS" -gt 1 ]; then
  if [ -z "${REDIS_URL:-}" ]; then
    echo "run_scaled.sh: REDIS_URL is required with WORKERS=$WORKERS (each worker would keep its own state)" >&2
    exit 1
  fi
  python - <<'PY' || exit 1
import os, sys
import redis
try:
    redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=5).ping()
except redis.RedisError as exc:
    sys.exit(f"run_scaled.sh: Redis at REDIS_URL does not answer: {exc}")
PY
fi
if [ -n "${REDIS_URL:-}" ]; then
  # Reflex's opportunistic lock (REFLEX_OPLOCK_ENABLED=0 turns it off): a worker keeps a tab's state in memory
  # between its events (and writes it back to Redis REFLEX_OPLOCK_HOLD_TIME after the last one, or at once when
  # another worker asks for the tab) instead of reading and writing Redis around every event: one PostgreSQL +
  # Redis worker serves ~1.4x the user actions (benchmarks/README.md). A killed worker loses at most that much of
  # its tabs' page state (never data: that is in the database); the reconnected tab gets a new token anyway.
  export REFLEX_OPLOCK_ENABLED="${REFLEX_OPLOCK_ENABLED:-1}" REFLEX_OPLOCK_HOLD_TIME="${REFLEX_OPLOCK_HOLD_TIME:-3s}"
fi
case "${DATABASE_URL:-sqlite}" in
  sqlite*) [ "${SQLITE_OK:-0}" = "1" ] || echo "run_scaled.sh: warning: DATABASE_URL is SQLite; use PostgreSQL for production" >&2 ;;
esac

if [ "${MIGRATE:-1}" != "0" ]; then
  python -m apec_app.cli migrate
fi
if [ "${BUILD:-1}" != "0" ]; then
  # Reflex's production build (compile + frontend bundle into .web/build/client, with PUBLIC_URL/API_URL baked
  # into .web/env.json): the same build `reflex run --env prod` makes.
  reflex export --env prod --frontend-only --no-zip --loglevel "${REFLEX_LOGLEVEL:-warning}"
fi
[ -f "${REFLEX_WEB_WORKDIR:-.web}/build/client/index.html" ] || {
  echo "run_scaled.sh: no production build in ${REFLEX_WEB_WORKDIR:-.web}/build (run without BUILD=0)" >&2
  exit 1
}

# What `reflex run --env prod --single-port` sets for its backend workers: production mode, no compile in the
# workers (the build above did it), and the compiled frontend mounted into the backend app (one port).
# The two __REFLEX_ variables are Reflex-internal names (checked against reflex 0.10.1; tests/scale tests them).
export REFLEX_ENV_MODE=prod
export __REFLEX_SKIP_COMPILE=true
export __REFLEX_MOUNT_FRONTEND_COMPILED_APP=true

export PYTHONUNBUFFERED=1  # log lines as they happen, also when stdout is a file or a pipe
access=(--access-log)
[ "${ACCESS_LOG:-1}" = "0" ] && access=(--no-access-log)
echo "==> serving $PUBLIC_URL on $HOST:$PORT with $WORKERS worker(s)"
exec granian --interface asgi --factory \
  --host "$HOST" --port "$PORT" \
  --workers "$WORKERS" --respawn-failed-workers \
  --workers-kill-timeout "${GRANIAN_WORKERS_KILL_TIMEOUT:-10}" \
  --log-config scripts/granian-logging.json "${access[@]}" \
  --access-log-fmt '%(addr)s "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms "%(header{user-agent})s"' \
  apec_app.apec_app:app
