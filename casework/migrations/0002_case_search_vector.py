"""A stored Dutch search vector for cases (title A, content B), with a GIN index (PostgreSQL)."""

import django.contrib.postgres.search
from django.db import migrations

import communities.search_vectors


def fill_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Case = apps.get_model("casework", "Case")
    communities.search_vectors.refresh_case_vectors(Case.objects.all())


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_vectors, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=communities.search_vectors.SearchVectorIndex(fields=["search_vector"], name="case_search_vector"),
        ),
    ]
