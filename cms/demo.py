"""Demo content of the public site, from the facts of the seed documents (never their sentences).

Idempotent: every page, snippet and setting is looked up first and only created when missing,
so a second run creates no pages, revisions or rows. All people and contact details are
fictional; speakers and hosts are described by their role.
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from .models import (
    ContactPerson,
    ContentPage,
    EventDocument,
    EventIndexPage,
    EventPage,
    FooterLink,
    HomePage,
    HomePageFeaturedProgramme,
    LessonIndexPage,
    Network,
    NewsIndexPage,
    NewsletterIssue,
    NewsPage,
    Organisation,
    PartnerIndexPage,
    ProgrammeIndexPage,
    ProgrammePage,
    PublicationIndexPage,
    PublicationPage,
    SiteSettings,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_CIRCLE_SLUG = "slim-samenwerken"
PROGRAMME_SLUG = "midsize-nl"
EXPERT_MEETING_SLUG = "expertmeeting-toekomstperspectief-middelgrote-gemeenten"
REPORT_TITLE = "Naar een strategie voor de middelgrote stad"


def seed(stdout) -> None:
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    home = _home(site)
    networks = _networks()
    contacts = _contacts()
    _organisations(networks)

    programmes = _child(
        home,
        ProgrammeIndexPage,
        slug="programmas",
        title="Programma's",
        show_in_menus=True,
        intro="Onze kennisprogramma's bundelen onderzoek, bijeenkomsten en leerkringen rond één maatschappelijke opgave.",
    )
    midsize = _child(programmes, ProgrammePage, slug=PROGRAMME_SLUG, **_midsize_fields(contacts["programme"]))

    agenda = _child(
        home,
        EventIndexPage,
        slug="agenda",
        title="Agenda",
        show_in_menus=True,
        intro="Expertmeetings, kennis- en netwerkdagen en startbijeenkomsten. Meld je aan via de pagina van de bijeenkomst.",
    )
    expert_meeting = _child(
        agenda, EventPage, slug=EXPERT_MEETING_SLUG, **_expert_meeting_fields(midsize, contacts["programme"])
    )
    network_day = _child(agenda, EventPage, slug="kennis-en-netwerkdag-maak-uw-gemeente-sterker", **_network_day_fields())
    _network_day_documents(network_day)
    _child(agenda, EventPage, slug="startbijeenkomst-scenarios-binnensteden", **_city_centre_fields(midsize, contacts["programme"]))

    news = _child(
        home,
        NewsIndexPage,
        slug="nieuws",
        title="Nieuws",
        show_in_menus=True,
        intro="Nieuws over de programma's, de netwerken van gemeenten en de leerkringen.",
    )
    convenant = _child(news, NewsPage, slug="nieuw-convenant-g32-stedennetwerk", **_convenant_fields())

    publications = _child(
        home,
        PublicationIndexPage,
        slug="publicaties",
        title="Publicaties",
        intro="Rapporten en verkenningen om te downloaden.",
    )
    _child(publications, PublicationPage, slug="naar-een-strategie-voor-de-middelgrote-stad", **_report_fields())

    partners = _child(
        home, PartnerIndexPage, slug="partners", title="Partners", show_in_menus=True, **_partner_fields(contacts["partners"])
    )
    lessons = _child(
        home,
        LessonIndexPage,
        slug="lessen",
        title="Lessen uit de praktijk",
        intro=(
            "Wat werkte, en wat niet? Geanonimiseerde lessen uit afgeronde casussen in de leerkringen, "
            "gepubliceerd met toestemming van wie de casus inbracht."
        ),
    )
    privacy = _child(home, ContentPage, slug="privacyverklaring", title="Privacyverklaring", **_privacy_fields())

    _feature(home, midsize)
    _english_versions(home=home, programmes=programmes, agenda=agenda, news=news, partners=partners,
                      publications=publications, lessons=lessons)
    _site_settings(site, privacy=privacy, publications=publications, lessons=lessons)
    _footer_in_english(SiteSettings.for_site(site))
    _editorial_groups()
    _newsletter_draft(featured=[expert_meeting, network_day, convenant])
    _link_demo_circle(midsize)
    stdout.write(f"Public site: home page '{home.title}' with programme, events, news, publication and partners.")


# --- helpers --------------------------------------------------------------------------------


def _child(parent: Page, model, *, slug: str, **fields):
    """The child page with this slug, created and published when it does not exist yet."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    parent.refresh_from_db()
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _home(site: Site) -> HomePage:
    current = site.root_page.specific
    if isinstance(current, HomePage):
        return current
    root = Page.get_first_root_node()
    home = HomePage(
        title="Samen leren van de praktijk",
        slug="leerkring",
        intro=(
            "Leerkring verbindt professionals van gemeenten, provincies en het Rijk. Breng een vraagstuk uit je "
            "eigen praktijk in, krijg feedback van collega's en experts, en neem mee wat elders al werkt."
        ),
        body=[
            ("heading", {"heading_text": "Zo werkt een leerkring", "size": "h2"}),
            (
                "paragraph",
                RichText(
                    "<ol><li>Je sluit je aan bij een kring rond een opgave die bij je werk past.</li>"
                    "<li>Je brengt een casus in: wat speelt er, wat heb je al geprobeerd, wat is je vraag?</li>"
                    "<li>Collega's stellen verhelderende vragen, daarna geven collega's en experts advies.</li>"
                    "<li>Je kiest wat je ermee doet, en de les die eruit volgt helpt de volgende gemeente.</li></ol>"
                ),
            ),
            (
                "newsletter_signup",
                {
                    "heading": "Blijf op de hoogte",
                    "text": "Eens per maand nieuws over programma's, bijeenkomsten en lessen uit de praktijk.",
                },
            ),
        ],
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    old_root = site.root_page
    site.root_page = home
    site.save()
    # Wagtail's "Welcome to your new Wagtail site!" page is not needed any more.
    if old_root.specific_class is Page and old_root.get_children_count() == 0:
        old_root.delete()
    return home


def _feature(home: HomePage, programme: ProgrammePage) -> None:
    if HomePageFeaturedProgramme.objects.filter(page=home).exists():
        return
    home = HomePage.objects.get(pk=home.pk)
    home.featured_programmes.add(HomePageFeaturedProgramme(programme=programme))
    home.save_revision().publish()


def _next_date(month: int, day: int) -> datetime.date:
    """The next such date after today (the expert meeting is always in the future)."""
    today = timezone.localdate()
    candidate = datetime.date(today.year, month, day)
    return candidate if candidate > today else datetime.date(today.year + 1, month, day)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def _paragraph(html: str):
    return ("paragraph", RichText(html))


def _heading(text: str):
    return ("heading", {"heading_text": text, "size": "h2"})


# --- English versions --------------------------------------------------------------------------


def _translate(page: Page, **fields) -> Page:
    """The English translation of a page (made with Wagtail's copy for translation), published."""
    english = Locale.objects.get(language_code="en")
    existing = page.get_translation_or_none(english)
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(english).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def _english_versions(*, home, programmes, agenda, news, partners, publications, lessons) -> None:
    """English versions of the home page and of the pages in the main menu and the footer; the
    pages inside these sections (events, news, programmes, publications) stay Dutch-only."""
    _translate(
        home,
        title="Learning together from practice",
        intro=(
            "Leerkring brings together professionals from municipalities, provinces and central government. Bring in a "
            "question from your own work, get feedback from peers and experts, and take home what already works elsewhere."
        ),
        body=[
            _heading("How a learning circle works"),
            _paragraph(
                "<ol><li>You join a circle around a challenge that fits your work.</li>"
                "<li>You bring in a case: what is going on, what have you tried, what do you want to know?</li>"
                "<li>Peers ask clarifying questions; then peers and experts give advice.</li>"
                "<li>You decide what to do with it, and the lesson you draw helps the next municipality.</li></ol>"
            ),
            (
                "newsletter_signup",
                {"heading": "Stay informed", "text": "News about programmes, events and lessons from practice, once a month."},
            ),
        ],
    )
    _translate(
        programmes,
        title="Programmes",
        intro="Our knowledge programmes combine research, meetings and learning circles around one challenge for society.",
    )
    _translate(
        agenda,
        title="Events",
        intro="Expert meetings, knowledge-and-network days and kick-off meetings. Register on the page of the event.",
    )
    _translate(news, title="News", intro="News about the programmes, the networks of municipalities and the learning circles.")
    _translate(
        partners,
        intro=(
            "Mid-sized municipalities that become partners get a contact person of their own and join meetings, "
            "learning circles and experiments for free or at a reduced rate."
        ),
        body=[
            _heading("What does partnership offer?"),
            _paragraph(
                "<ul><li>One contact person, the same as for the PMG network, who answers your questions or passes "
                "them on within the wider knowledge network.</li>"
                "<li>Free places or a discount for meetings, learning circles, experiments and other activities.</li>"
                "<li>Knowledge across urban and regional issues, besides what is typical of mid-sized cities.</li></ul>"
            ),
            (
                "key_figures",
                {
                    "heading": "Partner contribution",
                    "figures": [
                        {"value": "€ 5.000", "label": "Standard partner rate"},
                        {"value": "€ 1.250", "label": "Discount for members of the Platform Middelgrote Gemeenten (PMG)"},
                        {"value": "€ 3.750", "label": "Partner rate for PMG members"},
                    ],
                },
            ),
        ],
    )
    _translate(publications, title="Publications", intro="Reports and studies to download.")
    _translate(
        lessons,
        title="Lessons from practice",
        intro=(
            "What worked, and what did not? Anonymised lessons from concluded cases in the learning circles, "
            "published with the consent of the person who brought in the case."
        ),
    )


# --- snippets -------------------------------------------------------------------------------


def _networks() -> dict[str, Network]:
    pmg, _ = Network.objects.get_or_create(
        slug="pmg",
        defaults={
            "abbreviation": "PMG",
            "name": "Platform Middelgrote Gemeenten",
            "description": "Netwerk van middelgrote gemeenten dat kennis deelt over opgaven die typisch zijn voor hun schaal.",
        },
    )
    g32, _ = Network.objects.get_or_create(
        slug="g32",
        defaults={
            "abbreviation": "G32",
            "name": "G32-stedennetwerk",
            "description": "Netwerk van (middel)grote steden dat samenwerkt aan aantrekkelijke en krachtige steden.",
        },
    )
    return {"pmg": pmg, "g32": g32}


def _contacts() -> dict[str, ContactPerson]:
    programme, _ = ContactPerson.objects.get_or_create(
        email="midsize@demo.leerkring.example",
        defaults={
            "name": "Sanne Verhoef",
            "role": "Programmaleider Midsize NL",
            "organisation": "Programmabureau Leerkring",
            "phone": "030 000 00 00",
        },
    )
    partners, _ = ContactPerson.objects.get_or_create(
        email="partners@demo.leerkring.example",
        defaults={
            "name": "Femke Jansen",
            "role": "Relatiebeheerder partnergemeenten",
            "organisation": "Programmabureau Leerkring",
            "phone": "030 000 00 01",
        },
    )
    return {"programme": programme, "partners": partners}


# name: (province, networks, partner since) — the partner municipalities of the seed documents.
PARTNER_MUNICIPALITIES = {
    "Assen": ("DR", ["pmg"], 2016),
    "Goes": ("ZE", ["pmg"], 2016),
    "Hilversum": ("NH", ["g32"], 2015),
    "Lansingerland": ("ZH", ["pmg"], 2017),
    "Nissewaard": ("ZH", ["pmg"], 2016),
    "Oldambt": ("GR", ["pmg"], 2017),
    "Ridderkerk": ("ZH", ["pmg"], 2016),
    "Rijswijk": ("ZH", ["pmg"], 2017),
    "Veenendaal": ("UT", ["pmg"], 2015),
    "Vlaardingen": ("ZH", ["pmg"], 2016),
    "Waalwijk": ("NB", ["pmg"], 2015),
    "Winterswijk": ("GE", ["pmg"], 2017),
    "Zeist": ("UT", ["pmg"], 2015),
}


def _organisations(networks: dict[str, Network]) -> None:
    for name, (province, network_slugs, since) in PARTNER_MUNICIPALITIES.items():
        organisation, created = Organisation.objects.get_or_create(
            name=name,
            defaults={"kind": Organisation.Kind.MUNICIPALITY, "province": province, "partner_since": since},
        )
        if created:
            organisation.networks.set([networks[slug] for slug in network_slugs])


# --- pages ----------------------------------------------------------------------------------


def _midsize_fields(contact: ContactPerson) -> dict:
    agenda_points = [
        ("Denk regionaal", "De stad en de regio hebben elkaar nodig: kijk over de gemeentegrens heen naar wonen, werken en voorzieningen."),
        ("Ken je DNA (en dat van de regio)", "Weet waar je sterk in bent, hoe je geschiedenis en ligging je stad hebben gevormd en wat de regio uniek maakt."),
        ("Ga in gesprek", "Haal inwoners, ondernemers en maatschappelijke partners aan tafel voordat je keuzes maakt."),
        ("Kies slim positie met een sterk verhaal", "Bepaal welke rol je stad in de regio wil spelen en vertel dat verhaal overtuigend."),
        ("Bouw coalities", "Zoek partners die dezelfde opgave zien, binnen en buiten de overheid."),
        ("Organiseer netwerkkracht", "Zorg dat samenwerking blijft werken: lichtvoetig waar het kan, stevig waar het moet."),
    ]
    return {
        "title": "Midsize NL",
        "intro": (
            "Middelgrote steden zijn onmisbare schakels in het stedelijk netwerk: samen wonen er bijna twee keer "
            "zoveel mensen als in de vier grootste steden, en er zijn ruim anderhalf keer zoveel banen. Met het "
            "kennis- en inspiratietraject Midsize NL werken zij aan een nieuw handelingsperspectief."
        ),
        "body": [
            _heading("Vraaggestuurd besturen"),
            _paragraph(
                "<p>Sturen met grote bouwprojecten en de uitgifte van grond is voor veel middelgrote steden geen "
                "vanzelfsprekendheid meer. De gemeente werkt steeds vaker vraaggestuurd: als partner in lokale en "
                "regionale netwerken die aansluit bij wat inwoners en organisaties zelf in gang zetten.</p>"
            ),
            _heading("Een nieuw handelingsperspectief"),
            _paragraph(
                "<p>Economische en sociale veerkracht vragen per stad om een eigen koers, met slim maatwerk en "
                "strategische samenwerking. De schaal van een middelgrote stad is daarbij een voordeel: partijen "
                "vinden elkaar makkelijker, en initiatieven uit de samenleving, de markt en het maatschappelijk "
                "middenveld kunnen direct bijdragen aan stad en regio.</p>"
            ),
            _heading("Wie werken samen"),
            _paragraph(
                "<p>Midsize NL begon in 2015 met een verkenning van trends en uitdagingen; die vormen het vertrekpunt "
                "voor de activiteiten daarna. Platform31, Ruimtevolk, het ministerie van Binnenlandse Zaken, het "
                "G32-stedennetwerk en het Platform Middelgrote Gemeenten werken samen in het traject.</p>"
            ),
        ],
        "agenda_points": [("agenda_point", {"title": title, "description": text}) for title, text in agenda_points],
        "activities": [
            (
                "activity",
                {
                    "title": "Scenario's Nederlandse binnensteden: van trends tot prototypen",
                    "kind": "research",
                    "description": RichText(
                        "<p>Hoe ziet de toekomst van verschillende soorten binnensteden eruit? Wat betekenen nieuwe "
                        "functies voor de lokale economie, blijft het centrum de plek waar mensen elkaar ontmoeten, en "
                        "hoe blijft het van en voor iedereen? Samen met SITE begint in het voorjaar een open "
                        "innovatieproces, waarbij gemeenten als partner kunnen aansluiten.</p>"
                    ),
                    "contact": "Meer informatie: binnensteden@demo.leerkring.example",
                },
            ),
            (
                "activity",
                {
                    "title": "Slim samenwerken in regionale netwerken",
                    "kind": "community",
                    "description": RichText(
                        "<p>Steeds meer beleidsvraagstukken zijn netwerkvraagstukken die zich boven het lokale niveau "
                        "afspelen. In deze community of practice onderzoeken gemeenten hoe ze sturen in wisselende, "
                        "vaak regionale samenwerkingsverbanden.</p>"
                    ),
                    "contact": "Meer informatie: netwerken@demo.leerkring.example",
                },
            ),
            (
                "activity",
                {
                    "title": "Ondersteuning op maat",
                    "kind": "regional",
                    "description": RichText(
                        "<p>Voor onderzoek en verdieping, regionale uitwerking en het ontwikkelen van een eigen "
                        "handelingsperspectief:</p><ul><li>regionale quickscans en gesprekstafels</li>"
                        "<li>lokale presentaties</li><li>intervisiebijeenkomsten</li>"
                        "<li>masterclasses over specifieke onderwerpen</li></ul>"
                    ),
                    "contact": "",
                },
            ),
        ],
        "contact_person": contact,
    }


def _agenda_item(start, title, speaker="", description="", end=None, is_break=False):
    hour, minute = (int(part) for part in start.split(":"))
    value = {
        "start_time": datetime.time(hour, minute),
        "end_time": None,
        "title": title,
        "speaker": speaker,
        "description": description,
        "is_break": is_break,
    }
    if end:
        end_hour, end_minute = (int(part) for part in end.split(":"))
        value["end_time"] = datetime.time(end_hour, end_minute)
    return ("item", value)


def _expert_meeting_fields(programme: ProgrammePage, contact: ContactPerson) -> dict:
    day = _next_date(10, 23)
    start = _at(day, 16, 0)
    return {
        "title": "Expertmeeting: het toekomstperspectief van middelgrote gemeenten",
        "intro": (
            "Voor bestuurders en strategisch beleidsadviseurs van middelgrote gemeenten: welke trends en opgaven "
            "komen op je gemeente af, en welke strategische keuzes versterken haar positie in de regio?"
        ),
        "start": start,
        "end": _at(day, 19, 30),
        "venue_name": "Kennishuis Leerkring",
        "venue_address": "Voorbeeldplein 10\n2595 AA Den Haag",
        "audience": (
            "Bestuurders en strategisch beleidsadviseurs van middelgrote partnergemeenten, en van gemeenten die "
            "overwegen partner te worden"
        ),
        "programme": programme,
        "contact_person": contact,
        "capacity": 40,
        "registration_deadline": start - datetime.timedelta(days=7),
        "max_extra_participants": 3,
        "body": [
            _paragraph(
                "<p>Veel middelgrote gemeenten missen de voorzieningen van een grote stad, terwijl ze wel een "
                "sleutelrol spelen in hun regio. Een trendstudie van Platform31 laat zien dat ze voor flinke "
                "uitdagingen staan. Dat vraagt om regionaal denken en om slimme, strategische keuzes.</p>"
            ),
            _paragraph(
                "<p>Experts presenteren de trends en opgaven en delen wat het traject Midsize NL heeft opgeleverd. "
                "Met praktische opdrachten breng je de ligging, positie en rol van je eigen gemeente in beeld, "
                "vanuit haar identiteit en geschiedenis. Samen verkennen we welke keuzes haar positie versterken, "
                "en is er volop ruimte om ervaringen, aanpakken en dilemma's uit te wisselen.</p>"
            ),
        ],
        "agenda": [
            _agenda_item("16:00", "Ontvangst", description="Koffie, thee en een lichte snack.", is_break=True),
            _agenda_item("16:30", "Opening en welkom", speaker="Directeur van het kennisinstituut"),
            _agenda_item("16:35", "Introductie en kennismaking", speaker="De dagvoorzitter"),
            _agenda_item(
                "16:45",
                "Trends, opgaven en uitdagingen voor middelgrote gemeenten",
                speaker="Senior onderzoeker middelgrote steden",
            ),
            _agenda_item(
                "17:15",
                "Werksessie 1: ligging, positie en rol",
                description=(
                    "Iedere gemeente brengt haar eigen ligging, positie en rol in kaart en benoemt de opgaven, "
                    "uitdagingen en kansen die richting geven."
                ),
            ),
            _agenda_item("18:00", "Hartige hap", is_break=True),
            _agenda_item(
                "18:30",
                "Werksessie 2: strategische positie en koers",
                description=(
                    "In gesprek over mogelijke, wenselijke, noodzakelijke en haalbare strategische keuzes per "
                    "gemeente, en over de knelpunten en dilemma's die je daarbij verwacht."
                ),
            ),
            _agenda_item(
                "19:15",
                "Wrap-up",
                description="Korte inventarisatie van kennisvragen en van wensen voor het partnerschap.",
            ),
            _agenda_item("19:30", "Einde", is_break=True),
        ],
    }


def _workshop(code, title, hosts, room, description):
    return {"code": code, "title": title, "hosts": hosts, "room": room, "description": description}


def _network_day_fields() -> dict:
    day = datetime.date(2017, 4, 21)
    return {
        "title": "Kennis- en netwerkdag PMG: Maak uw gemeente sterker!",
        "intro": (
            "Op de kennis- en netwerkdag van het Platform Middelgrote Gemeenten werden nieuwe onderzoeksresultaten "
            "over middelgrote steden gepresenteerd, gevolgd door twee rondes met workshops."
        ),
        "start": _at(day, 12, 30),
        "end": _at(day, 17, 0),
        "venue_name": "Stadhuis Gorinchem (gastgemeente)",
        "venue_address": "Voorbeeldstraat 1\n4201 AA Gorinchem",
        "audience": "Bestuurders en ambtenaren van gemeenten die lid zijn van het Platform Middelgrote Gemeenten",
        "capacity": 80,
        "registration_enabled": False,
        "body": [
            _paragraph(
                "<p>Om beter zicht te krijgen op de uitgangsposities van middelgrote steden is onderzocht hoe "
                "gemeenten ervoor staan op demografie, economie en arbeidsmarkt, en woon- en leefomgeving. Het "
                "onderzoek bouwt voort op Midsize NL en was bedoeld als voeding voor de coalitieprogramma's van "
                "2018–2022. Alle gemeenten die bij de start lid waren van het PMG zijn meegenomen.</p>"
            ),
            _paragraph(
                "<p>Onder meer Coevorden, Etten-Leur, Gorinchem, Leidschendam-Voorburg, Meierijstad, Nieuwegein, "
                "Oosterhout, Peel en Maas, Pijnacker-Nootdorp, Veenendaal, Vlissingen, Waalwijk en Zeist waren "
                "vertegenwoordigd.</p>"
            ),
        ],
        "agenda": [
            _agenda_item("12:30", "Ontvangst", is_break=True),
            _agenda_item("13:00", "Welkom", speaker="Burgemeester van gastgemeente Gorinchem"),
            _agenda_item("13:10", "Aftrap", speaker="Voorzitter van het PMG"),
            _agenda_item(
                "13:20",
                "Presentatie: Naar een strategie voor de middelgrote stad",
                speaker="Twee onderzoekers van het kennisinstituut",
                description=(
                    "De uitgangsposities van verschillende soorten middelgrote steden in cijfers, en 18 "
                    "richtinggevende opgaven om een eigen strategie te ontwikkelen."
                ),
            ),
            _agenda_item("14:15", "Eerste workshopronde (A en B)", end="15:15"),
            _agenda_item("15:15", "Tweede workshopronde (C en D)", end="16:15"),
            _agenda_item(
                "16:15",
                "Afsluiting: het partnerschap tussen PMG en kennisinstituut",
                speaker="Voorzitter van het PMG en directeur van het kennisinstituut",
                description="Ook over partnerschap voor PMG-gemeenten, met korting op de partnerbijdrage.",
            ),
            _agenda_item("16:45", "Borrel", is_break=True),
        ],
        "workshop_rounds": [
            (
                "round",
                {
                    "title": "Eerste ronde",
                    "start_time": datetime.time(14, 15),
                    "end_time": datetime.time(15, 15),
                    "sessions": [
                        _workshop(
                            "A",
                            "Concept Binnenstad",
                            "Strategisch adviseur van Leidschendam-Voorburg en projectleider van het kennisinstituut",
                            "Raadzaal",
                            "Binnensteden van middelgrote gemeenten hebben nieuwe concepten en diensten nodig om "
                            "meer bezoekers te trekken. De deelnemers maakten kennis met een co-creatieve aanpak "
                            "en de inzichten die die opleverde.",
                        ),
                        _workshop(
                            "B",
                            "Netwerkkracht organiseren in de regio Utrecht",
                            "Vertegenwoordiger van de U10, burgemeester van Nieuwegein en projectleider van het kennisinstituut",
                            "Trouwzaal",
                            "Hoe draagt een middelgrote stad bij aan het succes van haar regio, en hoe profiteert "
                            "ze van de nabijheid van andere steden? Over de lichtvoetige samenwerking in de U10.",
                        ),
                    ],
                },
            ),
            (
                "round",
                {
                    "title": "Tweede ronde",
                    "start_time": datetime.time(15, 15),
                    "end_time": datetime.time(16, 15),
                    "sessions": [
                        _workshop(
                            "C",
                            "Economische kracht versterken in Roermond",
                            "Vertegenwoordiger van Roermond en onderzoeker van het kennisinstituut",
                            "Raadzaal",
                            "Een duidelijke focus op de eigen sterke punten maakt de regionale economie sterker. "
                            "Roermond koos bewust en plukt daar de vruchten van.",
                        ),
                        _workshop(
                            "D",
                            "Lokale kracht organiseren en benutten in Peel en Maas",
                            "Vertegenwoordiger van Peel en Maas en projectleider van het kennisinstituut",
                            "Trouwzaal",
                            "Wat doe je als gemeente, en wat laat je juist, zodat vitale gemeenschappen en "
                            "zelfsturing de ruimte krijgen? Over de veranderde rollen van de overheid.",
                        ),
                    ],
                },
            ),
        ],
    }


def _city_centre_fields(programme: ProgrammePage, contact: ContactPerson) -> dict:
    day = _next_date(3, 12)
    start = _at(day, 14, 0)
    return {
        "title": "Startbijeenkomst Scenario's Nederlandse binnensteden",
        "intro": (
            "De aftrap van een open innovatieproces over de toekomst van binnensteden, voor gemeenten en partners "
            "die zich aan het traject willen verbinden."
        ),
        "start": start,
        "end": _at(day, 17, 0),
        "venue_name": "Kennishuis Leerkring",
        "venue_address": "Voorbeeldplein 10\n2595 AA Den Haag",
        "audience": "Gemeenten, ondernemers en andere partners die willen meedenken over de binnenstad van morgen",
        "programme": programme,
        "contact_person": contact,
        "capacity": 30,
        "max_extra_participants": 2,
        "body": [
            _paragraph(
                "<p>We verkennen trends en vertalen ze naar scenario's en prototypen voor verschillende soorten "
                "binnensteden: van winkelgebied naar ontmoetingsplek voor iedereen.</p>"
            )
        ],
        "agenda": [
            _agenda_item("14:00", "Inloop", is_break=True),
            _agenda_item("14:30", "Trends die de binnenstad veranderen", speaker="Onderzoeker van het kennisinstituut"),
            _agenda_item("15:15", "Werksessie: van scenario naar prototype"),
            _agenda_item("16:30", "Afspraken voor het vervolg", speaker="Programmaleider Midsize NL"),
        ],
    }


def _convenant_fields() -> dict:
    return {
        "title": "Nieuw convenant tussen het G32-stedennetwerk en Platform31",
        "date": datetime.date(2014, 11, 20),
        "intro": (
            "Het G32-stedennetwerk en Platform31 zetten hun samenwerking voort. Op 20 november 2014 tekenden de "
            "voorzitter van het netwerk en de directeur van Platform31 het convenant Samenwerken aan Aantrekkelijke "
            "en Krachtige Steden 2015–2018."
        ),
        "body": [
            _paragraph(
                "<p>De steden en Platform31 werken al jaren samen aan sterke steden. Het nieuwe convenant regelt de "
                "samenwerking op kennisontwikkeling en kennisdeling voor de komende periode. Het programma sluit aan "
                "op de thema's die de 37 G32-steden in de zomer van 2014 op hun bestuurlijke startconferentie kozen, "
                "en laat ruimte voor actuele ontwikkelingen.</p>"
            ),
            _heading("Van weten naar doen"),
            _paragraph(
                "<p>Steden willen niet alleen weten wát er speelt, maar ook hóe ze ermee aan de slag kunnen. Daarom "
                "komen er projecten en kennisprogramma's voor de stedelijke praktijk, bijvoorbeeld over vitale "
                "binnensteden, wonen en zorg, en betaalbaar wonen: met experimenten, expertsessies, "
                "leergemeenschappen en onderzoek. De kennis verbindt wonen, economie, ruimte en het sociale "
                "domein, en slaat een brug tussen praktijk, wetenschap en politiek.</p>"
            ),
            _heading("Leren in een vertrouwde setting"),
            _paragraph(
                "<p>In leergemeenschappen rond actuele stedelijke vraagstukken verdiepen ambtenaren zich in elkaars "
                "casussen en krijgen ze feedback van deskundigen. Marktpartijen, aanbieders en ministeries leveren "
                "gerichte inbreng, los van hiërarchische verhoudingen. Zo ontstaan aanpakken die meteen bruikbaar "
                "zijn in de eigen stad.</p>"
            ),
            _paragraph(
                "<p>Nieuwe kennis komt ook uit experimentenprogramma's als Langer Thuis, Aangename Aanloopstraten en "
                "Ruim op die Regels, en uit het onderzoeksprogramma Smart Urban Regions in the Future (SURF).</p>"
            ),
        ],
    }


def _report_fields() -> dict:
    return {
        "title": REPORT_TITLE,
        "publication_date": datetime.date(2017, 4, 21),
        "authors": "Platform31",
        "intro": (
            "Hoe staan middelgrote steden ervoor op demografie, economie en arbeidsmarkt, en woon- en leefomgeving? "
            "Dit rapport brengt de uitgangsposities van verschillende soorten middelgrote steden in cijfers in beeld "
            "en beschrijft 18 richtinggevende opgaven waarmee een gemeente haar eigen strategie kan ontwikkelen. "
            "Het verdiept de publicatie Midsize NL."
        ),
        "document": _report_document(),
    }


def _partner_fields(contact: ContactPerson) -> dict:
    return {
        "intro": (
            "Middelgrote gemeenten die partner zijn, krijgen een vaste contactpersoon en doen gratis of met korting "
            "mee aan bijeenkomsten, leerkringen en experimenten."
        ),
        "contact_person": contact,
        "body": [
            _heading("Wat levert partnerschap op?"),
            _paragraph(
                "<ul><li>Een vaste contactpersoon, dezelfde als voor het PMG-netwerk, die je kennisvragen beantwoordt "
                "of uitzet in het bredere kennisnetwerk.</li>"
                "<li>Gratis deelname aan of korting op bijeenkomsten, leerkringen, experimenten en andere "
                "activiteiten.</li>"
                "<li>Kennis over de volle breedte van stedelijke en regionale vraagstukken, naast wat specifiek "
                "middelgroot is.</li></ul>"
            ),
            (
                "key_figures",
                {
                    "heading": "Partnerbijdrage",
                    "figures": [
                        {"value": "€ 5.000", "label": "Regulier partnertarief"},
                        {"value": "€ 1.250", "label": "Korting voor leden van het Platform Middelgrote Gemeenten (PMG)"},
                        {"value": "€ 3.750", "label": "Partnertarief voor PMG-leden"},
                    ],
                },
            ),
            _heading("PMG en Platform31"),
            _paragraph(
                "<p>Het Platform Middelgrote Gemeenten en Platform31 hebben hun samenwerking vastgelegd in een "
                "overeenkomst; elk jaar volgt een werkprogramma met concrete activiteiten. Platform31 helpt bij de "
                "inhoud van de jaarlijkse PMG kennis- en netwerkdag en denkt mee over de pijlers bestuur, economie "
                "en fysieke leefomgeving, en samenleving.</p>"
            ),
        ],
    }


def _privacy_fields() -> dict:
    return {
        "intro": "Welke gegevens we van je vragen, waarvoor we ze gebruiken en hoe je ze kunt inzien of laten verwijderen.",
        "body": [
            _heading("Aanmelden voor een bijeenkomst"),
            _paragraph(
                "<p>Voor een aanmelding vragen we je naam, e-mailadres, organisatie en functie, en eventueel de "
                "namen van collega's die meekomen. We gebruiken deze gegevens alleen om de bijeenkomst te "
                "organiseren: voor de deelnemerslijst, de bevestiging en berichten over de wachtlijst. We bewaren "
                "ze niet langer dan daarvoor nodig is.</p>"
            ),
            _heading("Nieuwsbrief"),
            _paragraph(
                "<p>Voor de nieuwsbrief bewaren we alleen je e-mailadres, en pas nadat je je aanmelding via de "
                "bevestigingsmail hebt bevestigd. Onder elke mail staat een link om je af te melden.</p>"
            ),
            _heading("Je rechten"),
            _paragraph(
                "<p>Je kunt je gegevens inzien, laten aanpassen of laten verwijderen. Stuur daarvoor een mail naar "
                "privacy@demo.leerkring.example.</p>"
            ),
        ],
    }


# --- document -------------------------------------------------------------------------------


def _report_document():
    Document = get_document_model()
    document = Document.objects.filter(title=REPORT_TITLE).first()
    if document is not None:
        return document
    pdf = tiny_pdf(
        [
            REPORT_TITLE,
            "",
            "Demobestand voor de Leerkring-demo.",
            "Samenvatting: uitgangsposities van middelgrote steden in cijfers",
            "(demografie, economie en arbeidsmarkt, woon- en leefomgeving)",
            "en 18 richtinggevende opgaven voor een eigen strategie.",
        ]
    )
    document = Document(title=REPORT_TITLE)
    document.file.save("naar-een-strategie-voor-de-middelgrote-stad.pdf", ContentFile(pdf), save=False)
    document.file_size = len(pdf)
    document.save()
    return document


# (title, kind, file name, lines of the PDF): the report and the slides of the network day, written for the demo.
NETWORK_DAY_DOCUMENTS = [
    (
        "Verslag van de kennis- en netwerkdag",
        EventDocument.Kind.REPORT,
        "verslag-kennis-en-netwerkdag.pdf",
        [
            "Verslag van de kennis- en netwerkdag (demobestand)",
            "",
            "Na de presentatie van het onderzoek spraken de deelnemers in vier workshops",
            "over binnensteden, regionale samenwerking, economische focus en lokale kracht.",
            "Rode draad: kies als middelgrote gemeente bewust je rol in de regio.",
        ],
    ),
    (
        "Presentatie: Naar een strategie voor de middelgrote stad",
        EventDocument.Kind.PRESENTATION,
        "presentatie-strategie-middelgrote-stad.pdf",
        [
            "Naar een strategie voor de middelgrote stad (demobestand)",
            "",
            "1. Uitgangsposities in cijfers: bevolking, banen, wonen",
            "2. Vier soorten middelgrote steden",
            "3. Achttien opgaven om een eigen koers uit te zetten",
        ],
    ),
    (
        "Workshop B: Netwerkkracht organiseren in de regio",
        EventDocument.Kind.PRESENTATION,
        "workshop-b-netwerkkracht.pdf",
        [
            "Workshop B: netwerkkracht organiseren (demobestand)",
            "",
            "Lichtvoetig samenwerken waar het kan, stevig afspreken waar het moet.",
        ],
    ),
]


def _network_day_documents(event: EventPage) -> None:
    if EventDocument.objects.filter(page=event).exists():
        return
    Document = get_document_model()
    for order, (title, kind, filename, lines) in enumerate(NETWORK_DAY_DOCUMENTS):
        document = Document.objects.filter(title=title).first()
        if document is None:
            pdf = tiny_pdf(lines)
            document = Document(title=title)
            document.file.save(filename, ContentFile(pdf), save=False)
            document.file_size = len(pdf)
            document.save()
        EventDocument.objects.create(page=event, document=document, kind=kind, sort_order=order)


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF with some lines of text (Helvetica, WinAnsi), without a PDF library."""

    def escape(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    stream = b"BT /F1 13 Tf 72 770 Td 18 TL "
    for line in lines:
        stream += b"(" + escape(line) + b") Tj T* "
    stream += b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


# --- settings, groups, circles ----------------------------------------------------------------


def _site_settings(site: Site, *, privacy: Page, publications: Page, lessons: Page) -> None:
    settings = SiteSettings.for_site(site)
    if settings.contact_email or settings.footer_links.exists():
        return
    settings.contact_email = "info@demo.leerkring.example"
    settings.contact_phone = "030 000 00 00"
    settings.contact_address = "Programmabureau Leerkring\nVoorbeeldplein 10\n2595 AA Den Haag"
    settings.privacy_page = privacy
    settings.newsletter_intro = "Eens per maand nieuws over programma's, bijeenkomsten en lessen uit de praktijk."
    settings.footer_links = [
        FooterLink(label="Publicaties", page=publications),
        FooterLink(label="Lessen uit de praktijk", page=lessons),
        FooterLink(label="Nieuwsbrief", url="/nieuwsbrief/"),
        FooterLink(label="Privacyverklaring", page=privacy),
    ]
    with transaction.atomic():
        settings.save()


# Footer links to a web address or to a Dutch-only page get an English text (translated pages bring their title).
FOOTER_ENGLISH = {"Nieuwsbrief": "Newsletter", "Privacyverklaring": "Privacy statement"}


def _footer_in_english(settings: SiteSettings) -> None:
    for link in settings.footer_links.filter(label__in=FOOTER_ENGLISH, label_en=""):
        link.label_en = FOOTER_ENGLISH[link.label]
        link.save(update_fields=["label_en"])


EDITORIAL_GROUPS = {"editor": "Editors", "moderator": "Moderators"}  # demo user: Wagtail group (cms migration 0002)


def _editorial_groups() -> None:
    from communities.demo_users import demo_user

    for key, group_name in EDITORIAL_GROUPS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        try:
            user = demo_user(key)
        except ObjectDoesNotExist:  # the demo users are made by communities.demo_users, before this module
            continue
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)


NEWSLETTER_DRAFT_SUBJECT = "Nieuwsbrief Leerkring: expertmeeting en kennis- en netwerkdag"


def _newsletter_draft(*, featured: list[Page]) -> None:
    """One unsent issue, so editors can try the preview and the test mail."""
    if NewsletterIssue.objects.filter(subject=NEWSLETTER_DRAFT_SUBJECT).exists():
        return
    NewsletterIssue.objects.create(
        subject=NEWSLETTER_DRAFT_SUBJECT,
        intro="Twee bijeenkomsten om in je agenda te zetten, en nieuws uit het G32-stedennetwerk.",
        body=[
            _heading("Samen sterker als middelgrote gemeente"),
            _paragraph(
                "<p>Middelgrote gemeenten staan voor dezelfde opgaven als de grote steden, met minder mensen. "
                "Op de expertmeeting en de kennis- en netwerkdag leer je van collega's die het al doen.</p>"
            ),
        ],
        featured_pages=[("page", page) for page in featured],
    )


def _link_demo_circle(programme: ProgrammePage) -> None:
    from communities.models import Circle

    Circle.objects.filter(slug=DEMO_CIRCLE_SLUG, programme__isnull=True).update(programme=programme)
