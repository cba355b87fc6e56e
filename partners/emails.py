"""Emails of the partner services, built in the recipient's language. Sent from partners.tasks."""

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.emails import absolute_url, page_url

from .fees import euro


def _name(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return profile.display_name if profile is not None else user.get_username()


def _language(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "language", None) or "nl"


# --- applications -------------------------------------------------------------------------

APPLICATION_KINDS = ("received", "accepted", "declined")


def application_message(application, kind: str) -> EmailMessage:
    if kind not in APPLICATION_KINDS:
        raise ValueError(kind)
    with translation.override(application.language):
        subjects = {
            "received": _("We have received your partnership application for %(name)s"),
            "accepted": _("Welcome as a partner: %(name)s"),
            "declined": _("Your partnership application for %(name)s"),
        }
        context = {
            "application": application,
            "regular_fee": euro(application.regular_fee),
            "discount": euro(application.discount),
            "fee": euro(application.fee),
            "networks": application.network_list,
            "page_url": page_url(application.page) if application.page_id else "",
            "confirmation_text": application.page.confirmation_text if application.page_id else "",
        }
        subject = subjects[kind] % {"name": application.organisation_name}
        body = render_to_string(f"partners/email/application_{kind}.txt", context)
    return EmailMessage(subject=subject, body=body, to=[application.contact_email])


# --- knowledge questions ------------------------------------------------------------------


def _member_subject(kind: str) -> str:
    return {
        "asked": _("We have received your question: %(title)s"),
        "picked_up": _("Your question is being handled: %(title)s"),
        "info_requested": _("More information needed for your question: %(title)s"),
        "answered": _("Your question has been answered: %(title)s"),
        "forwarded_colleague": _("Your question has been passed on to a colleague: %(title)s"),
        "forwarded_circle": _("Your question has been put to a learning circle: %(title)s"),
        "closed": _("Your question has been closed: %(title)s"),
        "faq_drafted": _("An anonymised version of your question will be published: %(title)s"),
    }.get(kind, _("News about your question: %(title)s"))


def _handler_subject(kind: str) -> str:
    return {
        "asked": _("New knowledge question: %(title)s"),
        "info_added": _("The member added information: %(title)s"),
        "consent_given": _("Consent to put a question to a learning circle: %(title)s"),
        "closed": _("The member closed the question: %(title)s"),
        "forwarded_colleague": _("A question has been forwarded to you: %(title)s"),
    }.get(kind, _("News about a question: %(title)s"))


def handler_recipients(question):
    """Whoever handles the question, or every editor while it is in the shared inbox."""
    from .permissions import EDITOR_GROUPS

    if question.assignee_id is not None:
        return [question.assignee] if question.assignee.is_active else []
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=EDITOR_GROUPS)
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def question_messages(event, audience: str) -> list[EmailMessage]:
    question = event.question
    url = absolute_url(reverse("partners:question", args=[question.pk]))
    if audience == "member":
        recipients = [question.author] if question.author.is_active else []
        template, subject_for = "partners/email/question_member.txt", _member_subject
    elif audience == "handlers":
        recipients = handler_recipients(question)
        template, subject_for = "partners/email/question_handler.txt", _handler_subject
    else:
        raise ValueError(audience)
    messages = []
    for recipient in recipients:
        if not recipient.email:
            continue
        with translation.override(_language(recipient)):
            context = {
                "event": event,
                "question": question,
                "recipient_name": _name(recipient),
                "actor_name": _name(event.actor),
                "author_name": _name(question.author),
                "colleague_name": _name(event.colleague),
                "contact_name": question.contact.contact_person.name if question.contact_id else "",
                "url": url,
            }
            subject = subject_for(event.kind) % {"title": question.title}
            body = render_to_string(template, context)
        messages.append(EmailMessage(subject=subject, body=body, to=[recipient.email]))
    return messages
