"""English next to Dutch: translated pages (wagtail.contrib.simple_translation) on the same URLs,
the menu and home hero in the visitor's language, Dutch where nothing is translated."""

import html as html_lib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale

from cms.models import FooterLink, NewsIndexPage, SiteSettings

from .factories import add, make_event


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html_lib.unescape(response.content.decode())


def translate(page, **fields):
    translated = page.copy_for_translation(Locale.objects.get(language_code="en")).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


@pytest.fixture
def english_site(home, agenda):
    english_home = translate(home, title="Learning together from practice", intro="Leerkring connects professionals.")
    translate(agenda, title="Events", intro="Meetings to register for.")
    add(home, NewsIndexPage(title="Nieuws", slug="nieuws", show_in_menus=True))
    return english_home


def test_the_english_home_has_an_english_hero_menu_and_chrome(client, english_site):
    page = get(in_english(client), "/")

    assert '<html lang="en">' in page
    assert '<h1 id="hero-heading">Learning together from practice</h1>' in page
    assert "Leerkring connects professionals." in page
    assert '<a href="/agenda/">Events</a>' in page
    assert "Skip to content" in page and "Log in" in page and "Upcoming events" in page
    assert "Samen leren van de praktijk" not in page and "Inloggen" not in page


def test_dutch_stays_the_default_on_the_same_urls(client, english_site):
    page = get(client, "/")

    assert '<html lang="nl">' in page
    assert '<h1 id="hero-heading">Samen leren van de praktijk</h1>' in page
    assert '<a href="/agenda/">Agenda</a>' in page and "Naar de inhoud" in page
    assert "Learning together" not in page


def test_what_is_not_translated_is_served_in_dutch_with_english_chrome(client, english_site, agenda, home):
    event = make_event(agenda, title="Expertmeeting middelgrote gemeenten")
    in_english(client)

    listing = get(client, "/agenda/")
    assert "<h1>Events</h1>" in listing and "Expertmeeting middelgrote gemeenten" in listing
    page = get(client, event.url)
    assert "<h1>Expertmeeting middelgrote gemeenten</h1>" in page and '<html lang="en">' in page
    assert "Add to your calendar" in page
    crumbs = page[page.index('aria-label="You are here"'):page.index("</nav>", page.index('aria-label="You are here"'))]
    assert '<a href="/agenda/">Events</a>' in crumbs
    assert '<a href="/nieuws/">Nieuws</a>' in get(client, "/")
    assert "<h1>Nieuws</h1>" in get(client, "/nieuws/")
    assert client.get("/agenda/bestaat-niet/").status_code == 404


def test_footer_links_follow_the_language(client, english_site, home):
    settings_ = SiteSettings.for_site(home.get_site())
    agenda = home.get_children().get(slug="agenda", locale__language_code="nl")
    settings_.footer_links = [FooterLink(label="Bijeenkomsten", page=agenda),
                              FooterLink(label="Nieuwsbrief", label_en="Newsletter", url="/nieuwsbrief/"),
                              FooterLink(label="Colofon", url="/colofon/")]
    settings_.save()

    english = get(in_english(client), "/")
    assert '<a href="/agenda/">Events</a></li>' in english.replace("\n        ", "")
    assert '<a href="/nieuwsbrief/">Newsletter</a>' in english and '<a href="/colofon/">Colofon</a>' in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = get(client, "/")
    assert '<a href="/nieuwsbrief/">Nieuwsbrief</a>' in dutch and '<a href="/agenda/">Bijeenkomsten</a>' in dutch


def test_editors_can_translate_pages_in_the_admin(client, editor, english_site, home):
    client.force_login(editor)
    news = home.get_children().get(slug="nieuws")

    response = client.get(f"/cms/translation/submit/page/{news.pk}/")

    assert response.status_code == 200
    assert "Engels" in response.content.decode() and 'name="locales"' in response.content.decode()


def test_the_demo_has_english_versions_of_the_home_page_and_the_menu(client, db):
    call_command("seed_demo", stdout=StringIO())
    page = get(in_english(client), "/")

    assert '<h1 id="hero-heading">Learning together from practice</h1>' in page
    assert "How a learning circle works" in page
    nav = page[page.index('aria-label="Main menu"'):page.index("</nav>")]
    for title in ["Programmes", "Events", "News", "Partners"]:
        assert f">{title}</a>" in nav, title
    for dutch in ["Programma's", "Agenda", "Nieuws"]:
        assert f">{dutch}</a>" not in nav, dutch
    assert ">Newsletter</a>" in page and ">Publications</a>" in page
    assert "Expertmeeting: het toekomstperspectief van middelgrote gemeenten" in get(client, "/agenda/")


def test_search_finds_each_page_once_in_the_visitors_language(client, english_site, agenda):
    make_event(agenda, title="Expertmeeting middelgrote gemeenten")

    english = get(in_english(client), "/zoeken/?q=Leerkring")
    assert "Learning together from practice" in english
    assert "Samen leren van de praktijk</a>" not in english
    assert "Expertmeeting middelgrote gemeenten" in get(client, "/zoeken/?q=Expertmeeting")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = get(client, "/zoeken/?q=Leerkring")
    assert "Samen leren van de praktijk" in dutch and "Learning together from practice" not in dutch
