"""A stored Dutch search vector for messages, with a GIN index (PostgreSQL; empty on SQLite)."""

import django.contrib.postgres.search
from django.db import migrations

import communities.search_vectors


def fill_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Message = apps.get_model("communities", "Message")
    communities.search_vectors.refresh_message_vectors(Message.objects.all())


class Migration(migrations.Migration):

    dependencies = [
        ("communities", "0005_message_changed_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        # Before the index exists: one pass over the table instead of index updates per row.
        migrations.RunPython(fill_vectors, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="message",
            index=communities.search_vectors.SearchVectorIndex(fields=["search_vector"], name="message_search_vector"),
        ),
    ]
