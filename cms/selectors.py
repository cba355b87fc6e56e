"""Reads shared by pages, feeds and search. Each returns a queryset with a fixed number of queries."""

import re

from django.utils import timezone
from wagtail.models import Page

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
    """Live pages without view restrictions, ranked by the search backend; none for a query
    without words."""
    words = search_words(query)
    if not words:
        return Page.objects.none()
    return Page.objects.live().public().specific().search(words)
