#!/usr/bin/env bash
# Load and fault runs (bench/loadfault.py; figures in bench/README-load.md). Loopback only, bounded.
#
# Two uvicorn processes of the app against PostgreSQL and Redis, 200 WebSocket clients and a
# stream of HTTP posts for 60 s: first without faults, then with Redis restarted at 20 s and one
# ASGI process crashed at 40 s. The run has a PostgreSQL database of its own (LOAD_PG_DB,
# created and migrated here) and its own Redis database number and key prefix.
#
# The fault run restarts the machine's Redis with the machine's own command: run it only when
# nothing else uses that Redis. LOAD_REDIS=private uses a redis-server of the run instead.
#   LOAD_ARGS="--clients 50 --seconds 20" make load-fault     # shorter
#   LOAD_RUNS=none make load-fault                            # only the run without faults
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
PG_DB=${LOAD_PG_DB:-leerkring_load}
REDIS_MODE=${LOAD_REDIS:-machine}
RUNS=${LOAD_RUNS:-none both}
OUT=${LOAD_OUT:-var/load}

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${PG_DB}"
export DEBUG=0 SECRET_KEY=${SECRET_KEY:-load-run-only-not-secret} ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0
export LEERKRING_TESTING=1 LOG_LEVEL=ERROR
unset REDIS_URL  # the orchestrator gives the servers theirs (--redis-db / private)

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "PostgreSQL is not running on 127.0.0.1:5432 (scripts/test-lanes.sh starts it)"; exit 2
fi
if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = '${PG_DB}'" | grep -q 1; then
  echo "Creating database ${PG_DB}"
  psql -h 127.0.0.1 -U postgres -qc "create database \"${PG_DB}\""
fi
"$BIN/python" manage.py migrate --noinput -v 0

mkdir -p "$OUT"
status=0
for run in $RUNS; do
  "$BIN/python" bench/loadfault.py --fault "$run" --redis "$REDIS_MODE" --json "$OUT/$run.json" ${LOAD_ARGS:-} || status=1
done
exit $status
