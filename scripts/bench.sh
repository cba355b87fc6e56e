#!/usr/bin/env bash
# Benchmarks (DESIGN.md "Budgets"), loopback only and bounded in time.
# The data set lives in its own database (var/bench.sqlite3, or BENCH_DATABASE_URL for PostgreSQL),
# so the demo database is left alone. It is built once: seed_demo (CMS pages, demo circles) and
# seed_bench (10,000 members, 200 circles, 200,000 messages); later runs reuse it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
export DEBUG=0 SECRET_KEY=${SECRET_KEY:-bench-only-not-secret} ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0
export LOG_LEVEL=ERROR
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  export DATABASE_URL="$BENCH_DATABASE_URL"
else
  unset DATABASE_URL
  export SQLITE_PATH=${BENCH_SQLITE_PATH:-var/bench.sqlite3}
fi

"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py seed_demo > /dev/null
"$BIN/python" manage.py seed_bench ${SEED_BENCH_ARGS:-}

echo "== Page throughput =="
"$BIN/python" bench/pages.py ${BENCH_PAGES_ARGS:-}

# Member search latency (stored search vector vs. per-row to_tsvector): PostgreSQL only.
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  echo "== Search =="
  "$BIN/python" bench/search.py ${BENCH_SEARCH_ARGS:-}
fi

# Other benchmarks of the project (e.g. bench/fanout.py, real-time fan-out) run when present.
for script in bench/fanout.py; do
  if [ -f "$script" ]; then
    echo "== $script =="
    "$BIN/python" "$script"
  fi
done
