import functools

from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.db import models
from wagtail.models import Locale, Page, PageViewRestriction
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

    # True on a page from the route cache (cms.page_routes) when neither it nor an ancestor had
    # view restrictions at the cache's generation.
    known_unrestricted = False

    class Meta:
        abstract = True

    @property
    def listing_summary(self) -> str:
        return self.intro or self.search_description

    @cached_property
    def original(self) -> "BasePage":
        """This page in the default language (Dutch), whose subtree holds every page; itself when
        it is Dutch or has no Dutch original. Listings of a translated section page list the
        Dutch section's children, so a section translates without translating all it holds."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        original = self.get_translation_or_none(default)
        return original.specific if original is not None else self

    def get_view_restrictions(self):
        if self.known_unrestricted:
            return _no_restrictions()
        return super().get_view_restrictions()

    def route(self, request, path_components):
        """A page that is not translated is served in Dutch: both languages share the URLs, and
        where the English tree has no such child, the Dutch original's subtree answers."""
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components or self.original is self:
                raise
            return self.original.route(request, path_components)


@functools.cache
def _no_restrictions():
    """An empty queryset already evaluated: Wagtail's check on every page served iterates it, and
    an unevaluated none() still goes through the query compiler each time. One for every page:
    reading it changes nothing, and filtering it makes a new one."""
    restrictions = PageViewRestriction.objects.none()
    restrictions._result_cache = []
    return restrictions
