"""Attachments: type checked by content, at most 10 MB, stored privately, served by permission."""

import html as html_lib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework import services
from casework.errors import FileTooLarge, UnsupportedFileType
from casework.models import Attachment, Case

from .conftest import fresh, put_in_phase
from .factories import CaseFactory
from .files import (
    DOCX_BYTES, EXE_BYTES, HTML_BYTES, JPG_BYTES, PDF_BYTES, PLAIN_ZIP_BYTES, PNG_BYTES, PPTX_BYTES, XLSX_BYTES,
)

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("begroting.pdf", PDF_BYTES, "application/pdf"),
        ("notitie.docx", DOCX_BYTES, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("cijfers.xlsx", XLSX_BYTES, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("presentatie.pptx", PPTX_BYTES, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("kaart.png", PNG_BYTES, "image/png"),
        ("foto.JPG", JPG_BYTES, "image/jpeg"),
    ],
)
def test_allowed_types_are_stored_privately_under_a_random_name(case, official, name, content, content_type):
    attachment = services.attachment_add(uploader=official, case=case, upload=upload(name, content))
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    stored = Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / attachment.storage_name
    assert stored.read_bytes() == content
    assert name not in attachment.storage_name
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("begroting.pdf", HTML_BYTES),  # a web page pretending to be a PDF
        ("begroting.pdf", PNG_BYTES),  # a real image, but not what the name says
        ("kaart.png", EXE_BYTES),  # a program pretending to be an image
        ("notitie.docx", PLAIN_ZIP_BYTES),  # a ZIP file that is no Word document
        ("cijfers.xlsx", DOCX_BYTES),  # a Word document named as a spreadsheet
        ("setup.exe", EXE_BYTES),  # not an allowed type at all
        ("pagina.html", HTML_BYTES),
        ("zonder-extensie", PDF_BYTES),
    ],
)
def test_disguised_or_unsupported_types_are_refused(case, official, name, content):
    with pytest.raises(UnsupportedFileType) as info:
        services.attachment_add(uploader=official, case=case, upload=upload(name, content))
    assert info.value.status == 415
    assert "alleen" in info.value.message.lower() or "Alleen" in info.value.message
    assert not Attachment.objects.exists()


def test_too_big_is_refused(case, official):
    big = upload("groot.pdf", PDF_BYTES + b"0" * (TEN_MB + 1 - len(PDF_BYTES)))
    with pytest.raises(FileTooLarge) as info:
        services.attachment_add(uploader=official, case=case, upload=big)
    assert info.value.status == 413
    assert "hoogstens 10 MB" in info.value.message
    assert not Attachment.objects.exists()
    exactly_ten = upload("precies.pdf", PDF_BYTES + b"0" * (TEN_MB - len(PDF_BYTES)))
    assert services.attachment_add(uploader=official, case=case, upload=exactly_ten).size == TEN_MB


def test_api_answers_415_and_413_as_json(client, case, official):
    client.force_login(official)
    url = f"/api/v1/cases/{case.pk}/attachments"
    response = client.post(url, {"file": upload("begroting.pdf", HTML_BYTES)})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_file_type"
    assert "De inhoud van ‘begroting.pdf’ is geen echt PDF-bestand." in response.json()["detail"]
    response = client.post(url, {"file": upload("groot.png", PNG_BYTES + b"0" * TEN_MB)})
    assert response.status_code == 413
    assert response.json()["detail"] == "‘groot.png’ is 10,0 MB; een bijlage mag hoogstens 10 MB zijn."
    response = client.post(url, {"file": upload("kaart.png", PNG_BYTES)})
    assert response.status_code == 201
    assert response.json()["url"] == reverse("casework:attachment", args=[case.circle.slug, case.pk, response.json()["id"]])
    assert Attachment.objects.count() == 1


def test_case_form_shows_upload_errors_and_stores_nothing(client, circle, official):
    client.force_login(official)
    response = client.post(
        reverse("casework:case_create", args=[circle.slug]),
        {
            "title": "Casus met bijlagen", "context": "Context", "question": "Vraag",
            "attachments": [upload("kaart.png", PNG_BYTES), upload("begroting.pdf", HTML_BYTES)],
        },
    )
    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "De inhoud van ‘begroting.pdf’ is geen echt PDF-bestand." in html
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_attachment_form_on_the_case_page(client, case, official):
    client.force_login(official)
    url = reverse("casework:attachment_upload", args=[case.circle.slug, case.pk])
    response = client.post(url, {"files": upload("groot.pdf", PDF_BYTES + b"0" * TEN_MB)})
    assert "een bijlage mag hoogstens 10 MB zijn" in html_lib.unescape(response.content.decode())
    response = client.post(url, {"files": [upload("kaart.png", PNG_BYTES), upload("notitie.docx", DOCX_BYTES)]}, follow=True)
    assert "De bijlage is toegevoegd." in response.content.decode()
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["kaart.png", "notitie.docx"]


@pytest.fixture
def attachment(case, official):
    item = services.attachment_add(uploader=official, case=case, upload=upload("begroting.pdf", PDF_BYTES))
    put_in_phase(case, "advice")
    return item


@pytest.mark.parametrize(
    ("who", "status"),
    [("official", 200), ("member", 200), ("expert", 200), ("facilitator", 200), ("guest", 200), ("outsider", 404)],
)
def test_download_per_role(client, request, attachment, who, status):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "begroting.pdf" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"


def test_download_for_anonymous_guest_of_another_case_and_in_a_draft(client, circle, case, official, member, attachment, facilitator, django_capture_on_commit_callbacks):
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 302  # to the login page; nothing about the file

    other = CaseFactory(circle=circle, author=member, phase="questions")
    from tests.factories import UserFactory

    stranger = UserFactory(username="vreemde", email="vreemde@bureau.example")
    _guest, token = services.case_guest_invite(inviter=fresh(facilitator), case=other, email="vreemde@bureau.example")
    services.case_guest_accept(user=stranger, token=token)
    client.force_login(stranger)
    assert client.get(attachment.get_absolute_url()).status_code == 404

    put_in_phase(case, "draft")
    client.force_login(fresh(member))
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(official)
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_attachment_id_under_another_case_does_not_exist(client, circle, official, attachment):
    other = CaseFactory(circle=circle, author=official, phase="advice")
    client.force_login(official)
    url = reverse("casework:attachment", args=[circle.slug, other.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_no_attachment_is_reachable_through_media(client, attachment, official):
    client.force_login(official)
    html = client.get(attachment.case.get_absolute_url()).content.decode()
    assert settings.MEDIA_URL not in html
    assert attachment.storage_name not in html


def test_too_many_attachments_are_refused_all_or_none(case, official):
    for i in range(9):
        services.attachment_add(uploader=official, case=case, upload=upload(f"kaart{i}.png", PNG_BYTES))
    with pytest.raises(Exception) as info:
        services.attachments_add(uploader=official, case=case, uploads=[upload("a.png", PNG_BYTES), upload("b.png", PNG_BYTES)])
    assert "hoogstens 10 bijlagen" in info.value.message
    assert Attachment.objects.count() == 9
    stored = list((Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / "cases" / str(case.pk)).iterdir())
    assert len(stored) == 9
