"""Newsletter issues that editors compose in the admin, and one delivery row per issue and subscriber.

Written only by cms.newsletter; the unique delivery row is what makes sending an issue idempotent.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin
from wagtail.search import index

from cms.blocks import FeaturedPagesBlock, NewsletterBodyBlock


class NewsletterIssue(PreviewableMixin, index.Indexed, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")

    subject = models.CharField(_("subject"), max_length=150, help_text=_("The subject line of the mail."))
    intro = models.TextField(
        _("introduction"), max_length=700, blank=True, help_text=_("A short opening paragraph under the subject.")
    )
    body = StreamField(NewsletterBodyBlock(), verbose_name=_("body"), blank=True)
    featured_pages = StreamField(
        FeaturedPagesBlock(),
        verbose_name=_("featured pages"),
        blank=True,
        help_text=_("Upcoming events, news or publications, shown as a list with a link under the text."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    send_requested_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    send_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("delivered to everyone at"), null=True, blank=True, editable=False)

    panels = [FieldPanel("subject"), FieldPanel("intro"), FieldPanel("body"), FieldPanel("featured_pages")]
    search_fields = [index.SearchField("subject"), index.AutocompleteField("subject")]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        permissions = [("send_newsletterissue", _("Can send a newsletter issue to all subscribers"))]

    def __str__(self):
        return self.subject

    @property
    def status(self) -> str:
        if self.completed_at:
            return self.Status.SENT
        return self.Status.SENDING if self.send_requested_at else self.Status.DRAFT

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    get_status_display.short_description = _("status")

    @property
    def is_sent(self) -> bool:
        """Sending has been started: the issue can no longer be changed or sent again."""
        return self.send_requested_at is not None

    def get_preview_template(self, request, mode_name):
        return "cms/email/newsletter_issue.html"

    def get_preview_context(self, request, mode_name):
        from cms.emails import newsletter_issue_preview_context

        return newsletter_issue_preview_context(self)


class NewsletterDelivery(models.Model):
    class State(models.TextChoices):
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will be retried")
        ABANDONED = "abandoned", _("failed, not retried")

    # PROTECT: the rows are what keeps an issue from going to anyone twice, and the privacy export reads them.
    issue = models.ForeignKey(
        NewsletterIssue, verbose_name=_("newsletter issue"), on_delete=models.PROTECT, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        "cms.NewsletterSubscription",
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.SENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    claimed_at = models.DateTimeField(_("started at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscription"], name="one_delivery_per_issue_and_subscriber")
        ]
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")

    def __str__(self):
        return f"{self.issue_id} → {self.subscription_id}"
