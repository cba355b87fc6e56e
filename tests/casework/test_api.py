"""The cases API: same rules as the pages, JSON errors with the reason."""

import pytest

from casework.models import Case, CaseQuestion, Feedback

from .conftest import fresh, put_in_phase
from .factories import CaseFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


def post(client, url, data):
    return client.post(url, data, content_type=JSON)


def test_bring_in_a_case_and_read_it_back(client, circle, official):
    client.force_login(official)
    response = post(client, f"/api/v1/circles/{circle.slug}/cases", {
        "title": "Afvalinzameling in de regio", "context": "Drie gemeenten, één **inzamelaar**.",
        "question": "Samen aanbesteden?", "themes": ["afval"], "confidential": False,
    })
    assert response.status_code == 201
    body = response.json()
    assert (body["phase"], body["title"], body["themes"]) == ("draft", "Afvalinzameling in de regio", ["afval"])
    assert body["context_html"] == "<p>Drie gemeenten, één <strong>inzamelaar</strong>.</p>"
    assert "advance" in body["allowed_actions"] and "feedback" not in body["allowed_actions"]
    assert client.get(f"/api/v1/cases/{body['id']}").json()["author"]["name"] == "Anouk Ambtenaar"


def test_bad_case_input_is_422_with_a_dutch_message(client, circle, official):
    client.force_login(official)
    response = post(client, f"/api/v1/circles/{circle.slug}/cases", {"title": "  ", "context": "x", "question": "y"})
    assert response.status_code == 422
    assert response.json() == {"detail": "Vul ‘Titel’ in.", "code": "required"}
    response = post(client, f"/api/v1/circles/{circle.slug}/cases", {"title": "t", "context": 42, "question": "y"})
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_list_is_cursor_paginated_with_counts(client, circle, official, member):
    for i in range(55):
        CaseFactory(circle=circle, author=member, phase="advice" if i % 2 else "questions")
    CaseFactory(circle=circle, author=member, phase="draft")
    client.force_login(official)
    first = client.get(f"/api/v1/circles/{circle.slug}/cases").json()
    assert len(first["items"]) == 50
    assert first["counts"] == {"draft": 0, "questions": 28, "advice": 27, "reflection": 0, "concluded": 0}
    second = client.get(f"/api/v1/circles/{circle.slug}/cases?cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 5 and second["next_cursor"] is None
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert len(set(ids)) == 55
    advice = client.get(f"/api/v1/circles/{circle.slug}/cases?phase=advice").json()
    assert {item["phase"] for item in advice["items"]} == {"advice"}


def test_the_consultation_through_the_api(client, case, official, member, expert):
    base = f"/api/v1/cases/{case.pk}"
    client.force_login(official)
    assert post(client, f"{base}/phase", {"phase": "questions"}).json()["phase"] == "questions"

    client.force_login(fresh(member))
    question = post(client, f"{base}/questions", {"body": "Wie betaalt het meest?"})
    assert question.status_code == 201
    wrong = post(client, f"{base}/feedback", {"body": "Al advies!"})
    assert wrong.status_code == 409
    assert wrong.json() == {
        "detail": "Feedback kun je alleen geven in de adviesfase. De casus is nu in de fase ‘verhelderende vragen’.",
        "code": "wrong_phase",
    }

    client.force_login(official)
    answer = post(client, f"{base}/questions/{question.json()['id']}/answer", {"body": "De kleine gemeenten."})
    assert answer.json()["answer_html"] == "<p>De kleine gemeenten.</p>"
    post(client, f"{base}/phase", {"phase": "advice"})

    client.force_login(fresh(member))
    peer = post(client, f"{base}/feedback", {"body": "Solidariteitsbodem."})
    assert peer.status_code == 201 and peer.json()["kind"] == "peer"
    client.force_login(fresh(expert))
    incomplete = post(client, f"{base}/feedback", {"analysis": "Vertrouwen.", "approach": "Cijfers delen."})
    assert incomplete.status_code == 422
    assert incomplete.json()["detail"] == "Expertfeedback heeft alle vaste onderdelen nodig; dit ontbreekt: risico's."
    expert_feedback = post(client, f"{base}/feedback", {"analysis": "Vertrouwen.", "approach": "Cijfers delen.", "risks": "Uittreding."})
    assert expert_feedback.json()["kind"] == "expert"
    assert expert_feedback.json()["rubric"]["risks"] == "<p>Uittreding.</p>"

    client.force_login(official)
    not_yet = client.put(f"{base}/feedback/{peer.json()['id']}/helpful", {"helpful": True}, content_type=JSON)
    assert not_yet.status_code == 409
    post(client, f"{base}/phase", {"phase": "reflection"})
    helpful = client.put(f"{base}/feedback/{peer.json()['id']}/helpful", {"helpful": True}, content_type=JSON)
    assert helpful.json()["helpful"] is True
    assert post(client, f"{base}/reflection", {"reflection": "Ik neem de bodem over."}).status_code == 200
    post(client, f"{base}/phase", {"phase": "concluded"})
    detail = post(client, f"{base}/lesson", {"body": "Begin met gedeelde cijfers."}).json()
    assert detail["lesson"]["html"] == "<p>Begin met gedeelde cijfers.</p>"
    assert [f["id"] for f in detail["feedback"]["peer"]] == [peer.json()["id"]]
    assert [f["id"] for f in detail["feedback"]["expert"]] == [expert_feedback.json()["id"]]
    assert detail["questions"][0]["answer_html"] == "<p>De kleine gemeenten.</p>"


def test_role_refusals_are_409_and_outsiders_get_404(client, case, member, outsider):
    put_in_phase(case, "questions")
    client.force_login(member)
    response = post(client, f"/api/v1/cases/{case.pk}/phase", {"phase": "advice"})
    assert response.status_code == 409
    assert response.json()["code"] == "not_allowed"
    client.force_login(outsider)
    for response in (
        client.get(f"/api/v1/cases/{case.pk}"),
        post(client, f"/api/v1/cases/{case.pk}/questions", {"body": "Hallo?"}),
        post(client, f"/api/v1/cases/{case.pk}/feedback", {"body": "Advies"}),
        client.get(f"/api/v1/circles/{case.circle.slug}/cases"),
        client.get("/api/v1/cases/999999"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json; charset=utf-8"
    assert not CaseQuestion.objects.exists() and not Feedback.objects.exists()


def test_non_member_feedback_is_404(client, case, outsider):
    put_in_phase(case, "advice")
    client.force_login(outsider)
    response = post(client, f"/api/v1/cases/{case.pk}/feedback", {"body": "Ongevraagd advies"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Deze casus bestaat niet."
    assert not Feedback.objects.exists()


def test_other_members_draft_is_404(client, case, member):
    client.force_login(member)
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404


def test_anonymous_calls_get_no_case(client, case):
    put_in_phase(case, "questions")
    response = post(client, f"/api/v1/cases/{case.pk}/questions", {"body": "Hallo?"})
    assert response.status_code == 401
    assert client.get(f"/api/v1/cases/{case.pk}").status_code in (401, 404)  # 404 once anonymous reads are allowed
    assert not CaseQuestion.objects.exists()


def test_openapi_documents_the_case_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/circles/{slug}/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/phase",
        "/api/v1/cases/{case_id}/questions",
        "/api/v1/cases/{case_id}/questions/{question_id}/answer",
        "/api/v1/cases/{case_id}/feedback",
        "/api/v1/cases/{case_id}/feedback/{feedback_id}/helpful",
        "/api/v1/cases/{case_id}/attachments",
    ]:
        assert path in paths, path
    assert "409" in paths["/api/v1/cases/{case_id}/feedback"]["post"]["responses"]
    assert "415" in paths["/api/v1/cases/{case_id}/attachments"]["post"]["responses"]
