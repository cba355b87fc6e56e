"""“Propose for publication”: an anonymised LessonPage draft, in moderation, that leads
nowhere near its owner or the private case."""

import html as html_lib
import json

import pytest
from django.urls import reverse
from wagtail.models import Revision, WorkflowState

from casework import services
from casework.errors import Conflict, InvalidInput
from casework.models import Lesson
from cms.models import LessonIndexPage, LessonPage
from tests.cms.factories import add, make_home

from .conftest import put_in_phase

pytestmark = pytest.mark.django_db

SUMMARY = (
    "Zes gemeenten kopen samen jeugdzorg in. De kosten liepen op en één gemeente dreigde uit te treden. "
    "Wat hielp: eerst de cijfers delen en samen begrijpen, pas daarna over de verdeling praten. "
    "Een vaste solidariteitsbodem met een risicopot hield iedereen aan boord."
)


@pytest.fixture
def lessons_index():
    return add(make_home(), LessonIndexPage(title="Lessen", slug="lessen"), publish=True)


@pytest.fixture
def lesson(case, official):
    case.themes.set(["jeugdzorg", "financiën"])
    put_in_phase(case, "concluded")
    return services.lesson_write(author=official, case=case, body="Anouk van Gemeente Veenendaal leerde: begin met de cijfers.")


def propose(official, lesson, **overrides):
    data = {"title": "Deel eerst de cijfers, dan de kosten", "summary": SUMMARY, "consent": True} | overrides
    return services.lesson_propose_for_publication(author=official, lesson=lesson, **data)


def test_the_draft_is_anonymous_and_in_moderation(lessons_index, lesson, official, case):
    page = propose(official, lesson)
    page = LessonPage.objects.get(pk=page.pk)
    assert page.get_parent().specific == lessons_index
    assert (page.live, page.title, page.intro) == (False, "Deel eerst de cijfers, dan de kosten", SUMMARY)
    assert sorted(page.themes.names()) == ["financiën", "jeugdzorg"]
    assert page.owner is None
    assert all(revision.user is None for revision in Revision.objects.filter(object_id=str(page.pk)))
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by is None

    everything = json.dumps(page.get_latest_revision().content, ensure_ascii=False) + str(page.body.raw_data)
    for identifying in ["Anouk", "Ambtenaar", "Veenendaal", "anouk", official.email, case.get_absolute_url(),
                        "/kringen/", "Kostenverdeling jeugdzorg in de regio", "Slim samenwerken"]:
        assert identifying not in everything, identifying
    lesson.refresh_from_db()
    assert lesson.page_id == page.pk and lesson.proposed_at is not None


@pytest.mark.parametrize(
    ("field", "text", "word"),
    [
        ("summary", SUMMARY + " Vraag het Anouk.", "Anouk"),
        ("summary", "In Veenendaal ging het zo. " + SUMMARY, "Veenendaal"),
        ("title", "Les van Gemeente Veenendaal", "Gemeente Veenendaal"),
        ("summary", SUMMARY + " Zie /kringen/slim-samenwerken/casussen/1/", None),
    ],
)
def test_names_organisations_and_links_to_the_case_are_refused(lessons_index, lesson, official, field, text, word):
    with pytest.raises(InvalidInput) as info:
        propose(official, lesson, **{field: text})
    if word:
        assert f"‘{word}’" in info.value.message
    assert not LessonPage.objects.exists()
    assert Lesson.objects.get().proposed_at is None


def test_consent_is_required_and_proposing_twice_is_refused(lessons_index, lesson, official):
    with pytest.raises(InvalidInput):
        propose(official, lesson, consent=False)
    assert not LessonPage.objects.exists()
    propose(official, lesson)
    with pytest.raises(Conflict):
        propose(official, lesson)
    assert LessonPage.objects.count() == 1


def test_only_the_owner_of_a_concluded_case_proposes(lessons_index, lesson, official, member):
    with pytest.raises(Conflict):
        propose(member, lesson)
    put_in_phase(lesson.case, "reflection")
    with pytest.raises(Conflict):
        propose(official, lesson)
    assert not LessonPage.objects.exists()


def test_without_a_lessons_index_nothing_is_half_made(lesson, official):
    make_home()
    with pytest.raises(Conflict):
        propose(official, lesson)
    assert Lesson.objects.get().proposed_at is None and not LessonPage.objects.exists()


def test_proposing_through_the_page(client, lessons_index, lesson, official):
    client.force_login(official)
    url = reverse("casework:lesson_propose", args=[lesson.case.circle.slug, lesson.case_id])
    page = html_lib.unescape(client.get(lesson.case.get_absolute_url()).content.decode())
    assert "Voorstellen voor publicatie" in page
    response = client.post(url, {"title": "Deel eerst de cijfers", "summary": SUMMARY})
    assert "Geef je toestemming, of stel de les niet voor." in html_lib.unescape(response.content.decode())
    response = client.post(url, {"title": "Deel eerst de cijfers", "summary": SUMMARY, "consent": "on"}, follow=True)
    html = html_lib.unescape(response.content.decode())
    assert "De redactie bekijkt je geanonimiseerde les voordat hij wordt gepubliceerd." in html
    assert "Voorgesteld voor publicatie op" in html
    assert LessonPage.objects.get().live is False


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(username="mila-moderator", email="moderator@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_the_moderators_are_mailed_when_a_lesson_is_proposed(
    lessons_index, lesson, official, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = propose(official, lesson)

    (mail,) = [message for message in mailoutbox if moderator.email in message.to]
    assert page.title in mail.subject + mail.body
    assert f"/cms/pages/{page.pk}/" in mail.body
    assert not [message for message in mailoutbox if official.email in message.to]
    for identifying in ["Anouk", "Veenendaal", "/kringen/"]:
        assert identifying not in mail.subject + mail.body


def test_the_moderators_dashboard_shows_the_lesson_awaiting_review(client, lessons_index, lesson, official, moderator):
    page = propose(official, lesson)
    client.force_login(moderator)

    response = client.get("/cms/")

    assert response.status_code == 200
    dashboard = html_lib.unescape(response.content.decode())
    assert "In afwachting van jouw beoordeling" in dashboard
    assert page.title in dashboard and f"/cms/pages/{page.pk}/edit/" in dashboard


def _case_page(client, official, lesson) -> str:
    client.force_login(official)
    return html_lib.unescape(client.get(lesson.case.get_absolute_url()).content.decode())


def test_the_owner_sees_the_review_status_of_the_proposal(client, lessons_index, lesson, official, moderator):
    from wagtail.models import TaskState

    page = propose(official, lesson)
    assert "Status: in beoordeling bij de redactie." in _case_page(client, official, lesson)

    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject", comment="Iets korter graag")
    page_html = _case_page(client, official, lesson)
    assert "Status: de redactie vraagt om aanpassingen." in page_html
    assert "in beoordeling" not in page_html

    state = WorkflowState.objects.get(object_id=str(page.pk))
    state.resume(moderator)
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    task_state.task.specific.on_action(task_state, moderator, "approve")
    page = LessonPage.objects.get(pk=page.pk)
    assert page.live
    page_html = _case_page(client, official, lesson)
    assert "Status: gepubliceerd." in page_html
    assert f'<a href="{page.url}">Bekijk de gepubliceerde les</a>' in page_html


def test_only_the_case_owner_and_facilitators_see_the_status(client, lessons_index, lesson, official, member):
    propose(official, lesson)
    assert "in beoordeling bij de redactie" not in _case_page(client, member, lesson)
