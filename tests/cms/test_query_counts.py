"""Index pages run the same number of queries with 5 and with 50 children."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CircleFactory

from .factories import (
    LessonIndexPage,
    LessonPage,
    Network,
    NewsIndexPage,
    NewsPage,
    PartnerIndexPage,
    ProgrammeIndexPage,
    ProgrammePage,
    PublicationIndexPage,
    PublicationPage,
    add,
    make_event,
    make_organisation,
)


@pytest.fixture(autouse=True)
def rendered_not_cached(settings):
    """What rendering costs (the page and route caches, on with Redis, are tested in test_home_rendering)."""
    settings.PAGE_CACHE = False


def count_queries(client, url) -> int:
    client.get(url)  # warm the menu cache, as any earlier visitor would
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow(add_child, start, stop):
    for number in range(start, stop):
        add_child(number)


def equal_at_5_and_50(client, url, add_child):
    grow(add_child, 0, 5)
    at_five = count_queries(client, url)
    grow(add_child, 5, 50)
    at_fifty = count_queries(client, url)
    assert at_five == at_fifty, f"{url}: {at_five} queries with 5 children, {at_fifty} with 50"


def test_event_index(client, agenda):
    equal_at_5_and_50(client, agenda.url, lambda n: make_event(agenda, title=f"Bijeenkomst {n}", days_ahead=n + 1))


def test_event_index_past(client, agenda):
    equal_at_5_and_50(
        client, agenda.url + "?toon=afgelopen", lambda n: make_event(agenda, title=f"Oud {n}", days_ahead=-(n + 2))
    )


def test_news_index_and_feed(client, home):
    index = add(home, NewsIndexPage(title="Nieuws", slug="nieuws"))

    def news(n):
        add(index, NewsPage(title=f"Bericht {n}", date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n)))

    equal_at_5_and_50(client, index.url, news)
    grow(news, 50, 55)
    assert count_queries(client, index.url + "rss/") == count_queries(client, index.url + "rss/")


def test_programme_index(client, home):
    index = add(home, ProgrammeIndexPage(title="Programma's", slug="programmas"))
    equal_at_5_and_50(client, index.url, lambda n: add(index, ProgrammePage(title=f"Programma {n}")))


def test_programme_page_with_circles(client, home):
    index = add(home, ProgrammeIndexPage(title="Programma's", slug="programmas"))
    programme = add(index, ProgrammePage(title="Midsize NL"))
    equal_at_5_and_50(client, programme.url, lambda n: CircleFactory(programme=programme))


def test_publication_index(client, home):
    index = add(home, PublicationIndexPage(title="Publicaties", slug="publicaties"))
    equal_at_5_and_50(client, index.url, lambda n: add(index, PublicationPage(title=f"Rapport {n}")))


def test_lesson_index(client, home):
    index = add(home, LessonIndexPage(title="Lessen", slug="lessen"))

    def lesson(n):
        page = LessonPage(title=f"Les {n}")
        page.themes.set(["regio", f"thema {n}"])
        add(index, page)

    equal_at_5_and_50(client, index.url, lesson)


def test_partner_index(client, home):
    index = add(home, PartnerIndexPage(title="Partners", slug="partners"))
    pmg = Network.objects.create(abbreviation="PMG", name="Platform Middelgrote Gemeenten", slug="pmg")
    g32 = Network.objects.create(abbreviation="G32", name="G32-stedennetwerk", slug="g32")
    equal_at_5_and_50(client, index.url, lambda n: make_organisation(f"Gemeente {n}", networks=[pmg, g32]))


def test_home(client, home, agenda):
    news = add(home, NewsIndexPage(title="Nieuws", slug="nieuws"))

    def both(n):
        make_event(agenda, title=f"Bijeenkomst {n}", days_ahead=n + 1)
        add(news, NewsPage(title=f"Bericht {n}"))

    equal_at_5_and_50(client, "/", both)
