"""The partners part of the privacy self-service: export, account deletion, the contact person's hand-over."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities import services as circle_services
from communities.errors import Conflict
from communities.models import Message
from partners import services
from partners.models import KnowledgeQuestion
from tests.accounts.helpers import PASSWORD, log_in
from tests.factories import MembershipFactory

from .factories import ask

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def exported(client, user) -> dict:
    client.force_login(user)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("communities:data_export")).content))
    return {name.removeprefix("leerkring/").removesuffix(".json"): json.loads(archive.read(name))
            for name in archive.namelist() if name.endswith(".json")}


def test_my_knowledge_questions_and_their_history_are_in_the_export(client, official, contact, editor):
    question = ask(official, title="Regionale woonagenda")
    services.question_pick_up(actor=editor, question=question)
    services.question_answer(actor=editor, question=question, body="Kijk naar de aanpak van Zeist.")

    [item] = exported(client, official)["knowledge_questions"]

    assert item["title"] == "Regionale woonagenda" and item["organisation"] == "Veenendaal"
    assert [(step["step"], step["by_you"]) for step in item["history"]] == [
        ("asked", True), ("picked_up", False), ("answered", False)
    ]
    assert item["history"][-1]["text"] == "Kijk naar de aanpak van Zeist."
    assert exported(client, editor)["knowledge_questions"] == []


def test_deleting_the_account_removes_questions_and_their_files(client, official, contact, committed):
    question = services.question_ask(
        author=official, title="Leegstand", question="Hoe pakken jullie leegstand aan?", context="", urgency="normal",
        theme="city_centre", attachment=SimpleUploadedFile("notitie.pdf", PDF, content_type="application/pdf"),
    )
    stored = question.attachment_storage_name
    assert storages["private"].exists(stored)

    with committed():
        circle_services.account_delete(user=official)

    assert not KnowledgeQuestion.objects.exists()
    assert not storages["private"].exists(stored)


def test_a_question_put_to_a_circle_no_longer_names_the_deleted_member(official, contact, editor, circle, channel):
    MembershipFactory(user=editor, circle=circle)
    question = ask(official, share_consent=True)
    services.question_forward_to_circle(actor=editor, question=question, channel=channel)
    message = Message.objects.get()
    assert "Anouk Ambtenaar" in message.body_source

    circle_services.account_delete(user=official)

    message.refresh_from_db()
    assert "Anouk" not in message.body_source + message.body_html
    assert "Kennisvraag van verwijderde deelnemer (Veenendaal)" in message.body_source
    assert message.author == editor  # the contact person's message stays theirs


def test_the_fixed_contact_person_hands_over_first(client, editor, contact):
    with pytest.raises(Conflict) as refused:
        circle_services.account_delete(user=editor)
    assert "Je bent de vaste contactpersoon van partnerorganisaties." in str(refused.value.message)

    log_in(client, editor.email)
    ask_password = client.get(reverse("communities:account_delete"))
    client.post(ask_password.url, {"password": PASSWORD})
    page = client.get(reverse("communities:account_delete"))
    assert "Je bent de vaste contactpersoon van partnerorganisaties." in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()
