#!/usr/bin/env bash
# Fan-out benchmark (bench/fanout.py): one message to 200 WebSocket clients on two uvicorn
# processes through Redis, app path vs bare channels-redis group_send, both Redis layers,
# plus memory per idle connection. Loopback only; every loop is bounded.
#   scripts/bench-fanout.sh [--clients 200] [--rounds 60] [--burst 100] [--idle 1000] [--layers both|pubsub|core]
# Uses its own PostgreSQL database (LEERKRING_BENCH_DB, default leerkring_bench) and Redis
# database (LEERKRING_REDIS_DB, default 0); BENCH_DATABASE_URL / BENCH_REDIS_URL override both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
PG_DB=${LEERKRING_BENCH_DB:-leerkring_bench}

export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${PG_DB}}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/${LEERKRING_REDIS_DB:-0}}
export CHANNEL_LAYER_PREFIX="lk-bench-${PG_DB}" CACHE_KEY_PREFIX="lk-bench-${PG_DB}"
# Production-like: DEBUG off (no query log), a throwaway key, only loopback hosts.
export DEBUG=0 SECRET_KEY=bench-only-not-a-secret ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LEERKRING_TESTING=0
ulimit -n 8192 2>/dev/null || true  # 1,000 idle sockets need a file descriptor each, on both ends

if ! pg_isready -h 127.0.0.1 -p 5432 -q || ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "PostgreSQL and Redis must be running on 127.0.0.1 (scripts/test-lanes.sh scaleout starts them)." >&2
  exit 1
fi
if [ -z "${BENCH_DATABASE_URL:-}" ] && ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname='${PG_DB}'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres "${PG_DB}"
fi
"$BIN/python" manage.py migrate --noinput -v 0
exec "$BIN/python" bench/fanout.py "$@"
