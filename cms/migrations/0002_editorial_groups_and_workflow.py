"""Editors write pages and submit them for moderation; Moderators approve and publish.

Wagtail's own initial data already creates groups with these names; this migration makes sure
they exist, gives them the cms permissions, and puts one moderation workflow on the whole tree.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Redactionele controle"
TASK_NAME = "Goedkeuring door een moderator"

SNIPPET_MODELS = ["contactperson", "organisation", "network"]
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def _ensure_permissions(apps):
    """Model permissions are normally made after migrate; the groups need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _perm(Permission, app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def forwards(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)

    common = [_perm(Permission, "wagtailadmin", "access_admin")]
    for model in SNIPPET_MODELS:
        common += [_perm(Permission, "cms", f"{action}_{model}") for action in ("add", "change", "delete", "view")]
    common.append(_perm(Permission, "cms", "view_eventregistration"))
    editors.permissions.add(*common)
    moderators.permissions.add(
        *common,
        _perm(Permission, "cms", "view_newslettersubscription"),
        _perm(Permission, "cms", "change_sitesettings"),
    )

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    for group in (editors, moderators):
        for codename in PAGE_PERMISSIONS[group.name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=_perm(Permission, "wagtailcore", codename)
            )

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.set([moderators])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
