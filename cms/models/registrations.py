"""Event registrations and newsletter subscriptions. Written only by cms.services."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

CANCEL_SALT = "cms.registration.cancel"


class EventRegistration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(
        "cms.EventPage", verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    organisation = models.CharField(_("organisation"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150)
    extra_participants = models.TextField(
        _("colleagues"), blank=True, help_text=_("One colleague per line: name and job title.")
    )
    seats = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CONFIRMED)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved from the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_email")]
        indexes = [models.Index(fields=["event", "status", "registered_at"])]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return f"{self.name} – {self.event_id}"

    # The cancel link carries "<pk>-<keyed hash of pk>": nothing to store, and only word characters and
    # hyphens, which Wagtail's page routing requires of a path segment.

    @staticmethod
    def _cancel_digest(pk: int) -> str:
        return salted_hmac(CANCEL_SALT, f"registration:{pk}", algorithm="sha256").hexdigest()[:32]

    @property
    def cancel_token(self) -> str:
        return f"{self.pk}-{self._cancel_digest(self.pk)}"

    @classmethod
    def pk_from_cancel_token(cls, token: str) -> int | None:
        pk, _, digest = token.partition("-")
        if not pk.isdigit() or not constant_time_compare(digest, cls._cancel_digest(int(pk))):
            return None
        return int(pk)

    @property
    def extra_participant_list(self) -> list[str]:
        return [line.strip() for line in self.extra_participants.splitlines() if line.strip()]

    # Columns of the CSV export in the admin (local Dutch time, one line per registration).

    @property
    def event_title(self) -> str:
        return self.event.title

    @property
    def event_start_local(self) -> str:
        return timezone.localtime(self.event.start).strftime("%Y-%m-%d %H:%M")

    @property
    def registered_at_local(self) -> str:
        return timezone.localtime(self.registered_at).strftime("%Y-%m-%d %H:%M")

    @property
    def extra_participants_inline(self) -> str:
        return "; ".join(self.extra_participant_list)


class NewsletterSubscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        ACTIVE = "active", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    email = models.EmailField(_("email address"), unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")

    def __str__(self):
        return self.email
