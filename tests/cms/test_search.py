"""Site search over public pages, and the sitemap."""

from wagtail.models import PageViewRestriction

from .factories import ContentPage, NewsIndexPage, NewsPage, add, paragraph


def test_search_finds_a_page_by_a_word_in_its_body(client, home):
    news = add(home, NewsIndexPage(title="Nieuws", slug="nieuws"))
    add(news, NewsPage(title="Nieuw convenant", slug="convenant", intro="De samenwerking gaat door.",
                       body=[paragraph("<p>Experimenten zoals Aanloopstraten en leergemeenschappen.</p>")]))
    add(home, ContentPage(title="Over ons", slug="over-ons", body=[paragraph("<p>Wie wij zijn.</p>")]))

    response = client.get("/zoeken/", {"q": "aanloopstraten"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pagina's op deze website" in page
    assert "1 pagina gevonden" in page
    assert '<a href="/nieuws/convenant/">Nieuw convenant</a>' in page
    assert "De samenwerking gaat door." in page
    assert "Over ons" not in page


def test_search_leaves_out_drafts_and_restricted_pages(client, home):
    add(home, ContentPage(title="Concept", slug="concept", live=False, body=[paragraph("<p>Geheimwoord</p>")]))
    private = add(home, ContentPage(title="Besloten", slug="besloten", body=[paragraph("<p>Geheimwoord</p>")]))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    page = client.get("/zoeken/", {"q": "geheimwoord"}).content.decode()

    assert "Er zijn geen pagina's gevonden voor ‘geheimwoord’." in page
    assert "Concept" not in page and "Besloten" not in page


def test_search_page_without_a_query_shows_the_form(client, home):
    page = client.get("/zoeken/").content.decode()
    assert 'role="search"' in page and "Zoeken naar" in page
    assert "Pagina's op deze website" not in page


def test_sitemap_lists_public_pages(client, home):
    add(home, ContentPage(title="Privacyverklaring", slug="privacyverklaring"))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "/privacyverklaring/</loc>" in response.content.decode()
