"""Posting is rate limited per member per minute: a form error on pages, 429 in the API.

(Login and sign-up are limited by allauth: tests/accounts/test_login.py.)"""

import json

import pytest
from django.urls import reverse

from communities.models import Message
from tests.accounts.helpers import field_error
from tests.communities.conftest import post

pytestmark = pytest.mark.django_db

# A Redis cache on a port nobody listens on: every call fails as when Redis restarts.
UNREACHABLE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                 "LOCATION": "redis://127.0.0.1:1/0"}}
TOO_FAST = "Je plaatst heel snel berichten. Wacht een minuut en probeer het dan opnieuw."


@pytest.fixture(autouse=True)
def three_a_minute(settings):
    settings.LEERKRING_POST_RATE_LIMIT = (3, 60)


def test_the_fourth_message_in_a_minute_gets_a_clear_form_error_and_is_not_stored(client, channel, official):
    client.force_login(official)
    url = reverse("communities:channel", args=[channel.circle.slug, channel.slug])
    for n in range(3):
        assert client.post(url, {"body": f"Bericht {n}"}).status_code == 302

    response = client.post(url, {"body": "Nog eentje"})

    assert response.status_code == 200
    assert field_error(response, "id_body") == TOO_FAST
    assert Message.objects.filter(author=official).count() == 3


def test_replies_share_the_budget(client, channel, official):
    root = post(official, channel, "Vraag")
    client.force_login(official)
    url = reverse("communities:thread", args=[channel.circle.slug, channel.slug, root.pk])
    for n in range(2):
        assert client.post(url, {"body": f"Antwoord {n}", "parent": root.pk}).status_code == 302

    response = client.post(url, {"body": "Te veel", "parent": root.pk})

    assert field_error(response, "id_body") == TOO_FAST
    assert Message.objects.filter(author=official).count() == 3


def test_the_api_answers_429_in_json(client, channel, official, official2):
    client.force_login(official)
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"
    for n in range(3):
        assert client.post(url, json.dumps({"body": f"Bericht {n}"}), content_type="application/json").status_code == 201

    response = client.post(url, json.dumps({"body": "Nog eentje"}), content_type="application/json")

    assert response.status_code == 429
    assert response.json() == {"detail": TOO_FAST, "code": "rate_limited"}
    assert Message.objects.filter(author=official).count() == 3
    # The limit is per member: a colleague can still post.
    client.force_login(official2)
    assert client.post(url, json.dumps({"body": "Ik wel"}), content_type="application/json").status_code == 201


def test_the_budget_comes_back_after_the_minute(channel, official):
    from django.core.cache import cache

    from communities.errors import RateLimited

    for n in range(3):
        post(official, channel, f"Bericht {n}")
    with pytest.raises(RateLimited):
        post(official, channel, "Te veel")
    cache.delete(f"rate:post:{official.pk}")  # what the cache does when the minute is over
    assert post(official, channel, "Weer mogelijk").pk


def test_posting_goes_on_while_the_cache_is_unreachable(channel, official, caplog):
    """A Redis restart must not turn posts into 500s: the limit is skipped, with a warning."""
    from django.test import override_settings

    with override_settings(CACHES=UNREACHABLE_CACHE):
        for n in range(5):
            post(official, channel, f"Bericht {n}")
    assert Message.objects.count() == 5
    assert "rate limit post:" in caplog.text and "cache is unreachable" in caplog.text


def test_reactions_have_a_budget_of_their_own(channel, official, official2, settings):
    from communities import services
    from communities.errors import RateLimited

    settings.LEERKRING_REACTION_RATE_LIMIT = (2, 60)
    message = post(official2, channel, "Goed idee?")
    services.reaction_set(user=official, message=message, kind="idea", on=True)
    services.reaction_set(user=official, message=message, kind="idea", on=False)
    with pytest.raises(RateLimited) as refused:
        services.reaction_set(user=official, message=message, kind="thanks", on=True)
    assert "Je reageert heel snel" in str(refused.value.message)
    from communities.models import Reaction

    assert not Reaction.objects.filter(message=message).exists()


def test_the_data_export_is_refused_while_the_cache_is_unreachable(client, official):
    from django.test import override_settings

    client.force_login(official)
    with override_settings(CACHES=UNREACHABLE_CACHE):
        response = client.post(reverse("communities:data_export"))
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "Dit kan nu even niet. Probeer het over een minuut opnieuw." in follow.content.decode()


def test_limited_api_answers_tell_the_client_its_budget(client, channel, official):
    client.force_login(official)
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"
    first = client.post(url, json.dumps({"body": "Een"}), content_type="application/json")
    assert first.status_code == 201
    assert (first["RateLimit-Limit"], first["RateLimit-Remaining"], first["RateLimit-Policy"]) == ("3", "2", "3;w=60")
    assert 0 < int(first["RateLimit-Reset"]) <= 60
    for body in ("Twee", "Drie"):
        client.post(url, json.dumps({"body": body}), content_type="application/json")

    refused = client.post(url, json.dumps({"body": "Vier"}), content_type="application/json")

    assert refused.status_code == 429
    assert refused["RateLimit-Remaining"] == "0"
    assert refused["Retry-After"] == refused["RateLimit-Reset"]
    assert 0 < int(refused["Retry-After"]) <= 60
    # A read counts nothing, so it says nothing about a budget.
    assert "RateLimit-Limit" not in client.get(url)


def test_address_limits_of_the_public_forms_let_visitors_through_while_the_cache_is_unreachable(caplog):
    from django.test import RequestFactory, override_settings

    from core.ratelimit import limit_exceeded

    request = RequestFactory().post("/nieuwsbrief/")
    with override_settings(CACHES=UNREACHABLE_CACHE):
        assert not limit_exceeded(request, "newsletter")
    assert "rate limit newsletter:127.0.0.1 not checked" in caplog.text
