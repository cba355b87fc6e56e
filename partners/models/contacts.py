"""The fixed contact person of partner organisations: a ContactPerson snippet linked to a user account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class PartnerContact(ClusterableModel):
    """One person who answers the knowledge questions of one or more partner organisations.

    The account must have the editor or facilitator role: it works the inbox of questions.
    Each organisation has at most one fixed contact (a unique organisation in the inline rows).
    """

    contact_person = models.OneToOneField(
        "cms.ContactPerson",
        verbose_name=_("contact person"),
        on_delete=models.CASCADE,
        related_name="partner_contact",
        help_text=_("Name, role and contact details as members see them."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        # Only editors and facilitators: offered in the admin form and checked by full_clean().
        limit_choices_to=(
            models.Q(is_superuser=True)
            | models.Q(groups__name__in=("Editors", "Moderators"))
            | models.Q(memberships__role="facilitator", memberships__state="active")
        ),
        error_messages={"invalid": _("Choose an account with the editor role or a facilitator of a learning circle.")},
        related_name="partner_contact",
        help_text=_("The account that receives and answers the questions: an editor or a facilitator."),
    )

    panels = [
        FieldPanel("contact_person"),
        FieldPanel("user"),
        InlinePanel("organisations", heading=_("Partner organisations"), label=_("Organisation"), min_num=1),
    ]

    class Meta:
        verbose_name = _("fixed contact person")
        verbose_name_plural = _("fixed contact people")

    def __str__(self):
        return self.contact_person.name if self.contact_person_id else ""

    def organisation_list(self) -> str:
        return ", ".join(item.organisation.name for item in self.organisations.all())

    organisation_list.short_description = _("Organisations")


class PartnerContactOrganisation(Orderable):
    contact = ParentalKey(PartnerContact, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.OneToOneField(
        "cms.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="fixed_contact",
        error_messages={"unique": _("This organisation already has a fixed contact person.")},
    )

    panels = [FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("organisation of the contact person")
        verbose_name_plural = _("organisations of the contact person")

    def __str__(self):
        return str(self.organisation_id)
