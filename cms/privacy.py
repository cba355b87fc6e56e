"""The public site's part of a member's data export (see communities/privacy.py).

Event registrations and newsletter subscriptions are made with an email address, not with an
account; the export lists those made with one of the member's verified addresses. They are
not deleted with the account: each has its own cancel or unsubscribe link.
"""

from communities.privacy import iso, register_exporter


def _verified_emails(user) -> list[str]:
    from allauth.account.models import EmailAddress

    return [email.lower() for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)]


@register_exporter("event_registrations", order=60)
def export_event_registrations(user) -> list[dict]:
    from .models import EventRegistration

    registrations = EventRegistration.objects.filter(email__in=_verified_emails(user)).select_related("event")
    return [
        {
            "event": registration.event.title,
            "event_start": iso(registration.event.start),
            "name": registration.name,
            "email": registration.email,
            "organisation": registration.organisation,
            "job_title": registration.job_title,
            "colleagues": registration.extra_participant_list,
            "places": registration.seats,
            "status": registration.status,
            "registered_at": iso(registration.registered_at),
            "cancelled_at": iso(registration.cancelled_at),
        }
        for registration in registrations.order_by("registered_at")
    ]


@register_exporter("newsletter", order=61)
def export_newsletter(user) -> list[dict]:
    from django.db.models import Prefetch

    from .models import NewsletterDelivery, NewsletterSubscription

    return [
        {
            "email": subscription.email,
            "status": subscription.status,
            "language": subscription.language,
            "signed_up_at": iso(subscription.created_at),
            "confirmed_at": iso(subscription.confirmed_at),
            "unsubscribed_at": iso(subscription.unsubscribed_at),
            "issues_received": [
                {"subject": delivery.issue.subject, "sent_at": iso(delivery.sent_at)}
                for delivery in subscription.deliveries.all()
                if delivery.sent_at
            ],
        }
        for subscription in NewsletterSubscription.objects.filter(email__in=_verified_emails(user)).prefetch_related(
            Prefetch("deliveries", queryset=NewsletterDelivery.objects.select_related("issue").order_by("sent_at"))
        )
    ]
