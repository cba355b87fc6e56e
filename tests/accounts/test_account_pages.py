"""The account management pages (allauth) in the site's look: side navigation, Dutch, lk-* forms."""

import pytest
from django.urls import reverse

from .helpers import PASSWORD, error_summary, field_error, log_in, main_text, soup, title, unlabelled_controls

pytestmark = pytest.mark.django_db

MANAGE_PAGES = [
    ("account_email", "E-mailadressen", "E-mailadressen"),
    ("account_change_password", "Wachtwoord wijzigen", "Wachtwoord"),
    ("mfa_index", "Tweestapsverificatie", "Tweestapsverificatie"),
    ("usersessions_list", "Sessies", "Sessies"),
]


@pytest.mark.parametrize(("url_name", "heading", "current"), MANAGE_PAGES)
def test_manage_pages_have_the_account_navigation(client, official, url_name, heading, current):
    log_in(client, official.email)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    page = soup(response)
    assert page.find("header", class_="lk-header") is not None
    assert page.find("h1").get_text(strip=True) == heading
    assert title(response) == f"{heading} · Leerkring"
    nav = page.select_one("aside nav.lk-account-nav")
    assert [a.get_text(strip=True) for a in nav.find_all("a")] == [
        "Profiel", "E-mailadressen", "Wachtwoord", "Tweestapsverificatie", "Sessies", "API-tokens",
    ]
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == current
    assert unlabelled_controls(response) == []
    for button in page.select("main button"):
        assert "lk-button" in button["class"]


def test_email_page_shows_addresses_with_dutch_status(client, official):
    log_in(client, official.email)

    text = main_text(client.get(reverse("account_email")))

    assert "Deze e-mailadressen horen bij je account:" in text
    assert "anouk@veenendaal.example Bevestigd Hoofdadres" in text
    assert "Bevestigingsmail opnieuw sturen" in text
    assert "E-mailadres toevoegen" in text


def test_adding_a_bad_email_address_shows_the_error_at_the_field(client, official, expert):
    log_in(client, official.email)

    response = client.post(reverse("account_email"), {"action_add": "", "email": expert.email})

    assert field_error(response, "id_email") == (
        "Er is al een account met dit e-mailadres. Log in, of vraag een nieuw wachtwoord aan als je het niet meer weet."
    )
    assert "E-mailadres: Er is al een account" in error_summary(response)


def test_change_password_refuses_a_wrong_current_password(client, official):
    log_in(client, official.email)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "niet goed", "password1": "nieuw wachtwoord 2025", "password2": "nieuw wachtwoord 2025"},
    )

    assert field_error(response, "id_oldpassword") == "Geef je huidige wachtwoord op."
    assert log_in(client.__class__(), official.email).status_code == 302  # old password still works


FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def test_sessions_page_lists_this_browser_by_name(client, official):
    client.post(
        reverse("account_login"),
        {"login": official.email, "password": PASSWORD},
        HTTP_USER_AGENT=FIREFOX_ON_WINDOWS,
    )

    response = client.get(reverse("usersessions_list"), HTTP_USER_AGENT=FIREFOX_ON_WINDOWS)

    headers = [th.get_text(" ", strip=True) for th in soup(response).select("main thead th")]
    assert headers == ["Browser", "IP-adres", "Begonnen", "Laatst actief", "Deze browser"]
    row = [td.get_text(" ", strip=True) for td in soup(response).select("main tbody tr")[0].find_all("td")]
    assert row[0] == "Firefox op Windows"
    assert row[-1] == "Deze sessie"
    assert soup(response).select_one("main form button").get_text(strip=True) == "Uitloggen"


def test_logout_page_is_dutch(client, official):
    log_in(client, official.email)

    response = client.get(reverse("account_logout"))

    assert "Weet je zeker dat je wilt uitloggen?" in main_text(response)
    assert soup(response).select_one("main button.lk-button").get_text(strip=True) == "Uitloggen"
    client.post(reverse("account_logout"))
    assert client.get(reverse("communities:profile")).status_code == 302


def test_allauth_pages_follow_the_language_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("account_login"))

    assert soup(response).find("h1").get_text(strip=True) == "Sign In"
    assert "Forgot your password?" in main_text(response)
