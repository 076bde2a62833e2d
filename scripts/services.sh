#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432, database "test") is running for the integration tests that need it.
# Installs and starts it when it is missing; does nothing when it already answers.
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"

if ! command -v pg_isready >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
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
