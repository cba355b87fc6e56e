from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import TEXT_MAX_LENGTH, Case


class Lesson(models.Model):
    """What the owner learned, written once the case is concluded.

    Six weeks after conclusion the owner is asked what came of it (followup_sent_at makes
    that happen once) and may add a follow-up note. With the owner's consent an anonymised
    version becomes a LessonPage draft for the editors (page_id); the draft never links back.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="lesson")
    body = models.TextField(_("lesson"), max_length=TEXT_MAX_LENGTH)
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    followup_sent_at = models.DateTimeField(null=True, blank=True)
    followup_note = models.TextField(_("follow-up"), max_length=TEXT_MAX_LENGTH, blank=True)
    followup_note_html = models.TextField(blank=True)
    followup_noted_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    page_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")

    def __str__(self):
        return f"lesson of case {self.case_id}"
