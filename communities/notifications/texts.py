"""Notifications in words, in the reader's language, for the page, the live event and emails.

A confidential case never shows its content here: not its title, not an excerpt, and a new
confidential case not even who brought it in; only that there is a case in a circle.
"""

import html

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Notification, NotificationKind

EXCERPT_LENGTH = 200

# Labels of the consultation phases (DESIGN.md, "Case consultation method").
PHASE_LABELS = {
    "draft": gettext_lazy("draft"),
    "questions": gettext_lazy("clarifying questions"),
    "advice": gettext_lazy("advice"),
    "reflection": gettext_lazy("reflection"),
    "concluded": gettext_lazy("concluded"),
}


def actor_name(notification: Notification) -> str:
    actor = notification.actor
    if actor is None:
        return _("Someone")
    profile = getattr(actor, "profile", None)
    return profile.display_name if profile else actor.get_username()


def circle_name(notification: Notification) -> str:
    if notification.circle_id is None:
        return notification.data.get("circle", "")
    return notification.circle.name


def notification_text(notification: Notification) -> str:
    """One sentence that says what happened, in the active language."""
    n = notification
    data = n.data or {}
    values = {
        "actor": actor_name(n),
        "circle": circle_name(n),
        "channel": data.get("channel", ""),
        "title": "" if n.confidential else data.get("title", ""),
        "phase": PHASE_LABELS.get(data.get("phase", ""), data.get("phase", "")),
    }
    kind = n.kind
    if kind == NotificationKind.MENTION:
        return _("%(actor)s mentioned you in #%(channel)s") % values
    if kind == NotificationKind.REPLY:
        return _("%(actor)s replied to your message in #%(channel)s") % values
    if kind == NotificationKind.CASE_NEW:
        if n.confidential:
            return _("A new case was brought in in %(circle)s") % values
        return _("%(actor)s brought in a new case in %(circle)s: “%(title)s”") % values
    if kind == NotificationKind.CASE_CONTRIBUTION:
        question = data.get("contribution") == "question"
        if n.confidential:
            if question:
                return _("%(actor)s asked a question about your case in %(circle)s") % values
            return _("%(actor)s gave feedback on your case in %(circle)s") % values
        if question:
            return _("%(actor)s asked a question about your case “%(title)s”") % values
        return _("%(actor)s gave feedback on your case “%(title)s”") % values
    if kind == NotificationKind.CASE_PHASE:
        if n.confidential:
            return _("A case in %(circle)s moved to the phase “%(phase)s”") % values
        return _("The case “%(title)s” moved to the phase “%(phase)s”") % values
    if kind == NotificationKind.JOIN_REQUEST:
        return _("%(actor)s asked to join %(circle)s") % values
    if kind == NotificationKind.JOIN_DECISION:
        if data.get("decision") == "approved":
            return _("Your request to join %(circle)s was approved") % values
        return _("Your request to join %(circle)s was declined") % values
    if kind == NotificationKind.INVITATION:
        return _("%(actor)s invited you to join %(circle)s") % values
    if kind == NotificationKind.CASE_FOLLOWUP:
        if n.confidential:
            return _("Six weeks ago you concluded your case in %(circle)s. What came of it?") % values
        return _("Six weeks ago you concluded your case “%(title)s”. What came of it?") % values
    return _("Something happened in %(circle)s") % values


def notification_excerpt(notification: Notification, *, may_read: bool) -> str:
    """A short plain-text quote of the message, when the reader may still read it."""
    message = notification.message
    if notification.confidential or not may_read or message is None or message.is_removed:
        return ""
    text = " ".join(html.unescape(strip_tags(message.body_html)).split())
    return Truncator(text).chars(EXCERPT_LENGTH)
