from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey  # noqa: F401
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class ProfileExpertise(TaggedItemBase):
    content_object = models.ForeignKey("Profile", on_delete=models.CASCADE, related_name="tagged_expertise")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    expertise = TaggableManager(_("expertise"), through=ProfileExpertise, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("communities:member", args=[self.user_id])
