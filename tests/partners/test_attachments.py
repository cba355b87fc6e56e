"""The optional attachment of a question: checked type and size, private storage, permission-checked download."""

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import KnowledgeQuestion
from tests.accounts.helpers import field_error

from .factories import ask

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def question_form(**overrides):
    data = {"title": "Leegstand", "question": "Hoe pakken jullie leegstand aan?", "context": "",
            "theme": "city_centre", "urgency": "high"}
    data.update(overrides)
    return data


def test_a_pdf_is_stored_privately_and_served_only_to_readers(client, official, contact, editor, outsider):
    client.force_login(official)
    upload = SimpleUploadedFile("Notitie leegstand.pdf", PDF, content_type="application/pdf")
    response = client.post("/kennisvragen/nieuw/", question_form(attachment=upload))
    assert response.status_code == 302

    question = KnowledgeQuestion.objects.get()
    assert question.attachment_name == "Notitie leegstand.pdf"
    assert storages["private"].exists(question.attachment_storage_name)
    assert not (settings.MEDIA_ROOT / question.attachment_storage_name).exists()
    assert "Notitie leegstand.pdf" in client.get(question.get_absolute_url()).content.decode()

    for reader in (official, editor):
        client.force_login(reader)
        download = client.get(f"/kennisvragen/{question.pk}/bijlage/")
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert b"".join(download.streaming_content) == PDF

    client.force_login(outsider)
    assert client.get(f"/kennisvragen/{question.pk}/bijlage/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "‘script.exe’ kan niet worden bijgevoegd: alleen bestanden van het type PDF, DOCX, XLSX, PPTX, ODT, PNG, JPG zijn toegestaan."),
        ("nep.pdf", b"dit is geen pdf", "De inhoud van ‘nep.pdf’ is geen echt PDF-bestand. Alleen bestanden van het type PDF, DOCX, XLSX, PPTX, ODT, PNG, JPG zijn toegestaan."),
        ("leeg.pdf", b"", "De bijlage is leeg."),
    ],
)
def test_a_wrong_file_is_refused_at_the_field_and_nothing_is_stored(client, official, contact, name, content, message):
    client.force_login(official)
    response = client.post("/kennisvragen/nieuw/", question_form(attachment=SimpleUploadedFile(name, content)))

    assert response.status_code == 400
    assert field_error(response, "id_attachment") == message
    assert KnowledgeQuestion.objects.count() == 0
    assert not storages["private"].exists("knowledge-questions") or not storages["private"].listdir("knowledge-questions")[1]


def test_a_file_over_10_mb_is_refused(client, official, contact):
    client.force_login(official)
    big = SimpleUploadedFile("groot.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = client.post("/kennisvragen/nieuw/", question_form(attachment=big))
    assert response.status_code == 400
    assert field_error(response, "id_attachment") == "De bijlage mag hoogstens 10 MB zijn."
    assert KnowledgeQuestion.objects.count() == 0


def test_the_service_checks_the_file_too(official, contact):
    from partners.errors import UnsupportedFileType

    with pytest.raises(UnsupportedFileType):
        ask(official, attachment=SimpleUploadedFile("foto.png", PDF))
    assert KnowledgeQuestion.objects.count() == 0


def test_a_question_without_attachment_has_no_download(client, official, contact):
    question = ask(official)
    client.force_login(official)
    assert client.get(f"/kennisvragen/{question.pk}/bijlage/").status_code == 404


@pytest.mark.parametrize("language, expected", [("nl", "Eén bestand van hoogstens 10 MB"), ("en", "One file of at most 10 MB")])
def test_attachment_help_follows_the_language_of_the_request(client, official, language, expected):
    client.force_login(official)
    response = client.get("/kennisvragen/nieuw/", headers={"accept-language": language})
    assert expected in response.content.decode()
