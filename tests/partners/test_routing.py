"""A question goes to the fixed contact person of the member's organisation, else to the editors' shared inbox."""

import pytest
from django.core import mail

from partners.models import KnowledgeQuestion
from tests.accounts.helpers import main_text

from .factories import ask, organisation, person


def form(**overrides):
    data = {"title": "Regionale woonagenda", "question": "Hoe betrekken gemeenten de regio?", "context": "",
            "theme": "housing", "urgency": "normal"}
    data.update(overrides)
    return data


def test_a_question_from_a_partner_municipality_goes_to_its_fixed_contact_person(
    client, official, contact, editor, second_editor, committed
):
    client.force_login(official)
    page = client.get("/kennisvragen/nieuw/")
    assert "Je vraag gaat naar Rosa Redacteur (Vaste contactpersoon), de vaste contactpersoon van Veenendaal." in main_text(page)

    with committed():
        response = client.post("/kennisvragen/nieuw/", form(), follow=True)

    question = KnowledgeQuestion.objects.get()
    assert (question.contact, question.assignee, question.organisation.name) == (contact, editor, "Veenendaal")
    assert "Je vraag is verstuurd naar Rosa Redacteur, de vaste contactpersoon van Veenendaal." in main_text(response)
    subjects = {tuple(m.to): m.subject for m in mail.outbox}
    assert subjects == {
        (official.email,): "We hebben je vraag ontvangen: Regionale woonagenda",
        (editor.email,): "Nieuwe kennisvraag: Regionale woonagenda",
    }  # the other editor is not bothered: the question has its own contact person


def test_a_question_from_a_member_without_organisation_goes_to_the_shared_inbox_and_the_form_says_so(
    client, official_without_organisation, contact, editor, second_editor, committed
):
    client.force_login(official_without_organisation)
    page = client.get("/kennisvragen/nieuw/")
    assert (
        "Je profiel noemt geen organisatie. Je vraag gaat daarom naar de gedeelde inbox van de redactie."
        in main_text(page)
    )

    with committed():
        response = client.post("/kennisvragen/nieuw/", form(), follow=True)

    question = KnowledgeQuestion.objects.get()
    assert (question.contact, question.assignee, question.organisation) == (None, None, None)
    assert "Je vraag is verstuurd naar de gedeelde inbox van de redactie." in main_text(response)
    editors_told = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Nieuwe kennisvraag"))
    assert editors_told == sorted([editor.email, second_editor.email])


@pytest.mark.parametrize(
    ("profile_organisation", "note"),
    [
        ("Gemeente Zeist", "Zeist heeft geen vaste contactpersoon. Je vraag gaat daarom naar de gedeelde inbox van de redactie."),
        ("Gemeente Amersfoort", "Amersfoort heeft geen vaste contactpersoon."),  # known, but not a partner
        ("Gemeente Nergenshuizen", "We kennen ‘Gemeente Nergenshuizen’ niet als partnerorganisatie."),
    ],
)
def test_members_of_organisations_without_a_contact_person_are_routed_to_the_shared_inbox(
    client, contact, zeist, profile_organisation, note
):
    organisation("Amersfoort", since=None)
    member = person("iemand", "Iemand", profile_organisation)
    client.force_login(member)

    assert note in main_text(client.get("/kennisvragen/nieuw/"))
    question = ask(member)
    assert question.assignee is None and question.contact is None


def test_the_organisation_is_matched_with_or_without_gemeente_and_in_any_case(contact, editor):
    for index, name in enumerate(["Veenendaal", "gemeente  veenendaal", "GEMEENTE VEENENDAAL"]):
        member = person(f"lid{index}", f"Lid {index}", name)
        assert ask(member).assignee == editor


def test_the_routing_api_explains_where_a_question_goes(client, official, official_without_organisation, contact):
    client.force_login(official)
    body = client.get("/api/v1/knowledge-questions/routing").json()
    assert body["shared_inbox"] is False
    assert body["contact"]["name"] == "Rosa Redacteur"

    client.force_login(official_without_organisation)
    body = client.get("/api/v1/knowledge-questions/routing").json()
    assert (body["shared_inbox"], body["reason"], body["contact"]) == (True, "no_organisation", None)
