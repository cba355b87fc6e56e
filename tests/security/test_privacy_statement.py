"""The privacy statement (a CMS page chosen in the site settings) is linked from the footer and the sign-up form."""

import pytest
from django.urls import reverse

from cms.models import FooterLink, SiteSettings
from tests.accounts.helpers import soup
from tests.cms.factories import ContentPage, add, make_home, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy_page(db):
    home = make_home()
    page = add(home, ContentPage(title="Privacyverklaring", slug="privacyverklaring",
                                 body=[paragraph("<p>Welke gegevens we bewaren en waarom.</p>")]))
    settings = SiteSettings.for_site(home.get_site())
    settings.privacy_page = page
    settings.footer_links = [FooterLink(label="Privacyverklaring", page=page)]
    settings.save()
    return page


def test_the_sign_up_form_links_the_privacy_statement(client, privacy_page):
    page = soup(client.get(reverse("account_signup")))
    note = page.select_one("main form .lk-signup-privacy")
    assert note.get_text(" ", strip=True) == (
        "Lees in onze privacyverklaring welke gegevens we van je bewaren, waarom, en hoe je ze kunt inzien, "
        "downloaden of verwijderen."
    )
    link = note.find("a")
    assert (link["href"], link.get_text()) == ("/privacyverklaring/", "privacyverklaring")
    assert client.get(link["href"]).status_code == 200
    # ...and the footer links it on every page.
    assert page.select_one("footer").find("a", href="/privacyverklaring/").get_text() == "Privacyverklaring"


def test_without_a_privacy_page_the_form_shows_no_broken_link(client):
    page = soup(client.get(reverse("account_signup")))
    assert page.select_one("main form .lk-signup-privacy") is None
    assert page.select_one("main form button[type=submit]") is not None


def test_an_unpublished_privacy_page_is_not_linked(client, privacy_page):
    privacy_page.unpublish()
    page = soup(client.get(reverse("account_signup")))
    assert page.select_one("main form .lk-signup-privacy") is None
