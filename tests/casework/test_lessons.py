"""The lesson learned and the follow-up six weeks after conclusion."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from casework import services
from casework.models import Case, Lesson

from .conftest import put_in_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(case, official):
    put_in_phase(case, "concluded")
    lesson = services.lesson_write(author=official, case=case, body="Begin met gedeelde cijfers.")
    Case.objects.filter(pk=case.pk).update(concluded_at=timezone.now() - timedelta(weeks=6, minutes=1))
    return lesson


def run_followups(capture):
    with capture(execute=True):
        call_command("casework_followups", stdout=open("/dev/null", "w"))


def test_owner_is_asked_once_what_came_of_it(lesson, official, django_capture_on_commit_callbacks):
    run_followups(django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == [official.email]
    assert message.subject == "Wat is ervan terechtgekomen?"
    assert "Zes weken geleden heb je je casus ‘Kostenverdeling jeugdzorg in de regio’ afgerond" in message.body
    assert "Wat is ervan terechtgekomen?" in message.body
    assert f"{lesson.case.get_absolute_url()}#lesson" in message.body

    run_followups(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # idempotent
    lesson.refresh_from_db()
    assert lesson.followup_sent_at is not None


def test_not_before_six_weeks(lesson, django_capture_on_commit_callbacks):
    Case.objects.filter(pk=lesson.case_id).update(concluded_at=timezone.now() - timedelta(weeks=6) + timedelta(hours=1))
    run_followups(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_confidential_followup_email_carries_no_content(lesson, django_capture_on_commit_callbacks):
    Case.objects.filter(pk=lesson.case_id).update(confidential=True)
    run_followups(django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "Kostenverdeling" not in message.body and "gedeelde cijfers" not in message.body
    assert "Zes weken geleden heb je een casus afgerond in de leerkring ‘Slim samenwerken’." in message.body


def test_followup_due_is_one_hookable_function(lesson):
    assert services.lesson_followup_due(lesson=lesson) is True
    assert services.lesson_followup_due(lesson=lesson) is False


def test_owner_adds_a_followup_note(lesson, official):
    services.lesson_add_followup(author=official, lesson=lesson, note="Het voorstel is in maart aangenomen.")
    lesson.refresh_from_db()
    assert lesson.followup_note_html == "<p>Het voorstel is in maart aangenomen.</p>"


def test_lesson_is_written_in_the_concluded_phase_only(case, official):
    from casework.errors import Conflict

    put_in_phase(case, "reflection")
    with pytest.raises(Conflict):
        services.lesson_write(author=official, case=case, body="Te vroeg.")
    assert not Lesson.objects.exists()


def test_the_background_task_asks_the_same_way(lesson, django_capture_on_commit_callbacks):
    from casework.tasks import send_lesson_followups

    with django_capture_on_commit_callbacks(execute=True):
        result = send_lesson_followups.enqueue()
    assert result.return_value == 1
    assert [message.subject for message in mail.outbox] == ["Wat is ervan terechtgekomen?"]
