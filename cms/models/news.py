"""News (with an RSS feed) and publications."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import BaseStreamBlock

from .base import BasePage


class NewsIndexPage(RoutablePageMixin, BasePage):
    show_in_menus_default = True

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]

    class Meta:
        verbose_name = _("news overview")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors
        from cms.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        context["news_items"] = paginate(request, selectors.latest_news(within=self.original), per_page=10)
        return context

    @path("rss/", name="rss")
    def rss_route(self, request):
        from cms.views import news_feed

        return news_feed(request, self)


class NewsPage(BasePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("date"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body"), index.FilterField("date")]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")


class PublicationIndexPage(BasePage):
    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PublicationPage"]

    class Meta:
        verbose_name = _("publication overview")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors
        from cms.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        context["publications"] = paginate(request, selectors.publications(index=self.original), per_page=10)
        return context


class PublicationPage(BasePage):
    publication_date = models.DateField(_("publication date"), default=timezone.localdate)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The file visitors can download, for example the report as PDF."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("publication_date"), FieldPanel("authors")]),
        FieldPanel("intro", heading=_("Summary")),
        FieldPanel("document"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("authors"), index.SearchField("body")]

    parent_page_types = ["cms.PublicationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
