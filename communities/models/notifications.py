"""Notifications, delivery preferences, daily digests and saved items.

A Notification is one event for one recipient. `event_key` names the event (for example
"message:42"); the unique (recipient, event_key) pair is what guarantees that nobody gets
the same event twice, whichever trigger fires first and however often it runs.

Text is never stored in a language: kinds and the small `data` snapshot are turned into
words when shown (communities.notifications.texts), in the reader's language.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .channels import Message
from .circles import Circle


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Someone mentions you")
    REPLY = "reply", _("A reply to your message")
    CASE_NEW = "case_new", _("A new case in your circle")
    CASE_CONTRIBUTION = "case_contribution", _("A question or feedback on your case")
    CASE_PHASE = "case_phase", _("A phase change on a case you contributed to")
    JOIN_REQUEST = "join_request", _("A request to join a circle you facilitate")
    JOIN_DECISION = "join_decision", _("Your request to join is approved or declined")
    INVITATION = "invitation", _("An invitation to a circle")
    CASE_FOLLOWUP = "case_followup", _("The follow-up of your concluded case")


class Delivery(models.TextChoices):
    IN_APP = "in_app", _("Only on the website")
    IMMEDIATE = "immediate", _("By email, straight away")
    DIGEST = "digest", _("Daily digest by email")
    OFF = "off", _("Off")


DEFAULT_DELIVERY = {
    NotificationKind.MENTION: Delivery.IMMEDIATE,
    NotificationKind.REPLY: Delivery.DIGEST,
    NotificationKind.CASE_NEW: Delivery.DIGEST,
    NotificationKind.CASE_CONTRIBUTION: Delivery.IMMEDIATE,
    NotificationKind.CASE_PHASE: Delivery.IN_APP,
    NotificationKind.JOIN_REQUEST: Delivery.IMMEDIATE,
    NotificationKind.JOIN_DECISION: Delivery.IMMEDIATE,
    NotificationKind.INVITATION: Delivery.IN_APP,
    NotificationKind.CASE_FOLLOWUP: Delivery.IN_APP,
}

# Kinds whose email is the event itself and is sent by the app that owns it: the invitation
# (it carries the single-use link, also to people without an account) and the six-week
# follow-up question (casework). Their notification is only the pointer on the website,
# so their preference is "on the website" or "off".
EMAILED_ELSEWHERE = frozenset({NotificationKind.INVITATION, NotificationKind.CASE_FOLLOWUP})


def delivery_choices(kind) -> list[tuple[str, str]]:
    if kind in EMAILED_ELSEWHERE:
        return [(Delivery.IN_APP.value, Delivery.IN_APP.label), (Delivery.OFF.value, Delivery.OFF.label)]
    return list(Delivery.choices)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    class EmailState(models.TextChoices):
        NONE = "none", _("no email")
        PENDING = "pending", _("email pending")
        SENT = "sent", _("email sent")
        DIGEST = "digest", _("waiting for the digest")
        DIGESTED = "digested", _("sent in a digest")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    circle = models.ForeignKey(Circle, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A message target gets a real foreign key so its (live, possibly removed) text can be
    # shown with one join; any other target (a case, a membership) is generic.
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    event_key = models.CharField(max_length=120)
    url = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    confidential = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=EmailState, default=EmailState.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "NotificationDigest", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="one_notification_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_state", "recipient"], name="notification_email_state"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.kind} for {self.recipient_id} ({self.event_key})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one user wants one kind of notification. No row means the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"


class NotificationDigest(models.Model):
    """The bookkeeping that makes the daily digest idempotent: one row per user per day.

    A run claims the row (state `sending`, committed) before the mail goes out, and marks it
    `sent` after. A second run on the same day skips a claimed row, so the same digest is
    never mailed twice; a run that fails while sending puts the row back to `failed` so the
    next run retries it. Only a process killed in the instant between the claim and the
    mark leaves a row in `sending`, which is then never retried (at most once, never twice).
    """

    class State(models.TextChoices):
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests")
    day = models.DateField()
    state = models.CharField(max_length=10, choices=State, default=State.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_per_day")]
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")

    def __str__(self):
        return f"digest {self.day} for {self.user_id}: {self.state}"


class SavedItem(models.Model):
    """A message or a case a member keeps for later ("Bewaard"). Generic so any app can add kinds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_items")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="save_an_item_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="saveditem_target")]
        verbose_name = _("saved item")
        verbose_name_plural = _("saved items")

    def __str__(self):
        return f"{self.user_id} saved {self.content_type_id}:{self.object_id}"
