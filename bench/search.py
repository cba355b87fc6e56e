"""Member search latency on the seed_bench data set (PostgreSQL): stored vector vs. per row.

Runs the message section of member search as /zoeken/ does (permission filter, count, one page
of 20 ranked hits with their excerpts: `search_section`) for 1-, 2- and 3-word queries, signed
in as benchmark members, in three set-ups side by side in one run:

- `stored + GIN`: the stored `search_vector` with its GIN index (what the app does);
- `stored, no index`: the same query with the GIN index dropped (in a transaction that is
  rolled back afterwards, so the data set keeps it);
- `to_tsvector per row`: the query before the stored vector, `to_tsvector('dutch', body)`
  computed for every readable row on every query.

Two tables: the database time of a search (count and page query, timed around the cursor)
and the whole section (plus building the 20 hits in Python).

    BENCH_DATABASE_URL=postgres://…/lk_bench .venv/bin/python bench/search.py [--rounds 20]

Prints `uptime` before and after (the machine is shared: read the load with the figures).
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Words of seed_bench's message pool: common ("regio", in about half the messages), rare and absent.
QUERIES = {
    1: ["regio", "gemeenteraad", "netwerksturing", "provincie", "fietsenstalling"],
    2: ["regio gemeente", "ervaring netwerksturing", "gezamenlijke investeringsagenda", "rapport steden",
        "wethouders woningbouw"],
    3: ["gemeenteraad regio besluiten", "ervaring sociaal domein", "vaste regiotafel wethouders",
        "eigen identiteit gemeente", "casus volgende bijeenkomst"],
}
BUDGET_P99_MS = 50
USERS = 20  # the first benchmark members, each in one to three circles (other permission sets)


def setup_django():
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench/search.py measures PostgreSQL search: set BENCH_DATABASE_URL=postgres://…")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def per_row_queryset(*, user, query, circle=None):
    """Member search as it was before the stored vector: to_tsvector per readable row."""
    from django.contrib.postgres.search import SearchRank, SearchVector

    from communities.notifications.search import SEARCH_CONFIG, postgres_query, readable_messages, with_excerpt

    search_query = postgres_query(query)
    vector = SearchVector("body_source", config=SEARCH_CONFIG)
    queryset = (
        readable_messages(user=user, circle=circle)
        .annotate(search=vector)
        .filter(search=search_query)
        .annotate(rank=SearchRank(vector, search_query))
    )
    return with_excerpt(queryset, search_query).order_by("-rank", "-id")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class SqlClock:
    """Sums the time spent in the database (the count and the page query) per search."""

    def __init__(self):
        self.spent = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.spent += time.perf_counter() - started


def measure(users, words: int, rounds: int) -> tuple[list[float], list[float], int]:
    from django.db import connection

    from communities.notifications.search import search_section

    whole, sql, hits = [], [], 0
    for round_number in range(rounds):
        for k, query in enumerate(QUERIES[words]):
            user = users[(round_number + k) % len(users)]
            clock = SqlClock()
            started = time.perf_counter()
            with connection.execute_wrapper(clock):
                section = search_section(user=user, query=query, type_name="messages")
            whole.append((time.perf_counter() - started) * 1000)
            sql.append(clock.spent * 1000)
            hits += section.count
    return whole, sql, hits


def run_setup(name: str, users, rounds: int) -> dict[int, tuple[float, float, float]]:
    from dataclasses import replace

    from django.db import connection, transaction

    from communities.notifications import search

    original = search.SEARCH_TYPES["messages"]
    results = {}
    with transaction.atomic():
        if name == "stored, no index":
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX message_search_vector")
        if name == "to_tsvector per row":
            search.SEARCH_TYPES["messages"] = replace(original, queryset=per_row_queryset)
        try:
            measure(users, 1, 1)  # warm the caches and the connection
            for words in QUERIES:
                whole, sql, hits = measure(users, words, rounds)
                results[words] = {
                    "sql": (statistics.median(sql), percentile(sql, 0.99)),
                    "whole": (statistics.median(whole), percentile(whole, 0.99)),
                    "hits": hits / len(whole),
                }
        finally:
            search.SEARCH_TYPES["messages"] = original
            transaction.set_rollback(True)  # the dropped index comes back
    return results


def explain(user, query: str) -> str:
    from communities.notifications.search import message_queryset

    return message_queryset(user=user, query=query)[:20].explain(analyze=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="rounds over the 5 queries of each length")
    parser.add_argument("--explain", action="store_true", help="print the query plan of a 1-word query")
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from communities.models import Message
    from communities.notifications.search import readable_messages

    users = list(get_user_model().objects.filter(username__startswith="bench-").order_by("username")[:USERS])
    if not users:
        sys.exit("No benchmark data: run manage.py seed_bench first (scripts/bench.sh does).")
    readable = [
        readable_messages(user=u).count() for u in users
    ]
    print("uptime before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(f"{Message.objects.count():,} messages; {len(users)} members, each reading "
          f"{min(readable):,}–{max(readable):,} of them; {args.rounds * 5} searches per cell; "
          f"PostgreSQL {connection.pg_version // 10000}")
    if args.explain:
        print(explain(users[0], QUERIES[1][0]))
    setups = ["stored + GIN", "stored, no index", "to_tsvector per row"]
    table = {name: run_setup(name, users, args.rounds) for name in setups}
    for part, title in (("sql", "database time (count + page query)"), ("whole", "whole section (queries + 20 hits built)")):
        print(f"\n{title}, p50 / p99 ms:\n")
        print("| words | hits per search | " + " | ".join(setups) + " |")
        print("| ---: | ---: | " + " | ".join("---:" for _ in setups) + " |")
        for words in QUERIES:
            cells = " | ".join(f"{table[name][words][part][0]:.1f} / {table[name][words][part][1]:.1f}" for name in setups)
            print(f"| {words} | {table[setups[0]][words]['hits']:,.0f} | {cells} |")
    worst = max(table["stored + GIN"][words]["sql"][1] for words in QUERIES)
    verdict = "within" if worst < BUDGET_P99_MS else "OVER"
    print(f"\nstored + GIN: worst database p99 {worst:.1f} ms, {verdict} the budget of {BUDGET_P99_MS} ms")
    print("uptime after: ", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
