"""Reads shared by pages, feeds and search. Each returns a queryset with a fixed number of queries."""

import re

from django.utils import timezone
from django.db.models import Q
from wagtail.models import Locale, Page

from .models import EventPage, LessonPage, NewsPage, ProgrammePage, PublicationPage

MAX_SEARCH_LENGTH = 200


def featured_programmes(*, home) -> list[ProgrammePage]:
    featured = home.featured_programmes.select_related("programme")
    return [item.programme for item in featured if item.programme.live]


def programmes(*, index):
    return ProgrammePage.objects.child_of(index).live().public().order_by("path")


def programme_circles(*, programme):
    """Listed circles linked to a programme (unlisted ones are never shown on public pages)."""
    return programme.circles.listed().order_by("name")


def upcoming_events(*, within=None, programme=None, limit: int | None = None):
    """Events that have not ended yet, soonest first."""
    events = EventPage.objects.live().public().filter(end__gte=timezone.now()).order_by("start", "pk")
    if within is not None:
        events = events.descendant_of(within)
    if programme is not None:
        events = events.filter(programme=programme)
    return events[:limit] if limit else events


def past_events(*, within=None):
    events = EventPage.objects.live().public().filter(end__lt=timezone.now()).order_by("-start", "-pk")
    return events.descendant_of(within) if within is not None else events


def latest_news(*, within=None, limit: int | None = None):
    news = NewsPage.objects.live().public().order_by("-date", "-first_published_at", "-pk")
    if within is not None:
        news = news.descendant_of(within)
    return news[:limit] if limit else news


def publications(*, index):
    return (
        PublicationPage.objects.child_of(index)
        .live()
        .public()
        .select_related("document")
        .order_by("-publication_date", "-pk")
    )


def lessons(*, index):
    return (
        LessonPage.objects.child_of(index)
        .live()
        .public()
        .prefetch_related("themes")
        .order_by("-date", "-pk")
    )


def search_words(query: str) -> str:
    """The words of a visitor's query, without the punctuation that the search backends would
    read as syntax (SQLite FTS5 fails on an unbalanced `"`, on `:` and `^`; PostgreSQL's
    tsquery on `&`, `|`, `!`). Words joined by punctuation ("e-mail") stay separate words."""
    return " ".join(re.findall(r"\w+", query or ""))[:MAX_SEARCH_LENGTH]


def public_page_search(*, query: str):
    """Live pages without view restrictions, ranked by the search backend; each page once, in
    the active language when it is translated, else in Dutch (both share one URL). None for a
    query without words."""
    words = search_words(query)
    if not words:
        return Page.objects.none()
    return _in_active_language(Page.objects.live().public()).specific().search(words)


def _in_active_language(pages):
    active, default = Locale.get_active(), Locale.get_default()
    if active.pk == default.pk:
        return pages.filter(locale=default)
    translated = list(Page.objects.filter(locale=active).values_list("translation_key", flat=True))
    return pages.filter(Q(locale=active) | (Q(locale=default) & ~Q(translation_key__in=translated)))


def lesson_page_review(*, page_id: int | None, request=None) -> dict | None:
    """Where a proposed lesson's draft stands in the editors' moderation, for the case owner:
    {"state": "in_review" | "changes_requested" | "published" | "not_published", "url": …}."""
    if page_id is None:
        return None
    page = LessonPage.objects.filter(pk=page_id).first()
    if page is None:
        return {"state": "not_published", "url": ""}
    if page.live:
        return {"state": "published", "url": page.get_url(request)}
    workflow_state = page.current_workflow_state
    if workflow_state is None:
        return {"state": "not_published", "url": ""}
    if workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
        return {"state": "changes_requested", "url": ""}
    return {"state": "in_review", "url": ""}
