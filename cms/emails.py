"""Emails of the public site. Sent from cms.tasks, after the transaction that caused them."""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
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


def newsletter_message(
    subscription, *, subject: str, body: str, html_body: str = "", language: str | None = None
) -> EmailMultiAlternatives:
    """Every newsletter mail ends with an unsubscribe link and carries one-click unsubscribe headers.

    An HTML part, when given, must show the same link (the issue template does, from `unsubscribe_url`).
    """
    unsubscribe = newsletter_unsubscribe_url(subscription)
    with translation.override(language or subscription.language):
        footer = render_to_string("cms/email/newsletter_footer.txt", {"unsubscribe_url": unsubscribe})
    message = EmailMultiAlternatives(
        subject=subject,
        body=f"{body.rstrip()}\n\n{footer}",
        to=[subscription.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message


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


# --- newsletter issues --------------------------------------------------------------------

ISSUE_LANGUAGE = "nl"  # editors write the issues in Dutch, so the words around them are Dutch too
_RELATIVE_HREF = re.compile(r'href="/(?!/)')
_LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.DOTALL)


def absolute_links(markup: str) -> str:
    """Rich text links to pages and documents are site-relative; in a mail they must be absolute."""
    return _RELATIVE_HREF.sub(f'href="{settings.SITE_URL}/', markup)


def html_to_text(markup: str) -> str:
    """Plain text of editor rich text: paragraphs, list items, and links as "text (address)"."""
    text = _LINK.sub(lambda match: f"{match.group(2)} ({match.group(1)})", markup)
    text = re.sub(r"<li[^>]*>", "- ", text)
    text = re.sub(r"</(p|li|h[1-6]|ul|ol)>|<br\s*/?>", "\n", text)
    text = html.unescape(strip_tags(text))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class IssueContent:
    """An issue rendered once, then wrapped per recipient with their own unsubscribe link."""

    subject: str
    context: dict


def _block_item(block) -> dict | None:
    if block.block_type == "heading":
        return {"kind": "heading", "text": block.value["heading_text"]}
    if block.block_type == "paragraph":
        markup = absolute_links(str(block.value))
        return {"kind": "paragraph", "html": mark_safe(markup), "text": html_to_text(markup)}
    if block.block_type == "call_to_action":
        value = block.value
        page = value.get("page")
        url = page_url(page.specific) if page else value.get("url")
        return {
            "kind": "call_to_action",
            "title": value["title"],
            "text": value.get("text") or "",
            "url": url,
            "button_label": value["button_label"],
        }
    return None


def _featured_item(page) -> dict | None:
    page = page.specific
    if not page.live or page.get_view_restrictions().exists():  # the list is public: only public pages
        return None
    moment = getattr(page, "start", None)
    if moment is not None:
        meta = formats.date_format(timezone.localtime(moment), "l j F Y, H:i")
    elif getattr(page, "date", None):
        meta = formats.date_format(page.date, "j F Y")
    else:
        meta = ""
    summary = getattr(page, "listing_summary", "") or page.search_description
    return {"title": page.title, "url": page_url(page), "meta": meta, "summary": summary}


def newsletter_issue_content(issue) -> IssueContent:
    with translation.override(ISSUE_LANGUAGE):
        blocks = [item for item in map(_block_item, issue.body) if item]
        pages = [block.value for block in issue.featured_pages if block.value]  # None: the page was deleted
        featured = [item for item in map(_featured_item, pages) if item]
        context = {
            "subject": issue.subject,
            "intro": issue.intro,
            "blocks": blocks,
            "featured": featured,
            "site_url": settings.SITE_URL,
            "signup_url": absolute_url(reverse("cms:newsletter")),
        }
    return IssueContent(subject=issue.subject, context=context)


def _render_issue(content: IssueContent, **extra) -> tuple[str, str]:
    context = {**content.context, **extra}
    with translation.override(ISSUE_LANGUAGE):
        text = render_to_string("cms/email/newsletter_issue.txt", context)
        html_body = render_to_string("cms/email/newsletter_issue.html", context)
    return text, html_body


def newsletter_issue_message(content: IssueContent, subscription) -> EmailMultiAlternatives:
    text, html_body = _render_issue(content, unsubscribe_url=newsletter_unsubscribe_url(subscription))
    return newsletter_message(
        subscription, subject=content.subject, body=text, html_body=html_body, language=ISSUE_LANGUAGE
    )


def newsletter_issue_test_message(content: IssueContent, *, email: str) -> EmailMultiAlternatives:
    """What a subscriber will get, sent to the editor; its unsubscribe link leads nowhere on purpose."""
    from .models import NewsletterSubscription

    stand_in = NewsletterSubscription(email=email, language=ISSUE_LANGUAGE)
    text, html_body = _render_issue(content, unsubscribe_url=newsletter_unsubscribe_url(stand_in), is_test=True)
    with translation.override(ISSUE_LANGUAGE):
        subject = _("[Test] %(subject)s") % {"subject": content.subject}
    return newsletter_message(stand_in, subject=subject, body=text, html_body=html_body, language=ISSUE_LANGUAGE)


def newsletter_issue_preview_context(issue) -> dict:
    return {**newsletter_issue_content(issue).context, "unsubscribe_url": "#", "is_preview": True}
