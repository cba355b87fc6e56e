"""The case list's word filter (`?zoek=` on the page, `q` in the API): member search's rules
(someone else's confidential case by its title only), every role, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services

from .conftest import fresh
from .factories import CaseFactory

pytestmark = pytest.mark.django_db

URL = "/kringen/slim-samenwerken/casussen/"
API = "/api/v1/circles/slim-samenwerken/cases"
SESSION_BOOKKEEPING = ("django_session", "usersessions_usersession", "SAVEPOINT")


@pytest.fixture
def cases(circle, official, member):
    def bring_in(author, title, context, confidential=False):
        case = services.case_create(author=author, circle=circle, title=title, context=context, question="Hoe?",
                                    confidential=confidential)
        return services.case_move(actor=author, case=case, to_phase="questions")

    return {
        "open": bring_in(member, "Inkoop wijkverpleging", "De wachtlijst groeit."),
        "secret": bring_in(official, "Kostenverdeling jeugdzorg", "Familie De Boer en de wachtlijst.", confidential=True),
        "draft": services.case_create(author=official, circle=circle, title="Concept wachtlijst", context="x", question="y"),
    }


def titles(client, user, words):
    client.force_login(fresh(user))
    page = client.get(URL, {"zoek": words})
    api = client.get(API, {"q": words})
    assert page.status_code == 200 and api.status_code == 200
    listed = [item["title"] for item in api.json()["items"]]
    for title in listed:
        assert title in page.content.decode()
    return sorted(listed)


def test_words_filter_the_list_for_a_member(client, member, cases):
    assert titles(client, member, "wijkverpleging") == ["Inkoop wijkverpleging"]
    assert titles(client, member, "jeugdzorg") == ["Kostenverdeling jeugdzorg"]  # by its title


def test_someone_elses_confidential_case_is_not_found_by_its_content(client, member, expert, facilitator, cases):
    for person in (member, expert, facilitator):
        assert titles(client, person, "Boer") == []
        assert titles(client, person, "wachtlijst") == ["Inkoop wijkverpleging"]


def test_the_owner_finds_their_confidential_case_and_draft_by_content(client, official, cases):
    assert titles(client, official, "wachtlijst") == ["Concept wachtlijst", "Inkoop wijkverpleging", "Kostenverdeling jeugdzorg"]
    assert titles(client, official, "Boer") == ["Kostenverdeling jeugdzorg"]


def test_an_edit_changes_what_the_filter_finds(client, official, circle):
    draft = services.case_create(author=official, circle=circle, title="Kladversie", context="x", question="y")
    services.case_update(editor=official, case=draft, title="Regionale woonvisie")
    assert titles(client, official, "woonvisie") == ["Regionale woonvisie"]
    assert titles(client, official, "kladversie") == []


def test_outsider_and_anonymous_get_nothing(client, outsider, cases):
    client.force_login(outsider)
    assert client.get(URL, {"zoek": "wachtlijst"}).status_code == 404
    assert client.get(API, {"q": "wachtlijst"}).status_code == 404
    client.logout()
    assert client.get(URL, {"zoek": "wachtlijst"}).status_code == 302
    assert client.get(API, {"q": "wachtlijst"}).status_code == 404  # circles are not revealed


def test_a_case_guest_does_not_get_the_circles_list(client, guest, cases):
    client.force_login(guest)
    assert client.get(URL, {"zoek": "wachtlijst"}).status_code == 404


def test_filtered_list_queries_do_not_grow_with_matches(client, circle, member, official):
    client.force_login(member)

    def count_queries():
        client.get(URL, {"zoek": "wachtlijst"})  # the session and caches of a first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"zoek": "wachtlijst"}).status_code == 200
        # Session bookkeeping (allauth's user sessions) depends on the clock, not on the page.
        return len([q for q in queries.captured_queries if not any(word in q["sql"] for word in SESSION_BOOKKEEPING)])

    CaseFactory.create_batch(2, circle=circle, author=official, phase="questions", context="De wachtlijst.")
    small = count_queries()
    CaseFactory.create_batch(8, circle=circle, author=official, phase="questions", context="De wachtlijst.")
    assert count_queries() == small


def test_a_negated_word_does_not_tell_what_a_confidential_case_holds(client, circle, official, member):
    """Whether someone else's confidential case is listed may depend on its title only: with
    "-word" its hidden content must not decide (member search on PostgreSQL reads `-` as NOT)."""
    for title, context in (("Budget wijkteams", "Het ontslag van de teamleider."), ("Budget jeugd", "Geen bijzonderheden.")):
        case = services.case_create(author=official, circle=circle, title=title, context=context, question="Hoe?",
                                    confidential=True)
        services.case_move(actor=official, case=case, to_phase="questions")
    assert titles(client, member, "Budget -ontslag") in ([], ["Budget jeugd", "Budget wijkteams"])
