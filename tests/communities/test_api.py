"""The JSON API: tokens, CSRF, errors as JSON in Dutch, wrong types, nothing half-stored."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from communities import services
from communities.models import Membership, Message, PersonalAccessToken
from tests.communities.conftest import post


def messages_url(channel):
    return f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"


def send(client, method, url, payload, **headers):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return getattr(client, method)(url, data=body, content_type="application/json", **headers)


@pytest.mark.parametrize(
    "payload, field, problem",
    [
        ({"body": 42}, "body", "moet tekst zijn"),
        ({"body": ["lijst"]}, "body", "moet tekst zijn"),
        ({"body": None}, "body", "moet tekst zijn"),
        ({}, "body", "ontbreekt"),
        ({"body": "Hallo", "parent": "12"}, "parent", "moet een geheel getal zijn"),
        ({"body": "Hallo", "parent": 1.5}, "parent", "moet een geheel getal zijn"),
        ([1, 2], None, "body ontbreekt"),
    ],
)
def test_wrong_payload_types_get_422_in_dutch_and_nothing_is_stored(client, channel, official, payload, field, problem):
    client.force_login(official)
    response = send(client, "post", messages_url(channel), payload)
    assert response.status_code == 422
    data = response.json()
    assert data["detail"].startswith("Het verzoek klopt niet:")
    assert problem in data["detail"]
    if field:
        assert data["errors"][0]["field"] == field
    assert not Message.objects.exists()


def test_malformed_json_gets_a_json_error(client, channel, official):
    client.force_login(official)
    response = send(client, "post", messages_url(channel), "{niet: json")
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "body, status, detail",
    [("", 422, "Een bericht kan niet leeg zijn."), ("x" * 20_001, 422, "hoogstens 20.000 tekens")],
)
def test_bad_bodies(client, channel, official, body, status, detail):
    client.force_login(official)
    response = send(client, "post", messages_url(channel), {"body": body})
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert not Message.objects.exists()


def test_reply_to_a_parent_in_another_channel_or_circle(client, circle, channel, official):
    from tests.factories import ChannelFactory, MembershipFactory

    same_circle = ChannelFactory(circle=circle)
    other_circle = ChannelFactory()
    MembershipFactory(user=official, circle=other_circle.circle)
    parents = [post(official, same_circle, "Ander kanaal"), post(official, other_circle, "Andere kring")]
    client.force_login(official)
    for parent in parents:
        response = send(client, "post", messages_url(channel), {"body": "Antwoord", "parent": parent.pk})
        assert response.status_code == 422
        assert response.json()["detail"] == "Je kunt alleen reageren op een bericht in hetzelfde kanaal."
    assert Message.objects.count() == 2


def test_locked_and_archived_channels_answer_409(client, channel, official, facilitator):
    client.force_login(facilitator)
    response = send(client, "patch", f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}", {"locked": True})
    assert response.json()["locked"] is True
    response = send(client, "patch", f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}", {"locked": "ja"})
    assert response.status_code == 422
    client.force_login(official)
    response = send(client, "post", messages_url(channel), {"body": "Hallo"})
    assert response.status_code == 409
    assert response.json() == {"detail": "Dit kanaal is gesloten: er kunnen geen nieuwe berichten bij.",
                               "code": "channel_locked"}


def test_join_twice_and_leave_when_not_in(client, circle, outsider):
    client.force_login(outsider)
    assert send(client, "post", f"/api/v1/circles/{circle.slug}/join", {}).json()["state"] == "pending"
    again = send(client, "post", f"/api/v1/circles/{circle.slug}/join", {})
    assert again.status_code == 409
    assert "Je hebt al gevraagd" in again.json()["detail"]
    assert send(client, "post", f"/api/v1/circles/{circle.slug}/leave", {}).json()["state"] == "left"
    response = send(client, "post", f"/api/v1/circles/{circle.slug}/leave", {})
    assert response.status_code == 409
    assert response.json()["detail"] == "Je bent geen lid van deze kring."


def test_approve_via_api(client, circle, outsider, facilitator):
    services.circle_join(user=outsider, circle=circle)
    client.force_login(facilitator)
    pending = client.get(f"/api/v1/circles/{circle.slug}/memberships?state=pending").json()["items"]
    assert [p["user"]["name"] for p in pending] == ["Olga Buitenstaander"]
    response = send(client, "post", f"/api/v1/circles/{circle.slug}/memberships/{pending[0]['id']}/approve", {})
    assert response.json()["state"] == "active"
    again = send(client, "post", f"/api/v1/circles/{circle.slug}/memberships/{pending[0]['id']}/approve", {})
    assert again.status_code == 409
    assert again.json()["detail"] == "Deze aanvraag is al afgehandeld."


def test_session_auth_needs_the_csrf_token(channel, official):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(official)
    refused = send(browser, "post", messages_url(channel), {"body": "Hallo"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    browser.get(channel.get_absolute_url())  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = send(browser, "post", messages_url(channel), {"body": "Hallo"}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_personal_access_token_created_on_the_page_works_once_shown_and_can_be_revoked(client, channel, official):
    client.force_login(official)
    page = client.post(reverse("communities:tokens"), {"name": "Exportscript", "scope": "write", "expires_in_days": "30"}, follow=True)
    html = page.content.decode()
    assert "Kopieer het nu" in html
    raw = html.split('<code class="lk-token">')[1].split("</code>")[0]
    stored = PersonalAccessToken.objects.get()
    assert raw not in (stored.token_hash, stored.hint) and raw.startswith(stored.hint)
    assert raw not in client.get(reverse("communities:tokens")).content.decode()  # shown once

    script = Client(enforce_csrf_checks=True)  # no cookies, no CSRF token: the bearer token is enough
    response = send(script, "post", messages_url(channel), {"body": "Via het script"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201
    assert response.json()["author"]["name"] == "Anouk Ambtenaar"
    assert script.get(messages_url(channel), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    client.post(reverse("communities:token_revoke", args=[stored.pk]))
    response = script.get(messages_url(channel), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["detail"] == "Dit token is ongeldig, verlopen of ingetrokken."


def test_a_token_works_only_for_what_its_owner_may_do(channel, official, outsider):
    _token, raw = services.access_token_create(user=outsider, name="nieuwsgierig")
    response = Client().get(messages_url(channel), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404


def test_removed_member_token_loses_access(channel, official, facilitator):
    _token, raw = services.access_token_create(user=official, name="script")
    services.membership_remove(facilitator=facilitator, membership=Membership.objects.get(user=official, circle=channel.circle))
    assert Client().get(messages_url(channel), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404


def test_edit_delete_and_reactions(client, channel, official, official2):
    message = post(official, channel, "Eerste versie")
    client.force_login(official)
    edited = send(client, "patch", f"/api/v1/messages/{message.pk}", {"body": "Tweede *versie*"}).json()
    assert edited["html"] == "<p>Tweede <em>versie</em></p>" and edited["edited"]
    assert send(client, "put", f"/api/v1/messages/{message.pk}/reactions/heart", {}).json() == {"kind": "heart", "mine": True}
    wrong = send(client, "put", f"/api/v1/messages/{message.pk}/reactions/boos", {})
    assert wrong.status_code == 422 and wrong.json()["detail"] == "Deze reactie bestaat niet."
    listed = client.get(messages_url(channel)).json()["items"][0]
    assert {"kind": "heart", "count": 1, "mine": True} in listed["reactions"]
    deleted = send(client, "delete", f"/api/v1/messages/{message.pk}", None).json()
    assert deleted["deleted"] is True and deleted["html"] == ""
    client.force_login(official2)
    refused = send(client, "patch", f"/api/v1/messages/{message.pk}", {"body": "Niet van mij"})
    assert refused.status_code == 409


def test_openapi_document_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ["/api/v1/circles", "/api/v1/circles/{slug}/join", "/api/v1/circles/{slug}/channels/{channel_slug}/messages",
                 "/api/v1/messages/{message_id}", "/api/v1/messages/{message_id}/reactions/{kind}"]:
        assert path in paths


@pytest.mark.parametrize(
    "language, method, url, detail, allowed",
    [
        ("nl", "delete", "/api/v1/circles", "Dit adres accepteert de methode DELETE niet, alleen GET.", "GET"),
        ("en", "delete", "/api/v1/circles", "This address does not accept the DELETE method, only GET.", "GET"),
        ("nl", "put", "/api/v1/circles/kring/memberships/1",
         "Dit adres accepteert de methode PUT niet, alleen DELETE, PATCH.", "DELETE, PATCH"),
    ],
)
def test_an_unsupported_method_gets_405_as_json_with_the_allowed_methods(client, language, method, url, detail, allowed):
    response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": detail, "code": "method_not_allowed"}
    assert response["Allow"] == allowed


@pytest.mark.parametrize("email", ["a@" + "b" * 250 + ".nl", "x" * 64 + "@" + ("d" * 60 + ".") * 4 + "nl"])
def test_an_invitation_email_longer_than_254_characters_is_refused_and_nothing_stored(client, circle, facilitator, email):
    """Found by schemathesis on PostgreSQL: such an address passed the check and failed in the database (500)."""
    from communities.models import Invitation

    assert len(email) > 254
    client.force_login(facilitator)
    response = client.post(f"/api/v1/circles/{circle.slug}/invitations", {"email": email, "role": "member"},
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."
    assert not Invitation.objects.exists()
