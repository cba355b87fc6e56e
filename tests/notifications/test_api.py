"""The JSON API: notifications (cursor pages, read marks, preferences), search, saved items."""

import pytest

from communities.models import Delivery, NotificationKind
from communities.notifications.services import notify, preferences_for
from communities.rendering import render_markdown
from tests.factories import ChannelFactory, CircleFactory, MessageFactory

from .conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, official):
    client.force_login(official)
    return client


def make(recipient, actor, circle, count):
    for index in range(count):
        notify(kind=NotificationKind.JOIN_REQUEST, recipients=[recipient], actor=actor, circle=circle, event_key=f"e{index}")


def test_anonymous_gets_401_json(client):
    response = client.get("/api/v1/notifications")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_list_is_cursor_paginated_newest_first(api, official, expert, circle):
    make(official, expert, circle, 5)
    first = api.get("/api/v1/notifications?limit=2").json()
    assert first["unread"] == 5
    assert len(first["items"]) == 2
    assert first["items"][0]["text"] == "Bram Jansen wil lid worden van Kring Wonen"
    second = api.get(f"/api/v1/notifications?limit=2&cursor={first['next_cursor']}").json()
    third = api.get(f"/api/v1/notifications?limit=2&cursor={second['next_cursor']}").json()
    ids = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    assert third["next_cursor"] is None


def test_bad_cursor_and_limit_are_422(api):
    assert api.get("/api/v1/notifications?cursor=abc").status_code == 422
    assert api.get("/api/v1/notifications?limit=1000").status_code == 422


def test_mark_read_and_read_all(api, official, expert, circle):
    make(official, expert, circle, 3)
    items = api.get("/api/v1/notifications").json()["items"]
    response = api.post(f"/api/v1/notifications/{items[0]['id']}/read")
    assert response.status_code == 200 and response.json()["read"] is True
    assert api.get("/api/v1/notifications").json()["unread"] == 2
    response = api.post("/api/v1/notifications/read-all")
    assert response.json() == {"unread": 0, "marked": 2}


def test_someone_elses_notification_is_404(api, official, expert, circle):
    [theirs] = notify(kind=NotificationKind.JOIN_REQUEST, recipients=[expert], actor=official, circle=circle, event_key="x")
    response = api.post(f"/api/v1/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["detail"] == "Deze melding bestaat niet."


def test_post_without_csrf_token_is_refused(client, official, expert, circle):
    from django.test import Client

    make(official, expert, circle, 1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(official)
    assert strict.post("/api/v1/notifications/read-all").status_code == 403


def test_preferences_get_and_put(api, official):
    assert api.get("/api/v1/notifications/preferences").json()["preferences"]["mention"] == "immediate"
    response = api.put(
        "/api/v1/notifications/preferences", {"preferences": {"mention": "digest"}}, content_type="application/json"
    )
    assert response.status_code == 200
    assert preferences_for(official)[NotificationKind.MENTION] == Delivery.DIGEST
    response = api.put(
        "/api/v1/notifications/preferences", {"preferences": {"mention": "pigeon"}}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Kies hoe je deze melding wilt krijgen."


def test_search_only_in_own_circles(api, channel, official, expert):
    other = ChannelFactory(circle=CircleFactory(slug="zorg", name="Kring Zorg"))
    stranger = member(other.circle, "zoe", "Zoë")
    text = "Ervaringen met de woonbegeleider"
    mine = MessageFactory(channel=channel, author=expert, body_source=text, body_html=render_markdown(text))
    MessageFactory(channel=other, author=stranger, body_source=text, body_html=render_markdown(text))
    body = api.get("/api/v1/search?q=woonbegeleider").json()
    [section] = [s for s in body["sections"] if s["type"] == "messages"]
    assert section["count"] == 1
    [hit] = section["results"]
    assert hit["id"] == mine.pk
    assert "<mark>woonbegeleider</mark>" in hit["excerpt_html"]
    assert hit["circle"]["slug"] == "wonen"
    assert api.get("/api/v1/search?q=woonbegeleider&circle=zorg").status_code == 404
    assert api.get("/api/v1/search?q=woonbegeleider&type=rumours").status_code == 422


def test_search_type_pages_with_cursor(api, channel, official, expert):
    for index in range(25):
        text = f"woonbegeleider {index}"
        MessageFactory(channel=channel, author=expert, body_source=text, body_html=render_markdown(text))
    first = api.get("/api/v1/search?q=woonbegeleider&type=messages").json()["sections"][0]
    second = api.get(f"/api/v1/search?q=woonbegeleider&type=messages&cursor={first['next_cursor']}").json()["sections"][0]
    assert len(first["results"]) == 20 and len(second["results"]) == 5 and second["next_cursor"] is None


def test_saved_items_through_the_api(api, channel, expert, outsider, client):
    message = MessageFactory(channel=channel, author=expert)
    assert api.post(f"/api/v1/saved/message/{message.pk}").json() == {"kind": "message", "id": message.pk, "saved": True}
    assert api.delete(f"/api/v1/saved/message/{message.pk}").json()["saved"] is False
    client.force_login(outsider)
    assert client.post(f"/api/v1/saved/message/{message.pk}").status_code == 404
