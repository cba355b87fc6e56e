"""Channel.content_version: what the channel page's cached thread HTML is keyed on.

Whatever changes what a channel's thread list shows to every reader alike goes up the version
of that channel in the same transaction as the change: a reader who sees the new version sees
the change too (communities/channel_page.py). That is a new, edited, deleted or hidden message,
a reaction, an author's display name, and a role tag (memberships).

Receivers rather than calls in services.py, because these rows are also written by account
deletion, the admin, allauth's profile hooks and factories in tests; bulk queryset updates
(account erasure) call `channels_changed` themselves. A cascade (an account deleted with its
reactions and memberships) is left to `account_channels_changed`, called once before it
(services.account_delete, and on_account_deleted for any other way an account is deleted).
"""

from django.db.models import F, Q, QuerySet
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import Channel, Membership, Message, Profile, Reaction


def channels_changed(channels) -> None:
    """Every reader's cached thread list of these channels (a queryset) is out of date."""
    channels.update(content_version=F("content_version") + 1)


def account_channels_changed(user) -> None:
    """The channels that show this user's name or role: those of their circles and those they wrote in."""
    in_circles = Channel.objects.filter(circle__memberships__user=user).values("pk")
    written_in = Message.objects.filter(author=user).values("channel_id").distinct()
    channels_changed(Channel.objects.filter(Q(pk__in=in_circles) | Q(pk__in=written_in)))


def _cascaded(origin, sender) -> bool:
    """Deleted because something else was (origin: the deleted instance or queryset)."""
    deleted = origin.model if isinstance(origin, QuerySet) else type(origin)
    return origin is not None and not issubclass(deleted, sender)


@receiver(post_save, sender=Message, dispatch_uid="communities.content_version.message")
def on_message_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        channels_changed(Channel.objects.filter(pk=instance.channel_id))


@receiver(post_save, sender=Reaction, dispatch_uid="communities.content_version.reaction_saved")
@receiver(post_delete, sender=Reaction, dispatch_uid="communities.content_version.reaction_deleted")
def on_reaction_changed(sender, instance, raw=False, origin=None, **kwargs):
    if not raw and not _cascaded(origin, Reaction):
        channels_changed(Channel.objects.filter(messages__pk=instance.message_id))


@receiver(post_save, sender=Membership, dispatch_uid="communities.content_version.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="communities.content_version.membership_deleted")
def on_membership_changed(sender, instance, raw=False, origin=None, **kwargs):
    if not raw and not _cascaded(origin, Membership):
        channels_changed(Channel.objects.filter(circle_id=instance.circle_id))


@receiver(post_save, sender=Profile, dispatch_uid="communities.content_version.profile")
def on_profile_saved(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or created or (update_fields is not None and "display_name" not in update_fields):
        return
    account_channels_changed(instance.user_id)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="communities.content_version.account")
def on_account_deleted(sender, instance, **kwargs):
    # Before the cascade takes the memberships and reactions, and leaves the messages authorless:
    # however the account goes (services.account_delete, either admin, a shell).
    account_channels_changed(instance)
