#!/usr/bin/env bash
# Make sure the services the tests (and a scaled-out run) need are answering:
#   PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth, database "test"),
#   Redis on 127.0.0.1:6379 (Reflex's shared state manager when several backend workers run).
# Installs and starts each one when it is missing; does nothing when it already answers. No systemd needed.
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"

APT_UPDATED=0
apt_install() {
  if [ $APT_UPDATED -eq 0 ]; then
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# --- PostgreSQL -----------------------------------------------------------------------------------------
command -v pg_isready >/dev/null || apt_install postgresql
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql | sort -V | tail -1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL did not start"; exit 1; }
# The tests connect as postgres over TCP; create the database "test" if it is missing.
if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='test'" 2>/dev/null | grep -q 1; then
  $SUDO -u postgres psql -qc "create database test" 2>/dev/null || su postgres -c "psql -qc 'create database test'" || true
fi
echo "==> PostgreSQL ready"

# --- Redis ----------------------------------------------------------------------------------------------
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
{ command -v redis-server >/dev/null && command -v redis-cli >/dev/null; } || apt_install redis-server
if ! redis_up; then
  # Started directly (no systemd): local only, no snapshots on disk; the tests flush their own db number.
  redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save '' --appendonly no \
    --dir /tmp --logfile /tmp/redis-6379.log
  for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
fi
redis_up || { echo "Redis did not start (see /tmp/redis-6379.log)"; exit 1; }
echo "==> Redis ready"
