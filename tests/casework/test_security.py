"""Casework and the security rules: phase changes in the audit log, rate limits on questions and feedback."""

import pytest
from django.urls import reverse

from casework import services
from casework.errors import Conflict
from communities.errors import RateLimited
from casework.models import Case, CaseQuestion, Feedback
from communities.models import AuditEntry
from tests.accounts.helpers import main_text, soup, squash

from .conftest import fresh, put_in_phase

pytestmark = pytest.mark.django_db

TOO_FAST = "Je plaatst heel snel berichten. Wacht een minuut en probeer het dan opnieuw."


def log_rows(client, circle):
    response = client.get(reverse("communities:manage_log", args=[circle.slug]))
    assert response.status_code == 200
    return [[squash(td.get_text(" ", strip=True)) for td in tr.find_all("td")][1:]
            for tr in soup(response).select("main tbody tr")]


def test_every_phase_change_is_logged_by_whoever_made_it(client, case, official, facilitator):
    services.case_move(actor=official, case=case, to_phase="questions")
    services.case_move(actor=fresh(facilitator), case=case, to_phase="advice")
    services.case_move(actor=fresh(facilitator), case=case, to_phase="questions")

    client.force_login(facilitator)
    rows = log_rows(client, case.circle)
    assert rows == [
        ["Bram Begeleider", "Zette een casus in een andere fase", "–",
         "Kostenverdeling jeugdzorg in de regio: van ‘advies’ naar ‘verhelderende vragen’"],
        ["Bram Begeleider", "Zette een casus in een andere fase", "–",
         "Kostenverdeling jeugdzorg in de regio: van ‘verhelderende vragen’ naar ‘advies’"],
        ["Anouk Ambtenaar", "Zette een casus in een andere fase", "–",
         "Kostenverdeling jeugdzorg in de regio: van ‘concept’ naar ‘verhelderende vragen’"],
    ]
    link = soup(client.get(reverse("communities:manage_log", args=[case.circle.slug]))).select_one("main tbody a[href*=casussen]")
    assert link["href"] == case.get_absolute_url()
    entry = AuditEntry.objects.order_by("id").first()
    assert entry.details == {"case": case.pk, "old": "draft", "new": "questions"}


def test_a_refused_phase_change_is_not_logged(case, member):
    put_in_phase(case, Case.Phase.QUESTIONS)
    with pytest.raises(Conflict):  # only the owner or a facilitator moves a case
        services.case_move(actor=member, case=case, to_phase="advice")
    assert not AuditEntry.objects.exists()


def test_a_case_back_in_draft_keeps_its_title_from_the_log(client, case, official, facilitator):
    services.case_move(actor=official, case=case, to_phase="questions")
    services.case_move(actor=fresh(facilitator), case=case, to_phase="draft")
    client.force_login(facilitator)
    assert [row[-1] for row in log_rows(client, case.circle)] == [
        "een casus: van ‘verhelderende vragen’ naar ‘concept’", "een casus: van ‘concept’ naar ‘verhelderende vragen’",
    ]


@pytest.fixture
def two_a_minute(settings):
    settings.LEERKRING_POST_RATE_LIMIT = (2, 60)


def test_questions_are_rate_limited_on_the_page(client, case, member, two_a_minute):
    put_in_phase(case, Case.Phase.QUESTIONS)
    client.force_login(member)
    url = reverse("casework:question_create", args=[case.circle.slug, case.pk])
    for n in range(2):
        assert client.post(url, {"body": f"Vraag {n}?"}).status_code == 302

    response = client.post(url, {"body": "Nog een vraag?"})

    assert response.status_code == 429
    assert TOO_FAST in main_text(response)
    assert CaseQuestion.objects.count() == 2


def test_feedback_is_rate_limited_in_the_api(client, case, member, two_a_minute):
    put_in_phase(case, Case.Phase.ADVICE)
    client.force_login(member)
    url = f"/api/v1/cases/{case.pk}/feedback"
    for n in range(2):
        assert client.post(url, {"body": f"Tip {n}"}, content_type="application/json").status_code == 201

    response = client.post(url, {"body": "Nog een tip"}, content_type="application/json")

    assert response.status_code == 429
    assert response.json() == {"detail": TOO_FAST, "code": "rate_limited"}
    assert Feedback.objects.count() == 2


def test_messages_questions_and_feedback_share_one_budget(case, member, two_a_minute):
    from communities import services as circle_services
    from tests.factories import ChannelFactory

    channel = ChannelFactory(circle=case.circle)
    circle_services.message_post(author=member, channel=channel, body="Hallo")
    put_in_phase(case, Case.Phase.QUESTIONS)
    services.question_ask(author=member, case=case, body="Een vraag?")
    put_in_phase(case, Case.Phase.ADVICE)
    with pytest.raises(RateLimited):
        services.feedback_give(author=member, case=case, body="Mijn advies")
    assert not Feedback.objects.exists()


CASES_TOO_FAST = "Je hebt in korte tijd veel casussen ingebracht. Probeer het later opnieuw."
NEW_CASE = {"title": "Nieuwe casus", "context": "De context.", "question": "Wat nu?"}


@pytest.fixture
def three_cases_an_hour(settings):
    settings.LEERKRING_RATE_LIMITS = {"case": (3, 60 * 60)}


def test_case_creation_is_rate_limited_in_the_api_and_tells_the_budget(client, circle, member, three_cases_an_hour):
    client.force_login(member)
    url = f"/api/v1/circles/{circle.slug}/cases"
    remaining = []
    for n in range(3):
        response = client.post(url, {**NEW_CASE, "title": f"Casus {n}"}, content_type="application/json")
        assert response.status_code == 201
        assert (response["RateLimit-Limit"], response["RateLimit-Policy"]) == ("3", "3;w=3600")
        assert 0 < int(response["RateLimit-Reset"]) <= 3600
        assert "Retry-After" not in response
        remaining.append(response["RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]

    response = client.post(url, NEW_CASE, content_type="application/json")

    assert response.status_code == 429
    assert response.json() == {"detail": CASES_TOO_FAST, "code": "rate_limited"}
    assert response["RateLimit-Remaining"] == "0"
    assert response["Retry-After"] == response["RateLimit-Reset"]
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Case.objects.filter(author=member).count() == 3


def test_case_creation_is_rate_limited_on_the_page(client, circle, member, three_cases_an_hour):
    client.force_login(member)
    url = reverse("casework:case_create", args=[circle.slug])
    for n in range(3):
        assert client.post(url, {**NEW_CASE, "title": f"Casus {n}"}).status_code == 302

    response = client.post(url, NEW_CASE)

    assert response.status_code == 429
    assert CASES_TOO_FAST in main_text(response)
    assert "Retry-After" in response
    assert Case.objects.filter(author=member).count() == 3


def test_invalid_drafts_do_not_use_up_the_case_budget(client, circle, member, three_cases_an_hour):
    client.force_login(member)
    url = f"/api/v1/circles/{circle.slug}/cases"
    for _ in range(4):
        assert client.post(url, {**NEW_CASE, "title": " "}, content_type="application/json").status_code == 422
    assert client.post(url, NEW_CASE, content_type="application/json").status_code == 201


def test_case_questions_answer_429_with_the_budget_in_the_api(client, case, member, two_a_minute):
    put_in_phase(case, Case.Phase.QUESTIONS)
    client.force_login(member)
    url = f"/api/v1/cases/{case.pk}/questions"
    for n in range(2):
        assert client.post(url, {"body": f"Vraag {n}?"}, content_type="application/json").status_code == 201

    response = client.post(url, {"body": "Nog een?"}, content_type="application/json")

    assert response.status_code == 429
    assert response.json() == {"detail": TOO_FAST, "code": "rate_limited"}
    assert (response["RateLimit-Limit"], response["RateLimit-Remaining"]) == ("2", "0")
    assert int(response["Retry-After"]) <= 60
    assert CaseQuestion.objects.count() == 2
