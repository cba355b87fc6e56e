"""Background work of casework (django-tasks: immediate in the embedded lane, a worker in
the scale-out lane). Arguments are plain JSON values."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_case_email(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@task()
def send_lesson_followups() -> int:
    """Run daily (or via `manage.py casework_followups`): ask owners what came of their case."""
    from .services import lesson_followups_send

    return lesson_followups_send()
