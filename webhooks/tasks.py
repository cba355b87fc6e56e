"""Background work of webhooks (django-tasks). Arguments are plain JSON values."""

from django_tasks import task


@task()
def deliver_webhook(delivery_id: str) -> str | None:
    from .services import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)


@task()
def retry_due_webhooks() -> int:
    """Run every minute (or `manage.py webhooks_retry`) where the task backend cannot defer."""
    from .services import retry_due_deliveries

    return retry_due_deliveries()
