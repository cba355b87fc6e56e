"""Home, general content, programmes and partners."""

from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.blocks import ActivityBlock, AgendaPointBlock, BaseStreamBlock

from .base import BasePage
from .snippets import Network, Organisation

SECTION_PAGE_TYPES = [
    "cms.ProgrammeIndexPage",
    "cms.EventIndexPage",
    "cms.NewsIndexPage",
    "cms.PublicationIndexPage",
    "cms.PartnerIndexPage",
    "cms.LessonIndexPage",
    "cms.ContentPage",
]


class HomePage(BasePage):
    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("featured_programmes", heading=_("Featured programmes"), label=_("Programme"), max_num=6),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = SECTION_PAGE_TYPES

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        # Lazy: the template renders them inside a cached fragment, so a hit runs no query.
        context = super().get_context(request, *args, **kwargs)
        context["featured_programmes"] = SimpleLazyObject(lambda: selectors.featured_programmes(home=self.original))
        context["upcoming_events"] = SimpleLazyObject(
            lambda: list(selectors.upcoming_events(within=self.original, limit=3))
        )
        context["latest_news"] = SimpleLazyObject(lambda: list(selectors.latest_news(within=self.original, limit=3)))
        return context


class HomePageFeaturedProgramme(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_programmes")
    programme = models.ForeignKey(
        "cms.ProgrammePage", verbose_name=_("programme"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("programme")]


class ContentPage(BasePage):
    """A plain page: about us, privacy statement, accessibility."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.ContentPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


class ProgrammeIndexPage(BasePage):
    show_in_menus_default = True

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ProgrammePage"]

    class Meta:
        verbose_name = _("programme overview")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors
        from cms.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        context["programmes"] = paginate(request, selectors.programmes(index=self.original))
        return context


class ProgrammePage(BasePage):
    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)
    agenda_points = StreamField(
        [("agenda_point", AgendaPointBlock())],
        verbose_name=_("agenda points"),
        blank=True,
        help_text=_("The programme's agenda, in order; the order is the numbering."),
    )
    activities = StreamField([("activity", ActivityBlock())], verbose_name=_("activities"), blank=True)
    contact_person = models.ForeignKey(
        "cms.ContactPerson",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("agenda_points"),
        FieldPanel("activities"),
        FieldPanel("contact_person"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("agenda_points"),
        index.SearchField("activities"),
    ]

    parent_page_types = ["cms.ProgrammeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context["circles"] = selectors.programme_circles(programme=self)
        context["programme_events"] = selectors.upcoming_events(programme=self, limit=5)
        return context


class PartnerIndexPage(BasePage):
    """Lists the partner organisations (Organisation snippets), filterable by network."""

    NETWORK_PARAM = "netwerk"
    show_in_menus_default = True

    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)
    contact_person = models.ForeignKey(
        "cms.ContactPerson",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("contact_person")], heading=_("Contact")),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["partners.PartnerApplicationPage", "partners.FaqIndexPage"]

    class Meta:
        verbose_name = _("partner overview")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        networks = list(Network.objects.all())
        selected = next((n for n in networks if n.slug == request.GET.get(self.NETWORK_PARAM)), None)
        partners = (
            Organisation.objects.filter(partner_since__isnull=False)
            .prefetch_related("networks")
            .order_by("name")
        )
        if selected is not None:
            partners = partners.filter(networks=selected)
        context.update(
            networks=networks,
            selected_network=selected,
            partners=list(partners),
            network_param=self.NETWORK_PARAM,
        )
        return context
