"""Emails of the public site. Sent from cms.tasks, after the transaction that caused them."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .ical import event_calendar, ics_filename

NEWSLETTER_CONFIRM_SALT = "cms.newsletter.confirm"
NEWSLETTER_UNSUBSCRIBE_SALT = "cms.newsletter.unsubscribe"
NEWSLETTER_CONFIRM_MAX_AGE = 7 * 24 * 60 * 60


def absolute_url(path_or_url: str) -> str:
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.SITE_URL + path_or_url


def page_url(page) -> str:
    return absolute_url(page.get_url() or page.full_url)


def cancel_url(registration) -> str:
    event = registration.event
    return page_url(event).rstrip("/") + "/" + event.reverse_subpage("cancel", args=[registration.cancel_token])


def newsletter_confirm_token(subscription) -> str:
    return signing.dumps([subscription.pk, subscription.email], salt=NEWSLETTER_CONFIRM_SALT)


def newsletter_unsubscribe_token(subscription) -> str:
    return signing.dumps([subscription.pk, subscription.email], salt=NEWSLETTER_UNSUBSCRIBE_SALT)


def newsletter_unsubscribe_url(subscription) -> str:
    return absolute_url(reverse("cms:newsletter_unsubscribe", args=[newsletter_unsubscribe_token(subscription)]))


# --- event registrations ------------------------------------------------------------------

REGISTRATION_KINDS = ("confirmed", "waiting", "promoted")


def registration_message(registration, kind: str) -> EmailMessage:
    if kind not in REGISTRATION_KINDS:
        raise ValueError(kind)
    event = registration.event
    event_url = page_url(event)
    with translation.override(registration.language):
        subjects = {
            "confirmed": _("Registration confirmed: %(title)s"),
            "waiting": _("You are on the waiting list: %(title)s"),
            "promoted": _("A place has become available for you: %(title)s"),
        }
        context = {
            "registration": registration,
            "event": event,
            "event_url": event_url,
            "cancel_url": cancel_url(registration),
            "site_name": "Leerkring",
        }
        subject = subjects[kind] % {"title": event.title}
        body = render_to_string(f"cms/email/registration_{kind}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    if kind in ("confirmed", "promoted"):
        message.attach(
            ics_filename(event), event_calendar(event, url=event_url), "text/calendar; charset=utf-8; method=PUBLISH"
        )
    return message


# --- newsletter ---------------------------------------------------------------------------

NEWSLETTER_KINDS = ("confirm", "welcome")


def newsletter_message(subscription, *, subject: str, body: str) -> EmailMessage:
    """Every newsletter mail ends with an unsubscribe link and carries one-click unsubscribe headers."""
    unsubscribe = newsletter_unsubscribe_url(subscription)
    with translation.override(subscription.language):
        footer = render_to_string("cms/email/newsletter_footer.txt", {"unsubscribe_url": unsubscribe})
    return EmailMessage(
        subject=subject,
        body=f"{body.rstrip()}\n\n{footer}",
        to=[subscription.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def newsletter_system_message(subscription, kind: str) -> EmailMessage:
    if kind not in NEWSLETTER_KINDS:
        raise ValueError(kind)
    with translation.override(subscription.language):
        context = {
            "confirm_url": absolute_url(
                reverse("cms:newsletter_confirm", args=[newsletter_confirm_token(subscription)])
            ),
            "home_url": absolute_url("/"),
        }
        subject = {
            "confirm": _("Confirm your subscription to the Leerkring newsletter"),
            "welcome": _("Welcome to the Leerkring newsletter"),
        }[kind]
        body = render_to_string(f"cms/email/newsletter_{kind}.txt", context)
    return newsletter_message(subscription, subject=subject, body=body)
