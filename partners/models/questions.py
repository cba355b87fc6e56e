"""Knowledge questions ("kennisvragen") and their history. Written only by partners.services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

QUESTION_TEXT_MAX = 5000
CONTEXT_TEXT_MAX = 5000
REPLY_TEXT_MAX = 10_000


class Theme(models.TextChoices):
    HOUSING = "housing", _("Housing")
    CARE = "care", _("Care and welfare in the neighbourhood")
    POVERTY = "poverty", _("Poverty and debt")
    SUSTAINABILITY = "sustainability", _("Sustainability and the energy transition")
    ECONOMY = "economy", _("Regional economy and labour market")
    CITY_CENTRE = "city_centre", _("City centre and facilities")
    GOVERNANCE = "governance", _("Governance and regional cooperation")
    PHYSICAL = "physical", _("Spatial planning and the living environment")
    INCLUSION = "inclusion", _("Inequality, segregation and integration")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    LOW = "low", _("No hurry")
    NORMAL = "normal", _("Within a few weeks")
    HIGH = "high", _("Urgent: within a week")


class QuestionStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    FORWARDED = "forwarded", _("forwarded")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = (QuestionStatus.NEW, QuestionStatus.IN_PROGRESS, QuestionStatus.FORWARDED)


class KnowledgeQuestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class KnowledgeQuestion(models.Model):
    """A member's question to the fixed contact person of their organisation, or to the editors' shared inbox.

    `contact` is where the question was routed when it was asked (None: the shared inbox);
    `assignee` is who handles it now (None: any editor may pick it up).
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.CASCADE, related_name="knowledge_questions"
    )
    organisation = models.ForeignKey(
        "cms.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_questions",
    )
    contact = models.ForeignKey(
        "partners.PartnerContact",
        verbose_name=_("fixed contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_knowledge_questions",
    )
    title = models.CharField(_("title"), max_length=150)
    question = models.TextField(_("question"), max_length=QUESTION_TEXT_MAX)
    context = models.TextField(_("context"), max_length=CONTEXT_TEXT_MAX, blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency, default=Urgency.NORMAL)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme, default=Theme.OTHER)
    share_consent = models.BooleanField(
        _("may be put to a learning circle"),
        default=False,
        help_text=_("The member agrees that the question, with their name, is put to a learning circle."),
    )
    status = models.CharField(_("status"), max_length=12, choices=QuestionStatus, default=QuestionStatus.NEW)
    awaiting_member = models.BooleanField(_("waiting for more information"), default=False)

    attachment_name = models.CharField(_("attachment"), max_length=200, blank=True)
    attachment_storage_name = models.CharField(max_length=255, blank=True)
    attachment_content_type = models.CharField(max_length=120, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)

    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Set when the question lands in someone's inbox (asked, or forwarded to a colleague) and
    # cleared when it is picked up: the inbox flags questions waiting 5 working days or more.
    waiting_since = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    faq_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("FAQ page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = KnowledgeQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["author", "created_at"]),
        ]
        verbose_name = _("knowledge question")
        verbose_name_plural = _("knowledge questions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("partners:question", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def in_shared_inbox(self) -> bool:
        return self.assignee_id is None


class QuestionEvent(models.Model):
    """One step in a question's history: who did what, from which status to which, with what text."""

    class Kind(models.TextChoices):
        ASKED = "asked", _("asked the question")
        PICKED_UP = "picked_up", _("picked up the question")
        INFO_REQUESTED = "info_requested", _("asked for more information")
        INFO_ADDED = "info_added", _("added information")
        ANSWERED = "answered", _("answered the question")
        FORWARDED_COLLEAGUE = "forwarded_colleague", _("forwarded the question to a colleague")
        FORWARDED_CIRCLE = "forwarded_circle", _("put the question to a learning circle")
        CONSENT_GIVEN = "consent_given", _("agreed that the question may be put to a learning circle")
        CLOSED = "closed", _("closed the question")
        FAQ_DRAFTED = "faq_drafted", _("made an anonymised FAQ page of the question")

    question = models.ForeignKey(KnowledgeQuestion, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind)
    from_status = models.CharField(max_length=12, choices=QuestionStatus, blank=True)
    to_status = models.CharField(max_length=12, choices=QuestionStatus, blank=True)
    body = models.TextField(blank=True, max_length=REPLY_TEXT_MAX)
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    circle = models.ForeignKey(
        "communities.Circle", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        "communities.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("step in the history of a question")
        verbose_name_plural = _("history of questions")

    def __str__(self):
        return f"{self.question_id}: {self.kind}"

    @property
    def changes_status(self) -> bool:
        return bool(self.to_status) and self.to_status != self.from_status
