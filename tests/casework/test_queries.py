"""No page or API list grows its number of SQL queries with the feedback it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Attachment, CaseQuestion, Feedback
from tests.factories import UserFactory

from .conftest import make_member, put_in_phase
from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def fill(case, circle, n):
    """n feedback items (half peer, half expert, by different people) and n/5 questions."""
    authors = [make_member(circle, f"lid{case.pk}-{i}") for i in range(5)]
    for i in range(n):
        kind = "expert" if i % 2 else "peer"
        Feedback.objects.create(
            case=case, author=authors[i % 5], kind=kind, body="Advies", body_html="<p>Advies</p>",
            analysis="a", analysis_html="<p>a</p>", approach="b", approach_html="<p>b</p>", risks="c", risks_html="<p>c</p>",
        )
    for i in range(max(1, n // 5)):
        CaseQuestion.objects.create(case=case, author=authors[i % 5], body="Vraag", body_html="<p>Vraag</p>",
                                    answer="Antwoord", answer_html="<p>Antwoord</p>")
    Attachment.objects.create(case=case, storage_name=f"cases/{case.pk}/x{n}.pdf", original_name="a.pdf",
                              content_type="application/pdf", size=10)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_case_detail_queries_do_not_grow_with_feedback(client, circle, official):
    small = CaseFactory(circle=circle, author=official, phase="reflection")
    large = CaseFactory(circle=circle, author=official, phase="reflection")
    small.themes.set(["jeugdzorg"])
    large.themes.set(["jeugdzorg", "financiën"])
    fill(small, circle, 5)
    fill(large, circle, 100)
    client.force_login(official)
    count(client, small.get_absolute_url())  # warm up (session, caches)
    assert count(client, small.get_absolute_url()) == count(client, large.get_absolute_url())
    assert count(client, f"/api/v1/cases/{small.pk}") == count(client, f"/api/v1/cases/{large.pk}")


def test_case_list_queries_do_not_grow_with_cases_or_feedback(client, circle, official):
    client.force_login(official)
    url = reverse("casework:case_list", args=[circle.slug])
    api = f"/api/v1/circles/{circle.slug}/cases"

    def sizes(n_cases, n_feedback):
        for i in range(n_cases):
            case = CaseFactory(circle=circle, author=official, phase="advice")
            case.themes.set(["thema-a", f"thema-{i % 3}"])
        fill(case, circle, n_feedback)

    sizes(5, 5)
    count(client, url)
    small, small_api = count(client, url), count(client, api)
    sizes(15, 100)  # 20 cases in all: a full page
    assert count(client, url) == small
    assert count(client, api) == small_api
