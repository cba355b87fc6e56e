"""Outgoing webhooks: a circle's endpoints and the log of what was sent to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models import Circle


class Event(models.TextChoices):
    MESSAGE_CREATED = "message.created", _("New message in a channel")
    CASE_UPDATED = "case.updated", _("Case changed (content or phase)")
    FEEDBACK_CREATED = "feedback.created", _("New feedback on a case")


class Endpoint(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # The receiver needs the same secret to check the signature, so it is kept, not hashed.
    secret = models.CharField(max_length=80)
    events = models.JSONField(default=list)
    enabled = models.BooleanField(default=True)
    # Set when the endpoint was switched off automatically: the last error (a Delivery.Error).
    disabled_reason = models.CharField(max_length=20, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.url

    @property
    def secret_hint(self) -> str:
        return self.secret[:10]

    def disabled_reason_label(self) -> str:
        return Delivery.Error(self.disabled_reason).label if self.disabled_reason in Delivery.Error.values else ""

    def event_labels(self) -> list[str]:
        return [Event(value).label for value in self.events if value in Event.values]


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RETRYING = "retrying", _("will be retried")
        SUCCEEDED = "succeeded", _("delivered")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("not sent (webhook switched off)")

    class Error(models.TextChoices):
        HTTP_STATUS = "http_status", _("the receiver answered with an error status")
        REDIRECT = "redirect", _("the receiver answered with a redirect (redirects are not followed)")
        TIMEOUT = "timeout", _("no answer in time")
        CONNECTION = "connection", _("no connection could be made")
        TLS = "tls", _("the secure connection (TLS certificate) could not be verified")
        UNKNOWN_HOST = "unknown_host", _("the host name cannot be found")
        UNSAFE_ADDRESS = "unsafe_address", _("the host points to a private or internal address")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=20, choices=Error, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhooks_delivery_log"),
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due"),
        ]
