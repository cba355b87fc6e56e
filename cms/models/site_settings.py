"""Site-wide settings that editors manage in Settings › Website (contact, footer links)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="site")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    contact_email = models.EmailField(_("contact email address"), blank=True)
    contact_phone = models.CharField(_("contact phone number"), max_length=30, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True, max_length=300)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked under the registration and newsletter forms."),
    )
    newsletter_intro = models.TextField(
        _("newsletter introduction"),
        blank=True,
        max_length=400,
        help_text=_("Shown above the newsletter sign-up form."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_address")],
            heading=_("Contact"),
        ),
        FieldPanel("privacy_page"),
        FieldPanel("newsletter_intro"),
        InlinePanel("footer_links", heading=_("Footer links"), label=_("Link")),
    ]

    class Meta:
        verbose_name = _("website settings")


class FooterLink(Orderable):
    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="footer_links")
    label = models.CharField(_("link text"), max_length=60)
    label_en = models.CharField(
        _("link text in English"), max_length=60, blank=True,
        help_text=_("Leave empty to use the English title of the page, or the Dutch link text."),
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(
        _("or web address"), max_length=300, blank=True, help_text=_("For example /nieuwsbrief/ or https://…")
    )

    panels = [FieldPanel("label"), FieldPanel("label_en"), FieldPanel("page"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")

    def clean(self):
        if bool(self.page_id) == bool(self.url):
            raise ValidationError({"page": _("Choose either a page or a web address.")})
