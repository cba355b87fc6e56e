"""Events (expert meetings, knowledge-and-network days) and their overview."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable
from wagtail.search import index

from cms.blocks import AgendaItemBlock, BaseStreamBlock, WorkshopRoundBlock

from .base import BasePage


class EventIndexPage(BasePage):
    VIEW_PARAM = "toon"
    PAST = "afgelopen"
    show_in_menus_default = True

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]

    class Meta:
        verbose_name = _("event overview")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors
        from cms.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        show_past = request.GET.get(self.VIEW_PARAM) == self.PAST
        upcoming = selectors.upcoming_events(within=self.original)
        past = selectors.past_events(within=self.original)
        context.update(
            show_past=show_past,
            upcoming_count=upcoming.count(),
            past_count=past.count(),
            events=paginate(request, past if show_past else upcoming, per_page=10),
            view_param=self.VIEW_PARAM,
            past_value=self.PAST,
        )
        return context


class EventPage(RoutablePageMixin, BasePage):
    start = models.DateTimeField(_("start"), help_text=_("Date and time in Dutch time (Europe/Amsterdam)."))
    end = models.DateTimeField(_("end"), help_text=_("Date and time in Dutch time (Europe/Amsterdam)."))
    venue_name = models.CharField(_("venue"), max_length=200)
    venue_address = models.TextField(_("address"), blank=True, max_length=300)
    audience = models.CharField(_("audience"), max_length=300, blank=True, help_text=_("Who is this event for?"))
    programme = models.ForeignKey(
        "cms.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)
    agenda = StreamField([("item", AgendaItemBlock())], verbose_name=_("agenda"), blank=True)
    workshop_rounds = StreamField(
        [("round", WorkshopRoundBlock())], verbose_name=_("workshop rounds"), blank=True
    )
    contact_person = models.ForeignKey(
        "cms.ContactPerson",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    registration_enabled = models.BooleanField(_("registration via this website"), default=True)
    capacity = models.PositiveIntegerField(
        _("number of places"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. When the event is full, new registrations go on the waiting list."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Leave empty to allow registration until the start.")
    )
    max_extra_participants = models.PositiveSmallIntegerField(
        _("colleagues per registration"),
        default=3,
        help_text=_("How many colleagues someone may register along with themselves."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldPanel("audience"),
                FieldPanel("programme"),
            ],
            heading=_("When, where and for whom"),
        ),
        FieldPanel("body"),
        FieldPanel("agenda"),
        FieldPanel("workshop_rounds"),
        FieldPanel("contact_person"),
        InlinePanel(
            "documents",
            heading=_("Report and presentations"),
            label=_("document"),
            help_text=_("Shown on the page once the event has taken place; before that the page says they follow after the day."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_extra_participants")]),
                FieldPanel("registration_deadline"),
            ],
            heading=_("Registration"),
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("venue_name"),
        index.SearchField("audience"),
        index.SearchField("body"),
        index.SearchField("agenda"),
        index.SearchField("workshop_rounds"),
        index.FilterField("start"),
    ]

    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The end must be after the start.")
        if self.start and self.registration_deadline and self.registration_deadline > self.start:
            errors["registration_deadline"] = _("The registration deadline cannot be after the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def venue_address_oneline(self) -> str:
        return ", ".join(line.strip() for line in self.venue_address.splitlines() if line.strip())

    # --- registration state -----------------------------------------------------------

    @property
    def registration_closes_at(self):
        return self.registration_deadline or self.start

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_enabled and now < self.registration_closes_at

    def seats_taken(self) -> int:
        from .registrations import EventRegistration

        total = self.registrations.filter(status=EventRegistration.Status.CONFIRMED).aggregate(n=Sum("seats"))["n"]
        return total or 0

    def seats_available(self) -> int | None:
        """None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken(), 0)

    def is_past(self, now=None) -> bool:
        return self.end < (now or timezone.now())

    # --- page context and routes ---------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from cms.forms import RegistrationForm

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["registration_open"] = self.registration_is_open(now)
        context["seats_available"] = self.seats_available() if self.registration_enabled else None
        context["event_is_past"] = self.is_past(now)
        context["event_documents"] = list(self.documents.select_related("document")) if context["event_is_past"] else []
        if "registration_form" not in context and context["registration_open"]:
            context["registration_form"] = RegistrationForm(event=self)
        return context

    @path("aanmelden/", name="register")
    def register_route(self, request):
        from cms.views import event_register

        return event_register(request, self)

    @path("afmelden/<str:token>/", name="cancel")
    def cancel_route(self, request, token):
        from cms.views import event_cancel

        return event_cancel(request, self, token)

    @path("ical/", name="ics")
    def ics_route(self, request):
        from cms.views import event_ics

        return event_ics(request, self)


class EventDocument(Orderable):
    """The report or a presentation of an event, for download after the day."""

    class Kind(models.TextChoices):
        REPORT = "report", pgettext_lazy("event document", "Report")
        PRESENTATION = "presentation", pgettext_lazy("event document", "Presentation")

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        get_document_model_string(), verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Leave empty to use the document's title."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)

    panels = [FieldPanel("document"), FieldPanel("title"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = _("event document")
        verbose_name_plural = _("event documents")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title
