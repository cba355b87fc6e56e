"""Another member's question answers 404 everywhere: page, attachment, steps, FAQ, API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .factories import ask
from .test_attachments import PDF


@pytest.fixture
def question(official, contact):
    return ask(official, attachment=SimpleUploadedFile("notitie.pdf", PDF, content_type="application/pdf"))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/kennisvragen/{pk}/"),
        ("get", "/kennisvragen/{pk}/bijlage/"),
        ("get", "/kennisvragen/{pk}/faq/"),
        ("post", "/kennisvragen/{pk}/antwoorden/"),
        ("post", "/kennisvragen/{pk}/aanvullen/"),
        ("post", "/kennisvragen/{pk}/sluiten/"),
        ("post", "/kennisvragen/{pk}/oppakken/"),
        ("post", "/kennisvragen/{pk}/naar-kring/"),
    ],
)
def test_an_outsider_gets_404_on_every_page_of_someone_elses_question(client, outsider, question, method, path):
    client.force_login(outsider)
    response = getattr(client, method)(path.format(pk=question.pk), {"answer-body": "x", "addition-body": "x"})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.events.count() == 1 and question.status == "new"


def test_an_outsider_gets_404_json_in_the_api(client, outsider, question):
    client.force_login(outsider)
    response = client.get(f"/api/v1/knowledge-questions/{question.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Deze vraag bestaat niet.", "code": "not_found"}
    response = client.post(f"/api/v1/knowledge-questions/{question.pk}/actions", {"action": "answer", "body": "x"},
                           content_type="application/json")
    assert response.status_code == 404


def test_an_unknown_question_is_the_same_404(client, outsider, question):
    client.force_login(outsider)
    assert client.get("/kennisvragen/999999/").status_code == 404
    assert client.get("/api/v1/knowledge-questions/999999").json()["detail"] == "Deze vraag bestaat niet."


def test_the_author_the_contact_person_and_editors_can_read_it(client, official, editor, second_editor, question):
    for reader in (official, editor, second_editor):
        client.force_login(reader)
        assert client.get(question.get_absolute_url()).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in_and_the_api_answers_401(client, question):
    response = client.get(question.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/kennisvragen/").status_code == 302
    api = client.get("/api/v1/knowledge-questions")
    assert api.status_code == 401
    assert api.json()["code"] == "not_authenticated"


def test_inbox_and_overview_are_404_for_a_plain_member(client, official, question):
    client.force_login(official)
    assert client.get("/kennisvragen/inbox/").status_code == 404
    assert client.get("/kennisvragen/overzicht/").status_code == 404
    assert client.get("/api/v1/knowledge-questions/inbox").status_code == 404
    assert client.get("/api/v1/knowledge-questions/overview").status_code == 404


def test_an_unknown_step_is_404_on_the_page(client, official, question):
    client.force_login(official)
    assert client.post(f"/kennisvragen/{question.pk}/verwijderen/").status_code == 404
