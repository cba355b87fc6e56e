#!/usr/bin/env bash
# Benchmarks (DESIGN.md "Budgets", issue 12), loopback only and bounded in time.
# The data set lives in its own database, so the demo database is left alone:
#   make bench                                   # embedded lane: var/bench.sqlite3, local-memory cache
#   BENCH_LANE=scaleout make bench               # PostgreSQL (database lk_bench) + Redis, as in production
#   BENCH_DATABASE_URL=postgres://... BENCH_REDIS_URL=redis://... make bench   # the same, elsewhere
# It is built once (seed_demo: CMS pages, demo circles; seed_bench: 10,000 members, 200 circles,
# 200,000 messages, about 2-3 minutes); later runs reuse it. bench/pages.py then takes about
# 3 minutes (BENCH_PAGES_ARGS="--rounds 1" for one). BENCH_FANOUT=1 adds bench/fanout.py
# (also `make bench-fanout`), which takes longer.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
export DEBUG=0 SECRET_KEY=${SECRET_KEY:-bench-only-not-secret} ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0
export LOG_LEVEL=ERROR
if [ "${BENCH_LANE:-}" = scaleout ]; then
  BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lk_bench}
  # A Redis database of its own: a test run's cache.clear() empties its database (db 0 by default).
  BENCH_REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}
fi
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  export DATABASE_URL="$BENCH_DATABASE_URL"
  db_name=${BENCH_DATABASE_URL##*/}
  if ! psql "${BENCH_DATABASE_URL%/*}/postgres" -Atc "select 1 from pg_database where datname='${db_name}'" | grep -q 1; then
    createdb -d "${BENCH_DATABASE_URL%/*}/postgres" "$db_name" 2>/dev/null || psql "${BENCH_DATABASE_URL%/*}/postgres" -qc "create database \"${db_name}\""
  fi
else
  unset DATABASE_URL
  export SQLITE_PATH=${BENCH_SQLITE_PATH:-var/bench.sqlite3}
fi
if [ -n "${BENCH_REDIS_URL:-}" ]; then
  export REDIS_URL="$BENCH_REDIS_URL" CACHE_KEY_PREFIX=lk-bench CHANNEL_LAYER_PREFIX=lk-bench
else
  unset REDIS_URL
fi

"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py seed_demo > /dev/null
"$BIN/python" manage.py seed_bench ${SEED_BENCH_ARGS:-}

echo "== Page throughput (database: ${DATABASE_URL:-SQLite $SQLITE_PATH}, cache: ${REDIS_URL:-local memory}) =="
"$BIN/python" bench/pages.py ${BENCH_PAGES_ARGS:-}

# Member search latency (stored search vector vs. per-row to_tsvector): PostgreSQL only.
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  echo "== Search =="
  "$BIN/python" bench/search.py ${BENCH_SEARCH_ARGS:-}
fi

if [ "${BENCH_FANOUT:-0}" = 1 ] && [ -f bench/fanout.py ]; then
  echo "== bench/fanout.py =="
  "$BIN/python" bench/fanout.py
fi
