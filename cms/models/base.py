from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search import index


class BasePage(Page):
    """Fields every Leerkring page shares: a lead paragraph used on the page, in listings and in search."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        max_length=700,
        help_text=_("The lead paragraph under the title; also shown in listings and search results."),
    )

    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        abstract = True

    @property
    def listing_summary(self) -> str:
        return self.intro or self.search_description
