"""The Wagtail admin for editors: Dutch, moderation workflow, registrations as CSV."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms import services
from cms.models import ContentPage, EventRegistration, LessonIndexPage, LessonPage

from .factories import add, make_event
from .test_registration import form_data


def test_the_admin_is_at_cms_and_in_dutch(client, editor, home):
    client.force_login(editor)
    response = client.get("/cms/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nl"' in page
    assert "Pagina's" in page
    assert "Aanmeldingen" in page  # our menu item


def test_groups_and_moderation_workflow_come_from_a_migration(db):
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    assert editors.permissions.filter(codename="view_eventregistration").exists()
    assert not editors.permissions.filter(codename="view_newslettersubscription").exists()
    assert moderators.permissions.filter(codename="change_sitesettings").exists()
    workflow = WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow
    assert workflow.name == "Redactionele controle"
    (task,) = [task.specific for task in workflow.tasks]
    assert list(task.groups.all()) == [moderators]


def test_an_editor_submits_a_page_for_moderation_and_cannot_publish_it(client, editor, home):
    client.force_login(editor)
    data = nested_form_data({"title": "Over ons", "slug": "over-ons", "comments": inline_formset([]),
                             "body": streamfield([]), "action-submit": "action-submit"})
    response = client.post(f"/cms/pages/add/cms/contentpage/{home.pk}/", data)

    assert response.status_code == 302
    page = ContentPage.objects.get(slug="over-ons")
    assert not page.live
    assert WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk)).status == "in_progress"

    publish = nested_form_data({"title": "Over ons", "slug": "over-ons", "comments": inline_formset([]),
                                "body": streamfield([]), "action-publish": "action-publish"})
    client.post(f"/cms/pages/{page.pk}/edit/", publish)
    page.refresh_from_db()
    assert not page.live


@pytest.fixture
def registrations(client, event, committed):
    for name, email in [("Anouk Ambtenaar", "anouk@veenendaal.example"), ("=HYPERLINK(\"x\")", "bot@example.org"),
                        ("Olga", "olga@goes.example")]:
        with committed():
            client.post(event.url + "aanmelden/", form_data(name=name, email=email))
    return event


def test_editors_export_registrations_as_csv(client, editor, registrations, agenda):
    other = make_event(agenda, title="Andere bijeenkomst")
    client.post(other.url + "aanmelden/", form_data(email="iemand@example.org"))
    client.force_login(editor)

    listing = client.get("/cms/aanmeldingen/").content.decode()
    assert "Anouk Ambtenaar" in listing and "op de wachtlijst" in listing

    response = client.get("/cms/aanmeldingen/", {"event": registrations.pk, "export": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="aanmeldingen.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Bijeenkomst", "Begin van de bijeenkomst", "Naam", "E-mailadres"]
    assert {row[3] for row in rows[1:]} == {"anouk@veenendaal.example", "bot@example.org", "olga@goes.example"}
    statuses = {row[3]: row[8] for row in rows[1:]}
    assert statuses["olga@goes.example"] == "op de wachtlijst"
    # A formula typed into the form stays text in a spreadsheet.
    assert any(row[2] == "'=HYPERLINK(\"x\")" for row in rows[1:])


def test_registrations_change_only_through_the_services(client, editor, registrations):
    client.force_login(editor)
    assert client.get("/cms/aanmeldingen/new/").status_code in (302, 403)

    registration = EventRegistration.objects.first()
    assert client.get(f"/cms/aanmeldingen/edit/{registration.pk}/").status_code in (302, 403)
    assert client.post(f"/cms/aanmeldingen/delete/{registration.pk}/").status_code in (302, 403)
    assert EventRegistration.objects.filter(pk=registration.pk).exists()
    assert client.get(f"/cms/aanmeldingen/inspect/{registration.pk}/").status_code == 200


def test_lesson_draft_waits_for_an_editor(client, home, editor):
    add(home, LessonIndexPage(title="Lessen", slug="lessen"))

    lesson = services.lesson_draft_create(
        title="Begin klein in de regio",
        summary="Eén gedeelde opgave werkt beter dan een groot convenant.",
        body="Eerste alinea.\n\nTweede <alinea>.",
        themes=["regio", "netwerken"],
    )

    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert not lesson.live and lesson.has_unpublished_changes
    assert set(lesson.themes.names()) == {"regio", "netwerken"}
    assert client.get("/lessen/").content.decode().count("Begin klein") == 0
    client.force_login(editor)
    assert client.get(f"/cms/pages/{lesson.pk}/edit/").status_code == 200
    assert "<p>Tweede &lt;alinea&gt;.</p>" in str(lesson.body)


def test_the_admin_loads_no_avatars_from_gravatar(client, editor, home):
    editor.email = "rosa@demo.leerkring.example"
    editor.save()
    client.force_login(editor)

    for url in ("/cms/", "/cms/account/"):
        page = client.get(url).content.decode().lower()
        assert "gravatar" not in page, url
