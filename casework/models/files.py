from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class Attachment(models.Model):
    """A document with a case. The file lives in the "private" storage, never under MEDIA_ROOT;
    it is served only by casework.views.attachment_download, which checks permission."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    storage_name = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("casework:attachment", args=[self.case.circle.slug, self.case_id, self.pk])
