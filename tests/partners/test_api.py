"""Knowledge questions in the JSON API: same rules and services as the pages; errors are JSON."""

from partners.models import KnowledgeQuestion

from .factories import ask


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_asking_through_the_api_routes_the_question(client, official, contact):
    client.force_login(official)
    response = post(client, "/api/v1/knowledge-questions", {
        "title": "Leegstand", "question": "Hoe pakken jullie leegstand aan?", "urgency": "high",
        "theme": "city_centre", "share_consent": True})

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["routed_to"], body["organisation"], body["assignee"]["name"]) == (
        "new", "Rosa Redacteur", "Veenendaal", "Rosa Redacteur")
    assert body["allowed_actions"] == ["add_info"]
    assert [event["kind"] for event in body["history"]] == ["asked"]


def test_bad_input_answers_422_and_stores_nothing(client, official, contact):
    client.force_login(official)
    empty = post(client, "/api/v1/knowledge-questions", {"title": "  ", "question": "Iets"})
    assert empty.status_code == 422
    assert empty.json() == {"detail": "Vul titel in.", "code": "required"}
    wrong_type = post(client, "/api/v1/knowledge-questions", {"title": 12, "question": "Iets"})
    assert wrong_type.status_code == 422
    theme = post(client, "/api/v1/knowledge-questions", {"title": "x", "question": "y", "theme": "astrologie"})
    assert theme.json() == {"detail": "Kies een thema.", "code": "invalid_theme"}
    too_long = post(client, "/api/v1/knowledge-questions", {"title": "x", "question": "y" * 5001})
    assert too_long.json()["detail"] == "Vraag mag hoogstens 5.000 tekens lang zijn; deze tekst heeft er 5.001."
    assert KnowledgeQuestion.objects.count() == 0


def test_an_unknown_step_is_invalid_input(client, official, contact, editor):
    question = ask(official)
    client.force_login(editor)
    response = post(client, f"/api/v1/knowledge-questions/{question.pk}/actions", {"action": "delete"})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_action"
    answer = post(client, f"/api/v1/knowledge-questions/{question.pk}/actions", {"action": "answer", "body": ""})
    assert answer.status_code == 422
    assert answer.json()["detail"] == "Vul antwoord in."
    question.refresh_from_db()
    assert question.status == "new"


def test_my_questions_are_cursor_paginated(client, official, contact, settings):
    settings.LEERKRING_RATE_LIMITS = {"knowledge_question": (100, 60 * 60)}
    for number in range(53):
        ask(official, title=f"Vraag {number}")
    client.force_login(official)
    first = client.get("/api/v1/knowledge-questions").json()
    assert len(first["items"]) == 50 and first["items"][0]["title"] == "Vraag 52"
    rest = client.get("/api/v1/knowledge-questions", {"cursor": first["next_cursor"]}).json()
    assert [item["title"] for item in rest["items"]] == ["Vraag 2", "Vraag 1", "Vraag 0"]
    assert rest["next_cursor"] is None


def test_editors_get_counts_per_organisation_and_theme(client, official, official_without_organisation, contact, editor):
    ask(official, theme="housing")
    ask(official, theme="poverty")
    ask(official_without_organisation, theme="housing")
    client.force_login(editor)
    body = client.get("/api/v1/knowledge-questions/overview").json()
    assert {(row["name"], row["total"], row["open"]) for row in body["by_organisation"]} == {
        ("Veenendaal", 2, 2), ("", 1, 1)}
    assert {(row["name"], row["total"]) for row in body["by_theme"]} == {("Wonen", 2), ("Armoede en schulden", 1)}


def test_the_api_is_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/knowledge-questions/{question_id}/actions" in paths
    assert "/api/v1/partners/fee" in paths


def test_session_writes_need_the_csrf_token(official, contact):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(official)
    response = browser.post("/api/v1/knowledge-questions", {"title": "x", "question": "y"},
                            content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "De CSRF-controle is mislukt. Laad de pagina opnieuw en probeer het nog eens.",
                               "code": "csrf_failed"}
    assert KnowledgeQuestion.objects.count() == 0


def test_the_api_keeps_to_the_forms_limit_of_twenty_questions_an_hour(client, official, contact, committed):
    from django.core import mail

    client.force_login(official)
    with committed():
        answers = [
            post(client, "/api/v1/knowledge-questions", {"title": f"Vraag {n}", "question": "Hoe doen jullie dit?"})
            for n in range(22)
        ]

    assert [answer.status_code for answer in answers] == [201] * 20 + [429] * 2
    assert answers[-1].json() == {
        "detail": "Je hebt in korte tijd veel vragen gesteld. Probeer het later nog eens.", "code": "rate_limited"}
    assert answers[-1]["Retry-After"] == answers[-1]["RateLimit-Reset"]
    assert (answers[0]["RateLimit-Limit"], answers[0]["RateLimit-Remaining"]) == ("20", "19")
    assert KnowledgeQuestion.objects.count() == 20
    assert len(mail.outbox) == 20 * 2  # the member's receipt and the contact person's notice


def test_a_cursor_out_of_range_is_a_clear_422_never_a_500(client, official, contact):
    from config.api_conventions import encode_cursor

    ask(official)
    client.force_login(official)
    for cursor in (encode_cursor(2**63), encode_cursor(-5), "x", "9223372036854775808"):
        response = client.get("/api/v1/knowledge-questions", {"cursor": cursor})
        assert response.status_code == 422, cursor
        assert response.json()["code"] == "invalid_cursor"
    largest = client.get("/api/v1/knowledge-questions", {"cursor": encode_cursor(2**63 - 1)})
    assert largest.status_code == 200 and len(largest.json()["items"]) == 1
