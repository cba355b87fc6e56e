from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .circles import Circle


class AuditEntry(models.Model):
    """One facilitator action in a circle, written by the service that performs it (see
    communities/audit.py), in the same transaction. Shown to the circle's facilitators.

    It holds no names or email addresses: people are linked, so deleting an account leaves
    "deleted participant" here and nothing personal.
    """

    class Action(models.TextChoices):
        MEMBER_APPROVED = "member_approved", _("approved a request to join")
        MEMBER_DECLINED = "member_declined", _("declined a request to join")
        MEMBER_REMOVED = "member_removed", _("removed a member")
        ROLE_CHANGED = "role_changed", _("changed a role")
        MESSAGE_HIDDEN = "message_hidden", _("hid a message")
        CHANNEL_LOCKED = "channel_locked", _("locked a channel")
        CHANNEL_UNLOCKED = "channel_unlocked", _("unlocked a channel")
        CHANNEL_ARCHIVED = "channel_archived", _("archived a channel")
        CHANNEL_RESTORED = "channel_restored", _("restored a channel")
        PHASE_CHANGED = "phase_changed", _("moved a case to another phase")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=Action)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Ids and codes only (message, channel, case, roles, phases): never personal data.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["circle", "-id"], name="audit_circle_newest")]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")

    def __str__(self):
        return f"{self.action} in {self.circle_id} by {self.actor_id}"
