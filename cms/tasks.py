"""Background work of the public site (run immediately in the embedded setup, by a worker in scale-out)."""

from django_tasks import task

from . import emails
from .models import EventRegistration, NewsletterSubscription


@task()
def send_registration_email(registration_id: int, kind: str) -> None:
    registration = EventRegistration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None:
        return
    emails.registration_message(registration, kind).send()


@task()
def send_newsletter_email(subscription_id: int, kind: str) -> None:
    subscription = NewsletterSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return
    emails.newsletter_system_message(subscription, kind).send()
