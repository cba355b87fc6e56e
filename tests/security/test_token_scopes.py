"""Personal access tokens may only read, or read and write."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from communities import services
from communities.errors import InvalidInput
from communities.models import Channel, Message, PersonalAccessToken
from tests.accounts.helpers import main_text, soup
from tests.communities.conftest import post

pytestmark = pytest.mark.django_db

READ_ONLY = {
    "detail": "Dit token mag alleen lezen. Maak een token aan dat ook mag schrijven.",
    "code": "read_only_token",
}


def api(method, url, token, payload=None):
    client = Client(enforce_csrf_checks=True)
    body = json.dumps(payload) if payload is not None else ""
    return getattr(client, method)(url, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def messages_url(channel):
    return f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"


def test_the_token_page_offers_read_only_first_and_shows_each_tokens_scope(client, official):
    client.force_login(official)
    page = client.get(reverse("communities:tokens"))
    choices = soup(page).select('input[name="scope"]')
    assert [(c["value"], c.has_attr("checked")) for c in choices] == [("read", True), ("write", False)]
    assert "Het token mag" in main_text(page)
    assert "alleen lezen: kringen, kanalen en berichten opvragen" in main_text(page)

    client.post(reverse("communities:tokens"), {"name": "Rapportage", "scope": "read", "expires_in_days": "30"})
    client.post(reverse("communities:tokens"), {"name": "Bot", "scope": "write", "expires_in_days": "30"})

    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")][:3]
            for tr in soup(client.get(reverse("communities:tokens"))).select("main tbody tr")]
    assert [(row[0], row[2]) for row in rows] == [("Bot", "lezen en schrijven"), ("Rapportage", "alleen lezen")]
    assert dict(PersonalAccessToken.objects.values_list("name", "scope")) == {"Rapportage": "read", "Bot": "write"}


def test_a_token_without_a_scope_choice_is_refused_in_dutch(client, official):
    client.force_login(official)
    response = client.post(reverse("communities:tokens"), {"name": "Script", "expires_in_days": "30"})
    assert "Kies of het token alleen mag lezen, of ook mag schrijven." in main_text(response)
    assert not PersonalAccessToken.objects.exists()
    with pytest.raises(InvalidInput):
        services.access_token_create(user=official, name="x", scope="admin")


def test_a_read_only_token_reads_but_every_write_answers_403(channel, official):
    message = post(official, channel, "Bestaand bericht")
    _token, raw = services.access_token_create(user=official, name="lezer", scope="read")

    assert api("get", messages_url(channel), raw).status_code == 200
    assert api("get", f"/api/v1/messages/{message.pk}", raw).status_code == 200

    writes = [
        ("post", messages_url(channel), {"body": "Mag niet"}),
        ("patch", f"/api/v1/messages/{message.pk}", {"body": "Anders"}),
        ("delete", f"/api/v1/messages/{message.pk}", None),
        ("put", f"/api/v1/messages/{message.pk}/reactions/heart", None),
        ("post", f"/api/v1/circles/{channel.circle.slug}/leave", None),
        # Refused before the endpoint looks anything up: nothing about other circles leaks.
        ("post", "/api/v1/circles/bestaat-niet/join", None),
    ]
    for method, url, payload in writes:
        response = api(method, url, raw, payload)
        assert (response.status_code, response.json()) == (403, READ_ONLY), (method, url)

    message.refresh_from_db()
    assert message.body_source == "Bestaand bericht" and message.deleted_at is None
    assert Message.objects.count() == 1
    assert official.memberships.get().state == "active"


def test_a_write_token_may_do_what_its_owner_may_do(channel, official, facilitator):
    _token, raw = services.access_token_create(user=official, name="bot", scope="write")
    assert api("post", messages_url(channel), raw, {"body": "Via de bot"}).status_code == 201
    # ...and no more than that: the member is no facilitator.
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}"
    assert api("patch", url, raw, {"locked": True}).status_code == 404
    assert not Channel.objects.get(pk=channel.pk).locked

