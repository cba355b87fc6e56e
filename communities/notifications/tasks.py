"""Background work of notifications (django-tasks): immediate emails and the daily digest.

Run immediately in the embedded default and in tests; by the django-tasks database worker
in the scale-out setup (TASKS_BACKEND=database).
"""

from django_tasks import task


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    from .emails import send_immediate_emails

    return send_immediate_emails(notification_ids)


@task()
def send_daily_digests() -> dict:
    from .digest import send_digests

    return send_digests().as_dict()
