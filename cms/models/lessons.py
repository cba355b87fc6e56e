"""Anonymised lessons learned from concluded cases, published through the editors' moderation."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import BaseStreamBlock

from .base import BasePage


class LessonIndexPage(BasePage):
    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.LessonPage"]

    class Meta:
        verbose_name = _("lesson overview")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors
        from cms.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = paginate(request, selectors.lessons(index=self.original), per_page=10)
        return context


class LessonPageTheme(TaggedItemBase):
    content_object = ParentalKey("cms.LessonPage", on_delete=models.CASCADE, related_name="tagged_themes")


class LessonPage(BasePage):
    date = models.DateField(_("publication date"), default=timezone.localdate)
    themes = ClusterTaggableManager(verbose_name=_("themes"), through=LessonPageTheme, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("page content"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro", heading=_("Summary")),
        FieldPanel("themes"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["cms.LessonIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
