"""Write paths of notifications. `notify` is the one door every trigger goes through.

notify() stores one Notification per recipient (never the actor, never twice for the same
event), honours each recipient's preference for the kind, and after commit sends the live
`notification` event to every socket of the recipient and queues immediate emails.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.errors import InvalidInput, NotFound
from communities.events import send_event_on_commit, user_group
from communities.models import (
    Circle,
    Delivery,
    Message,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from communities.models.notifications import DEFAULT_DELIVERY, EMAILED_ELSEWHERE

from .payloads import notification_payload

# Keys of `data` that carry case content; dropped for confidential notifications so the
# content never reaches the database row, the live event or an email.
CONFIDENTIAL_DATA_KEYS = {"title", "excerpt", "body"}

EMAIL_STATE_FOR_DELIVERY = {
    Delivery.IN_APP: Notification.EmailState.NONE,
    Delivery.IMMEDIATE: Notification.EmailState.PENDING,
    Delivery.DIGEST: Notification.EmailState.DIGEST,
}


def _user_id(user_or_id) -> int | None:
    if user_or_id is None:
        return None
    return user_or_id if isinstance(user_or_id, int) else user_or_id.pk


def _unique_ids(recipients: Iterable) -> list[int]:
    seen: dict[int, None] = {}
    for recipient in recipients:
        user_id = _user_id(recipient)
        if user_id is not None:
            seen.setdefault(user_id, None)
    return list(seen)


def deliveries_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's delivery for `kind` (their preference, else the kind's default). One query."""
    user_ids = list(user_ids)
    default = DEFAULT_DELIVERY[NotificationKind(kind)]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "delivery")
    )
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def preferences_for(user) -> dict[str, str]:
    """Every kind with the user's delivery for it, in the order of NotificationKind."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, DEFAULT_DELIVERY[kind]) for kind in NotificationKind}


def unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    user_ids = list(user_ids)
    counts = dict(
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=models.Count("id"))
        .values_list("recipient_id", "n")
    )
    return {user_id: counts.get(user_id, 0) for user_id in user_ids}


def default_event_key(*, kind: str, target) -> str:
    if target is None:
        raise ValueError("notify() needs an event_key or a target")
    return f"{kind}:{target._meta.label_lower}:{target.pk}"


@transaction.atomic
def notify(
    *,
    kind: str,
    recipients: Iterable,
    actor=None,
    circle: Circle | None = None,
    target: models.Model | None = None,
    event_key: str | None = None,
    url: str = "",
    data: dict | None = None,
    confidential: bool = False,
) -> list[Notification]:
    """Notify `recipients` (users or user ids) of one event; returns the notifications stored.

    `event_key` names the event (default: kind + target). A recipient who already has a
    notification with that key gets none, so triggers that describe the same event (a reply
    that also mentions you) share one key and notify once. The actor is never notified, nor
    an inactive account, nor anyone who turned the kind off.
    """
    kind = NotificationKind(kind)
    actor_id = _user_id(actor)
    recipient_ids = [user_id for user_id in _unique_ids(recipients) if user_id != actor_id]
    if not recipient_ids:
        return []
    key = event_key or default_event_key(kind=kind, target=target)
    message = target if isinstance(target, Message) else None
    generic_target = None if message is not None or target is None else target
    data = dict(data or {})
    if confidential:
        for name in CONFIDENTIAL_DATA_KEYS:
            data.pop(name, None)

    users = {
        user.pk: user
        for user in get_user_model().objects.filter(pk__in=recipient_ids, is_active=True).select_related("profile")
    }
    deliveries = deliveries_for(users, kind)
    if kind in EMAILED_ELSEWHERE:  # never a second email
        deliveries = {uid: d if d == Delivery.OFF else Delivery.IN_APP for uid, d in deliveries.items()}
    already = set(
        Notification.objects.filter(event_key=key, recipient_id__in=list(users)).values_list("recipient_id", flat=True)
    )
    rows = []
    for user_id in recipient_ids:
        if user_id not in users or user_id in already or deliveries[user_id] == Delivery.OFF:
            continue
        rows.append(
            Notification(
                recipient_id=user_id,
                kind=kind,
                actor_id=actor_id,
                circle=circle,
                message=message,
                target_type=ContentType.objects.get_for_model(generic_target) if generic_target else None,
                target_id=generic_target.pk if generic_target else None,
                event_key=key,
                url=url,
                data=data,
                confidential=confidential,
                email_state=EMAIL_STATE_FOR_DELIVERY[deliveries[user_id]],
            )
        )
    if not rows:
        return []
    created = _store(rows)
    for notification in created:
        # What the payload shows comes from these objects; no query per recipient.
        notification.recipient = users[notification.recipient_id]
        if actor is not None and not isinstance(actor, int):
            notification.actor = actor
    _announce(created)
    pending = [n.pk for n in created if n.email_state == Notification.EmailState.PENDING]
    if pending:
        transaction.on_commit(lambda: _queue_emails(pending), robust=True)
    return created


def _store(rows: list[Notification]) -> list[Notification]:
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another transaction stored the same event for someone meanwhile: keep the rest.
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save()
                created.append(row)
            except IntegrityError:
                continue
        return created


def _queue_emails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_emails

    send_notification_emails.enqueue(notification_ids=notification_ids)


def _announce(created: list[Notification]) -> None:
    """After commit, every socket of each recipient gets the notification and the new count."""
    unread = unread_counts(n.recipient_id for n in created)
    for notification in created:
        profile = getattr(notification.recipient, "profile", None)
        with translation.override(profile.language if profile else None):
            payload = notification_payload(notification, may_read=True)
        send_event_on_commit(
            user_group(notification.recipient_id),
            {"type": "notification", "notification": payload, "unread": unread[notification.recipient_id]},
        )


def _announce_unread(user) -> None:
    count = unread_counts([user.pk])[user.pk]
    send_event_on_commit(user_group(user.pk), {"type": "notification", "notification": None, "unread": count})


# --- Reading ------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotFound(_("This notification does not exist."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _announce_unread(user)
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        _announce_unread(user)
    return marked


# --- Preferences --------------------------------------------------------------------------


@transaction.atomic
def preferences_update(*, user, preferences: dict[str, str]) -> dict[str, str]:
    """Set the delivery of some or all kinds. Unknown kinds or deliveries store nothing."""
    valid_kinds = set(NotificationKind.values)
    valid_deliveries = set(Delivery.values)
    for kind, delivery in preferences.items():
        if kind not in valid_kinds:
            raise InvalidInput(_("“%(kind)s” is not a kind of notification.") % {"kind": kind}, code="unknown_kind")
        if delivery not in valid_deliveries or (
            kind in EMAILED_ELSEWHERE and delivery not in (Delivery.IN_APP, Delivery.OFF)
        ):
            raise InvalidInput(
                _("Choose how you want to receive this notification."), code="unknown_delivery"
            )
    for kind, delivery in preferences.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    return preferences_for(user)


@transaction.atomic
def notifications_unsubscribe(*, user, scope: str) -> list[str]:
    """Stop emails: for one kind, or (scope "digest") for every kind now in the digest.

    The kinds keep showing on the website (in-app only). Returns the kinds changed.
    """
    current = preferences_for(user)
    if scope == "digest":
        kinds = [kind for kind, delivery in current.items() if delivery == Delivery.DIGEST]
    elif scope in current:
        kinds = [scope] if current[scope] in (Delivery.IMMEDIATE, Delivery.DIGEST) else []
        kinds = [kind for kind in kinds if kind not in EMAILED_ELSEWHERE]
    else:
        raise InvalidInput(_("This unsubscribe link is not valid."), code="bad_scope")
    for kind in kinds:
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": Delivery.IN_APP})
    return kinds
