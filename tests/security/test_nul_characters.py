"""NUL characters (U+0000) are refused with a clear, translated answer before any view runs.

PostgreSQL can neither store nor compare them: without this, the scale-out lane answered 500.
"""

import json

import pytest
from django.test import Client

from casework.models import Case
from communities.models import Message
from tests.communities.conftest import post


def api_post(client, url, payload):
    return client.post(url, data=json.dumps(payload), content_type="application/json")


def test_api_case_with_nul_in_its_text_answers_422_and_stores_nothing(client, circle, official):
    client.force_login(official)
    response = api_post(
        client, f"/api/v1/circles/{circle.slug}/cases",
        {"title": "Regionale inkoop", "context": "Zes gemeenten\x00", "question": "Hoe verder?"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Tekst mag geen NUL-tekens (U+0000) bevatten. Haal ze weg en probeer het opnieuw.",
        "code": "invalid_text",
    }
    assert not Case.objects.exists()


def test_api_nul_deep_inside_a_json_list_or_key_is_found(client, channel, official):
    client.force_login(official)
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"
    assert api_post(client, url, {"body": "Hallo", "extra": [{"a\x00": 1}]}).status_code == 422
    assert api_post(client, url, {"body": "Hallo"}).status_code == 201
    assert list(Message.objects.values_list("body_source", flat=True)) == ["Hallo"]


def test_api_query_string_with_nul_answers_400_json(client, official):
    client.force_login(official)
    response = client.get("/api/v1/circles", {"q": "kring\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_text"


def test_url_encoded_form_with_nul_gets_a_dutch_error_page_and_no_message(client, channel, official):
    client.force_login(official)
    response = client.post(
        channel.get_absolute_url(), "body=Goede%00morgen", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "Tekst mag geen NUL-tekens" in response.content.decode()
    assert not Message.objects.exists()


def test_multipart_form_with_nul_shows_the_field_error_and_no_message(client, channel, official):
    client.force_login(official)
    response = client.post(channel.get_absolute_url(), {"body": "Goede\x00morgen"})
    assert response.status_code == 200
    assert "Null-tekens zijn niet toegestaan" in response.content.decode()
    assert not Message.objects.exists()


def test_nul_in_the_path_is_refused(client, circle, official):
    client.force_login(official)
    response = client.get(f"/kringen/{circle.slug}/uitnodiging/abc%00def/")
    assert response.status_code == 400


def test_replies_without_nul_still_work(client, channel, official):
    root = post(official, channel, "Eerste bericht")
    client.force_login(official)
    response = client.post(channel.get_absolute_url(), {"body": "Antwoord", "parent": root.pk})
    assert response.status_code in (200, 302)
    assert Message.objects.count() == 2


@pytest.mark.parametrize("language, expected", [("en", "Text may not contain NUL characters"), ("nl", "NUL-tekens")])
def test_error_follows_the_language(channel, official, language, expected):
    browser = Client(headers={"accept-language": language})
    browser.force_login(official)
    response = api_post(browser, f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages", {"body": "\x00"})
    assert expected in response.json()["detail"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/merge-patch+json", ""])
def test_api_json_sent_with_another_content_type_is_checked_too(client, channel, official, content_type):
    client.force_login(official)
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"
    response = client.post(url, data=json.dumps({"body": "Hallo\x00"}), content_type=content_type)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_text"
    assert not Message.objects.exists()


def test_a_session_cookie_with_nul_is_dropped_and_the_visitor_is_signed_out(db):
    browser = Client()
    browser.cookies["sessionid"] = "abc\x00defghijk"
    response = browser.get("/kringen/")
    assert response.status_code == 200
    assert 'href="/accounts/login/' in response.content.decode()  # signed out, not a 500
    assert response.cookies["sessionid"].value == ""  # the browser is told to drop it
