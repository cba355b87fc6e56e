"""The home page rendered by Django (not from the anonymous page cache) comes from the fragment
and route caches: no queries once warm, and still what every visitor should see right now."""

import datetime
import re
import time

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from cms.models import HomePageFeaturedProgramme, NewsIndexPage, NewsPage, ProgrammeIndexPage, ProgrammePage, SiteSettings
from core.memo import CSRF_SLOT
from tests.factories import UserFactory

from .factories import add, make_event, paragraph
from .test_localisation import english_site, get, in_english  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # else made (a change) by the first view


@pytest.fixture
def programme(home):
    index = add(home, ProgrammeIndexPage(title="Programma's", slug="programmas"))
    programme = add(index, ProgrammePage(title="Midsize NL", slug="midsize-nl", intro="Voor middelgrote steden."))
    HomePageFeaturedProgramme.objects.create(page=home, programme=programme)
    return programme


@pytest.fixture
def news(home):
    return add(home, NewsIndexPage(title="Nieuws", slug="nieuws"))


def page(client, url="/?uncached") -> str:
    return get(client, url)


def test_a_warm_home_page_runs_no_queries_however_much_it_lists(client, home, agenda, programme, news,
                                                                django_assert_num_queries):
    for number in range(5):
        make_event(agenda, title=f"Bijeenkomst {number}", days_ahead=number + 1)
        add(news, NewsPage(title=f"Bericht {number}", date=datetime.date(2025, 1, number + 1)))
    page(client)
    with django_assert_num_queries(0):
        html = page(client)
    assert "Midsize NL" in html and "Bijeenkomst 0" in html and "Bericht 4" in html


def test_a_published_change_shows_at_once(client, home, programme, news):
    assert "Midsize NL" in page(client)

    programme.title = "Midsize NL 2.0"
    programme.save_revision().publish()
    add(news, NewsPage(title="Nieuw convenant", date=datetime.date(2025, 3, 1)), publish=True)

    html = page(client)
    assert "Midsize NL 2.0" in html and "Nieuw convenant" in html


def test_an_event_that_has_passed_drops_off(client, settings, agenda, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 1
    now = timezone.now()
    make_event(agenda, title="Ochtendsessie", start=now - datetime.timedelta(hours=1), hours=2)
    assert "Ochtendsessie" in page(client)

    later = now + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    time.sleep(1.1)

    html = page(client)
    assert "Ochtendsessie" not in html
    assert "Er zijn op dit moment geen bijeenkomsten gepland." in html


def test_a_preview_is_neither_served_from_nor_kept_in_the_cache(client, home):
    assert "Leerkring verbindt professionals." in page(client)

    home.intro = "Een concept dat nog niet gepubliceerd is."
    preview = home.make_preview_request().render().content.decode()
    assert "Een concept dat nog niet gepubliceerd is." in preview

    assert "Een concept dat nog niet gepubliceerd is." not in page(client)


def test_dutch_and_english_visitors_each_get_their_own_text(client, english_site):
    for _ in range(2):  # rendered, then from the cache
        dutch, english = page(Client()), page(in_english(client))
        assert '<html lang="nl">' in dutch and "Samen leren van de praktijk" in dutch
        assert "Learning together from practice" not in dutch
        assert '<html lang="en">' in english and "Learning together from practice" in english
        assert "Upcoming events" in english and "Samen leren van de praktijk" not in english


def test_a_form_in_the_cached_content_carries_each_visitors_own_token(client, home):
    home.body = [("newsletter_signup", {"heading": "Blijf op de hoogte", "text": ""})]
    home.save_revision().publish()

    tokens = []
    for visitor in (Client(), Client()):
        html = page(visitor)
        in_page = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert "Blijf op de hoogte" in html and len(in_page) == 2 and len(set(in_page)) == 1
        tokens.append(in_page[0])
    assert tokens[0] != tokens[1] and CSRF_SLOT not in html


def test_a_signed_in_visitor_gets_their_own_header_on_the_cached_content(client, home):
    assert "Inloggen" in page(Client())
    client.force_login(UserFactory(username="hamlet"))
    html = page(client)
    assert "Inloggen" not in html and "Samen leren van de praktijk" in html


def test_an_unpublished_page_is_gone_at_once(client, home):
    page_ = add(home, NewsIndexPage(title="Nieuws", slug="nieuws"))
    assert client.get("/nieuws/").status_code == 200
    page_.unpublish()
    assert client.get("/nieuws/").status_code == 404


def test_a_view_restriction_applies_at_once(client, home):
    add(home, NewsIndexPage(title="Nieuws", slug="nieuws"))
    assert client.get("/nieuws/").status_code == 200
    restricted = home.get_children().get(slug="nieuws")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/nieuws/").status_code == 302
