"""Snippets: reusable content that pages refer to (contact people, partner organisations)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class ContactPerson(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=150, help_text=_("For example: programme manager"))
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")], heading=_("Contact details")),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("role"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    @property
    def phone_href(self) -> str:
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


class Network(models.Model):
    """A network of municipalities, such as the PMG or the G32."""

    abbreviation = models.CharField(_("abbreviation"), max_length=20, unique=True)
    name = models.CharField(_("full name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=30, unique=True, help_text=_("Used in the filter's web address."))
    description = models.TextField(_("description"), blank=True, max_length=600)

    panels = [FieldPanel("abbreviation"), FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.abbreviation


class Organisation(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        PROVINCE = "province", _("province")
        CENTRAL_GOVERNMENT = "central", _("central government")
        NETWORK = "network", _("network organisation")
        KNOWLEDGE = "knowledge", _("knowledge institute")
        OTHER = "other", _("other")

    class Province(models.TextChoices):
        DRENTHE = "DR", "Drenthe"
        FLEVOLAND = "FL", "Flevoland"
        FRIESLAND = "FR", "Fryslân"
        GELDERLAND = "GE", "Gelderland"
        GRONINGEN = "GR", "Groningen"
        LIMBURG = "LI", "Limburg"
        NOORD_BRABANT = "NB", "Noord-Brabant"
        NOORD_HOLLAND = "NH", "Noord-Holland"
        OVERIJSSEL = "OV", "Overijssel"
        UTRECHT = "UT", "Utrecht"
        ZEELAND = "ZE", "Zeeland"
        ZUID_HOLLAND = "ZH", "Zuid-Holland"

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MUNICIPALITY)
    province = models.CharField(_("province"), max_length=2, choices=Province, blank=True)
    networks = models.ManyToManyField(Network, verbose_name=_("networks"), blank=True, related_name="organisations")
    partner_since = models.PositiveSmallIntegerField(
        _("partner since"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the partnership started. Leave empty if it is not a partner."),
    )
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("province")]),
        MultiFieldPanel(
            [FieldPanel("partner_since"), FieldPanel("networks", widget=forms.CheckboxSelectMultiple)],
            heading=_("Partnership"),
        ),
        FieldPanel("website"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("kind")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def network_list(self) -> str:
        return ", ".join(network.abbreviation for network in self.networks.all())
