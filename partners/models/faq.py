"""Anonymised answers to knowledge questions, published through the editors' moderation."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import BaseStreamBlock
from cms.models.base import BasePage

from .questions import Theme


class FaqIndexPage(BasePage):
    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.PartnerIndexPage"]
    subpage_types = ["partners.FaqPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("FAQ overview")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = FaqPage.objects.child_of(self).live().public().order_by("theme", "title")
        labels = dict(Theme.choices)
        groups: dict[str, list] = {}
        for page in pages:
            groups.setdefault(page.theme, []).append(page)
        context["themes"] = [{"label": labels.get(key, key), "pages": items} for key, items in groups.items()]
        return context


class FaqPage(BasePage):
    """One question and its answer, without names or organisations (see partners.services.faq)."""

    date = models.DateField(_("publication date"), default=timezone.localdate)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme, default=Theme.OTHER)
    question = models.TextField(_("question"), max_length=5000)
    answer = StreamField(BaseStreamBlock(), verbose_name=_("answer"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("theme"),
        FieldPanel("question"),
        FieldPanel("answer"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("question"), index.SearchField("answer")]

    parent_page_types = ["partners.FaqIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")
