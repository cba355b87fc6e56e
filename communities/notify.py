"""Emails to members, sent after the transaction commits, in the recipient's language.

Sending runs as a background task (django-tasks): immediately in the embedded setup, through
the database queue and a worker in the scale-out setup.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .models import Circle, Membership


@task()
def send_email_task(*, to: list[str], subject: str, body: str) -> None:
    send_mail(subject.strip(), body, settings.DEFAULT_FROM_EMAIL, to)


def _render(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"communities/email/{template}_subject.txt", context)
        body = render_to_string(f"communities/email/{template}.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return prefix + " ".join(subject.split()), body


def send_email_on_commit(*, to: str, template: str, context: dict, language: str | None = None) -> None:
    context = {"site_url": settings.SITE_URL, **context}
    subject, body = _render(template, context, language or settings.LANGUAGE_CODE)
    transaction.on_commit(lambda: send_email_task.enqueue(to=[to], subject=subject, body=body))


def _language_of(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def email_user_on_commit(*, user, template: str, context: dict) -> None:
    if user.email:
        send_email_on_commit(to=user.email, template=template, context={"recipient": user, **context},
                             language=_language_of(user))


def email_facilitators_on_commit(*, circle: Circle, template: str, context: dict, exclude=None) -> None:
    facilitators = (
        Membership.objects.active()
        .filter(circle=circle, role=Membership.Role.FACILITATOR)
        .select_related("user__profile")
    )
    for membership in facilitators:
        if exclude is not None and membership.user_id == exclude.pk:
            continue
        email_user_on_commit(user=membership.user, template=template, context={"circle": circle, **context})
