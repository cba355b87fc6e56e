from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case


class CaseGuest(models.Model):
    """An external expert admitted to one case only. Only a hash of the emailed token is kept;
    the token works once (accepted_at) and until expires_at."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="guests")
    email = models.EmailField(_("email address"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="case_guest_of"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "user"])]
        verbose_name = _("case guest")
        verbose_name_plural = _("case guests")

    def __str__(self):
        return f"guest {self.email} on case {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.user_id is not None and self.revoked_at is None

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
