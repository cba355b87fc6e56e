"""Write paths of the communities app. Views, API, commands and consumers call these."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ratelimit import check_post_rate, check_rate
from webhooks import services as webhooks

from . import permissions, selectors
from .audit import Action as AuditAction
from .audit import audit_record
from .errors import Conflict, InvalidInput, NotFound
from .events import channel_group, send_event_on_commit, user_group
from .models import (
    Channel,
    Circle,
    Invitation,
    Membership,
    Message,
    MessageReport,
    PersonalAccessToken,
    Profile,
    Reaction,
    ReadMarker,
)
from .models.channels import MESSAGE_MAX_LENGTH
from .models.tokens import TOKEN_PREFIX, hash_token
from .notifications import triggers as notification_triggers
from .notify import email_facilitators_on_commit, email_user_on_commit, send_email_on_commit
from .payloads import message_payload
from .rendering import render_markdown
from .search_vectors import clear_message_vectors, refresh_message_vectors
from .content_versions import account_channels_changed
from .thread_html import message_cache_keys


@transaction.atomic
def profile_create(*, user: AbstractBaseUser, display_name: str, organisation: str = "", job_title: str = "") -> Profile:
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={"display_name": display_name.strip(), "organisation": organisation.strip(), "job_title": job_title.strip()},
    )
    return profile


def profile_ensure(*, user: AbstractBaseUser) -> Profile:
    """Users made outside sign-up (createsuperuser, seed data) get a profile on first need."""
    fallback = user.get_full_name() or user.email.split("@")[0] or user.get_username()
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"display_name": fallback[:100]})
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, data: dict, expertise: list[str]) -> Profile:
    for field in ("display_name", "organisation", "job_title", "bio", "language"):
        if field in data:
            setattr(profile, field, data[field])
    profile.full_clean()
    profile.save()
    profile.expertise.set(expertise, clear=True)
    return profile


# --- Circles and channels ---------------------------------------------------------------

DEFAULT_CHANNEL_NAME = "Algemeen"


@transaction.atomic
def circle_create(*, name: str, slug: str, description: str = "", created_by=None, **options) -> Circle:
    """A new circle with its default channel; the creator (if any) becomes its facilitator."""
    circle = Circle(name=name.strip(), slug=slug, description=description, **options)
    circle.full_clean()
    circle.save()
    Channel.objects.create(circle=circle, name=DEFAULT_CHANNEL_NAME, slug="algemeen")
    if created_by is not None:
        Membership.objects.create(
            user=created_by, circle=circle, role=Membership.Role.FACILITATOR, state=Membership.State.ACTIVE
        )
    return circle


# --- Messages ---------------------------------------------------------------------------

MAX_VISIBLE_DEPTH = 3


def _clean_body(body) -> str:
    if not isinstance(body, str):
        raise InvalidInput(_("A message must be text."))
    body = body.strip()
    if not body:
        raise InvalidInput(_("A message cannot be empty."))
    if len(body) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            _("A message can be at most %(max)s characters long; this one has %(length)s.")
            % {"max": f"{MESSAGE_MAX_LENGTH:,}".replace(",", "."), "length": f"{len(body):,}".replace(",", ".")}
        )
    return body


def _mention_linker(circle: Circle):
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils.html import escape

    def link(handle: str) -> str | None:
        user = (
            get_user_model()
            .objects.filter(username__iexact=handle, memberships__circle=circle, memberships__state=Membership.State.ACTIVE)
            .select_related("profile")
            .first()
        )
        if user is None:
            return None
        name = user.profile.display_name if hasattr(user, "profile") else user.get_username()
        return f'<a class="lk-mention" href="{reverse("communities:member", args=[user.pk])}">@{escape(name)}</a>'

    return link


def render_message_body(*, body: str, circle: Circle) -> str:
    return render_markdown(body, mention_link=_mention_linker(circle))


def _broadcast_message(kind: str, message: Message) -> None:
    send_event_on_commit(
        channel_group(message.channel_id),
        {"type": kind, "channel": message.channel_id, "message": message_payload(message)},
    )


def _forget_message_html_on_commit(message: Message) -> None:
    """The cached HTML of the message as it is now (thread_html.py) goes once its change is in.

    Its cache key holds a version from the edit, delete and hide times, so pages never show the
    old entry anyway; this frees it at once."""
    from django.core.cache import cache

    keys = message_cache_keys(message)
    transaction.on_commit(lambda: cache.delete_many(keys))


@transaction.atomic
def message_post(*, author, channel: Channel, body, parent: Message | None = None) -> Message:
    channel = Channel.objects.select_related("circle").select_for_update(of=("self",)).get(pk=channel.pk)
    if not permissions.can_read_channel(author, channel):
        raise NotFound(_("This channel does not exist."))
    if channel.locked or channel.archived or channel.circle.archived:
        raise Conflict(_("This channel is closed: no new messages can be posted."), code="channel_locked")
    body = _clean_body(body)
    if parent is not None and parent.channel_id != channel.pk:
        raise InvalidInput(_("You can only reply to a message in the same channel."), code="wrong_parent")
    check_post_rate(user=author)
    message = Message.objects.create(
        channel=channel,
        author=author,
        parent=parent,
        thread_id=(parent.thread_id or parent.pk) if parent else None,
        depth=(parent.depth + 1) if parent else 0,
        body_source=body,
        body_html=render_message_body(body=body, circle=channel.circle),
    )
    # The thread root carries the thread's latest activity (its own id until the first reply).
    Message.objects.filter(pk=message.thread_id or message.pk).update(
        last_activity_at=message.created_at,
        last_message_id=message.pk,
        reply_count=F("reply_count") + (1 if parent else 0),
    )
    message.last_activity_at = None if parent else message.created_at
    message.last_message_id = 0 if parent else message.pk
    refresh_message_vectors(Message.objects.filter(pk=message.pk))
    _broadcast_message("message.created", message)
    webhooks.dispatch_on_commit(event="message.created", circle=channel.circle, obj=message)
    notification_triggers.message_posted(message=message)
    return message


@transaction.atomic
def message_edit(*, editor, message: Message, body) -> Message:
    message = Message.objects.select_related("channel__circle", "author__profile").select_for_update(of=("self",)).get(pk=message.pk)
    if not permissions.can_read_channel(editor, message.channel):
        raise NotFound(_("This message does not exist."))
    if not permissions.can_edit_message(editor, message):
        raise Conflict(_("You can only edit your own messages, in an open channel."), code="not_editable")
    body = _clean_body(body)
    _forget_message_html_on_commit(message)
    message.body_source = body
    message.body_html = render_message_body(body=body, circle=message.channel.circle)
    message.edited_at = timezone.now()
    message.save(update_fields=["body_source", "body_html", "edited_at"])
    refresh_message_vectors(Message.objects.filter(pk=message.pk))
    _broadcast_message("message.edited", message)
    notification_triggers.message_edited(message=message)
    return message


@transaction.atomic
def message_delete(*, actor, message: Message) -> Message:
    """Delete keeps the row so replies keep their place; the body is cleared."""
    message = Message.objects.select_related("channel__circle", "author__profile").select_for_update(of=("self",)).get(pk=message.pk)
    if not permissions.can_read_channel(actor, message.channel):
        raise NotFound(_("This message does not exist."))
    if not permissions.can_delete_message(actor, message):
        raise Conflict(_("You can only delete your own messages."), code="not_deletable")
    _forget_message_html_on_commit(message)
    message.deleted_at = timezone.now()
    message.body_source = ""
    message.body_html = ""
    message.save(update_fields=["deleted_at", "body_source", "body_html"])
    clear_message_vectors(Message.objects.filter(pk=message.pk))
    _broadcast_message("message.deleted", message)
    return message


@transaction.atomic
def message_hide(*, moderator, message: Message) -> Message:
    message = Message.objects.select_related("channel__circle", "author__profile").select_for_update(of=("self",)).get(pk=message.pk)
    if not permissions.can_read_channel(moderator, message.channel):
        raise NotFound(_("This message does not exist."))
    if not permissions.can_moderate(moderator, message.channel.circle):
        raise NotFound(_("This message does not exist."))
    if message.hidden_at is None:
        _forget_message_html_on_commit(message)
        message.hidden_at = timezone.now()
        message.hidden_by = moderator
        message.save(update_fields=["hidden_at", "hidden_by"])
        clear_message_vectors(Message.objects.filter(pk=message.pk))
        audit_record(
            circle=message.channel.circle, actor=moderator, action=AuditAction.MESSAGE_HIDDEN,
            target_user=message.author, message=message.pk, thread=message.thread_id_or_self,
            channel=message.channel_id, channel_name=message.channel.name,
        )
        _broadcast_message("message.deleted", message)
    return message


# --- Memberships ------------------------------------------------------------------------


def _other_active_facilitators(membership: Membership) -> bool:
    return (
        Membership.objects.active()
        .filter(circle_id=membership.circle_id, role=Membership.Role.FACILITATOR)
        .exclude(pk=membership.pk)
        .exists()
    )


def _end_membership(membership: Membership, state: str) -> None:
    was_active = membership.state == Membership.State.ACTIVE
    membership.state = state
    membership.save(update_fields=["state", "updated_at"])
    if was_active:
        # The realtime layer drops the user's subscriptions to this circle at once.
        send_event_on_commit(user_group(membership.user_id), {"type": "membership.ended", "circle": membership.circle_id})


@transaction.atomic
def circle_join(*, user, circle: Circle) -> Membership:
    """Join an open circle, or ask to join a circle on request. Invite-only circles refuse."""
    if not permissions.can_see_circle_description(user, circle):
        raise NotFound(_("This learning circle does not exist."))
    membership = Membership.objects.select_for_update().filter(user=user, circle=circle).first()
    state = membership.state if membership else None
    if state == Membership.State.ACTIVE:
        raise Conflict(_("You are already a member of this circle."), code="already_member")
    if state == Membership.State.PENDING:
        raise Conflict(
            _("You have already asked to join this circle. A facilitator will decide on it."), code="already_requested"
        )
    if state == Membership.State.REMOVED:
        raise Conflict(
            _("A facilitator has removed you from this circle. You can only come back by invitation."), code="removed"
        )
    if circle.archived:
        raise Conflict(_("This circle has been archived; nobody can join it any more."), code="archived")
    if circle.join_policy == Circle.JoinPolicy.INVITE:
        raise Conflict(_("You can only join this circle when a facilitator invites you."), code="invite_only")
    new_state = Membership.State.ACTIVE if circle.join_policy == Circle.JoinPolicy.OPEN else Membership.State.PENDING
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user, circle=circle, role=Membership.Role.MEMBER, state=new_state
                )
        except IntegrityError:  # a second, simultaneous request
            raise Conflict(_("You are already a member of this circle."), code="already_member") from None
    else:
        membership.role = Membership.Role.MEMBER
        membership.state = new_state
        membership.save(update_fields=["role", "state", "updated_at"])
    permissions.forget_memberships(user)
    if new_state == Membership.State.PENDING:
        notification_triggers.join_requested(
            membership=membership, url=reverse("communities:manage_requests", args=[circle.slug])
        )
    return membership


@transaction.atomic
def circle_leave(*, user, circle: Circle) -> Membership:
    """Leave a circle, or withdraw a pending request to join it."""
    membership = Membership.objects.select_for_update().filter(user=user, circle=circle).first()
    if membership is None or membership.state not in (Membership.State.ACTIVE, Membership.State.PENDING):
        if not permissions.can_see_circle_description(user, circle):
            raise NotFound(_("This learning circle does not exist."))
        raise Conflict(_("You are not a member of this circle."), code="not_a_member")
    if membership.role == Membership.Role.FACILITATOR and membership.is_active and not _other_active_facilitators(membership):
        raise Conflict(
            _("You are the only facilitator of this circle. Make someone else facilitator first."),
            code="last_facilitator",
        )
    _end_membership(membership, Membership.State.LEFT)
    permissions.forget_memberships(user)
    return membership


def _managed_membership(facilitator, membership: Membership) -> Membership:
    permissions.require_facilitator(facilitator, membership.circle)
    return Membership.objects.select_for_update(of=("self",)).select_related("user__profile", "circle").get(pk=membership.pk)


@transaction.atomic
def membership_approve(*, facilitator, membership: Membership) -> Membership:
    membership = _managed_membership(facilitator, membership)
    if membership.state != Membership.State.PENDING:
        raise Conflict(_("This request has already been dealt with."), code="not_pending")
    membership.state = Membership.State.ACTIVE
    membership.save(update_fields=["state", "updated_at"])
    audit_record(circle=membership.circle, actor=facilitator, action=AuditAction.MEMBER_APPROVED, target_user=membership.user)
    notification_triggers.join_decided(membership=membership, actor=facilitator, approved=True)
    return membership


@transaction.atomic
def membership_decline(*, facilitator, membership: Membership) -> Membership:
    membership = _managed_membership(facilitator, membership)
    if membership.state != Membership.State.PENDING:
        raise Conflict(_("This request has already been dealt with."), code="not_pending")
    membership.state = Membership.State.DECLINED
    membership.save(update_fields=["state", "updated_at"])
    audit_record(circle=membership.circle, actor=facilitator, action=AuditAction.MEMBER_DECLINED, target_user=membership.user)
    notification_triggers.join_decided(membership=membership, actor=facilitator, approved=False)
    return membership


@transaction.atomic
def membership_change_role(*, facilitator, membership: Membership, role) -> Membership:
    membership = _managed_membership(facilitator, membership)
    if role not in Membership.Role.values:
        raise InvalidInput(_("Choose one of the roles member, expert or facilitator."), code="invalid_role")
    if membership.state != Membership.State.ACTIVE:
        raise Conflict(_("Only active members can get another role."), code="not_active")
    if (
        membership.role == Membership.Role.FACILITATOR
        and role != Membership.Role.FACILITATOR
        and not _other_active_facilitators(membership)
    ):
        raise Conflict(
            _("A circle needs at least one facilitator. Make someone else facilitator first."), code="last_facilitator"
        )
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    if old_role != role:
        audit_record(
            circle=membership.circle, actor=facilitator, action=AuditAction.ROLE_CHANGED,
            target_user=membership.user, old=old_role, new=role,
        )
    permissions.forget_memberships(facilitator)
    return membership


@transaction.atomic
def membership_remove(*, facilitator, membership: Membership) -> Membership:
    membership = _managed_membership(facilitator, membership)
    if membership.user_id == facilitator.pk:
        raise Conflict(_("You cannot remove yourself; leave the circle instead."), code="self")
    if membership.state != Membership.State.ACTIVE:
        raise Conflict(_("This person is not an active member of the circle."), code="not_active")
    _end_membership(membership, Membership.State.REMOVED)
    audit_record(circle=membership.circle, actor=facilitator, action=AuditAction.MEMBER_REMOVED, target_user=membership.user)
    return membership


# --- Invitations ------------------------------------------------------------------------

INVITATION_VALID_FOR = timedelta(days=14)


def _mask_email(email: str) -> str:
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def invitation_url(*, circle: Circle, token: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("communities:invitation", args=[circle.slug, token])


@transaction.atomic
def invitation_create(*, facilitator, circle: Circle, email, role=Membership.Role.MEMBER) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and its token (only ever sent, never stored)."""
    permissions.require_facilitator(facilitator, circle)
    if not isinstance(email, str):
        raise InvalidInput(_("Enter a valid email address."), code="invalid_email")
    email = email.strip()
    if len(email) > Invitation._meta.get_field("email").max_length:
        raise InvalidInput(_("Enter a valid email address."), code="invalid_email")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid email address."), code="invalid_email") from None
    if role not in Membership.Role.values:
        raise InvalidInput(_("Choose one of the roles member, expert or facilitator."), code="invalid_role")
    if circle.archived:
        raise Conflict(_("This circle has been archived; nobody can join it any more."), code="archived")
    already = Membership.objects.active().filter(circle=circle).filter(
        Q(user__email__iexact=email) | Q(user__emailaddress__email__iexact=email)
    )
    if already.exists():
        raise Conflict(_("Someone with this email address is already a member."), code="already_member")
    now = timezone.now()
    Invitation.objects.filter(
        circle=circle, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        circle=circle,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=facilitator,
        expires_at=now + INVITATION_VALID_FOR,
    )
    inviter = getattr(getattr(facilitator, "profile", None), "display_name", "") or facilitator.get_username()
    notification_triggers.invited(invitation=invitation)  # a member with this address also sees it on the site
    send_email_on_commit(
        to=email,
        template="invitation",
        context={
            "circle": circle,
            "inviter": inviter,
            "role": invitation.get_role_display(),
            "url": invitation_url(circle=circle, token=token),
            "expires_at": invitation.expires_at,
        },
    )
    return invitation, token


def invitation_for_token(token) -> Invitation | None:
    if not isinstance(token, str) or not token:
        return None
    return Invitation.objects.select_related("circle").filter(token_hash=hash_token(token)).first()


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be accepted (by anyone), in the user's language, or None."""
    if invitation is None:
        return _("This invitation link is not valid. Ask the facilitator for a new invitation.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used. An invitation works only once.")
    if invitation.revoked_at is not None:
        return _("This invitation has been withdrawn. Ask the facilitator for a new invitation.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Ask the facilitator for a new invitation.")
    if invitation.circle.archived:
        return _("This circle has been archived; nobody can join it any more.")
    return None


def _user_has_verified_email(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, user, token) -> Membership:
    invitation = invitation_for_token(token)
    if invitation is not None:
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("circle").get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise Conflict(problem, code="invitation_unusable")
    if not _user_has_verified_email(user, invitation.email):
        raise Conflict(
            _(
                "This invitation was sent to another email address (%(email)s). "
                "Log in with that address, or add and confirm it in your account, to accept it."
            )
            % {"email": _mask_email(invitation.email)},
            code="invitation_other_email",
        )
    membership = Membership.objects.select_for_update().filter(user=user, circle=invitation.circle).first()
    if membership is not None and membership.state == Membership.State.ACTIVE:
        raise Conflict(_("You are already a member of this circle."), code="already_member")
    if membership is None:
        membership = Membership(user=user, circle=invitation.circle)
    membership.role = invitation.role
    membership.state = Membership.State.ACTIVE
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    permissions.forget_memberships(user)
    return membership


@transaction.atomic
def invitation_revoke(*, facilitator, invitation: Invitation) -> Invitation:
    permissions.require_facilitator(facilitator, invitation.circle)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation has already been accepted."), code="accepted")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


# --- Channels ---------------------------------------------------------------------------


def _clean_channel_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(_("Give the channel a name."), code="invalid_name")
    name = " ".join(name.split())
    if len(name) > 80:
        raise InvalidInput(_("A channel name can be at most 80 characters long."), code="invalid_name")
    return name


def _clean_topic(topic) -> str:
    if not isinstance(topic, str):
        raise InvalidInput(_("The topic must be text."), code="invalid_topic")
    topic = topic.strip()
    if len(topic) > 250:
        raise InvalidInput(_("A topic can be at most 250 characters long."), code="invalid_topic")
    return topic


def _broadcast_channel(channel: Channel) -> None:
    send_event_on_commit(
        channel_group(channel.pk),
        {
            "type": "channel.updated",
            "channel": channel.pk,
            "locked": channel.locked,
            "archived": channel.archived,
            "name": channel.name,
        },
    )


@transaction.atomic
def channel_create(*, facilitator, circle: Circle, name, topic="") -> Channel:
    from django.utils.text import slugify

    permissions.require_facilitator(facilitator, circle)
    name = _clean_channel_name(name)
    topic = _clean_topic(topic)
    if circle.channels.filter(name__iexact=name).exists():
        raise Conflict(_("This circle already has a channel with that name."), code="duplicate_name")
    base = slugify(name)[:70] or "kanaal"
    taken = set(circle.channels.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return Channel.objects.create(circle=circle, name=name, slug=slug, topic=topic)


@transaction.atomic
def channel_update(*, facilitator, channel: Channel, name=None, topic=None, locked=None, archived=None) -> Channel:
    """Rename, change the topic, lock/unlock or archive/restore a channel. The URL (slug) stays."""
    channel = Channel.objects.select_for_update(of=("self",)).select_related("circle").get(pk=channel.pk)
    permissions.require_facilitator(facilitator, channel.circle)
    for flag in (locked, archived):
        if flag is not None and not isinstance(flag, bool):
            raise InvalidInput(_("Locked and archived are yes/no values."), code="invalid_flag")
    if name is not None:
        name = _clean_channel_name(name)
        if name.lower() != channel.name.lower() and channel.circle.channels.filter(name__iexact=name).exists():
            raise Conflict(_("This circle already has a channel with that name."), code="duplicate_name")
    if topic is not None:
        topic = _clean_topic(topic)
    before = (channel.name, channel.locked, channel.archived)
    for field, value in (("name", name), ("topic", topic), ("locked", locked), ("archived", archived)):
        if value is not None:
            setattr(channel, field, value)
    channel.save(update_fields=["name", "topic", "locked", "archived"])
    where = {"channel": channel.pk, "channel_name": channel.name}
    if channel.locked != before[1]:
        action = AuditAction.CHANNEL_LOCKED if channel.locked else AuditAction.CHANNEL_UNLOCKED
        audit_record(circle=channel.circle, actor=facilitator, action=action, **where)
    if channel.archived != before[2]:
        action = AuditAction.CHANNEL_ARCHIVED if channel.archived else AuditAction.CHANNEL_RESTORED
        audit_record(circle=channel.circle, actor=facilitator, action=action, **where)
    if (channel.name, channel.locked, channel.archived) != before:
        _broadcast_channel(channel)
    return channel


# --- Reactions, reports, read markers ---------------------------------------------------


def _readable_message(user, message: Message) -> Message:
    message = Message.objects.select_related("channel__circle").get(pk=message.pk)
    if not permissions.can_read_channel(user, message.channel):
        raise NotFound(_("This message does not exist."))
    return message


@transaction.atomic
def reaction_set(*, user, message: Message, kind, on: bool) -> bool:
    """Add (on=True) or take back (on=False) one of the fixed reactions. Returns whether it is now set."""
    message = _readable_message(user, message)
    if kind not in Reaction.Kind.values:
        raise InvalidInput(_("This reaction does not exist."), code="invalid_reaction")
    if not permissions.can_post_in_channel(user, message.channel):
        raise Conflict(_("This channel is closed: no new messages can be posted."), code="channel_locked")
    if message.is_removed:
        raise Conflict(_("You cannot react to a removed message."), code="removed")
    check_rate("reaction", user.pk, message=_("You are reacting very quickly. Wait a minute and try again."))
    if on:
        changed = Reaction.objects.get_or_create(message=message, user=user, kind=kind)[1]
    else:
        changed = Reaction.objects.filter(message=message, user=user, kind=kind).delete()[0] > 0
    if changed:
        _broadcast_reactions(message)
    return on


def _broadcast_reactions(message: Message) -> None:
    # Counted after commit: two members reacting at once both see the total with both reactions.
    send_event_on_commit(
        channel_group(message.channel_id),
        lambda: {
            "type": "reaction.updated",
            "channel": message.channel_id,
            "message": message.pk,
            "reactions": selectors.reaction_totals(message.pk),
        },
    )


@transaction.atomic
def reaction_toggle(*, user, message: Message, kind) -> bool:
    exists = Reaction.objects.filter(message_id=message.pk, user=user, kind=kind).exists()
    return reaction_set(user=user, message=message, kind=kind, on=not exists)


@transaction.atomic
def message_report(*, reporter, message: Message, reason) -> MessageReport:
    message = _readable_message(reporter, message)
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput(_("Tell the facilitators briefly what is wrong with this message."), code="invalid_reason")
    reason = reason.strip()
    if len(reason) > 2000:
        raise InvalidInput(_("A reason can be at most 2,000 characters long."), code="invalid_reason")
    if message.author_id == reporter.pk:
        raise Conflict(_("You cannot report your own message; edit or delete it instead."), code="own_message")
    if MessageReport.objects.filter(message=message, reporter=reporter).exists():
        raise Conflict(_("You have already reported this message."), code="already_reported")
    report = MessageReport.objects.create(message=message, reporter=reporter, reason=reason)
    email_facilitators_on_commit(
        circle=message.channel.circle,
        template="message_reported",
        context={"message": message, "reason": reason, "url": settings.SITE_URL + thread_url(message)},
        exclude=reporter,
    )
    return report


def thread_url(message: Message) -> str:
    from django.urls import reverse

    channel = message.channel
    return reverse(
        "communities:thread", args=[channel.circle.slug, channel.slug, message.thread_id or message.pk]
    ) + f"#message-{message.pk}"


def read_marker_advance(*, user, channel: Channel, message_id: int, known: int | None = None) -> bool:
    """Remember that `user` has seen `channel` up to `message_id`; never moves backwards.

    `known` is the marker as the caller read it (0: none yet); a page view of a channel that
    was read already then writes nothing. Returns whether the marker moved.
    """
    if not message_id or not getattr(user, "is_authenticated", False):
        return False
    if known is None:
        known = ReadMarker.objects.filter(user=user, channel=channel).values_list("last_read_message_id", flat=True).first()
    if known is not None and known >= message_id:
        return False
    updated = ReadMarker.objects.filter(
        user=user, channel=channel, last_read_message_id__lt=message_id
    ).update(last_read_message_id=message_id, updated_at=timezone.now())
    if updated:
        return True
    try:
        with transaction.atomic():
            created = ReadMarker.objects.get_or_create(
                user=user, channel=channel, defaults={"last_read_message_id": message_id}
            )[1]
    except IntegrityError:  # created by a parallel request of the same user
        return False
    return created


@transaction.atomic
def channel_read_live(*, user, channel_id: int, message_id: int) -> None:
    """The live client showed `message_id` to `user` on a visible page: the channel is read up to it.

    Tells the user's other tabs the channel's new unread count (`channel.read`), so that its
    badge in their sidebars goes down as it went up, live.
    """
    message = Message.objects.select_related("channel__circle").filter(pk=message_id, channel_id=channel_id).first()
    if message is None or not permissions.can_read_channel(user, message.channel):
        raise NotFound(_("This message does not exist."))
    if read_marker_advance(user=user, channel=message.channel, message_id=message_id):
        send_event_on_commit(
            user_group(user.pk),
            lambda: {"type": "channel.read", "channel": channel_id, "unread": selectors.channel_unread(user, channel_id)},
        )


# --- Personal access tokens -------------------------------------------------------------


@transaction.atomic
def access_token_create(
    *, user, name, scope=PersonalAccessToken.Scope.WRITE, expires_in_days: int | None = None
) -> tuple[PersonalAccessToken, str]:
    """Returns the token object and the token itself; the token is shown once and stored only hashed.

    A `read` token may only read (GET); a `write` token may do everything its owner may do.
    Scripts and commands that call this get what tokens always could (write) unless they ask
    for less; people choose on the token page, where "only read" is preselected.
    """
    if scope not in PersonalAccessToken.Scope.values:
        raise InvalidInput(_("Choose whether the token may only read, or also write."), code="invalid_scope")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(_("Give the token a name, for example the script that uses it."), code="invalid_name")
    name = name.strip()
    if len(name) > 80:
        raise InvalidInput(_("A name can be at most 80 characters long."), code="invalid_name")
    if PersonalAccessToken.objects.usable().filter(user=user).count() >= 20:
        raise Conflict(_("You can have at most 20 tokens. Revoke one you no longer use."), code="too_many")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    token = PersonalAccessToken.objects.create(
        user=user, name=name, token_hash=hash_token(raw), hint=raw[:8], scope=scope, expires_at=expires_at
    )
    return token, raw


@transaction.atomic
def access_token_revoke(*, user, token_id: int) -> PersonalAccessToken:
    token = PersonalAccessToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound(_("This token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def access_token_authenticate(*, raw) -> PersonalAccessToken | None:
    """The usable token for this secret, or None. Records its use at most once a minute."""
    if not isinstance(raw, str) or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        PersonalAccessToken.objects.usable()
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- Account deletion (privacy self-service) ---------------------------------------------


@transaction.atomic
def account_delete(*, user, delete_messages: bool = False) -> None:
    """Delete the member's account and personal data, in one transaction.

    Profile, email addresses, two-step verification, sessions, tokens, memberships, reactions
    and read markers go; messages, cases and feedback stay, shown as "deleted participant"
    (their author becomes empty), unless `delete_messages` is set: then they are deleted as
    a member deletes a message (the row keeps the thread's shape, the text is gone). Every
    app adds its own part through communities.privacy.register_eraser.
    """
    from allauth.usersessions.adapter import get_adapter as usersessions_adapter
    from allauth.usersessions.models import UserSession
    from django.contrib.auth import get_user_model

    from . import privacy

    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    blockers = privacy.deletion_blockers(user)
    if blockers:
        raise Conflict(" ".join(blocker.text for blocker in blockers), code="deletion_blocked")
    # A last email, to the address that is about to go: if this was not you, you know at once.
    email_user_on_commit(user=user, template="account_deleted", context={})
    for circle_id in Membership.objects.active().filter(user=user).values_list("circle_id", flat=True):
        send_event_on_commit(user_group(user.pk), {"type": "membership.ended", "circle": circle_id})
    # Before the erasers and the cascade, which take the memberships and reactions along.
    account_channels_changed(user)
    for part in privacy.erasers():
        part.function(user, delete_contributions=delete_messages)
    # Every session of the member ends (and with it its WebSockets), this one too.
    usersessions_adapter().end_sessions(list(UserSession.objects.filter(user=user)))
    user.delete()
