"""Newsletter sign-up with double opt-in, and an unsubscribe link in every mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cms import emails, services
from cms.models import NewsletterSubscription

SIGNUP_URL = "/nieuwsbrief/"


def link(message, path_prefix: str) -> str:
    (url,) = re.findall(rf"https?://[^\s]+{re.escape(path_prefix)}[^\s]+", message.body)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def sign_up(client, committed, db):
    def _sign_up(email="anouk@veenendaal.example", **extra):
        with committed():
            return client.post(SIGNUP_URL, {"email": email, "website": "", **extra}, follow=True)

    return _sign_up


def test_the_signup_page_explains_the_double_opt_in(client, db):
    page = client.get(SIGNUP_URL).content.decode()
    assert "Aanmelden voor de nieuwsbrief" in page
    assert "Je krijgt een e-mail om je aanmelding te bevestigen." in page


def test_double_opt_in_then_unsubscribe(client, sign_up, committed):
    response = sign_up()

    assert "Bijna klaar: we hebben een e-mail gestuurd naar anouk@veenendaal.example." in response.content.decode()
    subscription = NewsletterSubscription.objects.get()
    assert subscription.status == NewsletterSubscription.Status.PENDING  # not subscribed before confirming
    (confirmation,) = mail.outbox
    assert confirmation.subject == "Bevestig je aanmelding voor de nieuwsbrief van Leerkring"
    assert "Bevestig via deze link dat je dat wilt:" in confirmation.body
    assert "Meld je af met één klik:" in confirmation.body  # every mail has an unsubscribe link
    confirm_url = link(confirmation, "/nieuwsbrief/bevestigen/")

    # Opening the link (or a mail scanner prefetching it) changes nothing; the button does.
    page = client.get(confirm_url).content.decode()
    assert "Ja, stuur mij de nieuwsbrief" in page
    assert NewsletterSubscription.objects.get().status == NewsletterSubscription.Status.PENDING
    with committed():
        page = client.post(confirm_url).content.decode()

    assert "Bedankt: je aanmelding is bevestigd." in page
    assert NewsletterSubscription.objects.get().status == NewsletterSubscription.Status.ACTIVE
    welcome = mail.outbox[-1]
    assert welcome.subject == "Welkom bij de nieuwsbrief van Leerkring"
    unsubscribe_url = link(welcome, "/nieuwsbrief/afmelden/")
    assert welcome.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe_url}>"

    assert "Afmelden voor de nieuwsbrief" in client.get(unsubscribe_url).content.decode()
    page = client.post(unsubscribe_url).content.decode()
    assert "Je bent afgemeld. Je ontvangt de nieuwsbrief niet meer." in page
    assert NewsletterSubscription.objects.get().status == NewsletterSubscription.Status.UNSUBSCRIBED


def test_one_click_unsubscribe_from_a_mail_client_needs_no_csrf_token(db, committed):
    with committed():
        subscription = services.newsletter_subscribe(email="olga@goes.example")
    url = reverse("cms:newsletter_unsubscribe", args=[emails.newsletter_unsubscribe_token(subscription)])
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert NewsletterSubscription.objects.get().status == NewsletterSubscription.Status.UNSUBSCRIBED


def test_every_newsletter_mail_ends_with_an_unsubscribe_link(db, committed):
    with committed():
        subscription = services.newsletter_subscribe(email="cor@zeist.example")
    message = emails.newsletter_message(subscription, subject="Nieuwsbrief november", body="Dit is het nieuws.")
    assert message.body.startswith("Dit is het nieuws.")
    assert "Meld je af met één klik:" in message.body
    assert emails.newsletter_unsubscribe_token(subscription) in message.body


def test_a_tampered_confirmation_link_is_refused(client, sign_up):
    sign_up()
    confirm_url = link(mail.outbox[0], "/nieuwsbrief/bevestigen/")

    response = client.post(confirm_url[:-3] + "xx/")

    assert response.status_code == 400
    assert "Deze link is niet geldig." in response.content.decode()
    assert NewsletterSubscription.objects.get().status == NewsletterSubscription.Status.PENDING


def test_signing_up_again_sends_nothing_new_to_an_active_subscriber_and_says_the_same(client, sign_up, committed):
    sign_up()
    with committed():
        client.post(link(mail.outbox[0], "/nieuwsbrief/bevestigen/"))
    mail.outbox.clear()

    response = sign_up("ANOUK@veenendaal.example")

    assert "Bijna klaar" in response.content.decode()  # no way to find out who is subscribed
    assert mail.outbox == []
    assert NewsletterSubscription.objects.count() == 1


def test_a_bad_email_address_is_refused(sign_up):
    response = sign_up("geen e-mailadres")
    assert response.status_code == 400
    assert "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl." in response.content.decode()
    assert not NewsletterSubscription.objects.exists()


def test_honeypot_and_rate_limit(settings, sign_up):
    response = sign_up(website="bot")
    assert response.status_code == 400
    assert "Je aanmelding kon niet worden verwerkt." in response.content.decode()
    assert not NewsletterSubscription.objects.exists()

    settings.CMS_RATE_LIMITS = {"newsletter": (2, 600)}
    sign_up("een@example.org")
    response = sign_up("twee@example.org")
    assert response.status_code == 429
    assert "Er zijn te veel aanmeldingen verstuurd vanaf jouw verbinding." in response.content.decode()
    assert list(NewsletterSubscription.objects.values_list("email", flat=True)) == ["een@example.org"]
