"""Case guests: an outside expert admitted to one case only, by a single-use expiring token."""

import hashlib
import html as html_lib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.errors import Conflict, NotFound
from casework.models import CaseGuest, CaseQuestion, Feedback
from tests.factories import UserFactory

from .conftest import fresh, put_in_phase
from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def invite(case, facilitator, email="gijs@ministerie.example", capture=None):
    put_in_phase(case, "questions")
    with capture(execute=True):
        return services.case_guest_invite(inviter=fresh(facilitator), case=case, email=email)


def test_invitation_email_has_a_single_use_link_and_only_its_hash_is_stored(
    case, facilitator, django_capture_on_commit_callbacks
):
    guest, token = invite(case, facilitator, capture=django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["gijs@ministerie.example"]
    assert message.subject == "Uitnodiging: geef je expertadvies op een casus"
    assert f"/casusgast/{token}/" in message.body
    assert "Kostenverdeling jeugdzorg in de regio" in message.body
    assert "14 dagen geldig" in message.body
    assert guest.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not CaseGuest.objects.filter(token_hash=token).exists()


def test_invitation_to_a_confidential_case_carries_no_content(case, facilitator, django_capture_on_commit_callbacks):
    case.confidential = True
    case.save()
    invite(case, facilitator, capture=django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "Kostenverdeling" not in message.body + message.subject
    assert "aan boord" not in message.body
    assert "vertrouwelijk" in message.body


def test_accepting_is_a_post_and_works_once(client, case, facilitator, django_capture_on_commit_callbacks):
    _guest, token = invite(case, facilitator, capture=django_capture_on_commit_callbacks)
    gijs = UserFactory(username="gijs", email="gijs@ministerie.example")
    url = reverse("casework:guest_accept", args=[token])

    anonymous = client.get(url)
    assert "Log in, of maak een account aan" in html_lib.unescape(anonymous.content.decode())

    client.force_login(gijs)
    assert "Uitnodiging accepteren" in client.get(url).content.decode()
    assert client.get(case.get_absolute_url()).status_code == 404  # a GET does not use the token
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert client.get(case.get_absolute_url()).status_code == 200

    someone_else = UserFactory(username="mallory", email="mallory@example.org")
    client.force_login(someone_else)
    response = client.post(url)
    assert response.status_code == 409
    assert "Deze uitnodiging is al gebruikt." in response.content.decode()
    assert client.get(case.get_absolute_url()).status_code == 404


def test_expired_unknown_and_wrong_address_invitations(client, case, facilitator, django_capture_on_commit_callbacks):
    guest, token = invite(case, facilitator, capture=django_capture_on_commit_callbacks)
    client.force_login(UserFactory(username="anders", email="iemand@anders.example"))
    response = client.post(reverse("casework:guest_accept", args=[token]))
    assert response.status_code == 409
    assert "naar een ander e-mailadres gestuurd" in response.content.decode()

    CaseGuest.objects.filter(pk=guest.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(UserFactory(username="gijs", email="gijs@ministerie.example"))
    response = client.post(reverse("casework:guest_accept", args=[token]))
    assert response.status_code == 409
    assert "Deze uitnodiging is verlopen." in response.content.decode()
    assert not CaseGuest.objects.filter(user__isnull=False).exists()

    assert client.get(reverse("casework:guest_accept", args=["verzonnen-token"])).status_code == 404


def test_guest_sees_that_case_only(client, circle, case, guest, member):
    put_in_phase(case, "advice")
    other_case = CaseFactory(circle=circle, author=member, phase="advice")
    client.force_login(guest)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert "Je bent gast" in page.content.decode()
    assert f'href="{reverse("casework:case_list", args=[circle.slug])}"' not in page.content.decode()
    assert client.get(other_case.get_absolute_url()).status_code == 404
    assert client.get(reverse("casework:case_list", args=[circle.slug])).status_code == 404
    assert client.get(f"/api/v1/cases/{other_case.pk}").status_code == 404
    assert client.get(f"/api/v1/circles/{circle.slug}/cases").status_code == 404
    with pytest.raises(NotFound):
        services.feedback_give(author=fresh(guest), case=other_case, analysis="a", approach="b", risks="c")


def test_guest_gives_expert_feedback_only(client, case, guest):
    put_in_phase(case, "questions")
    with pytest.raises(Conflict) as info:
        services.question_ask(author=fresh(guest), case=case, body="Mag ik iets vragen?")
    assert info.value.message == "Als gast bij deze casus kun je alleen expertfeedback geven."
    assert not CaseQuestion.objects.exists()

    put_in_phase(case, "advice")
    with pytest.raises(Exception):
        services.feedback_give(author=fresh(guest), case=case, body="Alleen vrije tekst")
    feedback = services.feedback_give(
        author=fresh(guest), case=case, analysis="Landelijk beeld.", approach="Gebruik de handreiking.", risks="Geen."
    )
    assert (feedback.kind, feedback.by_guest) == (Feedback.Kind.EXPERT, True)
    client.force_login(guest)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Gastexpert" in html
    assert "Geef expertfeedback" not in html or "Geef feedback" not in html


def test_guest_of_another_case_gets_not_found(client, circle, case, guest, member):
    other_case = CaseFactory(circle=circle, author=member, phase="advice")
    client.force_login(guest)
    response = client.post(
        f"/api/v1/cases/{other_case.pk}/feedback",
        {"analysis": "a", "approach": "b", "risks": "c"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Deze casus bestaat niet.", "code": "not_found"}
    assert not Feedback.objects.exists()


def test_facilitator_withdraws_a_guest(client, case, guest, facilitator):
    put_in_phase(case, "advice")
    [record] = CaseGuest.objects.filter(user=guest)
    client.force_login(facilitator)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "gijs@ministerie.example" in page or "Gijs Gast" in page
    client.post(reverse("casework:guest_revoke", args=[case.circle.slug, case.pk, record.pk]))
    client.force_login(guest)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_only_facilitators_invite_and_only_in_questions_or_advice(client, case, member, facilitator):
    put_in_phase(case, "questions")
    client.force_login(member)
    url = reverse("casework:guest_invite", args=[case.circle.slug, case.pk])
    response = client.post(url, {"email": "x@provincie.example"})
    assert response.status_code == 409
    assert "Alleen een begeleider kan een gast uitnodigen bij een casus." in html_lib.unescape(response.content.decode())
    client.force_login(facilitator)
    response = client.post(url, {"email": "geen-adres"})
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    assert not CaseGuest.objects.exists()
    response = client.post(url, {"email": "x@provincie.example"}, follow=True)
    assert "De uitnodiging is verstuurd." in response.content.decode()
    assert re.search(r"x@provincie\.example", response.content.decode())
