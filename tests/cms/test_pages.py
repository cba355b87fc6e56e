"""Every page type renders its content, in Dutch, with breadcrumbs, menu and footer."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.demo import tiny_pdf
from cms.models import FooterLink, HomePageFeaturedProgramme, SiteSettings
from communities.models import Circle
from tests.factories import CircleFactory

from .factories import (
    ContactPerson,
    ContentPage,
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
    paragraph,
)


def html(client, page_or_url) -> str:
    url = page_or_url if isinstance(page_or_url, str) else page_or_url.url
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def contact(db):
    return ContactPerson.objects.create(
        name="Sanne Verhoef", role="Programmaleider", email="sanne@demo.leerkring.example", phone="030 000 00 00"
    )


@pytest.fixture
def programme(home, contact):
    index = add(home, ProgrammeIndexPage(title="Programma's", slug="programmas", intro="Onze kennisprogramma's."))
    return add(
        index,
        ProgrammePage(
            title="Midsize NL",
            slug="midsize-nl",
            intro="Een kennis- en inspiratietraject voor middelgrote steden.",
            body=[paragraph("<p>Vraaggestuurd besturen in lokale netwerken.</p>")],
            agenda_points=[
                ("agenda_point", {"title": "Denk regionaal", "description": "Kijk over de grens."}),
                ("agenda_point", {"title": "Organiseer netwerkkracht", "description": ""}),
            ],
            activities=[
                ("activity", {"title": "Slim samenwerken in regionale netwerken", "kind": "community",
                              "description": None, "contact": "netwerken@demo.leerkring.example"}),
            ],
            contact_person=contact,
        ),
    )


def test_home_answers_in_dutch_with_programmes_events_and_news(client, home, agenda, programme):
    HomePageFeaturedProgramme.objects.create(page=home, programme=programme)
    make_event(agenda, title="Expertmeeting over de toekomst")
    news = add(home, NewsIndexPage(title="Nieuws", slug="nieuws"))
    add(news, NewsPage(title="Nieuw convenant G32", date=datetime.date(2014, 11, 20)))
    home.body = [paragraph("<p>Zo werkt een leerkring.</p>")]
    home.save()

    page = html(client, "/")

    assert '<html lang="nl">' in page
    assert "Samen leren van de praktijk" in page
    assert "Bekijk de leerkringen" in page
    assert "Programma&#x27;s" in page and "Midsize NL" in page
    assert "Komende bijeenkomsten" in page and "Expertmeeting over de toekomst" in page
    assert "Laatste nieuws" in page and "Nieuw convenant G32" in page and "20 november 2014" in page
    assert "Zo werkt een leerkring." in page


def test_menu_and_footer_come_from_the_site(client, home, agenda):
    privacy = add(home, ContentPage(title="Privacyverklaring", slug="privacyverklaring"))
    settings = SiteSettings.for_site(home.get_site())
    settings.privacy_page = privacy
    settings.footer_links = [FooterLink(label="Privacyverklaring", page=privacy), FooterLink(label="Nieuwsbrief", url="/nieuwsbrief/")]
    settings.save()

    page = html(client, agenda)

    assert '<a href="/agenda/" aria-current="page">Agenda</a>' in page
    assert '<li><a href="/privacyverklaring/">Privacyverklaring</a></li>' in page
    assert '<li><a href="/nieuwsbrief/">Nieuwsbrief</a></li>' in page


def test_content_page(client, home):
    page = add(home, ContentPage(title="Privacyverklaring", slug="privacy", intro="Welke gegevens we vragen.",
                                 body=[("heading", {"heading_text": "Je rechten", "size": "h2"}),
                                       paragraph("<p>Je kunt je gegevens inzien.</p>")]))
    content = html(client, page)
    assert "<h1>Privacyverklaring</h1>" in content
    assert "Welke gegevens we vragen." in content
    assert "Je rechten" in content and "Je kunt je gegevens inzien." in content
    assert 'aria-label="Je bent hier"' in content  # breadcrumbs


def test_programme_page_shows_agenda_points_activities_contact_and_circles(client, programme):
    CircleFactory(name="Slim samenwerken", slug="slim-samenwerken", programme=programme,
                  join_policy=Circle.JoinPolicy.REQUEST, description="Sturen in regionale netwerken.")
    CircleFactory(name="Open kring", slug="open-kring", programme=programme, join_policy=Circle.JoinPolicy.OPEN)
    CircleFactory(name="Verborgen kring", slug="verborgen", programme=programme, visibility=Circle.Visibility.UNLISTED)

    page = html(client, programme)

    assert "Vraaggestuurd besturen in lokale netwerken." in page
    assert "Agenda voor de toekomst" in page
    assert page.index("Denk regionaal") < page.index("Organiseer netwerkkracht")
    assert "Activiteiten" in page and "Slim samenwerken in regionale netwerken" in page
    assert "Community of practice" in page
    assert "Sanne Verhoef" in page and 'href="tel:0300000000"' in page
    assert '<a class="lk-button lk-button--small" href="/kringen/slim-samenwerken/">Vraag toegang aan' in page
    assert '<a class="lk-button lk-button--small" href="/kringen/open-kring/">Doe mee' in page
    assert "Verborgen kring" not in page
    assert "Programma&#x27;s" in page  # breadcrumb to the overview


def test_programme_index_lists_programmes(client, programme):
    page = html(client, programme.get_parent())
    assert "Midsize NL" in page and "Een kennis- en inspiratietraject voor middelgrote steden." in page


def test_event_page_shows_facts_agenda_workshops_and_form(client, agenda, contact):
    start = datetime.datetime(2030, 10, 23, 14, 0, tzinfo=datetime.UTC)
    event = make_event(
        agenda,
        title="Kennis- en netwerkdag",
        start=start,
        hours=3.5,
        contact_person=contact,
        agenda=[
            ("item", {"start_time": datetime.time(16, 0), "end_time": None, "title": "Ontvangst",
                      "speaker": "", "description": "Koffie en thee.", "is_break": True}),
            ("item", {"start_time": datetime.time(16, 45), "end_time": None, "title": "Trends en opgaven",
                      "speaker": "Senior onderzoeker", "description": "", "is_break": False}),
        ],
        workshop_rounds=[
            ("round", {"title": "Eerste ronde", "start_time": datetime.time(14, 15), "end_time": None, "sessions": [
                {"code": "A", "title": "Concept Binnenstad", "hosts": "Strategisch adviseur", "room": "Raadzaal", "description": ""},
                {"code": "B", "title": "Netwerkkracht in de regio", "hosts": "Burgemeester", "room": "Trouwzaal", "description": ""},
            ]}),
        ],
    )

    page = html(client, event)

    assert "woensdag 23 oktober 2030" in page
    assert "16:00 tot 19:30 uur" in page  # shown in Dutch time
    assert "Kennishuis" in page and "2595 AA Den Haag" in page
    assert "Bestuurders en beleidsadviseurs" in page
    assert "Zet in je agenda" in page
    assert "Ontvangst" in page and "Trends en opgaven" in page and "Senior onderzoeker" in page
    assert "Eerste ronde" in page and "Concept Binnenstad" in page and "Raadzaal" in page
    assert "Netwerkkracht in de regio" in page
    assert "Nog 2 plaatsen vrij" in page
    for label in ("Naam", "E-mailadres", "Organisatie", "Functie", "Collega&#x27;s die meekomen"):
        assert label in page
    assert "Sanne Verhoef" in page


def test_event_index_lists_upcoming_and_past_with_pagination(client, agenda):
    make_event(agenda, title="Komende expertmeeting", days_ahead=10)
    make_event(agenda, title="Netwerkdag van vorig jaar", days_ahead=-300)
    for number in range(11):
        make_event(agenda, title=f"Masterclass {number}", days_ahead=20 + number)

    upcoming = html(client, agenda)
    assert "Komende expertmeeting" in upcoming and "Netwerkdag van vorig jaar" not in upcoming
    assert 'rel="next"' in upcoming and "Volgende" in upcoming
    second = html(client, agenda.url + "?pagina=2")
    assert "Masterclass 10" in second and "Komende expertmeeting" not in second

    past = html(client, agenda.url + "?toon=afgelopen")
    assert "Netwerkdag van vorig jaar" in past and "Komende expertmeeting" not in past
    assert "Afgelopen" in past


def test_news_index_news_page_and_rss(client, home):
    index = add(home, NewsIndexPage(title="Nieuws", slug="nieuws", intro="Nieuws over de programma's."))
    item = add(index, NewsPage(title="Nieuw convenant G32-stedennetwerk", date=datetime.date(2014, 11, 20),
                               intro="De samenwerking gaat door.",
                               body=[paragraph("<p>Leergemeenschappen in een vertrouwde setting.</p>")]))

    listing = html(client, index)
    assert "Nieuw convenant G32-stedennetwerk" in listing and "Volg het nieuws via RSS" in listing
    detail = html(client, item)
    assert "20 november 2014" in detail and "Leergemeenschappen in een vertrouwde setting." in detail

    response = client.get(index.url + index.reverse_subpage("rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Nieuws"
    assert [i.findtext("title") for i in channel.findall("item")] == ["Nieuw convenant G32-stedennetwerk"]


def test_publication_page_offers_the_document(client, home):
    Document = get_document_model()
    document = Document(title="Strategierapport")
    content = tiny_pdf(["Rapport"])
    document.file.save("rapport.pdf", ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    index = add(home, PublicationIndexPage(title="Publicaties", slug="publicaties"))
    publication = add(index, PublicationPage(title="Naar een strategie voor de middelgrote stad",
                                             intro="Uitgangsposities in cijfers en 18 richtinggevende opgaven.",
                                             authors="Onderzoekers", document=document,
                                             publication_date=datetime.date(2017, 4, 21)))

    assert "Naar een strategie voor de middelgrote stad" in html(client, index)
    page = html(client, publication)
    assert "Samenvatting" in page and "18 richtinggevende opgaven" in page
    assert "Download de publicatie" in page and f'href="{document.url}"' in page
    assert "(PDF, " in page and "bytes)" in page
    assert "april 2017" in page


def test_partner_index_lists_organisations_filterable_by_network(client, home, contact):
    pmg = Network.objects.create(abbreviation="PMG", name="Platform Middelgrote Gemeenten", slug="pmg")
    g32 = Network.objects.create(abbreviation="G32", name="G32-stedennetwerk", slug="g32")
    make_organisation("Veenendaal", networks=[pmg], since=2015)
    make_organisation("Hilversum", networks=[g32], province="NH")
    make_organisation("Geen partner", since=None)
    partners = add(home, PartnerIndexPage(title="Partners", slug="partners", contact_person=contact,
                                          body=[("key_figures", {"heading": "Partnerbijdrage", "figures": [
                                              {"value": "€ 5.000", "label": "Regulier partnertarief"},
                                              {"value": "€ 1.250", "label": "Korting voor PMG-leden"}]})]))

    page = html(client, partners)
    assert "Veenendaal" in page and "Hilversum" in page and "Geen partner" not in page
    assert "2 partners" in page and "gemeente" in page and "Utrecht" in page and "2015" in page
    assert "€ 5.000" in page and "Korting voor PMG-leden" in page
    assert "Partner worden?" in page

    filtered = html(client, partners.url + "?netwerk=g32")
    assert "Hilversum" in filtered and "Veenendaal" not in filtered
    assert "1 partner in G32" in filtered


def test_lesson_index_and_lesson_page(client, home):
    index = add(home, LessonIndexPage(title="Lessen uit de praktijk", slug="lessen"))
    assert "Er zijn nog geen lessen gepubliceerd." in html(client, index)
    lesson = LessonPage(title="Regionale samenwerking begint klein", intro="Begin met één gedeelde opgave.",
                        body=[paragraph("<p>Een wethouder nam het voortouw.</p>")], date=datetime.date(2026, 5, 1))
    lesson.themes.set(["regio", "netwerken"])
    add(index, lesson)

    listing = html(client, index)
    assert "Regionale samenwerking begint klein" in listing and "netwerken" in listing
    page = html(client, lesson)
    assert "Les uit de praktijk" in page and "Een wethouder nam het voortouw." in page and "regio" in page


def test_a_draft_is_not_shown(client, home):
    page = add(home, ContentPage(title="Concepttekst", slug="concept", live=False))
    assert client.get(page.url or "/concept/").status_code == 404


def test_menu_and_footer_cost_no_queries_once_cached_and_follow_publishing(client, home, django_assert_num_queries):
    client.get("/nieuwsbrief/")  # the first visitor builds the menu
    with django_assert_num_queries(0):
        page = client.get("/nieuwsbrief/").content.decode()
    assert ">Nieuws</a></li>" not in page

    index = add(home, NewsIndexPage(title="Nieuws", slug="nieuws", show_in_menus=True))
    index.save_revision().publish()

    assert '<li><a href="/nieuws/">Nieuws</a></li>' in client.get("/nieuwsbrief/").content.decode()


def _pdf_document(title: str, lines: list[str]):
    content = tiny_pdf(lines)
    document = get_document_model()(title=title)
    document.file.save("slides.pdf", ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    return document


def _attach(event, *items):
    from cms.models import EventDocument

    for order, (document, kind, title) in enumerate(items):
        EventDocument.objects.create(page=event, document=document, kind=kind, title=title, sort_order=order)


def test_past_event_offers_its_report_and_presentations_for_download(client, agenda):
    from cms.models import EventDocument

    event = make_event(agenda, title="Terugblik", days_ahead=-10)
    report = _pdf_document("Verslag", ["Verslag van de dag"])
    slides = _pdf_document("Dia's van de opening", ["Opening"])
    _attach(event, (report, EventDocument.Kind.REPORT, "Verslag van de dag"), (slides, EventDocument.Kind.PRESENTATION, ""))

    page = html(client, event)

    assert '<h2 id="documents-heading">Verslag en presentaties</h2>' in page
    size = f"{report.file_size}\xa0bytes"
    assert f'<a href="{report.url}" download>Verslag van de dag <span class="lk-muted-inline">(PDF-bestand, {size})</span></a>' in page
    assert f'href="{slides.url}" download>Dia&#x27;s van de opening' in page
    assert page.index("Verslag van de dag") < page.index("Dia&#x27;s van de opening")
    assert ">Presentatie</span>" in page
    assert client.get(report.url).getvalue().startswith(b"%PDF-1.4")


def test_upcoming_event_announces_its_documents_for_after_the_day(client, agenda):
    from cms.models import EventDocument

    event = make_event(agenda, title="Straks")
    slides = _pdf_document("Dia's", ["Nog niet"])
    _attach(event, (slides, EventDocument.Kind.PRESENTATION, ""))

    page = html(client, event)

    assert "Het verslag en de presentaties staan hier na afloop van de bijeenkomst." in page
    assert slides.url not in page and "documents-heading" not in page
    assert "na afloop" not in html(client, make_event(agenda, title="Zonder documenten", slug="zonder"))
