"""Who may do what in a circle (DESIGN.md, "Who may do what"). Used by views, API and consumers.

Anything inside a circle that the user may not see must answer 404; callers use
`get_readable_*` helpers that raise NotFound rather than checking booleans themselves.
"""

from django.utils.translation import gettext as _

from .errors import NotFound
from .models import Channel, Circle, Membership, Message


def active_membership(user, circle: Circle) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_lk_memberships", {})
    if circle.pk not in cache:
        cache[circle.pk] = Membership.objects.filter(user=user, circle=circle, state=Membership.State.ACTIVE).first()
    return cache[circle.pk]


def forget_memberships(user) -> None:
    user.__dict__.pop("_lk_memberships", None)


def is_member(user, circle: Circle) -> bool:
    return active_membership(user, circle) is not None


def is_facilitator(user, circle: Circle) -> bool:
    membership = active_membership(user, circle)
    return membership is not None and membership.role == Membership.Role.FACILITATOR


def can_see_circle_description(user, circle: Circle) -> bool:
    """Listed circles are public; unlisted ones only to members (and via an invitation link)."""
    return (circle.visibility == Circle.Visibility.LISTED and not circle.archived) or is_member(user, circle)


def can_read_circle(user, circle: Circle) -> bool:
    return is_member(user, circle)


def can_read_channel(user, channel: Channel) -> bool:
    return is_member(user, channel.circle)


def can_post_in_channel(user, channel: Channel) -> bool:
    return is_member(user, channel.circle) and not channel.locked and not channel.archived and not channel.circle.archived


def can_edit_message(user, message: Message) -> bool:
    return (
        message.author_id == getattr(user, "pk", None)
        and not message.is_removed
        and can_post_in_channel(user, message.channel)
    )


def can_delete_message(user, message: Message) -> bool:
    return message.author_id == getattr(user, "pk", None) and not message.is_removed and can_read_channel(user, message.channel)


def can_moderate(user, circle: Circle) -> bool:
    return is_facilitator(user, circle)


def get_readable_channel(user, channel: Channel) -> Channel:
    if not can_read_channel(user, channel):
        raise NotFound(_("This channel does not exist."))
    return channel


def require_member(user, circle: Circle) -> Membership:
    membership = active_membership(user, circle)
    if membership is None:
        raise NotFound(_("This learning circle does not exist."))
    return membership


def require_facilitator(user, circle: Circle) -> Membership:
    membership = require_member(user, circle)
    if membership.role != Membership.Role.FACILITATOR:
        raise NotFound(_("This page does not exist."))
    return membership


def can_post_in_channel_of(membership: Membership | None, channel: Channel) -> bool:
    """`can_post_in_channel` for a membership already at hand (no query)."""
    return (
        membership is not None
        and membership.is_active
        and not channel.locked
        and not channel.archived
        and not channel.circle.archived
    )
