"""Logging in with an email address, rate limiting, password reset, two-step verification."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from .helpers import (
    NEW_PASSWORD,
    PASSWORD,
    error_summary,
    field_error,
    header_text,
    links_in,
    log_in,
    main_text,
    soup,
    title,
    unlabelled_controls,
)

pytestmark = pytest.mark.django_db


def test_login_page_is_dutch_and_in_the_site_look(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert title(response) == "Inloggen · Leerkring"
    page = soup(response)
    assert page.find("header", class_="lk-header") is not None
    assert page.find("h1").get_text(strip=True) == "Inloggen"
    assert page.select_one("main form.lk-form button.lk-button").get_text(strip=True) == "Inloggen"
    text = main_text(response)
    assert "Heb je nog geen account? Maak dan eerst een account aan." in text
    assert "E-mailadres" in text
    assert "Wachtwoord vergeten?" in text
    assert "Sign In" not in text and "Aanmelden" not in text
    assert unlabelled_controls(response) == []


def test_log_in_with_email_address(client, official):
    response = log_in(client, "Anouk@Veenendaal.example")

    assert response.status_code == 302
    page = client.get(reverse("communities:profile"))
    assert page.status_code == 200
    assert "Je bent ingelogd als Anouk Ambtenaar." in main_text(page)
    assert "Uitloggen" in header_text(page)


def test_wrong_password_is_refused_in_dutch(client, official):
    response = log_in(client, official.email, "dit is niet mijn wachtwoord")

    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord klopt niet." in error_summary(response)
    assert title(response) == "Fout: Inloggen · Leerkring"
    assert client.get(reverse("communities:profile")).status_code == 302


def test_missing_email_is_marked_at_the_field(client):
    response = client.post(reverse("account_login"), {"login": "", "password": "iets"})

    assert field_error(response, "id_login") == "Dit is een verplicht veld."


def test_too_many_failed_logins_are_stopped_with_a_dutch_message(client, official):
    for _attempt in range(5):
        response = log_in(client, official.email, "fout wachtwoord")
        assert "Het e-mailadres of het wachtwoord klopt niet." in main_text(response)

    response = log_in(client, official.email, "fout wachtwoord")
    assert "Te veel mislukte inlogpogingen. Probeer het over een paar minuten opnieuw." in error_summary(response)

    # Even the right password does not get in while the limit holds.
    response = log_in(client, official.email, PASSWORD)
    assert response.status_code == 200
    assert "Te veel mislukte inlogpogingen." in main_text(response)
    assert client.get(reverse("communities:profile")).status_code == 302


def test_password_reset_by_mail(client, official, mailoutbox):
    page = client.get(reverse("account_reset_password"))
    assert "Wachtwoord vergeten" in main_text(page)
    assert unlabelled_controls(page) == []

    response = client.post(reverse("account_reset_password"), {"email": official.email}, follow=True)
    assert "We hebben je een e-mail gestuurd." in main_text(response)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[Leerkring] Nieuw wachtwoord instellen"
    assert mail.body.startswith("Beste Anouk Ambtenaar,")
    assert "Iemand, waarschijnlijk jij, heeft een nieuw wachtwoord aangevraagd" in mail.body
    assert "Je wachtwoord blijft dan hetzelfde." in mail.body
    (link,) = links_in(mail.body)

    form_page = client.get(link, follow=True)
    assert "Wachtwoord wijzigen" in main_text(form_page)
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert "Je wachtwoord is gewijzigd." in main_text(done)

    client.logout()
    assert log_in(client, official.email, PASSWORD).status_code == 200  # old password: refused
    assert log_in(client, official.email, NEW_PASSWORD).status_code == 302

    # The link works once.
    client.logout()
    used = client.get(link, follow=True)
    assert "Deze link werkt niet" in main_text(used)


def test_password_reset_for_an_unknown_address_says_so(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "niemand@nergens.example"})

    assert field_error(response, "id_email") == "Er is geen account met dit e-mailadres."
    assert mailoutbox == []


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.django_db(transaction=True)  # allauth reports the activation in an on-commit hook
def test_two_step_verification_with_an_authenticator_app(client, official, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a test that straddles a 30-second step still passes
    log_in(client, official.email)

    overview = client.get(reverse("mfa_index"))
    assert "Je gebruikt nog geen authenticator-app." in main_text(overview)

    # Switching it on asks for the password again first.
    ask = client.get(reverse("mfa_activate_totp"), follow=True)
    text = main_text(ask)
    assert "Bevestig dat jij het bent" in text
    assert "Vul je wachtwoord in." in text
    assert unlabelled_controls(ask) == []
    reauthenticate_url = ask.redirect_chain[-1][0]
    activate = client.post(reauthenticate_url, {"password": PASSWORD}, follow=True)
    assert activate.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    text = main_text(activate)
    assert "Authenticator-app inschakelen" in text
    assert "Scan de QR-code hieronder met je authenticator-app" in text
    assert unlabelled_controls(activate) == []
    secret = soup(activate).find(id="authenticator_secret")["value"]

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000" if current_code(secret) != "000000" else "111111"})
    assert field_error(wrong, "id_code") == "Deze code klopt niet. Vul de code in die je app nu laat zien."

    activated = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)}, follow=True)
    text = main_text(activated)
    assert "Authenticator-app ingeschakeld." in text
    assert "Herstelcodes" in text

    client.post(reverse("account_logout"))
    response = log_in(client, official.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")

    challenge = client.get(reverse("mfa_authenticate"))
    assert "Je account is beveiligd met tweestapsverificatie." in main_text(challenge)
    assert client.get(reverse("communities:profile")).status_code == 302  # not in yet

    refused = client.post(reverse("mfa_authenticate"), {"code": "12345678"})
    assert "Deze code klopt niet." in main_text(refused)

    accepted = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert accepted.status_code == 302
    page = client.get(reverse("communities:profile"))
    assert page.status_code == 200
    assert "Je bent ingelogd als Anouk Ambtenaar." in main_text(page)
