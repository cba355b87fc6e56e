#!/usr/bin/env bash
# Runs the suite on the embedded lane (SQLite + in-memory layer) and then on the scale-out
# lane (PostgreSQL + channels-redis), starting those servers when installed but down.
# REQUIRE_SCALEOUT=1 (set by .ci/run) turns a skipped scale-out lane into a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
LANES=${1:-both}
PYTEST_ARGS=${PYTEST_ARGS:--n 2}  # two workers: the machines have two cores
PG_DB=${LEERKRING_PG_DB:-leerkring}
REDIS_DB=${LEERKRING_REDIS_DB:-0}
export LEERKRING_TESTING=1

banner() { printf '\n==================== %s ====================\n' "$*"; }

start_services() {
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
      echo "Starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
  else
    echo "PostgreSQL is not installed"; return 1
  fi
  if command -v redis-server >/dev/null; then
    if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
      echo "Starting Redis"
      mkdir -p /var/lib/redis /var/log/redis
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    fi
  else
    echo "Redis is not installed"; return 1
  fi
  for _ in $(seq 1 30); do
    if pg_isready -h 127.0.0.1 -p 5432 -q && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  echo "PostgreSQL or Redis did not come up"; return 1
}

status=0
if [ "$LANES" = both ] || [ "$LANES" = embedded ]; then
  banner "Embedded lane: SQLite + in-memory channel layer"
  env -u DATABASE_URL -u REDIS_URL "$BIN/pytest" $PYTEST_ARGS || status=1
fi

if [ "$LANES" = both ] || [ "$LANES" = scaleout ]; then
  banner "Scale-out lane: PostgreSQL + channels-redis"
  if start_services; then
    DATABASE_URL="postgres://postgres@127.0.0.1:5432/${PG_DB}" \
    REDIS_URL="redis://127.0.0.1:6379/${REDIS_DB}" \
    CHANNEL_LAYER_PREFIX="lk-test-${PG_DB}" \
    CACHE_KEY_PREFIX="lk-test-${PG_DB}" \
      "$BIN/pytest" $PYTEST_ARGS || status=1
  else
    banner "SCALE-OUT LANE SKIPPED: PostgreSQL and/or Redis are not available on this machine"
    echo "!!! Only the embedded lane ran. Install PostgreSQL and Redis to run the scale-out lane. !!!"
    if [ "${REQUIRE_SCALEOUT:-0}" = 1 ]; then
      echo "REQUIRE_SCALEOUT=1: a skipped scale-out lane is a failure."
      status=1
    fi
  fi
fi
exit $status
