"""`manage.py seed_demo` publishes the public site from the seed documents' facts, idempotently."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, Revision, Site

from cms.demo import PARTNER_MUNICIPALITIES
from cms.models import (
    ContactPerson,
    EventPage,
    FooterLink,
    HomePage,
    Network,
    NewsletterIssue,
    NewsPage,
    Organisation,
    ProgrammePage,
    PublicationPage,
    SiteSettings,
)


def snapshot() -> dict:
    return {
        "pages": list(
            Page.objects.order_by("path").values_list("path", "title", "live", "latest_revision_id", "last_published_at")
        ),
        "revisions": Revision.objects.count(),
        "log_entries": PageLogEntry.objects.count(),
        "organisations": list(Organisation.objects.order_by("name").values_list("name", "province", "partner_since")),
        "memberships": list(Organisation.networks.through.objects.order_by("pk").values_list("pk", flat=True)),
        "networks": Network.objects.count(),
        "contacts": ContactPerson.objects.count(),
        "documents": list(get_document_model().objects.values_list("pk", "file")),
        "footer": list(FooterLink.objects.values_list("pk", "label")),
        "settings": list(SiteSettings.objects.values()),
        "users": list(get_user_model().objects.values_list("pk", "groups")),
        "site_root": Site.objects.get(is_default_site=True).root_page_id,
        "newsletter_issues": list(NewsletterIssue.objects.values_list("pk", "subject")),
    }


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_seed_demo_twice_changes_nothing(seeded):
    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before


def test_seed_publishes_the_home_page_at_the_site_root(client, seeded):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "Samen leren van de praktijk" in page and "Midsize NL" in page
    for item in ("Programma&#x27;s", "Agenda", "Nieuws", "Partners"):
        assert f">{item}</a></li>" in page  # the menu
    assert "Privacyverklaring" in page  # the footer


def test_seed_midsize_nl_with_six_agenda_points_and_activities(client, seeded):
    programme = ProgrammePage.objects.get(slug="midsize-nl")
    titles = [block.value["title"] for block in programme.agenda_points]
    assert titles == [
        "Denk regionaal",
        "Ken je DNA (en dat van de regio)",
        "Ga in gesprek",
        "Kies slim positie met een sterk verhaal",
        "Bouw coalities",
        "Organiseer netwerkkracht",
    ]
    page = client.get(programme.url).content.decode()
    assert "Slim samenwerken in regionale netwerken" in page
    assert "Scenario&#x27;s Nederlandse binnensteden" in page


def test_seed_expert_meeting_in_the_future_with_its_timed_agenda(client, seeded):
    meeting = EventPage.objects.get(slug="expertmeeting-toekomstperspectief-middelgrote-gemeenten")
    local_start = timezone.localtime(meeting.start)
    assert local_start.date() > timezone.localdate()
    assert (local_start.month, local_start.day, local_start.hour) == (10, 23, 16)
    assert timezone.localtime(meeting.end).time() == datetime.time(19, 30)
    times = [block.value["start_time"].strftime("%H:%M") for block in meeting.agenda]
    assert times == ["16:00", "16:30", "16:35", "16:45", "17:15", "18:00", "18:30", "19:15", "19:30"]
    page = client.get(meeting.url).content.decode()
    assert "Werksessie 1: ligging, positie en rol" in page and "Hartige hap" in page
    assert "Nog 40 plaatsen vrij" in page


def test_seed_network_day_with_workshop_rounds_a_to_d_and_hosts(client, seeded):
    day = EventPage.objects.get(slug="kennis-en-netwerkdag-maak-uw-gemeente-sterker")
    sessions = [session["code"] for block in day.workshop_rounds for session in block.value["sessions"]]
    assert sessions == ["A", "B", "C", "D"]
    page = client.get(day.url).content.decode()
    assert "Concept Binnenstad" in page and "Peel en Maas" in page
    assert "Vertegenwoordiger van de U10, burgemeester van Nieuwegein" in page


def test_seed_partners_news_and_publication(client, seeded):
    assert set(Organisation.objects.values_list("name", flat=True)) == set(PARTNER_MUNICIPALITIES)
    assert set(Network.objects.values_list("abbreviation", flat=True)) == {"PMG", "G32"}
    partners = client.get("/partners/").content.decode()
    assert "€ 5.000" in partners and "€ 1.250" in partners and "Zeist" in partners
    news = NewsPage.objects.get()
    assert news.date == datetime.date(2014, 11, 20) and "G32" in news.title
    report = PublicationPage.objects.get()
    assert report.document is not None and report.document.file.read().startswith(b"%PDF-1.4")
    assert client.get(report.document.url).status_code == 200


def test_seed_has_one_draft_newsletter_with_the_upcoming_events(seeded):
    (issue,) = NewsletterIssue.objects.all()
    assert issue.status == NewsletterIssue.Status.DRAFT
    featured = [block.value.title for block in issue.featured_pages]
    assert featured == [
        "Expertmeeting: het toekomstperspectief van middelgrote gemeenten",
        "Kennis- en netwerkdag PMG: Maak uw gemeente sterker!",
        "Nieuw convenant tussen het G32-stedennetwerk en Platform31",
    ]


def test_seed_gives_the_demo_editor_the_editors_group(seeded):
    from communities.demo_users import demo_user

    assert demo_user("editor").groups.filter(name="Editors").exists()


def test_seed_only_uses_fictional_contact_details(seeded):
    for contact in ContactPerson.objects.all():
        assert contact.email.endswith("@demo.leerkring.example")
        assert contact.phone.startswith("030 000 00")


def test_seed_network_day_offers_its_report_and_presentations(client, seeded):
    day = EventPage.objects.get(slug="kennis-en-netwerkdag-maak-uw-gemeente-sterker")
    assert day.is_past()
    documents = list(day.documents.select_related("document"))
    assert [item.kind for item in documents] == ["report", "presentation", "presentation"]
    page = client.get(day.url).content.decode()
    assert "Verslag en presentaties" in page
    for item in documents:
        assert f'href="{item.document.url}" download' in page
        response = client.get(item.document.url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_seed_demo_moderator_is_mailed_about_a_proposed_lesson_and_sees_it_on_the_dashboard(client, db, mailoutbox):
    from casework import services as casework
    from cms.demo import DEMO_CIRCLE_SLUG
    from communities.demo_users import demo_user
    from communities.models import Circle
    from tests.casework.conftest import put_in_phase

    output = StringIO()
    call_command("seed_demo", stdout=output)
    moderator = demo_user("moderator")
    assert f"moderator    {moderator.email}" in output.getvalue()
    assert moderator.groups.filter(name="Moderators").exists() and moderator.is_staff

    member = demo_user("member")
    case = casework.case_create(author=member, circle=Circle.objects.get(slug=DEMO_CIRCLE_SLUG),
                                title="Samen inkopen", context="Wie betaalt wat?", question="Hoe verdelen we de kosten?")
    put_in_phase(case, "concluded")
    lesson = casework.lesson_write(author=member, case=case, body="Begin met de cijfers.")
    mailoutbox.clear()
    page = casework.lesson_propose_for_publication(author=member, lesson=lesson, title="Deel eerst de cijfers",
                                                   summary="Eerst de cijfers delen, dan de kosten verdelen.", consent=True)

    assert [message.to for message in mailoutbox] == [[moderator.email]]
    assert "Deel eerst de cijfers" in mailoutbox[0].subject
    client.force_login(moderator)
    dashboard = client.get("/cms/").content.decode()
    assert "Deel eerst de cijfers" in dashboard and f"/cms/pages/{page.pk}/edit/" in dashboard
