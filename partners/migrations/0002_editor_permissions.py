"""Editors and Moderators handle partner applications and keep the list of fixed contact people."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "Editors": ["view_partnerapplication", "change_partnerapplication", "add_partnercontact",
                "change_partnercontact", "delete_partnercontact", "view_partnercontact"],
    "Moderators": ["view_partnerapplication", "change_partnerapplication", "add_partnercontact",
                   "change_partnercontact", "delete_partnercontact", "view_partnercontact"],
}


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("partners")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="partners", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("cms", "0002_editorial_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
