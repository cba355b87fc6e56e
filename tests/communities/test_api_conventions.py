"""The API as an integrator meets it: one way to page every list, one error schema, 401 with
WWW-Authenticate, 415 for a body that is not JSON, Idempotency-Key on creates, ETag/304."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import casework.api
import communities.api
import partners.api
from casework import services as case_services
from casework.models import Case, CaseQuestion, Feedback
from communities import services
from communities.models import Message
from idempotency.models import IdempotencyKey
from tests.factories import ChannelFactory, CircleFactory
from tests.partners.factories import ask

from .conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_post_limit(settings):
    settings.LEERKRING_POST_RATE_LIMIT = (10_000, 60)


@pytest.fixture
def small_pages(monkeypatch):
    for module in (communities.api, casework.api, partners.api):
        monkeypatch.setattr(module, "PAGE_SIZE", 2)


def token_client(client, user):
    _token, raw = services.access_token_create(user=user, name="integrator", scope="write")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def a_case(author, circle, title="Kostenverdeling", phase="questions"):
    case = case_services.case_create(author=author, circle=circle, title=title, context="Zes gemeenten.",
                                     question="Hoe verdelen?")
    for step in ("questions", "advice")[: ("draft", "questions", "advice").index(phase)]:
        case_services.case_move(actor=author, case=case, to_phase=step)
    case.refresh_from_db()
    return case


# --- Pagination -------------------------------------------------------------------------


@pytest.fixture
def three_of_everything(circle, channel, official, official2, facilitator, expert):
    for n in range(2):
        CircleFactory(name=f"Open kring {n}", slug=f"open-kring-{n}")
        ChannelFactory(circle=circle, name=f"Kanaal {n}", slug=f"kanaal-{n}")
    root = post(official2, channel, "Een vraag aan @anouk")
    for n in range(3):
        post(official2, channel, f"Antwoord {n} voor @anouk", parent=root)
    cases = [a_case(official2, circle, title=f"Casus {n}", phase=("questions", "advice", "advice")[n]) for n in range(3)]
    for n in range(3):
        case_services.question_ask(author=official, case=cases[0], body=f"Vraag {n}?")
        if n < 2:
            case_services.feedback_give(author=[official, facilitator][n], case=cases[1], body=f"Tip {n}.")
        else:
            case_services.feedback_give(author=expert, case=cases[1], analysis="A", approach="B", risks="C")
    for n in range(3):
        ask(official, title=f"Kennisvraag {n}")
    return {"case": cases[0].pk, "advised": cases[1].pk, "slug": circle.slug, "channel": channel.slug}


def every_list(world):
    slug, channel, case = world["slug"], world["channel"], world["case"]
    return [
        "/api/v1/circles",
        f"/api/v1/circles/{slug}/memberships",
        f"/api/v1/circles/{slug}/channels",
        f"/api/v1/circles/{slug}/channels/{channel}/messages?limit=2",
        f"/api/v1/circles/{slug}/cases",
        f"/api/v1/cases/{case}/questions",
        f"/api/v1/cases/{world['advised']}/feedback",
        "/api/v1/notifications?limit=2",
        "/api/v1/knowledge-questions",
    ]


def test_every_list_pages_with_cursor_next_and_a_link_header(client, official, three_of_everything, small_pages):
    token_client(client, official)
    for url in every_list(three_of_everything):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        assert len(body["items"]) == 2, url
        assert body["next"].startswith("http://testserver/api/v1/") and f"cursor={body['next_cursor']}" in body["next"]
        assert response["Link"] == f'<{body["next"]}>; rel="next"'
        seen = [item["id"] for item in body["items"]]
        while body["next"]:
            response = client.get(body["next"])
            body = response.json()
            seen += [item["id"] for item in body["items"]]
        assert body["next_cursor"] is None and "Link" not in response, url
        assert len(seen) == len(set(seen)) >= 3, url


def test_a_bad_cursor_answers_422_json_on_every_list(client, official, three_of_everything):
    token_client(client, official)
    for url in every_list(three_of_everything):
        for cursor in ("kapot", "12", "eyJ2IjogLTF9", "eyJ2IjogIngifQ"):  # not base64 JSON, {"v": -1}, {"v": "x"}
            response = client.get(url, {"cursor": cursor})
            assert response.status_code == 422, (url, cursor)
            assert response.json() == {
                "detail": "Deze cursor is niet geldig; gebruik de next_cursor van de vorige pagina.",
                "code": "invalid_cursor",
            }


def test_query_counts_of_a_page_do_not_grow_with_its_items(client, circle, channel, official, official2, facilitator):
    token_client(client, official)
    case = a_case(official2, circle)
    advised = a_case(official2, circle, title="Afval", phase="advice")

    def counts():
        urls = [f"/api/v1/circles/{circle.slug}/channels/{channel.slug}/messages", f"/api/v1/circles/{circle.slug}/cases",
                f"/api/v1/cases/{case.pk}/questions", f"/api/v1/cases/{advised.pk}/feedback",
                f"/api/v1/circles/{circle.slug}/channels", f"/api/v1/circles/{circle.slug}/memberships"]
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    def add(n):
        for i in range(n):
            post(official2, channel, f"Bericht {i}")
            a_case(official2, circle, title=f"Casus {n}-{i}")
            case_services.question_ask(author=[official, facilitator][i % 2], case=case, body=f"Vraag {i}?")
            ChannelFactory(circle=circle, name=f"Kanaal {n}-{i}", slug=f"kanaal-{n}-{i}")
        case_services.feedback_give(author=[official, facilitator][n % 2], case=advised, body="Tip.")

    client.get("/api/v1/circles")  # the token's first use is recorded once
    add(2)
    small = counts()
    add(5)
    assert counts() == small


# --- Errors -----------------------------------------------------------------------------


def test_401_says_how_to_authenticate(client, channel):
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"
    anonymous = client.post(url, {"body": "Hallo"}, content_type="application/json")
    bad_token = client.get("/api/v1/notifications", HTTP_AUTHORIZATION="Bearer lk_nietgeldig")
    for response in (anonymous, bad_token):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="Leerkring API"'
        assert response["Content-Type"] == "application/json; charset=utf-8"
    assert bad_token.json()["code"] == "invalid_token"
    assert not Message.objects.exists()


def test_a_body_that_is_not_json_answers_415_and_stores_nothing(client, channel, official):
    token_client(client, official)
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"
    for content_type, body in (("text/plain", "Hallo"), ("application/x-www-form-urlencoded", "body=Hallo"),
                               ("application/xml", "<body>Hallo</body>")):
        response = client.post(url, body, content_type=content_type)
        assert response.status_code == 415, content_type
        assert response.json() == {
            "detail": "Dit adres neemt JSON aan: stuur de inhoud met Content-Type: application/json.",
            "code": "unsupported_media_type",
        }
    assert client.post(url, {"body": "Hallo"}, content_type="application/json").status_code == 201
    assert Message.objects.count() == 1


def test_a_422_lists_each_field_at_fault(client, channel, official):
    token_client(client, official)
    url = f"/api/v1/circles/{channel.circle.slug}/channels/{channel.slug}/messages"
    body = client.post(url, {"parent": "een"}, content_type="application/json").json()
    assert body["code"] == "invalid_payload"
    assert {(e["field"], e["message"]) for e in body["errors"]} == {("body", "ontbreekt"),
                                                                    ("parent", "moet een geheel getal zijn")}


def test_one_error_schema_is_documented_for_every_error():
    from config.api import api

    document = api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    assert "Error" not in schemas
    assert set(schemas["ErrorOut"]["properties"]) == {"detail", "code", "errors"}
    assert schemas["ErrorOut"]["required"] == ["detail", "code"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (
                        method, path, status)


# --- Idempotency-Key --------------------------------------------------------------------


def creates(circle, channel, questioned, advised):
    return [
        (f"/api/v1/circles/{circle.slug}/channels/{channel.slug}/messages", {"body": "Hallo"}, Message),
        (f"/api/v1/circles/{circle.slug}/cases", {"title": "Nieuw", "context": "Ctx", "question": "Vraag?"}, Case),
        (f"/api/v1/cases/{questioned.pk}/questions", {"body": "Wie betaalt?"}, CaseQuestion),
        (f"/api/v1/cases/{advised.pk}/feedback", {"body": "Begin klein."}, Feedback),
    ]


def test_a_retried_create_with_the_same_key_stores_one_row_and_answers_the_same(client, circle, channel, official,
                                                                              official2):
    token_client(client, official)
    questioned = a_case(official2, circle)
    advised = a_case(official2, circle, title="Afval", phase="advice")
    for n, (url, payload, model) in enumerate(creates(circle, channel, questioned, advised)):
        before = model.objects.count()
        first = client.post(url, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"sleutel-{n}")
        again = client.post(url, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"sleutel-{n}")
        assert first.status_code == again.status_code == 201, url
        assert again.content == first.content
        assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
        assert model.objects.count() == before + 1, url
        other = client.post(url, {**payload, "body": "Iets anders", "title": "Anders"}, content_type="application/json",
                            HTTP_IDEMPOTENCY_KEY=f"sleutel-{n}")
        assert other.status_code == 422
        assert other.json()["code"] == "idempotency_key_reused"
        assert model.objects.count() == before + 1, url


def test_keys_are_per_user_expire_and_are_not_kept_for_errors(client, circle, channel, official, official2):
    url = f"/api/v1/circles/{circle.slug}/channels/{channel.slug}/messages"
    send = {"content_type": "application/json", "HTTP_IDEMPOTENCY_KEY": "k1"}
    token_client(client, official)
    assert client.post(url, {"body": "Hallo"}, **send).status_code == 201
    token_client(client, official2)
    assert "Idempotent-Replayed" not in client.post(url, {"body": "Hallo"}, **send)  # another user: own keys
    assert Message.objects.count() == 2
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert "Idempotent-Replayed" not in client.post(url, {"body": "Hallo"}, **send)  # expired: handled afresh
    assert Message.objects.count() == 3
    refused = client.post(url, {"body": " "}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k2")
    assert refused.status_code == 422
    assert client.post(url, {"body": "Nu goed"}, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY="k2").status_code == 201  # the error was not kept
    too_long = client.post(url, {"body": "Hallo"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert too_long.status_code == 422 and too_long.json()["code"] == "invalid_idempotency_key"
    assert Message.objects.count() == 4


def test_a_retry_while_the_first_is_still_running_answers_409(client, circle, channel, official):
    token_client(client, official)
    IdempotencyKey.objects.create(user=official, key="bezig", fingerprint="-")  # the first request, unfinished
    response = client.post(f"/api/v1/circles/{circle.slug}/channels/{channel.slug}/messages", {"body": "Hallo"},
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY="bezig")
    assert response.status_code == 409 and response.json()["code"] == "idempotency_key_in_use"
    assert not Message.objects.exists()


# --- Conditional GET --------------------------------------------------------------------


def revalidates(client, url, etag):
    return client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_message_list_and_message_answer_304_until_they_change(client, circle, channel, official, official2):
    message = post(official, channel, "Eerste versie")
    token_client(client, official)
    for url in (f"/api/v1/circles/{circle.slug}/channels/{channel.slug}/messages", f"/api/v1/messages/{message.pk}"):
        first = client.get(url)
        etag = first["ETag"]
        assert etag.startswith('W/"') and "Authorization" in first["Vary"] and "Cookie" in first["Vary"]
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304 and not_modified.content == b"" and not_modified["ETag"] == etag
        services.message_edit(editor=official, message=message, body=f"Nieuwe versie voor {url}")
        assert not revalidates(client, url, etag)
        etag = client.get(url)["ETag"]
        services.reaction_set(user=official2, message=message, kind="heart", on=not message.reactions.exists())
        assert not revalidates(client, url, etag)
        assert revalidates(client, url, client.get(url)["ETag"])


def test_case_list_and_case_change_their_tag_with_the_phase_and_never_match_another_user(client, circle, official,
                                                                                      official2):
    case = a_case(official, circle)
    token_client(client, official)
    for url in (f"/api/v1/circles/{circle.slug}/cases", f"/api/v1/cases/{case.pk}"):
        etag = client.get(url)["ETag"]
        assert revalidates(client, url, etag)
        token_client(client, official2)
        assert not revalidates(client, url, etag)  # another user's view is never "not modified"
        token_client(client, official)
        case_services.case_move(actor=official, case=case, to_phase="advice" if case.phase == "questions" else "reflection")
        case.refresh_from_db()
        assert not revalidates(client, url, etag)
