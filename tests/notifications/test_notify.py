"""The one door: notify() stores, dedupes, respects preferences, announces after commit."""

import pytest
from django.core import mail

from communities.models import Delivery, Notification, NotificationKind, NotificationPreference
from communities.notifications.services import notify
from tests.factories import UserFactory

from .conftest import notifications_of

pytestmark = pytest.mark.django_db


def _notify(**kwargs):
    defaults = {"kind": NotificationKind.JOIN_REQUEST, "event_key": "event-1", "url": "/kringen/wonen/"}
    return notify(**{**defaults, **kwargs})


def test_the_actor_and_duplicates_are_left_out(circle, official, expert, facilitator):
    created = _notify(recipients=[official, expert, expert.pk, facilitator], actor=facilitator, circle=circle)
    assert sorted(n.recipient_id for n in created) == sorted([official.pk, expert.pk])
    again = _notify(recipients=[official, expert], actor=facilitator, circle=circle)
    assert again == []
    assert len(notifications_of(official)) == len(notifications_of(expert)) == 1
    assert notifications_of(facilitator) == []


def test_one_event_told_by_two_triggers_reaches_a_person_once(circle, official, expert):
    _notify(kind=NotificationKind.MENTION, recipients=[official], actor=expert, circle=circle, event_key="message:9")
    _notify(kind=NotificationKind.REPLY, recipients=[official], actor=expert, circle=circle, event_key="message:9")
    [only] = notifications_of(official)
    assert only.kind == NotificationKind.MENTION


def test_inactive_accounts_get_nothing(circle, official, expert):
    expert.is_active = False
    expert.save()
    _notify(recipients=[official, expert], actor=None, circle=circle)
    assert notifications_of(expert) == []
    assert len(notifications_of(official)) == 1


@pytest.mark.parametrize(
    ("delivery", "stored", "emails"),
    [
        (Delivery.OFF, 0, 0),
        (Delivery.IN_APP, 1, 0),
        (Delivery.DIGEST, 1, 0),
        (Delivery.IMMEDIATE, 1, 1),
    ],
)
def test_preferences_are_respected(circle, official, expert, run_on_commit, delivery, stored, emails):
    NotificationPreference.objects.create(user=official, kind=NotificationKind.JOIN_REQUEST, delivery=delivery)
    run_on_commit(_notify, recipients=[official], actor=expert, circle=circle)
    assert len(notifications_of(official)) == stored
    assert len(mail.outbox) == emails
    if delivery == Delivery.DIGEST:
        assert notifications_of(official)[0].email_state == Notification.EmailState.DIGEST


def test_preference_of_one_kind_does_not_touch_another(circle, official, expert, run_on_commit):
    NotificationPreference.objects.create(user=official, kind=NotificationKind.MENTION, delivery=Delivery.OFF)
    run_on_commit(_notify, recipients=[official], actor=expert, circle=circle)  # a join request: default immediate
    assert len(notifications_of(official)) == 1
    assert len(mail.outbox) == 1


def test_live_event_goes_to_the_recipient_after_commit_with_the_unread_count(
    circle, official, expert, django_capture_on_commit_callbacks, captured_events
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(recipients=[official], actor=expert, circle=circle, event_key="a")
    assert captured_events == []  # nothing before commit
    for callback in callbacks:
        callback()
    [(group, event)] = captured_events
    assert group == f"user-{official.pk}"
    assert event["type"] == "notification"
    assert event["unread"] == 1
    assert event["notification"]["text"] == "Bram Jansen wil lid worden van Kring Wonen"
    assert event["notification"]["url"] == "/kringen/wonen/"


def test_live_event_text_is_in_the_recipients_language(circle, official, expert, run_on_commit, captured_events):
    official.profile.language = "en"
    official.profile.save()
    run_on_commit(_notify, recipients=[official], actor=expert, circle=circle)
    [(_group, event)] = captured_events
    assert event["notification"]["text"] == "Bram Jansen asked to join Kring Wonen"


def test_rolled_back_notifications_announce_nothing(circle, official, expert, captured_events, run_on_commit):
    from django.db import transaction

    def failing():
        with transaction.atomic():
            _notify(recipients=[official], actor=expert, circle=circle)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        run_on_commit(failing)
    assert captured_events == []
    assert mail.outbox == []
    assert notifications_of(official) == []


def test_confidential_notifications_do_not_store_case_content(circle, official, expert):
    [notification] = _notify(
        kind=NotificationKind.CASE_NEW,
        recipients=[official],
        actor=expert,
        circle=circle,
        confidential=True,
        data={"title": "Schuldhulp bij familie Jansen", "excerpt": "geheim"},
    )
    notification.refresh_from_db()
    assert notification.data == {}
    assert notification.confidential


def test_unknown_kind_is_refused(circle, official):
    with pytest.raises(ValueError):
        _notify(kind="gossip", recipients=[official], circle=circle)


def test_many_recipients_cost_a_fixed_number_of_queries(circle, expert):
    few = [UserFactory() for _ in range(3)]
    many = [UserFactory() for _ in range(30)]
    counts = []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index, group in enumerate((few, many)):
        with CaptureQueriesContext(connection) as ctx:
            _notify(recipients=group, actor=expert, circle=circle, event_key=f"bulk-{index}")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_kinds_emailed_by_their_own_app_never_get_a_second_email(circle, official, expert, run_on_commit):
    from communities.errors import InvalidInput
    from communities.notifications.services import preferences_update

    with pytest.raises(InvalidInput):
        preferences_update(user=official, preferences={NotificationKind.INVITATION: Delivery.IMMEDIATE})
    NotificationPreference.objects.create(user=official, kind=NotificationKind.INVITATION, delivery=Delivery.IMMEDIATE)
    run_on_commit(_notify, kind=NotificationKind.INVITATION, recipients=[official], actor=expert, circle=circle)
    assert len(notifications_of(official)) == 1
    assert mail.outbox == []
