"""Self-service data export: a ZIP with JSON of everything Leerkring keeps about me."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from communities import services
from communities.models import Membership
from tests.accounts.helpers import main_text, soup
from tests.communities.conftest import post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def download(client):
    response = client.post(reverse("communities:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="leerkring-gegevens-')
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name.removeprefix("leerkring/"): archive.read(name).decode() for name in archive.namelist()}


def test_the_profile_page_offers_the_download_and_the_deletion(client, official):
    client.force_login(official)
    response = client.get(reverse("communities:profile"))
    section = soup(response).find(id="my-data-title").parent
    assert section.find("form")["action"] == reverse("communities:data_export")
    assert section.find("button").get_text(strip=True) == "Mijn gegevens downloaden (zip)"
    assert section.find("a", href=reverse("communities:account_delete")).get_text() == "Mijn account verwijderen"
    assert "Download alles wat Leerkring over je bewaart" in main_text(response)


def test_the_zip_holds_my_profile_memberships_messages_and_log_entries(client, circle, channel, official, official2,
                                                                      facilitator):
    profile = official.profile
    profile.organisation, profile.job_title, profile.bio = "Gemeente Veenendaal", "Beleidsadviseur", "Over mij"
    profile.save()
    profile.expertise.set(["regio", "Omgevingswet"])
    services.access_token_create(user=official, name="Exportscript", scope="read")
    mine = post(official, channel, "Mijn **eerste** bericht")
    hidden = post(official, channel, "Dit wordt verborgen", parent=mine)
    services.message_hide(moderator=facilitator, message=hidden)
    theirs = post(official2, channel, "Een bericht van Cor")
    services.reaction_set(user=official, message=theirs, kind="heart", on=True)
    services.membership_change_role(
        facilitator=facilitator, membership=Membership.objects.get(user=official, circle=circle), role="expert"
    )
    client.force_login(official)

    files = download(client)

    assert set(files) >= {"profile.json", "memberships.json", "messages.json", "audit_log.json", "README.txt",
                          "event_registrations.json", "newsletter.json"}
    data = {name.removesuffix(".json"): json.loads(text) for name, text in files.items() if name.endswith(".json")}
    assert data["profile"]["profile"] == {
        "display_name": "Anouk Ambtenaar", "organisation": "Gemeente Veenendaal", "job_title": "Beleidsadviseur",
        "bio": "Over mij", "expertise": ["Omgevingswet", "regio"], "language": "nl",
    }
    assert data["profile"]["account"]["username"] == "anouk"
    assert data["profile"]["email_addresses"] == [{"email": "anouk@example.org", "verified": True, "primary": True}]
    [token] = data["profile"]["api_tokens"]
    assert (token["name"], token["scope"]) == ("Exportscript", "read")
    assert "token_hash" not in json.dumps(data["profile"])
    assert data["memberships"] == [
        {"circle": {"slug": "slim-samenwerken", "name": "Slim samenwerken"}, "role": "expert", "state": "active",
         "since": data["memberships"][0]["since"], "updated_at": data["memberships"][0]["updated_at"]}
    ]
    bodies = [(m["id"], m["body"], m["reply_to"]) for m in data["messages"]["messages"]]
    assert bodies == [(mine.pk, "Mijn **eerste** bericht", None), (hidden.pk, "Dit wordt verborgen", mine.pk)]
    assert data["messages"]["messages"][1]["hidden_by_facilitator_at"] is not None
    assert [(r["message"], r["kind"]) for r in data["messages"]["reactions"]] == [(theirs.pk, "heart")]
    assert [(e["action"], e["by_you"], e["concerning_you"]) for e in data["audit_log"]] == [
        ("message_hidden", False, True), ("role_changed", False, True)
    ]
    # Only my data: not the colleague's message, nor the facilitator who acted.
    everything = "\n".join(files.values())
    assert "Een bericht van Cor" not in everything
    assert "Bram" not in everything and "bram@example.org" not in everything
    assert "profile.json" in files["README.txt"]


def test_event_registrations_and_newsletter_made_with_my_address_are_included(client, official):
    from cms.models import NewsletterSubscription

    NewsletterSubscription.objects.create(email="anouk@example.org", status="active")
    NewsletterSubscription.objects.create(email="iemand@example.org", status="active")
    client.force_login(official)
    data = json.loads(download(client)["newsletter.json"])
    assert [(s["email"], s["status"]) for s in data] == [("anouk@example.org", "active")]


def test_export_needs_a_signed_in_post(client, official):
    assert client.post(reverse("communities:data_export")).status_code == 302  # to the login page
    client.force_login(official)
    assert client.get(reverse("communities:data_export")).status_code == 405


def test_exports_are_limited_to_a_few_per_ten_minutes(client, official):
    client.force_login(official)
    for _ in range(5):
        download(client)
    response = client.post(reverse("communities:data_export"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("communities:profile")
    assert "Je hebt je gegevens net al een paar keer gedownload. Probeer het over tien minuten opnieuw." in main_text(response)
    other = UserFactory()
    client.force_login(other)
    download(client)  # per member


def test_my_notifications_and_saved_items_are_included(client, channel, official, official2):
    from communities.models import Notification, SavedItem
    from communities.notifications.saved import saved_item_add

    mine = post(official, channel, "Een vraag")
    post(official2, channel, "Een antwoord, @anouk", parent=mine)
    saved_item_add(user=official, kind="message", object_id=mine.pk)
    assert Notification.objects.filter(recipient=official).exists()
    client.force_login(official)

    data = json.loads(download(client)["notifications.json"])

    assert [n["kind"] for n in data["notifications"]] == list(
        Notification.objects.filter(recipient=official).order_by("id").values_list("kind", flat=True)
    )
    assert data["notifications"][0]["circle"] == {"slug": "slim-samenwerken", "name": "Slim samenwerken"}
    assert data["saved_items"] == [{"kind": "message", "id": mine.pk, "saved_at": data["saved_items"][0]["saved_at"]}]
    # ...and they go with the account.
    from communities import services as circle_services

    circle_services.account_delete(user=official)
    assert not Notification.objects.filter(recipient_id=official.pk).exists()
    assert not SavedItem.objects.exists()
