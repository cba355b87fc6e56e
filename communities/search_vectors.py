"""Stored full-text search vectors (PostgreSQL), kept current by the services that write.

Messages and cases carry a `search_vector` column: `to_tsvector('dutch', …)` computed when the
row is written, with a GIN index, so a search reads the index instead of parsing every
readable row's text on every query. The services call `refresh_*` after they create or edit a
row and `clear_message_vectors` when a message is deleted or hidden (not signals: a bulk
`update()` would skip those, and the services are the only write paths). On SQLite the column
exists but stays empty; member search uses its own word matching there.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Index

SEARCH_CONFIG = "dutch"
CASE_TITLE_WEIGHT = "A"
CASE_CONTENT_WEIGHT = "B"
CASE_CONTENT_FIELDS = ("context", "question", "tried", "desired_outcome")


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere a plain index that stays empty (the column is only
    filled on PostgreSQL), so migrations and SQLite's table rebuilds work unchanged."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return Index.create_sql(self, model, schema_editor, using=using, **kwargs)


def message_vector() -> SearchVector:
    return SearchVector("body_source", config=SEARCH_CONFIG)


def case_vector() -> SearchVector:
    title = SearchVector("title", config=SEARCH_CONFIG, weight=CASE_TITLE_WEIGHT)
    content = SearchVector(*CASE_CONTENT_FIELDS, config=SEARCH_CONFIG, weight=CASE_CONTENT_WEIGHT)
    return title + content


def refresh_message_vectors(queryset) -> int:
    """Recompute the vectors of these messages (one UPDATE); removed messages get none."""
    if not uses_postgres():
        return 0
    live = queryset.filter(deleted_at__isnull=True, hidden_at__isnull=True)
    count = live.update(search_vector=message_vector())
    queryset.exclude(deleted_at__isnull=True, hidden_at__isnull=True).update(search_vector=None)
    return count


def clear_message_vectors(queryset) -> None:
    if uses_postgres():
        queryset.update(search_vector=None)


def analyze(*models) -> None:
    """Fresh planner statistics after bulk writes: with stale ones PostgreSQL guesses how many
    rows a word matches and may read a common word's whole GIN posting list."""
    if uses_postgres():
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def refresh_case_vectors(queryset) -> int:
    if not uses_postgres():
        return 0
    return queryset.update(search_vector=case_vector())
