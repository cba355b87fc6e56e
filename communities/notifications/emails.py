"""Notification emails: one straight away per notification, or one daily digest.

Every email has a plain-text and an HTML part, is written in the recipient's language
(Profile.language) and carries a one-click unsubscribe link (RFC 8058: List-Unsubscribe
and List-Unsubscribe-Post). Its words come from texts.py, which never shows the content of
a confidential case.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import Membership, Notification, NotificationKind

from .texts import notification_excerpt, notification_text

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "leerkring.notifications.unsubscribe"
DIGEST_SCOPE = "digest"


def unsubscribe_token(*, user_id: int, scope: str) -> str:
    """A signed, non-expiring token for one user and one kind (or "digest")."""
    return signing.dumps({"u": user_id, "s": scope}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("u"), int) or not isinstance(value.get("s"), str):
        return None
    if value["s"] != DIGEST_SCOPE and value["s"] not in NotificationKind.values:
        return None
    return value["u"], value["s"]


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url if url.startswith('/') else '/' + url}"


def with_access(queryset):
    """Annotate `may_read`: the recipient is still an active member of the notification's circle."""
    return queryset.annotate(
        may_read=Exists(
            Membership.objects.filter(
                circle_id=OuterRef("circle_id"), user_id=OuterRef("recipient_id"), state=Membership.State.ACTIVE
            )
        )
    )


def display_queryset():
    return with_access(Notification.objects.select_related("actor__profile", "circle", "message"))


def _item(notification: Notification) -> dict:
    return {
        "text": notification_text(notification),
        "excerpt": notification_excerpt(notification, may_read=getattr(notification, "may_read", False)),
        "url": absolute(reverse("notifications:open", args=[notification.pk])),
        "circle": notification.circle.name if notification.circle_id else "",
    }


def _language(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.language if profile else settings.LANGUAGE_CODE


def _build(*, user, subject: str, template: str, context: dict, scope: str) -> EmailMultiAlternatives:
    unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user.pk, scope=scope)]))
    context = {
        **context,
        "name": _display_name(user),
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute(reverse("notifications:preferences")),
        "site_url": settings.SITE_URL,
    }
    text = render_to_string(f"communities/notifications/email/{template}.txt", context)
    html = render_to_string(f"communities/notifications/email/{template}.html", context)
    email = EmailMultiAlternatives(
        subject=f"[Leerkring] {subject}",
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(html, "text/html")
    return email


def _display_name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.get_username()


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    with translation.override(_language(user)):
        item = _item(notification)
        return _build(
            user=user,
            subject=item["text"],
            template="notification",
            context={"item": item},
            scope=notification.kind,
        )


def digest_email(*, user, notifications: list[Notification], day) -> EmailMultiAlternatives:
    with translation.override(_language(user)):
        items = [_item(n) for n in notifications]
        subject = _("Your daily digest: %(count)s new notifications") % {"count": len(items)}
        if len(items) == 1:
            subject = _("Your daily digest: 1 new notification")
        return _build(
            user=user,
            subject=subject,
            template="digest",
            context={"items": items, "day": day},
            scope=DIGEST_SCOPE,
        )


def send_immediate_emails(notification_ids: list[int]) -> int:
    """Send each still-pending notification email once. Returns how many were sent."""
    sent = 0
    queryset = display_queryset().select_related("recipient__profile")
    for notification in queryset.filter(pk__in=notification_ids, email_state=Notification.EmailState.PENDING):
        if not notification.recipient.email:
            continue
        # Claim first, so two workers never send the same email.
        claimed = Notification.objects.filter(
            pk=notification.pk, email_state=Notification.EmailState.PENDING
        ).update(email_state=Notification.EmailState.SENT, emailed_at=timezone.now())
        if not claimed:
            continue
        try:
            notification_email(notification).send()
        except Exception:
            logger.exception("Notification email %s could not be sent", notification.pk)
            Notification.objects.filter(pk=notification.pk).update(
                email_state=Notification.EmailState.PENDING, emailed_at=None
            )
            continue
        sent += 1
    return sent
