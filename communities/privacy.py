"""Privacy self-service (AVG/GDPR): export of a member's data and erasure of their account.

Each app contributes its own part through a `privacy.py` module of its own (found by
`autodiscover()` at start-up, like Django's admin modules):

    from communities.privacy import register_eraser, register_exporter

    @register_exporter("cases", order=40)
    def export_cases(user) -> list[dict]: ...      # becomes cases.json in the ZIP

    @register_eraser("cases")
    def erase_cases(user, *, delete_contributions: bool) -> None: ...

    @register_blocker("partners")
    def contact_person(user) -> list[Blocker]: ...  # reasons the account cannot go yet

Exporters return JSON-able data about `user` only (never other people's email addresses).
Erasers run inside the transaction of `services.account_delete`, before the user row itself
is deleted; they remove personal data the database would otherwise keep (rows not linked to
the user by a foreign key, such as invitations sent to the member's email address) and, when
`delete_contributions` is set, soft-delete what the member wrote. Contributions that are kept
lose their author (the foreign keys are SET_NULL) and show as "deleted participant".
"""

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class _Part:
    name: str
    function: Callable
    order: int


@dataclass(frozen=True)
class Blocker:
    """Why an account cannot be deleted yet, with links to where the member can fix it."""

    text: str
    links: tuple[tuple[str, str], ...] = ()  # (label, url)


_exporters: dict[str, _Part] = {}
_erasers: dict[str, _Part] = {}
_blockers: dict[str, _Part] = {}


def register_exporter(name: str, *, order: int = 100):
    """Decorator: `fn(user)` returns the JSON-able content of `<name>.json` in the export."""

    def decorator(function):
        _exporters[name] = _Part(name, function, order)
        return function

    return decorator


def register_eraser(name: str, *, order: int = 100):
    """Decorator: `fn(user, *, delete_contributions)` runs when `user` deletes their account."""

    def decorator(function):
        _erasers[name] = _Part(name, function, order)
        return function

    return decorator


def register_blocker(name: str, *, order: int = 100):
    """Decorator: `fn(user)` returns a list of Blocker: what must happen before the account can go."""

    def decorator(function):
        _blockers[name] = _Part(name, function, order)
        return function

    return decorator


def deletion_blockers(user) -> list[Blocker]:
    found = []
    for part in sorted(_blockers.values(), key=lambda part: (part.order, part.name)):
        found.extend(part.function(user))
    return found


def autodiscover() -> None:
    autodiscover_modules("privacy")


def exporters() -> list[_Part]:
    return sorted(_exporters.values(), key=lambda part: (part.order, part.name))


def erasers() -> list[_Part]:
    return sorted(_erasers.values(), key=lambda part: (part.order, part.name))


def export_user_data(user) -> dict:
    """Every part of the member's data, by part name (profile, memberships, messages, ...)."""
    return {part.name: part.function(user) for part in exporters()}


README = """Leerkring: export of your data
==============================

Made on: {made}
Account: {username}

One JSON file for each kind of data:
{files}

Dates and times are in ISO 8601 (UTC). Texts you wrote are in Markdown, as you typed them.
Questions about your data: see the privacy statement on {site}.
"""


def export_zip(user) -> bytes:
    data = export_user_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in data.items():
            archive.writestr(
                f"leerkring/{name}.json",
                json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=False),
            )
        archive.writestr(
            "leerkring/README.txt",
            README.format(
                made=timezone.now().isoformat(timespec="seconds"),
                username=user.get_username(),
                files="\n".join(f"- {name}.json" for name in data),
                site=settings.SITE_URL,
            ),
        )
    return buffer.getvalue()


def export_filename(user) -> str:
    return f"leerkring-gegevens-{timezone.localdate().isoformat()}.zip"


def iso(value):
    return value.isoformat() if value else None


# --- The communities app's own parts ----------------------------------------------------


def _circle(circle) -> dict:
    return {"slug": circle.slug, "name": circle.name}


@register_exporter("profile", order=10)
def export_profile(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.usersessions.models import UserSession

    from .models import PersonalAccessToken, Profile

    profile = Profile.objects.filter(user=user).first()
    return {
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "profile": None
        if profile is None
        else {
            "display_name": profile.display_name,
            "organisation": profile.organisation,
            "job_title": profile.job_title,
            "bio": profile.bio,
            "expertise": sorted(profile.expertise.names(), key=str.lower),
            "language": profile.language,
        },
        "two_step_verification": sorted(user.authenticator_set.values_list("type", flat=True))
        if hasattr(user, "authenticator_set")
        else [],
        "sessions": [
            {
                "ip": session.ip,
                "user_agent": session.user_agent,
                "created_at": iso(session.created_at),
                "last_seen_at": iso(session.last_seen_at),
            }
            for session in UserSession.objects.filter(user=user).order_by("created_at")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.hint,
                "scope": token.scope,
                "created_at": iso(token.created_at),
                "expires_at": iso(token.expires_at),
                "last_used_at": iso(token.last_used_at),
                "revoked_at": iso(token.revoked_at),
            }
            for token in PersonalAccessToken.objects.filter(user=user).order_by("created_at")
        ],
    }


@register_exporter("memberships", order=20)
def export_memberships(user) -> list[dict]:
    from .models import Membership

    return [
        {
            "circle": _circle(membership.circle),
            "role": membership.role,
            "state": membership.state,
            "since": iso(membership.created_at),
            "updated_at": iso(membership.updated_at),
        }
        for membership in Membership.objects.filter(user=user).select_related("circle").order_by("created_at")
    ]


@register_exporter("messages", order=30)
def export_messages(user) -> dict:
    from .models import Message, MessageReport, Reaction

    messages = (
        Message.objects.filter(author=user)
        .select_related("channel__circle")
        .order_by("id")
        .iterator(chunk_size=1000)
    )
    return {
        "messages": [
            {
                "id": message.pk,
                "circle": _circle(message.channel.circle),
                "channel": {"slug": message.channel.slug, "name": message.channel.name},
                "reply_to": message.parent_id,
                "thread": message.thread_id_or_self,
                "created_at": iso(message.created_at),
                "edited_at": iso(message.edited_at),
                "deleted_at": iso(message.deleted_at),
                "hidden_by_facilitator_at": iso(message.hidden_at),
                "body": message.body_source,
            }
            for message in messages
        ],
        "reactions": [
            {"message": message_id, "kind": kind, "created_at": iso(created)}
            for message_id, kind, created in Reaction.objects.filter(user=user)
            .order_by("created_at")
            .values_list("message_id", "kind", "created_at")
        ],
        "reports": [
            {"message": message_id, "reason": reason, "created_at": iso(created)}
            for message_id, reason, created in MessageReport.objects.filter(reporter=user)
            .order_by("created_at")
            .values_list("message_id", "reason", "created_at")
        ],
    }


@register_exporter("notifications", order=50)
def export_notifications(user) -> dict:
    from .models.notifications import Notification, NotificationPreference, SavedItem

    return {
        "notifications": [
            {
                "kind": n.kind,
                "circle": _circle(n.circle) if n.circle_id else None,
                "url": n.url,
                "details": n.data,
                "created_at": iso(n.created_at),
                "read_at": iso(n.read_at),
                "emailed_at": iso(n.emailed_at),
            }
            for n in Notification.objects.filter(recipient=user).select_related("circle").order_by("id").iterator()
        ],
        "preferences": dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")),
        "saved_items": [
            {"kind": item.content_type.model, "id": item.object_id, "saved_at": iso(item.created_at)}
            for item in SavedItem.objects.filter(user=user).select_related("content_type").order_by("created_at")
        ],
    }


@register_exporter("audit_log", order=90)
def export_audit_log(user) -> list[dict]:
    """Facilitator actions done by the member or concerning them (e.g. a role change)."""
    from django.db.models import Q

    from .models import AuditEntry

    entries = AuditEntry.objects.filter(Q(actor=user) | Q(target_user=user)).select_related("circle").order_by("id")
    return [
        {
            "circle": _circle(entry.circle),
            "action": entry.action,
            "by_you": entry.actor_id == user.pk,
            "concerning_you": entry.target_user_id == user.pk,
            "details": entry.details,
            "at": iso(entry.created_at),
        }
        for entry in entries
    ]


@register_blocker("communities", order=10)
def circles_without_facilitator(user) -> list[Blocker]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .selectors import circles_only_led_by

    circles = circles_only_led_by(user)
    if not circles:
        return []
    return [
        Blocker(
            _("You are the only facilitator of these circles. Make someone else facilitator first; "
              "then you can delete your account."),
            tuple((circle.name, reverse("communities:manage_members", args=[circle.slug])) for circle in circles),
        )
    ]


def _verified_emails(user) -> list[str]:
    from allauth.account.models import EmailAddress

    emails = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    if user.email:
        emails.add(user.email)
    return sorted(emails)


@register_eraser("communities", order=10)
def erase_communities(user, *, delete_contributions: bool) -> None:
    from django.db.models import Q
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .content_versions import channels_changed
    from .models import Channel, Invitation, Membership, Message
    from .search_vectors import refresh_message_vectors
    from .services import render_message_body

    if delete_contributions:
        Message.objects.filter(author=user, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), body_source="", body_html="", search_vector=None
        )
    _forget_expertise(user)
    # Invitations name the member's email address; nobody needs them once the account is gone.
    emails = Q(accepted_by=user)
    for email in _verified_emails(user):
        emails |= Q(email__iexact=email)
    Invitation.objects.filter(emails).delete()
    # Other members' messages that mention this member link to them by name: "@handle" mentions
    # (rendered as a link with the name) and Markdown links to the profile page, such as the
    # opening message of a knowledge question put to a circle. The links become "deleted
    # participant"; without the memberships a mention no longer resolves, so rendering again
    # leaves the plain @handle its author typed.
    Membership.objects.filter(user=user).delete()
    member_url = reverse("communities:member", args=[user.pk])
    markdown_link = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(" + re.escape(member_url) + r"\)")
    mentioning = Message.objects.filter(
        Q(body_html__contains=f'href="{member_url}"') | Q(body_source__contains=f"]({member_url})")
    ).select_related("channel__circle")
    rewritten_in = set()
    for message in mentioning.iterator():
        source = markdown_link.sub(_("deleted participant"), message.body_source)
        html = render_message_body(body=source, circle=message.channel.circle)
        Message.objects.filter(pk=message.pk).update(body_source=source, body_html=html)
        refresh_message_vectors(Message.objects.filter(pk=message.pk))
        rewritten_in.add(message.channel_id)
    channels_changed(Channel.objects.filter(pk__in=rewritten_in))


def _forget_expertise(user) -> None:
    """Expertise topics only this member used go with the profile (tags are shared rows)."""
    from taggit.models import Tag

    from .models import Profile

    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    tag_ids = list(profile.expertise.values_list("pk", flat=True))
    profile.expertise.clear()
    unused = Tag.objects.filter(pk__in=tag_ids)
    for relation in Tag._meta.related_objects:
        unused = unused.exclude(**{f"{relation.name}__isnull": False})
    unused.delete()
