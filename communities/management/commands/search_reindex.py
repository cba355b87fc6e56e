"""Recompute the stored search vectors of messages and cases (PostgreSQL), in batches.

The services keep the vectors current; this is for rows written around them: data loaded
in bulk (seed_bench), restored from a dump, or from before the vectors existed.
"""

from django.core.management.base import BaseCommand

from communities.models import Message
from communities.search_vectors import analyze, refresh_case_vectors, refresh_message_vectors, uses_postgres

BATCH = 20_000


def _in_batches(model, refresh, stdout) -> int:
    done = 0
    last = 0
    while True:
        ids = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return done
        refresh(model.objects.filter(pk__gte=ids[0], pk__lte=ids[-1]))
        done += len(ids)
        last = ids[-1]
        stdout.write(f"  {model._meta.verbose_name_plural}: {done}")


class Command(BaseCommand):
    help = "Recompute the stored full-text search vectors of messages and cases (PostgreSQL only)."

    def handle(self, *args, **options):
        if not uses_postgres():
            self.stdout.write("Stored search vectors are only used on PostgreSQL; nothing to do.")
            return
        from casework.models import Case

        messages = _in_batches(Message, refresh_message_vectors, self.stdout)
        cases = _in_batches(Case, refresh_case_vectors, self.stdout)
        analyze(Message, Case)
        self.stdout.write(self.style.SUCCESS(f"Search vectors of {messages} messages and {cases} cases recomputed."))
