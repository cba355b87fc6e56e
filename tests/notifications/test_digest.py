"""The daily digest is idempotent: never the same digest twice, also after a crash."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from communities.models import Delivery, Notification, NotificationDigest, NotificationKind, NotificationPreference
from communities.notifications.digest import send_digests
from communities.notifications.services import notify
from communities.notifications.tasks import send_daily_digests
from tests.notifications.mailbackends import FailsFor

from .conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(circle, facilitator):
    """Three members who want join requests in the daily digest, each with two waiting."""
    people = [member(circle, name, name.title()) for name in ("anna", "bert", "cees")]
    for person in people:
        NotificationPreference.objects.create(user=person, kind=NotificationKind.JOIN_REQUEST, delivery=Delivery.DIGEST)
    for index in range(2):
        notify(
            kind=NotificationKind.JOIN_REQUEST,
            recipients=people,
            actor=facilitator,
            circle=circle,
            event_key=f"request-{index}",
            url="/kringen/wonen/",
        )
    return people


def digests_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_digest_collects_the_waiting_notifications_in_one_email(readers):
    report = send_digests()
    assert sorted(report.sent) == sorted(p.pk for p in readers)
    assert len(mail.outbox) == 3
    email = digests_to(readers[0])[0]
    assert email.subject == "[Leerkring] Je dagoverzicht: 2 nieuwe meldingen"
    assert email.body.count("Carla Smit wil lid worden van Kring Wonen") == 2
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "html" in email.alternatives[0][1]
    assert not Notification.objects.filter(email_state=Notification.EmailState.DIGEST).exists()


def test_running_twice_sends_each_digest_once(readers):
    send_digests()
    second = send_digests()
    assert second.sent == []
    assert len(mail.outbox) == 3
    for person in readers:
        assert len(digests_to(person)) == 1


def test_the_command_twice_sends_each_digest_once(readers):
    call_command("send_digests")
    call_command("send_digests")
    assert len(mail.outbox) == 3


def test_the_task_sends_the_digest(readers):
    result = send_daily_digests.enqueue()
    assert result.return_value["sent"] == sorted(p.pk for p in readers)
    assert len(mail.outbox) == 3


def test_crash_between_two_users_sends_nobody_twice(readers, settings):
    first, second, third = readers
    settings.EMAIL_BACKEND = "tests.notifications.mailbackends.FailsFor"
    FailsFor.fail_for = {second.email}
    try:
        with pytest.raises(CommandError):
            call_command("send_digests")
    finally:
        FailsFor.fail_for = set()
    assert (len(digests_to(first)), len(digests_to(second)), len(digests_to(third))) == (1, 0, 1)
    assert NotificationDigest.objects.get(user=second).state == NotificationDigest.State.FAILED

    call_command("send_digests")  # the mail server is back
    call_command("send_digests")
    assert (len(digests_to(first)), len(digests_to(second)), len(digests_to(third))) == (1, 1, 1)
    assert digests_to(second)[0].body.count("wil lid worden") == 2


def test_process_interrupted_halfway_resumes_without_sending_twice(readers, settings):
    """An interruption (not an ordinary error) stops the run at the second user."""
    first, second, third = readers
    settings.EMAIL_BACKEND = "tests.notifications.mailbackends.FailsFor"
    FailsFor.fail_for, FailsFor.error = {second.email}, KeyboardInterrupt
    try:
        with pytest.raises(KeyboardInterrupt):
            send_digests()
    finally:
        FailsFor.fail_for, FailsFor.error = set(), ConnectionRefusedError
    assert (len(digests_to(first)), len(digests_to(second)), len(digests_to(third))) == (1, 0, 0)

    send_digests()
    send_digests()
    assert (len(digests_to(first)), len(digests_to(second)), len(digests_to(third))) == (1, 1, 1)


def test_what_arrives_after_todays_digest_waits_for_tomorrows(readers, circle, facilitator):
    import datetime

    from django.utils import timezone

    send_digests()
    notify(
        kind=NotificationKind.JOIN_REQUEST,
        recipients=readers[:1],
        actor=facilitator,
        circle=circle,
        event_key="later",
    )
    assert send_digests().sent == []
    tomorrow = send_digests(now=timezone.now() + datetime.timedelta(days=1))
    assert tomorrow.sent == [readers[0].pk]
    latest = digests_to(readers[0])[-1]
    assert latest.subject == "[Leerkring] Je dagoverzicht: 1 nieuwe melding"


def test_notifications_read_on_the_website_are_not_mailed(readers):
    first = readers[0]
    Notification.objects.filter(recipient=first).update(read_at="2026-01-01T10:00:00+00:00")
    report = send_digests()
    assert first.pk not in report.sent
    assert digests_to(first) == []


def test_english_digest_for_who_chose_english(readers):
    readers[0].profile.language = "en"
    readers[0].profile.save()
    send_digests()
    email = digests_to(readers[0])[0]
    assert email.subject == "[Leerkring] Your daily digest: 2 new notifications"
    assert "Carla Smit asked to join Kring Wonen" in email.body
