"""What each event means for notifications: who hears of it. Called by the services that make
the event happen, inside their transaction (notify sends nothing before commit).

Every trigger goes through `notify`, which never notifies the actor and never notifies the
same person twice of one event (`event_key`).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models.functions import Lower
from django.utils import timezone

from communities.models import Circle, Invitation, Membership, Message, Notification, NotificationKind
from communities.rendering import mentioned_handles

from .links import circle_url, message_url
from .services import notify

MAX_MENTIONS = 50


def _stamp(value) -> str:
    return value.strftime("%Y%m%d%H%M%S%f") if value else "0"


def active_members(circle: Circle, user_ids=None):
    users = get_user_model().objects.filter(
        is_active=True, memberships__circle=circle, memberships__state=Membership.State.ACTIVE
    )
    if user_ids is not None:
        users = users.filter(pk__in=list(user_ids))
    return users


def facilitators(circle: Circle):
    return get_user_model().objects.filter(
        is_active=True,
        memberships__circle=circle,
        memberships__state=Membership.State.ACTIVE,
        memberships__role=Membership.Role.FACILITATOR,
    )


# --- Messages -----------------------------------------------------------------------------


def message_posted(*, message: Message) -> None:
    """@mentions of members of the circle, and the author of the message replied to.

    Both share one event key, so someone who is mentioned in a reply to their own message
    gets one notification (the mention).
    """
    if message.is_removed:
        return
    channel = message.channel
    circle = channel.circle
    key = f"message:{message.pk}"
    url = message_url(message)
    data = {"channel": channel.name}
    handles = sorted({handle.lower() for handle in mentioned_handles(message.body_source)})[:MAX_MENTIONS]
    if handles:
        mentioned = active_members(circle).annotate(handle=Lower("username")).filter(handle__in=handles)
        notify(
            kind=NotificationKind.MENTION,
            recipients=mentioned.values_list("pk", flat=True),
            actor=message.author,
            circle=circle,
            target=message,
            event_key=key,
            url=url,
            data=data,
        )
    parent = message.parent
    if parent is not None and parent.author_id and not parent.is_removed:
        notify(
            kind=NotificationKind.REPLY,
            recipients=active_members(circle, [parent.author_id]).values_list("pk", flat=True),
            actor=message.author,
            circle=circle,
            target=message,
            event_key=key,
            url=url,
            data=data,
        )


def message_edited(*, message: Message) -> None:
    """Someone newly @mentioned in an edit hears of it; those already notified do not again."""
    message_posted(message=message)


# --- Memberships and invitations --------------------------------------------------------


# Someone who withdraws a request and asks again (and again) would mail the facilitators each
# time: a facilitator told of this membership's request in the last day is not told again.
JOIN_REQUEST_COOL_DOWN = datetime.timedelta(days=1)


def join_requested(*, membership: Membership, url: str = "") -> None:
    circle = membership.circle
    recently_told = Notification.objects.filter(
        kind=NotificationKind.JOIN_REQUEST,
        target_type=ContentType.objects.get_for_model(Membership),
        target_id=membership.pk,
        created_at__gte=timezone.now() - JOIN_REQUEST_COOL_DOWN,
    ).values("recipient_id")
    notify(
        kind=NotificationKind.JOIN_REQUEST,
        recipients=facilitators(circle).exclude(pk__in=recently_told).values_list("pk", flat=True),
        actor=membership.user,
        circle=circle,
        target=membership,
        event_key=f"join_request:{membership.pk}:{_stamp(membership.updated_at)}",
        url=url or circle_url(circle),
    )


def join_decided(*, membership: Membership, actor, approved: bool, url: str = "") -> None:
    circle = membership.circle
    decision = "approved" if approved else "declined"
    notify(
        kind=NotificationKind.JOIN_DECISION,
        recipients=[membership.user_id],
        actor=actor,
        circle=circle,
        target=membership,
        event_key=f"join_decision:{membership.pk}:{decision}:{_stamp(membership.updated_at)}",
        url=url or circle_url(circle),
        data={"decision": decision},
    )


def invited(*, invitation: Invitation, url: str = "") -> None:
    """An invitation to an email address that belongs to an account: tell that member too.

    The email with the single-use link is the invitation itself (sent by the circles
    service); this notification only points to it, so `url` never carries the token.
    """
    from allauth.account.models import EmailAddress

    # Only a verified address says whose account it is.
    recipient_ids = set(
        EmailAddress.objects.filter(
            email__iexact=invitation.email.strip(), verified=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    if not recipient_ids:
        return
    already_member = set(
        Membership.objects.filter(
            circle=invitation.circle, user_id__in=recipient_ids, state=Membership.State.ACTIVE
        ).values_list("user_id", flat=True)
    )
    notify(
        kind=NotificationKind.INVITATION,
        recipients=recipient_ids - already_member,
        actor=invitation.invited_by,
        circle=invitation.circle,
        target=invitation,
        event_key=f"invitation:{invitation.pk}",
        url=url or circle_url(invitation.circle),
    )
