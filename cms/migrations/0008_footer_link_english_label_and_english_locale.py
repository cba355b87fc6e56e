"""English as a second content language: its Wagtail locale, translation rights for the
editorial groups, and an English text for footer links (site settings are not translated)."""

from django.db import migrations, models

from cms.migrations._permissions import ensure_permissions

TRANSLATORS = ["Editors", "Moderators"]


def forwards(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    submit = Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation")
    for group in Group.objects.filter(name__in=TRANSLATORS):
        group.permissions.add(submit)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_event_report_and_presentations"),
        ("wagtailcore", "0098_apitoken"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="footerlink",
            name="label_en",
            field=models.CharField(
                blank=True,
                help_text="Leave empty to use the English title of the page, or the Dutch link text.",
                max_length=60,
                verbose_name="link text in English",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
