"""Creating an account: sign-up with profile fields, verification by email, bad input."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from communities.models import Profile

from .helpers import (
    PASSWORD,
    error_summary,
    field_error,
    header_text,
    links_in,
    log_in,
    main_text,
    title,
    unlabelled_controls,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

SIGNUP = {
    "display_name": "Sanne de Vries",
    "email": "sanne@zeist.example",
    "organisation": "Gemeente Zeist",
    "job_title": "Beleidsadviseur wonen",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def sign_up(client, **changes):
    return client.post(reverse("account_signup"), {**SIGNUP, **changes})


def test_sign_up_page_asks_for_profile_fields_in_dutch(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    assert title(response) == "Account aanmaken · Leerkring"
    text = main_text(response)
    for label in (
        "Naam zoals anderen die zien",
        "E-mailadres",
        "Organisatie (niet verplicht)",
        "Functie (niet verplicht)",
        "Wachtwoord",
        "Herhaal je wachtwoord",
    ):
        assert label in text
    assert "Heb je al een account? Log dan in." in text
    assert "Sign Up" not in text
    assert unlabelled_controls(response) == []


def test_sign_up_sends_a_dutch_verification_mail_and_the_link_logs_in(client, mailoutbox):
    response = sign_up(client)

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Bevestig je e-mailadres" in main_text(page)
    assert "We hebben je een e-mail gestuurd" in main_text(page)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sanne@zeist.example"]
    assert mail.subject == "[Leerkring] Bevestig je e-mailadres"
    assert mail.body.startswith("Beste Sanne de Vries,")
    assert "Je hebt met dit e-mailadres een account aangemaakt op Leerkring." in mail.body
    assert "Met vriendelijke groet," in mail.body
    (link,) = links_in(mail.body)
    assert "/accounts/confirm-email/" in link

    # Not logged in yet: the profile page sends Sanne to the login page.
    assert client.get(reverse("communities:profile"))["Location"].startswith(reverse("account_login"))

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "Bevestig dat sanne@zeist.example het e-mailadres is van Sanne de Vries." in main_text(confirm_page)

    confirmed = client.post(link)
    assert confirmed.status_code == 302

    # Logged in: the next page greets Sanne and offers to log out.
    profile_page = client.get(reverse("communities:profile"))
    assert profile_page.status_code == 200
    assert "Je hebt sanne@zeist.example bevestigd." in main_text(profile_page)
    assert "Je bent ingelogd als Sanne de Vries." in main_text(profile_page)
    assert "Uitloggen" in header_text(profile_page)
    form = profile_page.content.decode()
    assert 'value="Sanne de Vries"' in form
    assert 'value="Gemeente Zeist"' in form
    assert 'value="Beleidsadviseur wonen"' in form


def test_cannot_log_in_before_the_email_address_is_confirmed(client, mailoutbox):
    sign_up(client)
    client.logout()

    response = log_in(client, "sanne@zeist.example", follow=True)

    assert "Bevestig je e-mailadres" in main_text(response)
    assert "Inloggen" in header_text(response)
    assert client.get(reverse("communities:profile")).status_code == 302


def test_email_address_already_in_use_gives_a_clear_error_and_no_second_account(client, official, mailoutbox):
    users_before = User.objects.count()

    response = sign_up(client, email="Anouk@Veenendaal.example")

    assert response.status_code == 200
    assert field_error(response, "id_email") == (
        "Er is al een account met dit e-mailadres. Log in, of vraag een nieuw wachtwoord aan als je het niet meer weet."
    )
    assert "E-mailadres: Er is al een account met dit e-mailadres." in error_summary(response)
    assert title(response).startswith("Fout: Account aanmaken")
    assert User.objects.count() == users_before
    assert mailoutbox == []


def test_weak_password_is_refused_in_dutch(client, mailoutbox):
    response = sign_up(client, password1="1234567", password2="1234567")

    assert response.status_code == 200
    error = field_error(response, "id_password1")
    assert "Dit wachtwoord is te kort. Het moet minstens 10 tekens lang zijn." in error
    assert "Dit wachtwoord is te algemeen." in error
    assert User.objects.count() == 0
    assert mailoutbox == []


def test_different_passwords_are_refused_in_dutch(client):
    response = sign_up(client, password2=PASSWORD + "!")

    assert field_error(response, "id_password2") == "De wachtwoorden zijn niet gelijk. Typ twee keer hetzelfde wachtwoord."
    assert User.objects.count() == 0


def test_over_long_profile_fields_on_sign_up_create_nothing(client, mailoutbox):
    response = sign_up(client, display_name="A" * 101, organisation="O" * 151, job_title="F" * 151)

    assert response.status_code == 200
    assert field_error(response, "id_display_name") == (
        "Zorg dat deze waarde niet meer dan 100 tekens bevat (het zijn er nu 101)."
    )
    assert field_error(response, "id_organisation") == (
        "Zorg dat deze waarde niet meer dan 150 tekens bevat (het zijn er nu 151)."
    )
    assert field_error(response, "id_job_title") == (
        "Zorg dat deze waarde niet meer dan 150 tekens bevat (het zijn er nu 151)."
    )
    summary = error_summary(response)
    assert "Naam zoals anderen die zien: Zorg dat deze waarde niet meer dan 100 tekens bevat" in summary
    # The valid fields keep what was typed, so nothing has to be typed twice.
    assert 'value="sanne@zeist.example"' in response.content.decode()
    assert User.objects.count() == 0
    assert Profile.objects.count() == 0
    assert EmailAddress.objects.count() == 0
    assert mailoutbox == []


def test_missing_name_is_refused_in_dutch(client):
    response = sign_up(client, display_name="")

    assert field_error(response, "id_display_name") == "Dit is een verplicht veld."
    assert User.objects.count() == 0


def test_sign_up_is_one_transaction(client, monkeypatch, mailoutbox):
    """If the profile cannot be stored, the user is not stored either."""

    def broken_profile_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("communities.services.profile_create", broken_profile_create)

    with pytest.raises(RuntimeError):
        sign_up(client)

    assert User.objects.count() == 0
    assert EmailAddress.objects.count() == 0
    assert mailoutbox == []


def test_wrong_verification_key_shows_a_dutch_message_and_changes_nothing(client, mailoutbox):
    sign_up(client)
    client.logout()

    page = client.get(reverse("account_confirm_email", args=["niet-de-goede-sleutel"]))

    assert page.status_code == 200
    assert "Deze bevestigingslink is verlopen of ongeldig. Vraag een nieuwe bevestigingsmail aan." in main_text(page)
    assert client.post(reverse("account_confirm_email", args=["niet-de-goede-sleutel"])).status_code == 404
    assert not EmailAddress.objects.get(email="sanne@zeist.example").verified
    assert "Bevestig je e-mailadres" in main_text(log_in(client, "sanne@zeist.example", follow=True))
