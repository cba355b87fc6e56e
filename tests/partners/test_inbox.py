"""The contact person's inbox: open questions with their age, flagged after 5 working days; fixed query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners import services
from partners.models import KnowledgeQuestion
from partners.selectors import working_days_between
from tests.accounts.helpers import main_text, soup

from .factories import ask, person

AMSTERDAM = datetime.timezone(datetime.timedelta(hours=1))


def at(day: int, hour: int = 10) -> datetime.datetime:
    """A moment in March 2031: the 3rd is a Monday."""
    return datetime.datetime(2031, 3, day, hour, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (at(3), at(3, 17), 0),  # same day
        (at(3), at(7), 4),  # Monday → Friday
        (at(3), at(10), 5),  # Monday → next Monday
        (at(7), at(10), 1),  # Friday → Monday: the weekend does not count
        (at(8), at(9), 0),  # Saturday → Sunday
        (at(3), at(24), 15),  # three weeks
        (datetime.datetime(2031, 4, 10, tzinfo=AMSTERDAM), datetime.datetime(2031, 4, 15, tzinfo=AMSTERDAM), 1),
        # Thursday → Tuesday over Easter: Good Friday and Easter Monday are days off
        (datetime.datetime(2031, 4, 25, tzinfo=AMSTERDAM), datetime.datetime(2031, 4, 28, tzinfo=AMSTERDAM), 1),
        # King's Day 2031 is a Saturday: nothing to subtract
        (datetime.datetime(2031, 12, 24, tzinfo=AMSTERDAM), datetime.datetime(2032, 1, 2, tzinfo=AMSTERDAM), 4),
        # Christmas and New Year: 25, 26 Dec and 1 Jan off; 29, 30, 31 Dec and 2 Jan count
    ],
)
def test_working_days(start, end, days):
    assert working_days_between(start, end) == days


def backdate(question, days):
    moment = timezone.now() - datetime.timedelta(days=days)
    KnowledgeQuestion.objects.filter(pk=question.pk).update(created_at=moment, waiting_since=moment)


def test_the_inbox_shows_open_questions_with_age_and_flags_those_not_picked_up_in_5_working_days(
    client, official, contact, editor
):
    old = ask(official, title="Oude vraag")
    backdate(old, 8)  # at least 5 working days, whatever today is
    fresh = ask(official, title="Verse vraag")
    picked = ask(official, title="Opgepakte vraag")
    backdate(picked, 8)
    services.question_pick_up(actor=editor, question=picked)  # picked up: no longer flagged
    done = ask(official, title="Beantwoorde vraag")
    services.question_answer(actor=editor, question=done, body="Zo.")

    client.force_login(editor)
    response = client.get("/kennisvragen/inbox/")

    assert response.status_code == 200
    rows = {
        row.find("a").get_text(): " ".join(row.get_text(" ").split())
        for row in soup(response).select("#mine-heading ~ .lk-table-wrap tbody tr")
    }
    assert set(rows) == {"Oude vraag", "Verse vraag", "Opgepakte vraag"}
    assert "Niet opgepakt binnen 5 werkdagen" in rows["Oude vraag"] and "8 dagen" in rows["Oude vraag"]
    assert "Niet opgepakt" not in rows["Verse vraag"] and "vandaag" in rows["Verse vraag"]
    assert "Niet opgepakt" not in rows["Opgepakte vraag"]
    assert "Anouk Ambtenaar Veenendaal" in rows["Oude vraag"]
    assert "Beantwoorde vraag" in main_text(response)  # under "recently handled"


def test_editors_also_see_the_shared_inbox(client, official_without_organisation, contact, editor, second_editor):
    ask(official_without_organisation, title="Vraag zonder contactpersoon")
    client.force_login(second_editor)
    text = main_text(client.get("/kennisvragen/inbox/"))
    assert "Gedeelde inbox van de redactie (1)" in text and "Vraag zonder contactpersoon" in text


def test_the_inbox_api_gives_age_and_flag(client, official, contact, editor):
    old = ask(official, title="Oude vraag")
    backdate(old, 8)
    client.force_login(editor)
    (item,) = client.get("/api/v1/knowledge-questions/inbox").json()["mine"]
    assert (item["title"], item["age_days"], item["flagged"]) == ("Oude vraag", 8, True)
    assert item["waiting_working_days"] >= 5


@pytest.fixture
def many_questions(settings):
    settings.LEERKRING_RATE_LIMITS = {"knowledge_question": (1000, 60 * 60)}


def grow(count, *, contact_member, shared_member):
    existing = KnowledgeQuestion.objects.count()
    for number in range(existing, count):
        ask(contact_member if number % 2 else shared_member, title=f"Vraag {number}", urgency="high" if number % 3 else "low")


def inbox_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.usefixtures("many_questions")
@pytest.mark.parametrize("url", ["/kennisvragen/inbox/", "/api/v1/knowledge-questions/inbox"])
def test_inbox_query_count_is_equal_at_5_and_100_questions(client, official, contact, editor, url):
    shared_member = person("nina", "Nina Nieuw")
    client.force_login(editor)

    grow(5, contact_member=official, shared_member=shared_member)
    at_five = inbox_queries(client, url)
    grow(100, contact_member=official, shared_member=shared_member)
    at_hundred = inbox_queries(client, url)

    assert KnowledgeQuestion.objects.count() == 100
    assert at_five == at_hundred, f"{at_five} queries with 5 questions, {at_hundred} with 100"


@pytest.mark.usefixtures("many_questions")
def test_my_questions_and_the_overview_do_not_grow_with_the_number_of_questions(client, official, contact, editor):
    shared_member = person("nina", "Nina Nieuw")
    grow(5, contact_member=official, shared_member=shared_member)
    client.force_login(official)
    mine_5 = inbox_queries(client, "/kennisvragen/")
    client.force_login(editor)
    overview_5 = inbox_queries(client, "/kennisvragen/overzicht/")
    grow(60, contact_member=official, shared_member=shared_member)
    client.force_login(official)
    assert inbox_queries(client, "/kennisvragen/") == mine_5
    client.force_login(editor)
    assert inbox_queries(client, "/kennisvragen/overzicht/") == overview_5
