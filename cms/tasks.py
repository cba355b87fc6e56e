"""Background work of the public site (run immediately in the embedded setup, by a worker in scale-out)."""

from django_tasks import task

from . import emails
from .models import EventRegistration, NewsletterIssue, NewsletterSubscription


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


@task()
def deliver_newsletter_issue(issue_id: int) -> dict:
    from .newsletter import newsletter_issue_deliver

    return newsletter_issue_deliver(issue_id=issue_id).as_dict()


@task()
def send_newsletter_test(issue_id: int, email: str) -> None:
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        return
    emails.newsletter_issue_test_message(emails.newsletter_issue_content(issue), email=email).send()
