"""The webhook pages under the circle's management: every role, and what facilitators see and do."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from communities.models import Membership
from tests.factories import UserFactory
from webhooks import services
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "expert", "facilitator", "removed"]
PAGE = dict(zip(ROLES, ["login", 404, 404, 404, 200, 404]))
ACTION = dict(zip(ROLES, ["login", 404, 404, 404, 302, 404]))


@pytest.fixture
def people(circle, official, expert, facilitator, outsider):
    removed = UserFactory(username="rik")
    Membership.objects.create(user=removed, circle=circle, role=Membership.Role.FACILITATOR,
                              state=Membership.State.REMOVED)
    return {"anonymous": None, "outsider": outsider, "member": official, "expert": expert,
            "facilitator": facilitator, "removed": removed}


@pytest.fixture
def endpoint(circle, facilitator, receiver):
    endpoint, _secret = services.endpoint_create(facilitator=facilitator, circle=circle, url=receiver.url,
                                                 events=["message.created"], description="Teams")
    return endpoint


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


PAGES = [
    ("list", "get", lambda c, e: reverse("webhooks:list", args=[c.slug]), None),
    ("detail", "get", lambda c, e: reverse("webhooks:detail", args=[c.slug, e.pk]), None),
    ("delete page", "get", lambda c, e: reverse("webhooks:delete", args=[c.slug, e.pk]), None),
]
ACTIONS = [
    ("create", lambda c, e: reverse("webhooks:list", args=[c.slug]),
     lambda e: {"url": e.url, "events": ["case.updated"]}),
    ("update", lambda c, e: reverse("webhooks:detail", args=[c.slug, e.pk]),
     lambda e: {"url": e.url, "events": ["case.updated"], "description": "Anders"}),
    ("new secret", lambda c, e: reverse("webhooks:secret", args=[c.slug, e.pk]), lambda e: {}),
    ("switch off", lambda c, e: reverse("webhooks:toggle", args=[c.slug, e.pk]), lambda e: {"enabled": "0"}),
    ("delete", lambda c, e: reverse("webhooks:delete", args=[c.slug, e.pk]), lambda e: {}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,data", PAGES, ids=[p[0] for p in PAGES])
def test_pages_by_role(role, name, method, url, data, circle, people, endpoint):
    response = client_for(people[role]).get(url(circle, endpoint))
    assert outcome(response) == PAGE[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,url,data", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_actions_by_role(role, name, url, data, circle, people, endpoint):
    before = list(Endpoint.objects.values_list("pk", "url", "events", "secret", "enabled", "description"))
    response = client_for(people[role]).post(url(circle, endpoint), data(endpoint))
    assert outcome(response) == ACTION[role]
    after = list(Endpoint.objects.values_list("pk", "url", "events", "secret", "enabled", "description"))
    assert (after != before) == (role == "facilitator")


def test_an_endpoint_of_another_circle_is_not_found(circle, facilitator, endpoint):
    from tests.factories import CircleFactory, MembershipFactory

    other = CircleFactory()
    MembershipFactory(circle=other, user=facilitator, role="facilitator")
    client = client_for(facilitator)
    assert client.get(reverse("webhooks:detail", args=[other.slug, endpoint.pk])).status_code == 404
    assert client.post(reverse("webhooks:toggle", args=[other.slug, endpoint.pk]), {"enabled": "0"}).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.enabled


def test_a_facilitator_adds_a_webhook_and_sees_the_secret_once(circle, facilitator, receiver):
    client = client_for(facilitator)
    page = client.get(reverse("webhooks:list", args=[circle.slug]))
    assert "Webhook toevoegen" in page.content.decode()  # Dutch UI
    response = client.post(reverse("webhooks:list", args=[circle.slug]),
                           {"url": receiver.url, "description": "Teams", "events": ["message.created", "feedback.created"]})
    endpoint = Endpoint.objects.get()
    assert response["Location"] == reverse("webhooks:detail", args=[circle.slug, endpoint.pk])
    assert (endpoint.events, endpoint.description, endpoint.created_by) == (
        ["message.created", "feedback.created"], "Teams", facilitator
    )
    first = client.get(response["Location"]).content.decode()
    assert endpoint.secret in first
    again = client.get(response["Location"]).content.decode()
    assert endpoint.secret not in again and endpoint.secret_hint in again

    client.post(reverse("webhooks:secret", args=[circle.slug, endpoint.pk]))
    old = endpoint.secret
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in client.get(response["Location"]).content.decode()


@override_settings(WEBHOOK_ALLOW_LOOPBACK=False)
@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"url": "", "events": ["message.created"]}, "url", "Vul het adres"),
        ({"url": "http://127.0.0.1:9/hook", "events": ["message.created"]}, "url", "privé of intern netwerk"),
        ({"url": "https://10.1.2.3/hook", "events": ["message.created"]}, "url", "privé of intern netwerk"),
        ({"url": "https://93.184.216.34/hook", "events": []}, "events", "Kies minstens één gebeurtenis"),
        ({"url": "https://93.184.216.34/hook", "events": ["message.deleted"]}, "events", None),
    ],
)
def test_bad_input_is_refused_with_a_translated_error_and_nothing_stored(circle, facilitator, data, field, message):
    response = client_for(facilitator).post(reverse("webhooks:list", args=[circle.slug]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert message in " ".join(errors[field])
    assert not Endpoint.objects.exists()


@override_settings(WEBHOOK_DISABLE_AFTER_FAILURES=1)
def test_facilitators_see_the_log_and_why_a_webhook_was_switched_off(circle, channel, official, facilitator, committed):
    from communities import services as communities

    from .receiver import Receiver

    with Receiver(statuses=[500]) as receiver:
        endpoint, _ = services.endpoint_create(facilitator=facilitator, circle=circle, url=receiver.url,
                                               events=["message.created"])
        with committed():
            communities.message_post(author=official, channel=channel, body="Hallo")
    delivery = Delivery.objects.get()
    client = client_for(facilitator)
    page = client.get(reverse("webhooks:detail", args=[circle.slug, endpoint.pk])).content.decode()
    assert "automatisch uitgezet" in page
    assert "foutstatus" in page  # the last problem, in Dutch
    assert str(delivery.pk) in page and "<td>500</td>" in page and "mislukt" in page
    listing = client.get(reverse("webhooks:list", args=[circle.slug])).content.decode()
    assert "automatisch uitgezet" in listing

    client.post(reverse("webhooks:toggle", args=[circle.slug, endpoint.pk]), {"enabled": "1"})
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 0


def test_delete_after_confirmation(circle, facilitator, endpoint):
    client = client_for(facilitator)
    url = reverse("webhooks:delete", args=[circle.slug, endpoint.pk])
    assert "Deze webhook verwijderen?" in client.get(url).content.decode()
    assert Endpoint.objects.exists()
    assert client.post(url)["Location"] == reverse("webhooks:list", args=[circle.slug])
    assert not Endpoint.objects.exists()


def test_the_list_costs_the_same_queries_for_one_or_five_webhooks(circle, facilitator, receiver,
                                                                  django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(facilitator)
    url = reverse("webhooks:list", args=[circle.slug])

    def count():
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    services.endpoint_create(facilitator=facilitator, circle=circle, url=receiver.url, events=["message.created"])
    one = count()
    for _ in range(4):
        services.endpoint_create(facilitator=facilitator, circle=circle, url=receiver.url, events=["case.updated"])
    assert count() == one
