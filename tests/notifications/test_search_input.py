"""Every search entry point of members takes any text: results or a clear "nothing found",
never a server error (issue 13), on both lanes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import services as case_services
from communities import services

from ..cms.test_search_input import QUERIES, search_text

pytestmark = pytest.mark.django_db

fixtures_reused = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def content(circle, channel, official, expert):
    services.message_post(author=expert, channel=channel, body="Het wijkteam zoekt samenwerking")
    case = case_services.case_create(author=official, circle=circle, title="Wijkteam en samenwerking",
                                     context="Het wijkteam in de regio.", question="Hoe?")
    case_services.case_move(actor=official, case=case, to_phase="questions")


@pytest.fixture
def signed_in(client, official, content):
    client.force_login(official)
    return client


def get_ok(client, url, query, param):
    response = client.get(url, {param: query})
    assert response.status_code == 200, (url, query, response.content[:300])
    return response


ENTRY_POINTS = [
    ("/zoeken/", "q"),
    ("/api/v1/search", "q"),
    ("/kringen/wonen/casussen/", "zoek"),
    ("/api/v1/circles/wonen/cases", "q"),
]


@pytest.mark.parametrize("url,param", ENTRY_POINTS)
def test_punctuation_at_every_entry_point(signed_in, url, param):
    for query in QUERIES:
        get_ok(signed_in, url, query, param)


@pytest.mark.parametrize("url,param", ENTRY_POINTS)
@fixtures_reused
@given(query=search_text)
def test_any_text_at_every_entry_point(signed_in, url, param, query):
    get_ok(signed_in, url, query, param)


def test_words_with_punctuation_are_found_and_only_punctuation_says_nothing_matches(signed_in):
    page = get_ok(signed_in, "/zoeken/", 'wijkteam"', "q").content.decode()
    assert page.count("1 resultaat in je kringen") == 2  # the message and the case
    nothing = get_ok(signed_in, "/zoeken/", '" :', "q").content.decode()
    assert "Niets in je kringen past bij" in nothing
    api = get_ok(signed_in, "/api/v1/search", "(wijkteam", "q").json()
    assert {section["type"]: section["count"] for section in api["sections"]} == {"messages": 1, "cases": 1}
    cases = get_ok(signed_in, "/api/v1/circles/wonen/cases", "wijkteam:*", "q").json()
    assert [case["title"] for case in cases["items"]] == ["Wijkteam en samenwerking"]
