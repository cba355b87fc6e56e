"""Casework in the data export and the account deletion."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from casework import services
from casework.models import Case, CaseGuest, CaseQuestion, Feedback
from communities import services as circle_services
from tests.accounts.helpers import main_text
from tests.security.test_account_delete import personal_traces

from .conftest import fresh, put_in_phase

pytestmark = pytest.mark.django_db


def exported(client, user) -> dict:
    client.force_login(user)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("communities:data_export")).content))
    return {name.removeprefix("leerkring/").removesuffix(".json"): json.loads(archive.read(name))
            for name in archive.namelist() if name.endswith(".json")}


@pytest.fixture
def consulted(case, official, member, expert):
    put_in_phase(case, Case.Phase.QUESTIONS)
    question = services.question_ask(author=member, case=case, body="Wie betaalt nu wat?")
    services.question_answer(author=official, question=question, body="Naar rato van inwoners.")
    put_in_phase(case, Case.Phase.ADVICE)
    services.feedback_give(author=fresh(member), case=case, body="Begin met een gezamenlijke begroting.")
    services.feedback_give(author=expert, case=case, analysis="Solidariteit staat onder druk.",
                           approach="Een verdeelsleutel met een vangnet.", risks="Uittreden van een gemeente.")
    return case


def test_the_owner_gets_the_case_with_the_answers_but_not_others_feedback(client, consulted, official):
    data = exported(client, official)
    [case] = data["cases"]
    assert (case["title"], case["question"], case["phase"]) == (
        "Kostenverdeling jeugdzorg in de regio", "Hoe houden we iedereen aan boord?", "advice"
    )
    assert case["themes"] == ["financiën", "jeugdzorg"]
    assert [q["your_answer"] for q in case["clarifying_questions"]] == ["Naar rato van inwoners."]
    assert case["feedback_received"] == 2
    everything = json.dumps(data, ensure_ascii=False)
    assert "gezamenlijke begroting" not in everything and "Solidariteit" not in everything


def test_members_get_the_questions_and_feedback_they_gave(client, consulted, member, expert):
    mine = exported(client, member)["feedback"]
    assert [q["question"] for q in mine["clarifying_questions"]] == ["Wie betaalt nu wat?"]
    assert [(f["kind"], f["feedback"]) for f in mine["feedback"]] == [("peer", "Begin met een gezamenlijke begroting.")]
    [expert_feedback] = exported(client, expert)["feedback"]["feedback"]
    assert (expert_feedback["kind"], expert_feedback["analysis"]) == ("expert", "Solidariteit staat onder druk.")
    assert exported(client, expert)["cases"] == []


def test_after_deletion_the_case_and_feedback_stay_as_deleted_participant(client, consulted, official, member, facilitator):
    services.case_guest_invite(inviter=facilitator, case=consulted, email=member.email)

    circle_services.account_delete(user=official)
    circle_services.account_delete(user=member)

    consulted.refresh_from_db()
    assert consulted.author is None and consulted.title == "Kostenverdeling jeugdzorg in de regio"
    assert CaseQuestion.objects.get().author is None
    assert Feedback.objects.filter(author__isnull=True).count() == 1
    assert not CaseGuest.objects.exists()
    client.force_login(fresh(facilitator))
    page = main_text(client.get(consulted.get_absolute_url()))
    assert "verwijderde deelnemer" in page and "Anouk" not in page and "Cor Collega" not in page
    api = client.get(f"/api/v1/cases/{consulted.pk}").json()
    assert api["author"]["name"] == "verwijderde deelnemer"
    assert personal_traces("anouk@example.org", "Anouk Ambtenaar", "Gemeente Veenendaal", "cor@example.org",
                           "Cor Collega") == []
