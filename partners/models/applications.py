"""The "Partner worden" page (fee and network discounts set by editors) and the applications it receives."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from cms.models.base import BasePage


class PartnerApplicationPage(RoutablePageMixin, BasePage):
    """Explains the partnership and carries the application form; the fee is computed from the fields below."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)
    regular_fee = models.PositiveIntegerField(
        _("regular partner fee"),
        default=5000,
        help_text=_("In whole euros per year, before any network discount."),
    )
    confirmation_text = models.TextField(
        _("text after sending"),
        blank=True,
        max_length=800,
        help_text=_("Shown after an application has been sent and added to the confirmation email."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("regular_fee"),
                InlinePanel(
                    "network_discounts",
                    heading=_("Discounts for members of a network"),
                    label=_("Discount"),
                    help_text=_(
                        "An organisation in several of these networks gets the largest of their discounts; "
                        "discounts do not add up, and the fee never drops below zero."
                    ),
                ),
            ],
            heading=_("Fee"),
        ),
        FieldPanel("confirmation_text"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["cms.PartnerIndexPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("partner application page")

    def discount_table(self) -> dict[int, int]:
        """{network id: discount in euros} for the networks with a discount."""
        return {item.network_id: item.amount for item in self.network_discounts.all()}

    @path("", name="form")
    def form_route(self, request):
        from partners.views.applications import application_form

        return application_form(request, self)

    @path("controleren/", name="confirm")
    def confirm_route(self, request):
        from partners.views.applications import application_confirm

        return application_confirm(request, self)

    @path("versturen/", name="submit")
    def submit_route(self, request):
        from partners.views.applications import application_submit

        return application_submit(request, self)

    @path("verstuurd/", name="sent")
    def sent_route(self, request):
        from partners.views.applications import application_sent

        return application_sent(request, self)


class NetworkDiscount(Orderable):
    page = ParentalKey(PartnerApplicationPage, on_delete=models.CASCADE, related_name="network_discounts")
    network = models.ForeignKey("cms.Network", verbose_name=_("network"), on_delete=models.CASCADE, related_name="+")
    amount = models.PositiveIntegerField(_("discount"), help_text=_("In whole euros, taken off the regular fee."))

    panels = [FieldPanel("network"), FieldPanel("amount")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "network"], name="one_discount_per_network")]
        verbose_name = _("network discount")
        verbose_name_plural = _("network discounts")

    def __str__(self):
        return f"{self.network_id}: {self.amount}"


class PartnerApplication(models.Model):
    """An organisation's request to become a partner. Written only by partners.services."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    page = models.ForeignKey(
        PartnerApplicationPage, verbose_name=_("page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_name = models.CharField(_("organisation"), max_length=150)
    organisation = models.ForeignKey(
        "cms.Organisation",
        verbose_name=_("organisation in the partner list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_applications",
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_job_title = models.CharField(_("job title"), max_length=150)
    contact_email = models.EmailField(_("email address"))
    contact_phone = models.CharField(_("phone number"), max_length=30, blank=True)
    networks = models.ManyToManyField("cms.Network", verbose_name=_("networks"), blank=True, related_name="+")
    invoice_addressee = models.CharField(_("invoice addressed to"), max_length=200)
    invoice_address = models.TextField(_("invoice address"), max_length=400)
    invoice_email = models.EmailField(_("email address for invoices"), blank=True)
    invoice_reference = models.CharField(_("purchase order or reference"), max_length=100, blank=True)

    regular_fee = models.PositiveIntegerField(_("regular fee"))
    discount = models.PositiveIntegerField(_("discount"), default=0)
    discount_network = models.CharField(_("discount for membership of"), max_length=20, blank=True)
    fee = models.PositiveIntegerField(_("fee"))

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RECEIVED)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    partner_since = models.PositiveSmallIntegerField(_("partner since"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")

    def __str__(self):
        return self.organisation_name

    def fee_display(self) -> str:
        from partners.fees import euro

        return euro(self.fee)

    fee_display.short_description = _("fee")

    @property
    def network_list(self) -> str:
        return ", ".join(network.abbreviation for network in self.networks.all())
