from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from communities.models import Circle
from communities.search_vectors import SearchVectorIndex

TEXT_MAX_LENGTH = 10_000


class CaseTheme(TaggedItemBase):
    content_object = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="tagged_themes")


class CaseQuerySet(models.QuerySet):
    def shared(self):
        """Cases the circle can see: everything but drafts."""
        return self.exclude(phase=Case.Phase.DRAFT)


class Case(models.Model):
    """A dilemma an official brings into their circle, moved through the consultation method."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("draft")
        QUESTIONS = "questions", _("clarifying questions")
        ADVICE = "advice", _("advice")
        REFLECTION = "reflection", _("reflection")
        CONCLUDED = "concluded", _("concluded")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="cases")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("case owner")
    )
    title = models.CharField(_("title"), max_length=160)
    context = models.TextField(_("context"), max_length=TEXT_MAX_LENGTH)
    context_html = models.TextField(blank=True)
    question = models.TextField(_("question for the circle"), max_length=TEXT_MAX_LENGTH)
    question_html = models.TextField(blank=True)
    tried = models.TextField(_("what has been tried"), max_length=TEXT_MAX_LENGTH, blank=True)
    tried_html = models.TextField(blank=True)
    desired_outcome = models.TextField(_("desired outcome"), max_length=TEXT_MAX_LENGTH, blank=True)
    desired_outcome_html = models.TextField(blank=True)
    themes = TaggableManager(_("themes"), through=CaseTheme, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase, default=Phase.DRAFT)
    phase_changed_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    # The owner's reflection: what they take from the feedback and will do next.
    reflection = models.TextField(_("reflection"), max_length=TEXT_MAX_LENGTH, blank=True)
    reflection_html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Title (weight A) and content (B) as to_tsvector('dutch', …), kept by the services
    # (communities.search_vectors); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["circle", "phase"]),
            models.Index(fields=["circle", "-updated_at"]),
            SearchVectorIndex(fields=["search_vector"], name="case_search_vector"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("casework:case_detail", args=[self.circle.slug, self.pk])

    @property
    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)


PHASE_ORDER = [phase.value for phase in Case.Phase]


class CaseQuestion(models.Model):
    """A clarifying question from the circle, with the owner's answer."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("question"), max_length=TEXT_MAX_LENGTH)
    body_html = models.TextField()
    answer = models.TextField(_("answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    answer_html = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("clarifying question")
        verbose_name_plural = _("clarifying questions")

    def __str__(self):
        return f"question #{self.pk} on case {self.case_id}"


class Feedback(models.Model):
    """Advice on a case. Its kind follows the author's role; experts answer in a rubric."""

    class Kind(models.TextChoices):
        PEER = "peer", _("peer feedback")
        EXPERT = "expert", _("expert feedback")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    by_guest = models.BooleanField(default=False)
    # Peer feedback: free text.
    body = models.TextField(_("feedback"), max_length=TEXT_MAX_LENGTH, blank=True)
    body_html = models.TextField(blank=True)
    # Expert feedback: the rubric.
    analysis = models.TextField(_("analysis"), max_length=TEXT_MAX_LENGTH, blank=True)
    analysis_html = models.TextField(blank=True)
    approach = models.TextField(_("suggested approach"), max_length=TEXT_MAX_LENGTH, blank=True)
    approach_html = models.TextField(blank=True)
    risks = models.TextField(_("risks"), max_length=TEXT_MAX_LENGTH, blank=True)
    risks_html = models.TextField(blank=True)
    references = models.TextField(_("references"), max_length=TEXT_MAX_LENGTH, blank=True)
    references_html = models.TextField(blank=True)
    helpful_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["case", "author"])]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{self.kind} feedback #{self.pk} on case {self.case_id}"

    @property
    def helpful(self) -> bool:
        return self.helpful_at is not None
